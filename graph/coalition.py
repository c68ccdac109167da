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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from itertools import compress, repeat

import networkx as nx
import numpy as np
from scipy import sparse

from graph import cypher, fast
from graph.errors import UsageError

__all__ = [
    "Coalition",
    "read_coalition",
    "coalition_graph",
    "coalition_graph_with_arrays",
    "coalition_ties",
    "Ties",
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

    def _dates(self, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Each link's start and end as :meth:`Coalition.window` compares them, and, for
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
            self._windows[kind] = (np.array(starts, dtype=str), np.array(ends, dtype=str), known)
        return self._windows[kind]

    def in_window(self, kind: str, since: str | None, until: str | None) -> np.ndarray:
        """Which links overlap the window, as :meth:`Coalition.window` decides."""
        keep = np.ones(len(self.kinds[kind][0]), dtype=bool)
        if since or until:
            starts, ends, known = self._dates(kind)
            if until:
                keep &= ~(starts > until)
            if since:
                keep &= ~(ends < since)
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
    names = list(cypher.READ_TABLES)
    # two at a time: the store answers one query while the driver decodes another
    with ThreadPoolExecutor(max_workers=2) as pool:
        tables = dict(
            zip(names, pool.map(lambda name: _read_table(store, name), names), strict=True)
        )
    c = Coalition(version=state.version)
    c.movements = {m: {"name": name, "description": text} for m, name, text in tables["movements"]}
    c.groups = {row[0]: {**_record("groups", row), "movements": []} for row in tables["groups"]}
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for group_id, movement_id, rank in tables["group_movements"]:
        ranked[group_id].append((rank if rank is not None else 99, movement_id))
    for group_id, pairs in ranked.items():
        if group_id in c.groups:
            c.groups[group_id]["movements"] = [m for _, m in sorted(pairs)]
    c.member_count = store.read(cypher.READ_MEMBER_COUNT)[0]["n"]
    c.actions = {row[0]: _record("actions", row) for row in tables["actions"]}
    c.resources = {row[0]: _record("resources", row) for row in tables["resources"]}
    # Every value arrives as its own string; one object per distinct id and date
    # keeps the tables a few hundred MB smaller at 50,000 groups.
    one: dict = {g: g for g in c.groups}
    one.update((a, a) for a in c.actions)
    one.update((r, r) for r in c.resources)
    same = one.setdefault
    c.memberships = [
        (same(m, m), same(g, g), start and same(start, start), end and same(end, end))
        for m, g, start, end in tables["memberships"]
    ]
    c.participations = [
        (same(g, g), same(a, a), role and same(role, role))
        for g, a, role in tables["participations"]
    ]
    c.shares = [
        (
            same(g, g),
            same(r, r),
            role and same(role, role),
            start and same(start, start),
            end and same(end, end),
        )
        for g, r, role, start, end in tables["shares"]
    ]
    log.info(
        "read %d groups, %d memberships, %d actions, %d shares",
        len(c.groups),
        len(c.memberships),
        len(c.actions),
        len(c.shares),
    )
    return c.window(since, until)


def _read_table(store, name: str) -> list[list]:
    """One table of :data:`graph.cypher.READ_TABLES`, as a list of rows."""
    records = store.values(cypher.READ_TABLES[name][1])
    return (records[0][0] or []) if records else []


def _record(name: str, row: list) -> dict:
    return dict(zip(cypher.READ_TABLES[name][0], row, strict=True))


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
    return coalition_ties(coalition, weights=weights, movements=movements).graph()


def coalition_graph_with_arrays(
    coalition: Coalition,
    *,
    weights: Mapping[str, float] | None = None,
    movements: Iterable[str] | None = None,
) -> tuple[nx.Graph, fast.Arrays]:
    """:func:`coalition_graph`, and the same graph as :class:`graph.fast.Arrays`.

    The arrays (weighted by ``weight``) come from the same sparse products as
    the graph, so the metric suite can skip converting it
    (:func:`graph.fast.shared_arrays`).
    """
    ties = coalition_ties(coalition, weights=weights, movements=movements)
    return ties.graph(), ties.arrays()


@dataclass(frozen=True)
class Ties:
    """The coalition graph as arrays: what :func:`coalition_graph` holds, without networkx.

    ``groups`` are the group ids, sorted; ``node_data`` their node attributes
    (``name``, ``movements``, ``primary_movement``). Tie ``k`` joins
    ``groups[u[k]]`` and ``groups[v[k]]`` (``u < v``; ties sorted by
    ``(u, v)``), with ``counts[k]`` its shared members, joint actions and
    shared resources and ``weight[k]`` their weighted sum.
    """

    groups: list[str]
    node_data: list[dict]
    u: np.ndarray
    v: np.ndarray
    counts: np.ndarray
    weight: np.ndarray

    #: The edge attribute of each column of ``counts``.
    COLUMNS = ("shared_members", "joint_actions", "shared_resources")

    def graph(self) -> nx.Graph:
        """The networkx graph of :func:`coalition_graph`."""
        G = nx.Graph()
        G.add_nodes_from(zip(self.groups, self.node_data, strict=True))
        ids = self.groups
        G.add_edges_from(
            (
                ids[a],
                ids[b],
                {"shared_members": m, "joint_actions": j, "shared_resources": r, "weight": w},
            )
            for a, b, m, j, r, w in zip(
                self.u.tolist(),
                self.v.tolist(),
                self.counts[:, 0].tolist(),
                self.counts[:, 1].tolist(),
                self.counts[:, 2].tolist(),
                self.weight.tolist(),
                strict=True,
            )
        )
        return G

    def arrays(self) -> fast.Arrays:
        """``graph.fast.Arrays(self.graph(), "weight")``, built from the arrays directly."""
        return fast.Arrays.from_ties(self.groups, self.u, self.v, self.weight, "weight")


def coalition_ties(
    coalition: Coalition,
    *,
    weights: Mapping[str, float] | None = None,
    movements: Iterable[str] | None = None,
) -> Ties:
    """The ties of :func:`coalition_graph` as :class:`Ties` arrays (same parameters)."""
    weights = {**DEFAULT_WEIGHTS, **(weights or {})}
    incidence, since, until = coalition._links()
    wanted = set(movements) if movements else None
    if wanted is None:
        kept = np.ones(len(incidence.groups), dtype=bool)
        group_ids, node_data = list(incidence.groups), list(incidence.node_data)
    else:
        kept = np.array(
            [bool(wanted.intersection(d["movements"])) for d in incidence.node_data], dtype=bool
        ).reshape(-1)
        group_ids = list(compress(incidence.groups, kept.tolist()))
        node_data = list(compress(incidence.node_data, kept.tolist()))
    n = len(group_ids)
    renumber = np.full(len(incidence.groups) + 1, -1, dtype=np.int64)  # [-1] stays -1
    renumber[np.flatnonzero(kept)] = np.arange(n)
    kinds = ("members", "actions", "resources")
    uppers = {}
    for kind in kinds:
        if weights[kind] != 0:
            groups, items, count = incidence.links(kind, since, until)
            uppers[kind] = _co_occurrence(n, renumber[groups], items, count)
    u, v, counts = _combine(n, [uppers.get(kind) for kind in kinds])
    weight = counts @ np.array([weights[k] for k in kinds], dtype=float)
    return Ties(group_ids, node_data, u, v, counts, weight)


def _co_occurrence(n: int, rows: np.ndarray, cols: np.ndarray, items: int) -> sparse.csr_matrix:
    """Upper triangle of ``B Bᵀ`` for the ``n`` × ``items`` incidence ``B`` of these links.

    Links of rows -1 (groups left out) are dropped; a repeated link counts once.
    """
    kept = rows >= 0
    B = sparse.csr_matrix(
        (np.ones(int(kept.sum()), dtype=np.int64), (rows[kept], cols[kept])), shape=(n, items)
    )
    B.data[:] = 1  # duplicates count once
    return sparse.triu(B @ B.T, k=1, format="csr")


# Counts below 2**21 pack three to an int64, so one sparse sum lines the three up.
_PACK = 21


def _combine(
    n: int, uppers: list[sparse.csr_matrix | None]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The pairs tied by any of the upper triangles, sorted, and their three counts."""
    present = [(slot, U) for slot, U in enumerate(uppers) if U is not None and U.nnz]
    if not present:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros((0, 3), dtype=np.int64)
    if max(int(U.data.max()) for _, U in present) < 2**_PACK:
        total = sparse.csr_matrix((n, n), dtype=np.int64)
        for slot, U in present:
            total = total + U * (1 << (_PACK * (2 - slot)))
        total.sum_duplicates()  # sorted columns in each row (a no-op when already so)
        packed = total.data.astype(np.int64)
        counts = np.empty((len(packed), 3), dtype=np.int64)
        for slot in range(3):
            counts[:, slot] = (packed >> (_PACK * (2 - slot))) & ((1 << _PACK) - 1)
        rows = np.repeat(np.arange(n, dtype=np.int64), np.diff(total.indptr))
        return rows, total.indices.astype(np.int64), counts
    keys, slots, values = [], [], []  # huge counts: line them up by sorting
    for slot, U in present:
        U = U.tocoo()
        keys.append(U.row.astype(np.int64) * n + U.col)
        slots.append(np.full(U.nnz, slot, dtype=np.int8))
        values.append(U.data.astype(np.int64))
    pairs = np.unique(np.concatenate(keys))
    counts = np.zeros((len(pairs), 3), dtype=np.int64)
    counts[np.searchsorted(pairs, np.concatenate(keys)), np.concatenate(slots)] = np.concatenate(
        values
    )
    return pairs // n, pairs % n, counts
