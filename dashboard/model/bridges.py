"""Where to build bridges, for the ``/bridges`` page: the library's tables, ordered and filtered.

The numbers are :func:`graph.bridges.compute_bridges`'s (the rows of
``coalition bridges``), computed once per date window by
:class:`~dashboard.model.snapshot.Snapshot`; this module only picks and
orders them, and names the partners behind a suggested introduction.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping
from typing import Any

import networkx as nx

from graph.metrics.bridges import CRITICAL_SEPARATOR

__all__ = ["among", "fragile_first", "apart", "critical", "partners", "by_pair"]


def among(rows: Iterable[Mapping[str, Any]], movements: Collection[str]) -> list[Mapping]:
    """The rows of pairs that involve any of ``movements`` (every row when none is chosen).

    >>> among([{"movement_a": "a", "movement_b": "b"}, {"movement_a": "b", "movement_b": "c"}],
    ...       ["c"])
    [{'movement_a': 'b', 'movement_b': 'c'}]
    """
    rows = list(rows)
    if not movements:
        return rows
    chosen = set(movements)
    return [r for r in rows if r["movement_a"] in chosen or r["movement_b"] in chosen]


def fragile_first(links: Iterable[Mapping[str, Any]]) -> list[Mapping]:
    """The tied movement pairs, the easiest to cut first (fewest groups, then fewest ties).

    >>> rows = [{"movement_a": "a", "movement_b": "b", "ties": 4, "cut_size": 2},
    ...         {"movement_a": "a", "movement_b": "c", "ties": 3, "cut_size": 1},
    ...         {"movement_a": "b", "movement_b": "c", "ties": 0, "cut_size": 0}]
    >>> [(r["movement_a"], r["movement_b"]) for r in fragile_first(rows)]
    [('a', 'c'), ('a', 'b')]
    """
    tied = [r for r in links if r["ties"]]
    return sorted(tied, key=lambda r: (r["cut_size"], r["ties"], r["movement_a"], r["movement_b"]))


def apart(links: Iterable[Mapping[str, Any]]) -> list[Mapping]:
    """The movement pairs with no direct tie, the closest first (unreachable ones last)."""
    untied = [r for r in links if not r["ties"]]
    return sorted(
        untied,
        key=lambda r: (
            r["distance"] is None,
            r["distance"] or 0,
            r["movement_a"],
            r["movement_b"],
        ),
    )


def critical(row: Mapping[str, Any]) -> list[str]:
    """The critical group ids of a movement link row (the library joins them with ``;``)."""
    text = row.get("critical_groups") or ""
    return text.split(CRITICAL_SEPARATOR) if text else []


def partners(G: nx.Graph, a: Hashable, b: Hashable) -> list[Hashable]:
    """The groups both ``a`` and ``b`` are tied to, sorted by id.

    >>> partners(nx.Graph([("a", "w"), ("b", "w"), ("a", "x")]), "a", "b")
    ['w']
    """
    return sorted((set(G[a]) & set(G[b])) - {a, b})


def by_pair(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], list[Mapping]]:
    """Introduction rows grouped by their pair of movements, in order."""
    grouped: dict[tuple[str, str], list[Mapping]] = {}
    for r in rows:
        grouped.setdefault((r["movement_a"], r["movement_b"]), []).append(r)
    return grouped
