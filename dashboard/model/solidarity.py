"""Who shows up for whom in one date window: the events, and what is behind each flow.

:class:`Solidarity` holds :mod:`graph.metrics.solidarity`'s answer for a
coalition (optionally only the groups of some movements, as ``coalition
metrics --movement`` keeps them), so the page, the overview and the group
panel all show the same numbers as ``coalition metrics``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from graph.coalition import Coalition
from graph.metrics import (
    group_solidarity,
    solidarity_events,
    solidarity_flows,
    solidarity_pairs,
    solidarity_reciprocity,
)
from graph.metrics.solidarity import RESOURCES, SHOW_UP

__all__ = ["Solidarity", "solidarity_of", "groups_in_movements", "flow_items"]


@dataclass(frozen=True)
class Solidarity:
    """The solidarity figures of one window (and movement choice) of the coalition."""

    events: list[tuple]
    primary: dict[str, str | None]
    flows: list[dict]
    pairs: list[dict]
    groups: dict[str, dict]
    reciprocity: float | None
    counts: dict[str, int] = field(default_factory=dict)

    def most_one_sided(self) -> dict | None:
        """The pair of movements whose support runs most one way (most events first)."""
        if not self.pairs:
            return None
        return min(self.pairs, key=_one_sided_order)

    def pairs_by_one_sidedness(self) -> list[dict]:
        """Every pair, the most one-sided first; equally one-sided pairs by their events."""
        return sorted(self.pairs, key=_one_sided_order)


def _one_sided_order(pair: Mapping[str, Any]) -> tuple:
    return (pair["reciprocity"], -(pair["a_to_b"] + pair["b_to_a"]), pair["movement_a"])


def groups_in_movements(coalition: Coalition, movements: Collection[str]) -> set[str]:
    """The groups in at least one of ``movements`` (any of their movements, as the CLI's filter).

    >>> c = Coalition(groups={"g1": {"movements": ["a", "b"]}, "g2": {"movements": ["c"]}})
    >>> sorted(groups_in_movements(c, ["b"]))
    ['g1']
    """
    wanted = set(movements)
    return {g for g, data in coalition.groups.items() if wanted & set(data.get("movements") or ())}


def solidarity_of(coalition: Coalition, groups: Collection[str] | None = None) -> Solidarity:
    """The solidarity figures of ``coalition`` (its window), among ``groups`` if given.

    >>> c = Coalition(
    ...     groups={"g1": {"movements": ["housing"]}, "g2": {"movements": ["disability"]}},
    ...     participations=[("g1", "a1", "organizer"), ("g2", "a1", "partner")])
    >>> s = solidarity_of(c)
    >>> s.counts, s.reciprocity, s.groups["g2"]["given_across"]
    ({'show_up': 1, 'resources': 0}, 0.0, 1)
    """
    kept = set(coalition.groups) if groups is None else set(groups) & set(coalition.groups)
    primary = {g: coalition.primary_movement(g) for g in sorted(kept)}
    events = solidarity_events(coalition.participations, coalition.shares, groups=kept)
    flows = solidarity_flows(events, primary)
    counts = {SHOW_UP: 0, RESOURCES: 0}
    for kind, *_ in events:
        counts[kind] += 1
    return Solidarity(
        events=events,
        primary=primary,
        flows=flows,
        pairs=solidarity_pairs(flows),
        groups=group_solidarity(events, primary),
        reciprocity=solidarity_reciprocity(flows),
        counts=counts,
    )


def flow_items(solidarity: Solidarity, coalition: Coalition, a: str, b: str) -> list[dict]:
    """The actions and resources behind the flow from movement ``a`` to ``b``.

    One row per item: ``kind`` (``show_up`` or ``resources``), ``id``,
    ``name``, ``date`` (an action's start, a share's first start), ``events``
    (from ``a`` to ``b``), ``givers`` and ``receivers`` (group ids, sorted),
    latest first.

    >>> c = Coalition(
    ...     groups={"g1": {"movements": ["housing"]}, "g2": {"movements": ["disability"]}},
    ...     actions={"a1": {"name": "Rent strike", "start_date": "2024-05-01"}},
    ...     participations=[("g1", "a1", "organizer"), ("g2", "a1", "partner")])
    >>> [(r["name"], r["givers"], r["receivers"]) for r in flow_items(solidarity_of(c), c,
    ...                                                               "disability", "housing")]
    [('Rent strike', ['g2'], ['g1'])]
    """
    primary = solidarity.primary
    items: dict[tuple, dict] = {}
    for kind, giver, receiver, item in solidarity.events:
        if primary.get(giver) != a or primary.get(receiver) != b:
            continue
        row = items.setdefault((kind, item), {"events": 0, "givers": set(), "receivers": set()})
        row["events"] += 1
        row["givers"].add(giver)
        row["receivers"].add(receiver)
    starts: defaultdict[str, list[str]] = defaultdict(list)
    for _group, resource, _role, start, *_ in coalition.shares:
        if start:
            starts[resource].append(start)
    rows = []
    for (kind, item), row in items.items():
        if kind == SHOW_UP:
            record = coalition.actions.get(item, {})
            date = record.get("start_date")
        else:
            record = coalition.resources.get(item, {})
            date = min(starts[item]) if starts.get(item) else None
        rows.append(
            {
                "kind": kind,
                "id": item,
                "name": record.get("name") or item,
                "type": record.get("type"),
                "date": date,
                "events": row["events"],
                "givers": sorted(row["givers"]),
                "receivers": sorted(row["receivers"]),
            }
        )
    rows.sort(key=lambda r: (r["date"] or "", r["id"]), reverse=True)
    return rows
