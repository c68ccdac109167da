"""The same data gives the same numbers everywhere: ``coalition metrics`` and the brokers grid.

Both go through :func:`graph.report.compute_report` with the library's
defaults (the exact-betweenness threshold, the samples, the seed). The only
documented difference is the dashboard's small-count banding: with it off
(``suppress_below=2``: a count of 1 is all "<2" could hide) every figure
agrees; with the default threshold the metrics that ignore weights still do.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest

from dashboard.data import CoalitionData
from dashboard.views.brokers import BROKER_COLUMNS
from graph.metrics import GROUP_METRICS

from .dashboard.test_app import make_app, module
from .dashboard.util import warmed

pytestmark = pytest.mark.store

#: The metrics that count ties or hops, never their weights: banding cannot move them.
UNWEIGHTED = (
    "degree",
    "betweenness",
    "closeness",
    "ei_index",
    "brokerage_coordinator",
    "brokerage_consultant",
    "brokerage_representative",
    "brokerage_liaison",
)


@pytest.fixture(scope="module")
def cli_rows(sample_store, sample_config, tmp_path_factory) -> dict[str, dict]:
    out = tmp_path_factory.mktemp("metrics")
    env = {**os.environ, "COALITION_HOME": str(sample_config.home)}
    env.pop("NEO4J_URI", None)
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "--database", sample_config.database, "metrics"]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with open(out / "group_metrics.csv", newline="", encoding="utf-8") as fh:
        return {row["group_id"]: row for row in csv.DictReader(fh)}


def grid_rows(config, suppress_below: int) -> dict[str, dict]:
    # Computed before the page asks: on a busy machine a page would say "still computing".
    app = make_app(data=warmed(CoalitionData(config, suppress_below=suppress_below)))
    with app.server.test_request_context():
        rows, _note, _search = module("brokers").render(None, None)
    return {row["group_id"]: row for row in rows}


#: The digits the grid rounds each metric to for display.
DIGITS = {field: digits for field, _header, _numeric, digits, _help in BROKER_COLUMNS}


def same(metric: str, cli_value: str, grid_value) -> bool:
    """A CSV cell and a grid cell (rounded as the grid shows it) hold the same number."""
    if cli_value == "":
        return grid_value is None
    if grid_value in ("yes", "no"):
        return (cli_value == "true") == (grid_value == "yes")
    return round(float(cli_value), DIGITS[metric]) == pytest.approx(float(grid_value))


def test_without_banding_every_metric_agrees(cli_rows, sample_config):
    grid = grid_rows(sample_config, suppress_below=2)
    assert set(grid) == set(cli_rows) and len(grid) > 10
    for gid, row in cli_rows.items():
        for metric in GROUP_METRICS:
            assert same(metric, row[metric], grid[gid][metric]), (gid, metric, row[metric])


def test_with_the_default_banding_the_unweighted_metrics_agree(cli_rows, sample_config):
    grid = grid_rows(sample_config, suppress_below=5)
    for gid, row in cli_rows.items():
        for metric in UNWEIGHTED:
            assert same(metric, row[metric], grid[gid][metric]), (gid, metric, row[metric])
