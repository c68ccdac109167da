"""The coalition's records as plain tables, and date windows over them.

:class:`Coalition` holds what :func:`graph.read.read_coalition` reads from the
store; :meth:`Coalition.window` keeps what overlaps a date window, as a mask
over link arrays built once per data version. :mod:`graph.projection` turns a
coalition into the group–group coalition graph.
"""

from __future__ import annotations

import calendar
import logging
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import compress, repeat

import numpy as np

from graph.errors import UsageError

__all__ = ["Coalition", "PERIODS", "periods"]

#: The period lengths :func:`periods` cuts a span into (``coalition trends --every``).
PERIODS: tuple[str, ...] = ("year", "quarter", "month")
#: Months in each kind of period.
_MONTHS = {"year": 12, "quarter": 3, "month": 1}

log = logging.getLogger(__name__)


@dataclass
class Coalition:
    """The coalition's records as plain tables.

    ``groups`` maps a group id to its properties, including ``movements`` (a
    list of movement ids, the primary first). The link tables are lists of
    tuples: ``memberships`` ``(member_id, group_id, start_date, end_date)``,
    ``participations`` ``(group_id, action_id, role)``, ``shares``
    ``(group_id, resource_id, role, start_date, end_date)``. Dates are ISO
    strings or None.
    """

    movements: dict[str, dict] = field(default_factory=dict)
    groups: dict[str, dict] = field(default_factory=dict)
    member_count: int = 0
    memberships: list[tuple] = field(default_factory=list)
    actions: dict[str, dict] = field(default_factory=dict)
    participations: list[tuple] = field(default_factory=list)
    resources: dict[str, dict] = field(default_factory=dict)
    shares: list[tuple] = field(default_factory=list)
    since: str | None = None
    until: str | None = None
    #: The store's data version (bumped by every complete load), if known.
    version: int | None = None
    # The links of the whole coalition as arrays, and the window this one sees of
    # them (see _links); shared by every window, built on first use.
    _incidence: _Incidence | None = field(default=None, repr=False, compare=False)
    _incidence_window: tuple[str | None, str | None] = field(
        default=(None, None), repr=False, compare=False
    )

    def primary_movement(self, group_id: str) -> str | None:
        movements = self.groups[group_id].get("movements") or []
        return movements[0] if movements else None

    def window(self, since: str | None = None, until: str | None = None) -> Coalition:
        """Keep only memberships, actions and shares that overlap ``[since, until]``.

        A record with no start date started long ago; one with no end date is
        still going on; an action with no end date lasted one day.
        """
        if since and until and since > until:
            raise UsageError(f"--since {since} is after --until {until}")
        if not since and not until:
            return self
        actions = {
            aid: a
            for aid, a in self.actions.items()
            if _overlaps(
                a.get("start_date"), a.get("end_date") or a.get("start_date"), since, until
            )
        }
        if self.since is None and self.until is None:
            # A window of the whole coalition is a mask over its link arrays (the
            # same test as _overlaps, on every link at once), which it shares.
            incidence = self._links()[0]
            keep = {k: incidence.in_window(k, since, until).tolist() for k in incidence.kinds}
            return replace(
                self,
                memberships=list(compress(self.memberships, keep["members"])),
                actions=actions,
                participations=list(compress(self.participations, keep["actions"])),
                shares=list(compress(self.shares, keep["resources"])),
                since=since,
                until=until,
                _incidence=incidence,
                _incidence_window=(since, until),
            )
        return replace(  # a window of a window builds arrays of its own when asked
            self,
            memberships=[m for m in self.memberships if _overlaps(m[2], m[3], since, until)],
            actions=actions,
            participations=[p for p in self.participations if p[1] in actions],
            shares=[s for s in self.shares if _overlaps(s[3], s[4], since, until)],
            since=since,
            until=until,
            _incidence=None,
            _incidence_window=(None, None),
        )

    def _links(self) -> tuple[_Incidence, str | None, str | None]:
        """The link arrays this coalition's ties are built from, and the window to apply.

        Arrays whose tables have since changed size (a notebook added or
        removed records) are built again from this coalition's own tables.
        """
        if self._incidence is None or not self._incidence.fresh():
            self._incidence = _Incidence(self)
            self._incidence_window = (None, None)
        return self._incidence, *self._incidence_window

    def span(self) -> tuple[str | None, str | None]:
        """The earliest and the latest date of any membership, action or share.

        ``(None, None)`` when no record has a date.
        """
        dates = [d for m in self.memberships for d in m[2:4] if d]
        dates += [d for s in self.shares for d in s[3:5] if d]
        dates += [
            d for a in self.actions.values() for d in (a.get("start_date"), a.get("end_date")) if d
        ]
        if not dates:
            return None, None
        return min(dates), max(dates)

    def affiliations(self) -> dict[str, dict[str, set[str]]]:
        """Per tie type, the items each group is linked to (``group -> {item ids}``)."""
        out: dict[str, dict[str, set[str]]] = {
            "members": defaultdict(set),
            "actions": defaultdict(set),
            "resources": defaultdict(set),
        }
        for member_id, group_id, *_ in self.memberships:
            out["members"][group_id].add(member_id)
        for group_id, action_id, *_ in self.participations:
            out["actions"][group_id].add(action_id)
        for group_id, resource_id, *_ in self.shares:
            out["resources"][group_id].add(resource_id)
        return {k: dict(v) for k, v in out.items()}

    def member_groups(self) -> dict[str, set[str]]:
        """Each member's groups."""
        out: dict[str, set[str]] = defaultdict(set)
        for member_id, group_id, *_ in self.memberships:
            out[member_id].add(group_id)
        return dict(out)


def periods(since: str, until: str, every: str) -> list[tuple[str, str]]:
    """Consecutive calendar periods from ``since`` to ``until``, both included.

    Years start on 1 January, quarters on 1 January, April, July and October,
    months on their first day. The first period starts on ``since`` and the
    last ends on ``until``: when they fall inside a period, it is clipped.

    Parameters
    ----------
    since, until : str
        ISO dates (``YYYY-MM-DD``), ``since <= until``.
    every : {"year", "quarter", "month"}
        The length of a period.

    Returns
    -------
    list of tuple
        ``(first day, last day)`` of each period, as ISO dates.

    Raises
    ------
    graph.errors.UsageError
        For an unknown period length, a date that is not ISO, or ``since``
        after ``until``.

    Examples
    --------
    >>> periods("2024-01-15", "2024-05-02", "quarter")
    [('2024-01-15', '2024-03-31'), ('2024-04-01', '2024-05-02')]
    >>> periods("2023-12-20", "2024-03-01", "month")[1:3]
    [('2024-01-01', '2024-01-31'), ('2024-02-01', '2024-02-29')]
    """
    if every not in _MONTHS:
        raise UsageError(f"unknown period {every!r}; choose one of {', '.join(PERIODS)}")
    try:
        first, last = date.fromisoformat(since), date.fromisoformat(until)
    except (TypeError, ValueError):
        raise UsageError(
            f"{since!r} to {until!r} is not a span of ISO dates (YYYY-MM-DD)"
        ) from None
    if first > last:
        raise UsageError(f"--since {since} is after --until {until}")
    step = _MONTHS[every]
    year, month = first.year, (first.month - 1) // step * step + 1
    out = []
    while date(year, month, 1) <= last:
        end_month = month + step - 1
        end = date(year, end_month, calendar.monthrange(year, end_month)[1])
        out.append((max(first, date(year, month, 1)).isoformat(), min(end, last).isoformat()))
        year, month = (year + 1, 1) if end_month == 12 else (year, end_month + 1)
    return out


def _overlaps(start: str | None, end: str | None, since: str | None, until: str | None) -> bool:
    if until and start and start > until:
        return False
    if since and end and end < since:
        return False
    return True


def _node_data(gid: str, group: dict) -> dict:
    movements = list(group.get("movements") or [])
    return {
        "name": group.get("name") or gid,
        "movements": movements,
        "primary_movement": movements[0] if movements else None,
    }


class _Incidence:
    """A coalition's links as arrays, built once; a date window is a mask over them.

    Per tie type: each link's group (its place in ``groups``, the sorted
    group ids; -1 for a group not in the table), item (numbered from 0), and
    the dates :meth:`Coalition.window` compares, as text arrays (a missing
    start is ``""``, before every date; a missing end ``"~"``, after every
    date). Windows of the whole coalition share one, so a new window costs
    a few comparisons instead of a pass over every record.
    """

    def __init__(self, c: Coalition) -> None:
        self.groups = sorted(c.groups)
        position = {g: i for i, g in enumerate(self.groups)}
        self.kinds = {
            "members": self._arrays(
                position, [m[1] for m in c.memberships], [m[0] for m in c.memberships]
            ),
            "actions": self._arrays(
                position, [p[0] for p in c.participations], [p[1] for p in c.participations]
            ),
            "resources": self._arrays(position, [x[0] for x in c.shares], [x[1] for x in c.shares]),
        }
        #: Each group's node attributes, shared by every window's ties (read-only).
        self.node_data = [_node_data(g, c.groups[g]) for g in self.groups]
        self._coalition = c  # the dates are read at the first window (see _dates)
        self._windows: dict[str, tuple] = {}
        self._sizes = self._sizes_of(c)

    @staticmethod
    def _sizes_of(c: Coalition) -> tuple[int, ...]:
        return tuple(map(len, (c.groups, c.memberships, c.actions, c.participations, c.shares)))

    def fresh(self) -> bool:
        """Whether the tables the arrays were built from still have their sizes."""
        return self._sizes_of(self._coalition) == self._sizes

    @staticmethod
    def _arrays(position, groups, items) -> tuple[np.ndarray, np.ndarray, int]:
        numbers = {item: i for i, item in enumerate(dict.fromkeys(items))}
        return (
            np.fromiter(map(position.get, groups, repeat(-1)), np.int64, count=len(groups)),
            np.fromiter(map(numbers.__getitem__, items), np.int64, count=len(items)),
            len(numbers),
        )

    def _dates(self, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
        """The distinct dates in text order, each link's start and end as their places
        among them (compared as :meth:`Coalition.window` compares the text), and, for
        actions, whether the action is known (a window drops the others)."""
        if kind not in self._windows:
            c = self._coalition
            known = None
            if kind == "members":
                starts = [m[2] or "" for m in c.memberships]
                ends = [m[3] or "~" for m in c.memberships]
            elif kind == "resources":
                starts = [x[3] or "" for x in c.shares]
                ends = [x[4] or "~" for x in c.shares]
            else:
                dated = {
                    aid: (
                        a.get("start_date") or "",
                        a.get("end_date") or a.get("start_date") or "~",
                    )
                    for aid, a in c.actions.items()
                }
                spans = [dated.get(p[1], ("", "~")) for p in c.participations]
                starts = [span[0] for span in spans]
                ends = [span[1] for span in spans]
                known = np.array([p[1] in dated for p in c.participations], dtype=bool)
            # each date as its place among the distinct dates, in text order: a
            # window compares small integers, not text
            dates, places = np.unique(np.array(starts + ends, dtype=str), return_inverse=True)
            places = places.reshape(-1)
            self._windows[kind] = (dates, places[: len(starts)], places[len(starts) :], known)
        return self._windows[kind]

    def in_window(self, kind: str, since: str | None, until: str | None) -> np.ndarray:
        """Which links overlap the window, as :meth:`Coalition.window` decides."""
        keep = np.ones(len(self.kinds[kind][0]), dtype=bool)
        if since or until:
            dates, starts, ends, known = self._dates(kind)
            if until:  # start > until: the start's place is past every date <= until
                keep &= starts < np.searchsorted(dates, until, side="right")
            if since:  # end < since: the end's place is before every date >= since
                keep &= ends >= np.searchsorted(dates, since, side="left")
            if known is not None:
                keep &= known
        return keep

    def links(
        self, kind: str, since: str | None, until: str | None
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """``(group places, item numbers, number of items)`` of the links in the window."""
        groups, items, count = self.kinds[kind]
        keep = (groups >= 0) & self.in_window(kind, since, until)
        return groups[keep], items[keep], count


#: Names that lived here before the packages were reshaped, and where they live now:
#: ``from graph.coalition import read_coalition, coalition_graph`` keeps working.
_MOVED = {
    "read_coalition": "graph.read",
    **dict.fromkeys(
        (
            "coalition_graph",
            "coalition_graph_with_arrays",
            "coalition_ties",
            "Ties",
            "parse_weights",
            "DEFAULT_WEIGHTS",
        ),
        "graph.projection",
    ),
}


def __getattr__(name: str):
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
