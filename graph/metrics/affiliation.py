"""Affiliation: what members, actions and resources link, per member and per movement pair."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np

from graph._fast import movements as fast_movements
from graph._fast.arrays import Arrays, arrays_for
from graph.metrics._common import implementation, primary_movements, shared_parameters
from graph.schema import TIE_KINDS

__all__ = [
    "member_metrics",
    "movement_matrix",
    "MOVEMENT_MATRIX_COLUMNS",
    "MEMBER_COLUMNS",
]

#: The columns of :func:`member_metrics` and of ``member_metrics.csv``, in order.
MEMBER_COLUMNS: tuple[str, ...] = ("member_id", "groups", "movements", "bridging")
#: The columns of :func:`movement_matrix` and of ``movement_matrix.csv``, in order.
MOVEMENT_MATRIX_COLUMNS: tuple[str, ...] = ("movement_a", "movement_b", *TIE_KINDS, "ties")


def member_metrics(
    affiliation: Mapping[Hashable, Iterable[Hashable]],
    primary: Mapping[Hashable, Hashable | None],
) -> dict[Hashable, dict[str, Any]]:
    """How many groups and movements each member spans.

    Parameters
    ----------
    affiliation : mapping
        Member id -> the ids of the groups the member belongs to.
    primary : mapping
        Group id -> its primary movement (or ``None``).

    Returns
    -------
    dict
        Member id -> ``{"member_id", "groups", "movements", "bridging"}``:
        the number of distinct groups, the number of distinct primary
        movements among them, and whether that is two or more.

    Notes
    -----
    Groups missing from ``primary`` or without a movement count as groups
    but add no movement. A member with no groups has 0 and 0 and is not
    bridging. Members come out in the order of ``affiliation``.

    References
    ----------
    .. [1] Breiger, R. L. (1974). The duality of persons and groups.
       *Social Forces* 53(2), 181-190.

    Examples
    --------
    >>> affiliation = {"m1": ["a", "b", "c"], "m2": ["a", "c"]}
    >>> primary = {"a": "blm", "b": "queer", "c": "blm"}
    >>> member_metrics(affiliation, primary)["m1"]
    {'member_id': 'm1', 'groups': 3, 'movements': 2, 'bridging': True}
    >>> member_metrics(affiliation, primary)["m2"]
    {'member_id': 'm2', 'groups': 2, 'movements': 1, 'bridging': False}
    """
    result: dict[Hashable, dict[str, Any]] = {}
    for member, groups in affiliation.items():
        distinct = set(groups)
        movements = {primary.get(g) for g in distinct} - {None}
        result[member] = {
            "member_id": member,
            "groups": len(distinct),
            "movements": len(movements),
            "bridging": len(movements) >= 2,
        }
    return result


@shared_parameters
def movement_matrix(
    G: nx.Graph,
    *,
    members: Mapping[Hashable, Iterable[Hashable]],
    actions: Mapping[Hashable, Iterable[Hashable]],
    resources: Mapping[Hashable, Iterable[Hashable]],
    movement: str | None = "primary_movement",
    backend: str = "fast",
    arrays: Arrays | None = None,
) -> list[dict[str, Any]]:
    """How each pair of movements is linked: members, actions, resources, ties.

    Parameters
    ----------
    G : networkx.Graph
        The coalition graph; its groups' primary movements define the rows.
    members, actions, resources : mapping
        Group id -> the ids of its members, of the actions it took part in,
        of the resources it shares.
    %(movement)s
    backend : {"fast", "networkx"}, optional
        Implementation; both give the same counts.
    arrays : optional
        ``G`` already converted (:meth:`graph.projection.Ties.arrays`), so the
        fast backend does not convert it again.

    Returns
    -------
    list of dict
        One row ``{"movement_a", "movement_b", "shared_members",
        "joint_actions", "shared_resources", "ties"}`` for every unordered
        pair ``movement_a <= movement_b`` of primary movements present in
        ``G``, the within-movement pair ``a == b`` included, sorted by
        ``(movement_a, movement_b)``. For ``a != b``, ``shared_members`` is
        the number of distinct members in at least one group of ``a`` and
        at least one group of ``b``; for ``a == b``, in at least two
        different groups of ``a``. ``joint_actions`` and
        ``shared_resources`` count actions and resources the same way.
        ``ties`` is the number of edges of ``G`` between a group of ``a``
        and a group of ``b``.

    Notes
    -----
    Only groups that are nodes of ``G`` and have a primary movement count;
    ids in the mappings for other groups are ignored, and groups without a
    movement have no row. Pairs with nothing in common are listed with
    zeros. Each item is counted once per pair of movements however many
    groups of them it links: it is the one-mode projection of the
    group-item affiliations onto movements.

    References
    ----------
    .. [1] Breiger, R. L. (1974). The duality of persons and groups.
       *Social Forces* 53(2), 181-190.

    Examples
    --------
    Member ``m1`` is in a blm group and a queer group; action ``x`` joined
    two blm groups:

    >>> G = nx.Graph([("a", "c")])
    >>> G.add_node("b")
    >>> nx.set_node_attributes(G, {"a": "blm", "b": "blm", "c": "queer"},
    ...                        "primary_movement")
    >>> rows = movement_matrix(G, members={"a": ["m1"], "c": ["m1"]},
    ...                        actions={"a": ["x"], "b": ["x"]}, resources={})
    >>> [(r["movement_a"], r["movement_b"], r["shared_members"], r["joint_actions"], r["ties"])
    ...  for r in rows]
    [('blm', 'blm', 0, 1, 0), ('blm', 'queer', 1, 0, 1), ('queer', 'queer', 0, 0, 0)]
    """
    run = implementation(G, backend, _movement_counts_fast, _movement_counts_networkx)
    primary = primary_movements(G, movement)
    movements = sorted({m for m in primary.values() if m is not None})
    mappings = dict(zip(TIE_KINDS, (members, actions, resources), strict=True))
    count = run(G, primary, movements, mappings, arrays=arrays)
    return [
        {
            "movement_a": a,
            "movement_b": b,
            **{c: count(c, a, b) for c in MOVEMENT_MATRIX_COLUMNS[2:]},
        }
        for i, a in enumerate(movements)
        for b in movements[i:]
    ]


def _movement_counts_fast(G, primary, movements, mappings, *, arrays=None):
    """``count(column, a, b)`` from movement x movement tables built with NumPy."""
    position = {m: i for i, m in enumerate(movements)}
    codes = np.array(
        [position[m] if m is not None else -1 for m in primary.values()], dtype=np.int64
    )
    tables = {
        column: _shared_item_table(mapping, primary, position)
        for column, mapping in mappings.items()
    }
    arrays = arrays_for(G, None, arrays)
    u, v, _ = arrays.edges
    a, b = codes[u], codes[v]
    both = (a >= 0) & (b >= 0)
    low, high = np.minimum(a[both], b[both]), np.maximum(a[both], b[both])
    size = len(movements)
    tables["ties"] = np.bincount(low * size + high, minlength=size * size).reshape(size, size)
    for i in np.flatnonzero(arrays.loops & (codes >= 0)).tolist():
        tables["ties"][codes[i], codes[i]] += 1  # a self-tie: within its movement
    return lambda column, a, b: int(tables[column][position[a], position[b]])


def _movement_counts_networkx(G, primary, movements, mappings, *, arrays=None):
    """``count(column, a, b)`` from counters filled group by group (the reference)."""
    counts = {column: _shared_items(mapping, primary) for column, mapping in mappings.items()}
    counts["ties"] = Counter()
    for u, v in G.edges():
        a, b = primary[u], primary[v]
        if a is not None and b is not None:
            counts["ties"][(a, b) if a <= b else (b, a)] += 1
    return lambda column, a, b: counts[column][(a, b)]


def _shared_items(
    mapping: Mapping[Hashable, Iterable[Hashable]], primary: Mapping[Hashable, Any]
) -> Counter[tuple[Any, Any]]:
    """(movement_a, movement_b) -> number of items linking a group of a and one of b."""
    groups_of: defaultdict[Hashable, set[Hashable]] = defaultdict(set)
    for group, items in mapping.items():
        if primary.get(group) is None:
            continue
        for item in items:
            groups_of[item].add(group)
    counts: Counter[tuple[Any, Any]] = Counter()
    for groups in groups_of.values():
        per_movement = Counter(primary[g] for g in groups)
        present = sorted(per_movement)
        for i, a in enumerate(present):
            if per_movement[a] >= 2:
                counts[(a, a)] += 1
            for b in present[i + 1 :]:
                counts[(a, b)] += 1
    return counts


def _shared_item_table(
    mapping: Mapping[Hashable, Iterable[Hashable]],
    primary: Mapping[Hashable, Any],
    position: Mapping[Any, int],
) -> np.ndarray:
    """:func:`_shared_items` as an upper-triangular movements x movements array."""
    size = len(position)
    item_index: dict[Hashable, int] = {}
    group_index: dict[Hashable, int] = {}
    items: list[int] = []
    groups: list[int] = []
    for group, linked in mapping.items():
        m = primary.get(group)
        if m is None:
            continue
        g = group_index.setdefault(group, len(group_index))
        for item in linked:
            items.append(item_index.setdefault(item, len(item_index)))
            groups.append(g)
    if not items:
        return np.zeros((size, size), dtype=np.int64)
    code_of_group = np.empty(len(group_index), dtype=np.int64)
    for group, g in group_index.items():
        code_of_group[g] = position[primary[group]]
    return fast_movements.shared_item_table(
        np.array(groups, dtype=np.int64), np.array(items, dtype=np.int64), code_of_group, size
    )
