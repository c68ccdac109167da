"""The whole metric suite over a coalition, and the files it is written to.

:func:`compute_report` runs every metric of DESIGN.md on a
:class:`~graph.coalition.Coalition`; :func:`write_report` writes the four
output files (``group_metrics``, ``member_metrics``, ``movement_matrix`` as
CSV, JSON or Parquet, and ``network_summary.json``).
"""

from __future__ import annotations

import csv
import json
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import networkx as nx

from graph import fast, metrics
from graph.coalition import Coalition, coalition_graph_with_arrays
from graph.errors import UsageError

__all__ = [
    "Report",
    "compute_report",
    "write_report",
    "GROUP_COLUMNS",
    "MEMBER_COLUMNS",
    "MATRIX_COLUMNS",
    "SUMMARY_KEYS",
    "FORMATS",
]

log = logging.getLogger(__name__)

GROUP_COLUMNS: tuple[str, ...] = (
    "group_id",
    "name",
    "primary_movement",
    "movements",
    "degree",
    "strength",
    "betweenness",
    "closeness",
    "pagerank",
    "eigenvector",
    "constraint",
    "effective_size",
    "participation",
    "ei_index",
    "brokerage_coordinator",
    "brokerage_consultant",
    "brokerage_representative",
    "brokerage_liaison",
    "community",
    "articulation_point",
)
MEMBER_COLUMNS: tuple[str, ...] = ("member_id", "groups", "movements", "bridging")
MATRIX_COLUMNS: tuple[str, ...] = (
    "movement_a",
    "movement_b",
    "shared_members",
    "joint_actions",
    "shared_resources",
    "ties",
)
SUMMARY_KEYS: tuple[str, ...] = (
    "groups",
    "ties",
    "density",
    "components",
    "movement_modularity",
    "louvain_modularity",
    "cross_movement_tie_share",
    "betweenness_mode",
    "betweenness_samples",
)
FORMATS = ("csv", "json", "parquet")


@dataclass
class Report:
    """Every metric of a coalition, as tables (lists of row dicts)."""

    graph: nx.Graph
    groups: list[dict]
    members: list[dict]
    matrix: list[dict]
    summary: dict


def compute_report(
    coalition: Coalition,
    *,
    weights: Mapping[str, float] | None = None,
    movements: list[str] | None = None,
    exact_max: int = metrics.EXACT_MAX,
    samples: int = metrics.DEFAULT_SAMPLES,
    seed: int = 42,
    graph: nx.Graph | None = None,
    backend: str = "fast",
) -> Report:
    """Build the coalition graph and run the whole metric suite on it.

    Betweenness is exact up to ``exact_max`` groups and sampled from
    ``samples`` sources (seeded) above; ``backend="networkx"`` runs the plain
    networkx reference implementations instead of the fast kernels.
    """
    if graph is not None:
        G, prebuilt = graph, ()
    else:
        G, arrays = coalition_graph_with_arrays(coalition, weights=weights, movements=movements)
        prebuilt = (arrays,)
    with fast.shared_arrays(G, *prebuilt):  # one conversion for the whole suite
        return _report(coalition, G, exact_max, samples, seed, backend)


def _report(coalition, G, exact_max, samples, seed, backend) -> Report:
    group_rows, info = metrics.group_metrics(
        G, exact_max=exact_max, samples=samples, seed=seed, backend=backend
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
    )
    communities = {row["group_id"]: row["community"] for row in groups}
    summary = dict(metrics.network_summary(G, seed=seed, communities=communities, backend=backend))
    summary["betweenness_mode"] = info["mode"]
    summary["betweenness_samples"] = info["samples"]
    summary["betweenness_seed"] = info.get("seed")
    summary["since"] = coalition.since
    summary["until"] = coalition.until
    return Report(G, groups, members, matrix, summary)


def write_report(
    report: Report, out: str | os.PathLike, *, fmt: str = "csv", members: bool = True
) -> list[Path]:
    """Write the output files into ``out``; return their paths."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = [
        _write_table(out / f"group_metrics.{fmt}", GROUP_COLUMNS, report.groups, fmt),
        _write_table(out / f"movement_matrix.{fmt}", MATRIX_COLUMNS, report.matrix, fmt),
    ]
    if members:
        written.append(
            _write_table(out / f"member_metrics.{fmt}", MEMBER_COLUMNS, report.members, fmt)
        )
    summary_path = out / "network_summary.json"
    summary_path.write_text(json.dumps(_clean(report.summary), indent=2) + "\n")
    written.append(summary_path)
    return written


def _clean(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _write_table(path: Path, columns: tuple[str, ...], rows: list[dict], fmt: str) -> Path:
    rows = [{c: _clean(r.get(c)) for c in columns} for r in rows]
    if fmt == "csv":
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _csv_cell(v) for k, v in row.items()})
    elif fmt == "json":
        path.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    else:
        import pandas as pd

        pd.DataFrame(rows, columns=list(columns)).to_parquet(path, index=False)
    return path


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value
