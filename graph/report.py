"""The whole metric suite over a coalition, as ``coalition metrics`` and the dashboard run it.

:func:`compute_report` builds the coalition graph of a
:class:`~graph.coalition.Coalition` (or takes one already built) and runs every
metric of DESIGN.md on it, converting the graph once for the fast backend.
:mod:`graph.output` writes the result to files.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import networkx as nx

from graph import metrics
from graph._fast.arrays import Arrays
from graph.coalition import Coalition
from graph.metrics.solidarity import RESOURCES, SHOW_UP
from graph.projection import coalition_graph_with_arrays

__all__ = ["Report", "compute_report", "REPORT_SUMMARY_KEYS"]

log = logging.getLogger(__name__)

#: The keys of ``network_summary.json``: the network's figures and how betweenness was computed.
REPORT_SUMMARY_KEYS: tuple[str, ...] = (
    *metrics.SUMMARY_KEYS,
    "betweenness_mode",
    "betweenness_samples",
    "show_up_events",
    "resource_support_events",
    "solidarity_reciprocity",
)


@dataclass
class Report:
    """Every metric of a coalition, as tables (lists of row dicts)."""

    graph: nx.Graph
    groups: list[dict]
    members: list[dict]
    matrix: list[dict]
    summary: dict
    #: Who shows up for whom (:mod:`graph.metrics.solidarity`): flows per ordered pair
    #: of movements, reciprocity per pair, and each group's figures (sorted by id).
    flows: list[dict] = field(default_factory=list)
    pairs: list[dict] = field(default_factory=list)
    solidarity: list[dict] = field(default_factory=list)

    def group_table(self) -> list[dict]:
        """Each group's metrics and solidarity figures in one row, sorted by group id."""
        figures = {row["group_id"]: row for row in self.solidarity}
        return [{**row, **figures.get(row["group_id"], {})} for row in self.groups]


def compute_report(
    coalition: Coalition,
    *,
    weights: Mapping[str, float] | None = None,
    movements: Iterable[str] | None = None,
    exact_max: int = metrics.EXACT_MAX,
    samples: int = metrics.DEFAULT_SAMPLES,
    seed: int = metrics.DEFAULT_SEED,
    graph: nx.Graph | None = None,
    arrays: Arrays | None = None,
    backend: str = "fast",
) -> Report:
    """Build the coalition graph and run the whole metric suite on it.

    Parameters
    ----------
    coalition : graph.coalition.Coalition
        The tables (already cut to a date window, if any).
    weights, movements : optional
        As :func:`graph.projection.coalition_graph`: the weight of each tie
        kind, and the movements whose groups are kept.
    exact_max, samples, seed : int, optional
        Betweenness is exact up to ``exact_max`` groups and sampled from
        ``samples`` sources (seeded) above; ``seed`` also seeds Louvain.
    graph, arrays : optional
        The coalition graph already built (then ``weights`` and ``movements``
        are not used), and its conversion for the fast backend
        (:meth:`graph.projection.Ties.arrays`).
    backend : {"fast", "networkx"}, optional
        ``"networkx"`` runs the plain networkx reference implementations.
    """
    if graph is None:
        graph, arrays = coalition_graph_with_arrays(coalition, weights=weights, movements=movements)
    G = graph
    group_rows, info = metrics.group_metrics(
        G, exact_max=exact_max, samples=samples, seed=seed, backend=backend, arrays=arrays
    )
    groups = [group_rows[n] for n in sorted(group_rows)]
    primary = {n: d.get("primary_movement") for n, d in G.nodes(data=True)}
    member_groups = {
        m: {g for g in gs if g in primary} for m, gs in coalition.member_groups().items()
    }
    member_rows = metrics.member_metrics({m: gs for m, gs in member_groups.items() if gs}, primary)
    members = [member_rows[m] for m in sorted(member_rows)]
    affiliation = coalition.affiliations()
    matrix = metrics.movement_matrix(
        G,
        members=affiliation["members"],
        actions=affiliation["actions"],
        resources=affiliation["resources"],
        backend=backend,
        arrays=arrays,
    )
    communities = {row["group_id"]: row["community"] for row in groups}
    summary = dict(
        metrics.network_summary(
            G, seed=seed, communities=communities, backend=backend, arrays=arrays
        )
    )
    summary["betweenness_mode"] = info["mode"]
    summary["betweenness_samples"] = info["samples"]
    support = metrics.solidarity(coalition.participations, coalition.shares, primary)
    summary["show_up_events"] = support.counts[SHOW_UP]
    summary["resource_support_events"] = support.counts[RESOURCES]
    summary["solidarity_reciprocity"] = support.reciprocity
    summary["betweenness_seed"] = info.get("seed")
    summary["since"] = coalition.since
    summary["until"] = coalition.until
    return Report(
        G,
        groups,
        members,
        matrix,
        summary,
        flows=support.flows,
        pairs=support.pairs,
        solidarity=[support.groups[g] for g in sorted(support.groups)],
    )


#: Names that lived here before the packages were reshaped: ``from graph.report import
#: write_report`` keeps working (the files are written by :mod:`graph.output`).
_MOVED = {"write_report": "graph.output", "FORMATS": "graph.output"}


def __getattr__(name: str):
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
