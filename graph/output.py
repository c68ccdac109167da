"""Writing reports: tables as CSV, JSON or Parquet, and the network summary as JSON."""

from __future__ import annotations

import csv
import json
import math
import os
from pathlib import Path

from graph.errors import UsageError
from graph.metrics import (
    FLOW_COLUMNS,
    GROUP_COLUMNS,
    GROUP_SOLIDARITY_COLUMNS,
    MEMBER_COLUMNS,
    MOVEMENT_MATRIX_COLUMNS,
    PAIR_COLUMNS,
)
from graph.report import Report

__all__ = ["write_report", "write_trends", "write_table", "FORMATS", "DEFAULT_FORMAT"]

#: The formats every table can be written in; JSON and Parquet carry the CSV's columns.
FORMATS: tuple[str, ...] = ("csv", "json", "parquet")
DEFAULT_FORMAT = "csv"


def write_report(
    report: Report, out: str | os.PathLike, *, fmt: str = DEFAULT_FORMAT, members: bool = False
) -> list[Path]:
    """Write the files of ``coalition metrics`` into ``out``; return their paths.

    ``group_metrics``, ``movement_matrix``, ``solidarity_flows``,
    ``solidarity_pairs``, ``group_solidarity`` in ``fmt``, and
    ``network_summary.json``. Per-person metrics (``member_metrics``, one row
    per member) are opt-in (``members=True``, ``coalition metrics --members``):
    nothing writes them by default (DESIGN.md, "Privacy").
    """
    out = Path(out)
    written = [
        write_table(out / "group_metrics", GROUP_COLUMNS, report.groups, fmt),
        write_table(out / "movement_matrix", MOVEMENT_MATRIX_COLUMNS, report.matrix, fmt),
        write_table(out / "solidarity_flows", FLOW_COLUMNS, report.flows, fmt),
        write_table(out / "solidarity_pairs", PAIR_COLUMNS, report.pairs, fmt),
        write_table(out / "group_solidarity", GROUP_SOLIDARITY_COLUMNS, report.solidarity, fmt),
    ]
    if members:
        written.append(write_table(out / "member_metrics", MEMBER_COLUMNS, report.members, fmt))
    out.mkdir(parents=True, exist_ok=True)
    summary_path = out / "network_summary.json"
    summary_path.write_text(json.dumps(_clean(report.summary), indent=2) + "\n")
    written.append(summary_path)
    return written


def write_trends(trends, out: str | os.PathLike, *, fmt: str = DEFAULT_FORMAT) -> list[Path]:
    """Write the four files of ``coalition trends`` into ``out``; return their paths.

    ``trends_summary``, ``trends_movement_pairs``, ``trends_groups`` and
    ``tie_changes`` in ``fmt``, from a :class:`graph.metrics.trends.Trends`.
    """
    from graph.metrics import trends as t

    out = Path(out)
    return [
        write_table(out / "trends_summary", t.TRENDS_SUMMARY_COLUMNS, trends.summary, fmt),
        write_table(
            out / "trends_movement_pairs", t.TRENDS_PAIR_COLUMNS, trends.movement_pairs, fmt
        ),
        write_table(out / "trends_groups", t.TRENDS_GROUP_COLUMNS, trends.groups, fmt),
        write_table(out / "tie_changes", t.TIE_CHANGE_COLUMNS, trends.changes, fmt),
    ]


def _clean(value):
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def write_table(
    stem: str | os.PathLike, columns: tuple[str, ...], rows: list[dict], fmt: str = DEFAULT_FORMAT
) -> Path:
    """Write ``rows`` (only ``columns``, in that order) to ``stem.fmt``; return the path.

    An undefined value (None, NaN) is an empty CSV cell and a JSON/Parquet null;
    booleans are ``true``/``false`` in CSV.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> path = write_table(folder / "t", ("a", "b"), [{"a": 1, "b": None, "c": True}])
    >>> path.name, path.read_text().splitlines()
    ('t.csv', ['a,b', '1,'])
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    path = Path(f"{os.fspath(stem)}.{fmt}")
    path.parent.mkdir(parents=True, exist_ok=True)
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
