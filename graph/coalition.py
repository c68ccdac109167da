"""The coalition: what is in the store, and the group–group graph built from it.

:func:`read_coalition` reads the store into a :class:`Coalition` (plain
Python tables); :func:`coalition_graph` turns it into the undirected
group–group networkx graph of DESIGN.md, where two groups are tied when they
share a member, took part in the same action or share a resource.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

import networkx as nx
import numpy as np
from scipy import sparse

from graph import cypher
from graph.errors import UsageError

__all__ = [
    "Coalition",
    "read_coalition",
    "coalition_graph",
    "DEFAULT_WEIGHTS",
    "parse_weights",
]

log = logging.getLogger(__name__)

DEFAULT_WEIGHTS: dict[str, float] = {"members": 1.0, "actions": 1.0, "resources": 1.0}


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
        return replace(
            self,
            memberships=[m for m in self.memberships if _overlaps(m[2], m[3], since, until)],
            actions=actions,
            participations=[p for p in self.participations if p[1] in actions],
            shares=[s for s in self.shares if _overlaps(s[3], s[4], since, until)],
            since=since,
            until=until,
        )

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


def _overlaps(start: str | None, end: str | None, since: str | None, until: str | None) -> bool:
    if until and start and start > until:
        return False
    if since and end and end < since:
        return False
    return True


def read_coalition(store, *, since: str | None = None, until: str | None = None) -> Coalition:
    """Read the whole coalition from the store.

    Parameters
    ----------
    store : graph.store.Store
        An open store.
    since, until : str, optional
        ISO dates of a window; see :meth:`Coalition.window`.

    Raises
    ------
    graph.errors.LoadInProgress, graph.errors.IncompleteLoad
        While a load is writing, or after one stopped part-way.
    """
    from graph.loadstate import ensure_readable

    state = ensure_readable(store)
    c = Coalition(version=state.version)
    for row in store.read(cypher.READ_MOVEMENTS):
        c.movements[row["id"]] = {"name": row["name"], "description": row["description"]}
    for row in store.read(cypher.READ_GROUPS):
        c.groups[row["id"]] = {**row, "movements": []}
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in store.read(cypher.READ_GROUP_MOVEMENTS):
        ranked[row["group_id"]].append(
            (row["rank"] if row["rank"] is not None else 99, row["movement_id"])
        )
    for group_id, pairs in ranked.items():
        if group_id in c.groups:
            c.groups[group_id]["movements"] = [m for _, m in sorted(pairs)]
    c.member_count = store.read(cypher.READ_MEMBER_COUNT)[0]["n"]
    c.memberships = [
        (member, gid, start or None, end or None)
        for gid, members, starts, ends in store.values(cypher.READ_MEMBERSHIPS_BY_GROUP)
        for member, start, end in zip(members, starts, ends, strict=True)
    ]
    for row in store.read(cypher.READ_ACTIONS):
        c.actions[row["id"]] = row
    c.participations = [
        (gid, action, role or None)
        for gid, actions, roles in store.values(cypher.READ_PARTICIPATIONS_BY_GROUP)
        for action, role in zip(actions, roles, strict=True)
    ]
    for row in store.read(cypher.READ_RESOURCES):
        c.resources[row["id"]] = row
    c.shares = [
        (gid, resource, role or None, start or None, end or None)
        for gid, resources, roles, starts, ends in store.values(cypher.READ_SHARES_BY_GROUP)
        for resource, role, start, end in zip(resources, roles, starts, ends, strict=True)
    ]
    log.info(
        "read %d groups, %d memberships, %d actions, %d shares",
        len(c.groups),
        len(c.memberships),
        len(c.actions),
        len(c.shares),
    )
    return c.window(since, until)


def parse_weights(text: str | None) -> dict[str, float]:
    """Parse ``members=1,actions=0.5,resources=0`` into a weights dict."""
    weights = dict(DEFAULT_WEIGHTS)
    if not text:
        return weights
    for part in text.split(","):
        key, sep, value = part.partition("=")
        key = key.strip()
        if not sep or key not in weights:
            raise UsageError(
                f"--weights: {part!r} is not one of members=, actions=, resources= with a number"
            )
        try:
            weights[key] = float(value)
        except ValueError:
            raise UsageError(f"--weights: {value!r} for {key} is not a number") from None
        if weights[key] < 0:
            raise UsageError(f"--weights: {key} must not be negative")
    return weights


def coalition_graph(
    coalition: Coalition,
    *,
    weights: Mapping[str, float] | None = None,
    movements: Iterable[str] | None = None,
) -> nx.Graph:
    """Build the undirected group–group coalition graph.

    Two groups are tied when they share at least one member, took part in the
    same action, or share the same resource. Each tie carries
    ``shared_members``, ``joint_actions``, ``shared_resources`` and ``weight``
    (their weighted sum). A tie type whose weight is 0 makes no ties. Every
    group is a node, isolated ones too, with ``name``, ``movements`` and
    ``primary_movement``.

    Parameters
    ----------
    coalition : Coalition
    weights : mapping, optional
        ``{"members": w, "actions": w, "resources": w}``; all 1 by default.
    movements : iterable of str, optional
        Keep only groups in at least one of these movements.

    Notes
    -----
    The counts are sparse products ``B Bᵀ`` of group × item incidence
    matrices, so building the graph is fast at any size.
    """
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    keep = set(movements) if movements else None
    group_ids = sorted(
        gid
        for gid, g in coalition.groups.items()
        if keep is None or keep.intersection(g.get("movements") or [])
    )
    index = {gid: i for i, gid in enumerate(group_ids)}
    G = nx.Graph()
    for gid in group_ids:
        g = coalition.groups[gid]
        ms = list(g.get("movements") or [])
        G.add_node(
            gid, name=g.get("name") or gid, movements=ms, primary_movement=ms[0] if ms else None
        )
    affiliation = coalition.affiliations()
    kinds = ("members", "actions", "resources")
    n = len(group_ids)
    keys, slots, values = [], [], []
    for slot, kind in enumerate(kinds):
        if weights[kind] == 0:
            continue
        upper = _co_occurrence(affiliation[kind], index)
        keys.append(upper.row.astype(np.int64) * n + upper.col)
        slots.append(np.full(upper.nnz, slot, dtype=np.int8))
        values.append(upper.data.astype(np.int64))
    if keys:
        pairs, where = np.unique(np.concatenate(keys), return_inverse=True)
        counts = np.zeros((len(pairs), 3), dtype=np.int64)
        counts[where, np.concatenate(slots)] = np.concatenate(values)
        w = counts @ np.array([weights[k] for k in kinds], dtype=float)
        G.add_edges_from(
            (
                group_ids[a],
                group_ids[b],
                {"shared_members": m, "joint_actions": j, "shared_resources": r, "weight": x},
            )
            for a, b, m, j, r, x in zip(
                (pairs // n).tolist(),
                (pairs % n).tolist(),
                counts[:, 0].tolist(),
                counts[:, 1].tolist(),
                counts[:, 2].tolist(),
                w.tolist(),
                strict=True,
            )
        )
    return G


def _co_occurrence(items_of: Mapping[str, set[str]], index: Mapping[str, int]) -> sparse.coo_matrix:
    """Upper triangle of ``B Bᵀ`` for a group × item incidence ``B``."""
    item_index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for gid, items in items_of.items():
        i = index.get(gid)
        if i is None:
            continue
        for item in items:
            rows.append(i)
            cols.append(item_index.setdefault(item, len(item_index)))
    n = len(index)
    if not rows:
        return sparse.coo_matrix((n, n), dtype=np.int64)
    B = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, cols)), shape=(n, len(item_index))
    )
    B.data[:] = 1  # duplicates count once
    return sparse.triu(B @ B.T, k=1).tocoo()
