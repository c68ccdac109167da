"""Where to build bridges, for a whole coalition: what ``coalition bridges`` writes.

:func:`compute_bridges` builds the coalition graph of a
:class:`~graph.coalition.Coalition` (or takes one already built) and runs
:func:`graph.metrics.movement_links` and :func:`graph.metrics.introductions`
on it, converting it once; :func:`write_bridges` writes both tables. The
command line, the dashboard's ``/bridges`` page and the brief use these two
functions, so they agree.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from graph import metrics
from graph._fast.arrays import Arrays
from graph.coalition import Coalition
from graph.metrics.bridges import DEFAULT_TOP, INTRODUCTION_COLUMNS, MOVEMENT_LINK_COLUMNS
from graph.output import DEFAULT_FORMAT, write_table
from graph.projection import coalition_graph_with_arrays

__all__ = ["Bridges", "compute_bridges", "write_bridges", "BRIDGES_FILES"]

#: The files of ``coalition bridges --out DIR`` (without their format's extension), and
#: the columns of each.
BRIDGES_FILES: dict[str, tuple[str, ...]] = {
    "movement_links": MOVEMENT_LINK_COLUMNS,
    "introductions": INTRODUCTION_COLUMNS,
}


@dataclass
class Bridges:
    """How fragile each movement link is, and the suggested introductions."""

    graph: nx.Graph
    #: Rows of :func:`graph.metrics.movement_links` (every pair of movements).
    links: list[dict]
    #: Rows of :func:`graph.metrics.introductions` (up to ``top`` per pair of movements).
    introductions: list[dict]


def compute_bridges(
    coalition: Coalition,
    *,
    top: int = DEFAULT_TOP,
    weights: Mapping[str, float] | None = None,
    movements: Iterable[str] | None = None,
    graph: nx.Graph | None = None,
    arrays: Arrays | None = None,
) -> Bridges:
    """The movement links and introductions of a coalition.

    Parameters
    ----------
    coalition : graph.coalition.Coalition
        The tables (already cut to a date window, if any).
    top : int, optional
        Suggested introductions per pair of movements, at most.
    weights, movements : optional
        As :func:`graph.projection.coalition_graph`. Weights do not change
        the results except that a weight of 0 drops a tie type.
    graph, arrays : optional
        The coalition graph already built (then ``weights`` and ``movements``
        are not used), and its conversion (:meth:`graph.projection.Ties.arrays`).

    Returns
    -------
    Bridges
    """
    if graph is None:
        graph, arrays = coalition_graph_with_arrays(coalition, weights=weights, movements=movements)
    links = metrics.movement_links(graph, arrays=arrays)
    suggested = metrics.introductions(graph, top=top, arrays=arrays)
    return Bridges(graph, links, suggested)


def write_bridges(
    bridges: Bridges, out: str | os.PathLike, *, fmt: str = DEFAULT_FORMAT
) -> list[Path]:
    """Write ``movement_links`` and ``introductions`` into the folder ``out``; return the paths.

    Both tables are written to temporary names first and renamed when both are
    complete, so a failure leaves no half-written pair behind.
    """
    out = Path(out)
    tables = {"movement_links": bridges.links, "introductions": bridges.introductions}
    staged = []
    try:
        for name, rows in tables.items():
            staged.append(write_table(out / f".{name}.partial", BRIDGES_FILES[name], rows, fmt))
        final = []
        for name, path in zip(tables, staged, strict=True):
            target = out / f"{name}.{fmt}"
            os.replace(path, target)
            final.append(target)
        return final
    finally:
        for path in staged:
            path.unlink(missing_ok=True)
