"""Solidarity clicks: what the server does when a cell of the from × to matrix is clicked.

Reproduce with::

    .venv/bin/python benchmarks/bench_solidarity.py                 # 10,000 groups
    .venv/bin/python benchmarks/bench_solidarity.py --sample-only   # smoke run

It loads the 10,000-group dataset as ``bench_dashboard.py`` does (its
``prepare``, into an embedded store of its own: ``--home``, a temporary
``COALITION_HOME`` by default), builds the dashboard over it, and clicks
every cell of the solidarity matrix once, each the first click on that cell
(nothing kept from before): the page's callback runs in a request as Dash
calls it, and its answer is encoded as Dash encodes it. The baseline,
measured in the same run and interleaved cell by cell, is the same answer
with its figure and items made from scratch, as the page made them before:
every event of the window scanned for the flow, the figure made anew for its
outline (its tables are kept per window in both).

Times are CPU seconds of this process (the machine is shared). Targets
(issue 11: interactions under 1 s): the slowest click under 1 s, and the
median click at most half the baseline's.
"""

from __future__ import annotations

import argparse
import itertools
import logging
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_dashboard import bench_home, percentile, prepare  # noqa: E402

COMMAND = ".venv/bin/python benchmarks/bench_solidarity.py"
SLOWEST_TARGET = 1.0
RATIO_TARGET = 0.5

log = logging.getLogger("bench_solidarity")


def from_scratch(snap, a: str, b: str, answer: tuple) -> str:
    """``answer`` (the page's) with its figure and items made as the page made them before,
    encoded: the other outputs (tables, headline) are the page's, kept per window in both."""
    from plotly.io.json import to_json_plotly

    from dashboard.model.solidarity import flow_items
    from dashboard.views.solidarity import flow_figure, flow_items_block

    solidarity, names = snap.solidarity, snap.movement_names
    figure = flow_figure(solidarity.flows, names, selected=(a, b))
    items = flow_items_block(
        flow_items(solidarity, snap.coalition, a, b),
        a,
        b,
        movement_names=names,
        group_names=snap.group_names,
    )
    return to_json_plotly([figure, *answer[1:6], items, *answer[7:]])


def measure(config) -> dict[str, list[float]]:
    """CPU seconds of each click, the page's and the baseline's, cell by cell."""
    from plotly.io.json import to_json_plotly

    from dashboard.app import create_app
    from dashboard.data import DATA_KEY
    from dashboard.views.movements import axis_labels

    app = create_app(config)
    source = app.server.config[DATA_KEY]
    page = sys.modules["dashboard.pages.solidarity"]
    times: dict[str, list[float]] = {"page": [], "baseline": []}
    try:
        snap = source.snapshot()
        names = snap.movement_names
        ids = sorted(names)
        labels = dict(zip(ids, axis_labels(ids, names), strict=True))
        with app.server.test_request_context():
            page.render([], None, None)  # the page as first shown: its tables
            for a, b in itertools.product(ids, repeat=2):
                click = {"points": [{"y": labels[a], "x": labels[b]}]}
                start = time.process_time()
                answer = page.render([], None, None, click)
                to_json_plotly(list(answer))
                times["page"].append(time.process_time() - start)
                start = time.process_time()
                from_scratch(snap, a, b, answer)
                times["baseline"].append(time.process_time() - start)
        log.info("%d cells of %d movements", len(times["page"]), len(ids))
    finally:
        source.close()
    return times


def markdown(times: dict[str, list[float]], dataset: str, sample_only: bool) -> str:
    page, baseline = times["page"], times["baseline"]
    ratio = statistics.median(page) / statistics.median(baseline)
    met = max(page) < SLOWEST_TARGET and ratio <= RATIO_TARGET
    lines = [
        "## Solidarity clicks",
        "",
        f"Measured {time.strftime('%Y-%m-%d')}; {os.cpu_count()} CPUs, shared. Reproduce with "
        f"`{COMMAND}{' --sample-only' if sample_only else ''}`.",
        "",
        f"Every cell of the solidarity matrix clicked once ({dataset}), CPU seconds of the "
        "page's callback with its answer encoded; the baseline makes the figure and the "
        "items from scratch (the page before), same run, interleaved. Targets: the slowest "
        f"click under {SLOWEST_TARGET:g} s, the median at most {RATIO_TARGET:g}× the baseline's.",
        "",
        "| | clicks | median | p95 | slowest |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in (("page", page), ("from scratch (baseline)", baseline)):
        lines.append(
            f"| {name} | {len(values)} | {statistics.median(values) * 1000:.1f} ms | "
            f"{percentile(values, 0.95) * 1000:.1f} ms | {max(values) * 1000:.1f} ms |"
        )
    lines += [
        "",
        f"- Median click {ratio:.2f}× the baseline's. Targets: {'met' if met else 'NOT met'}.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--home", help="COALITION_HOME to use (kept); a temporary one if not.")
    parser.add_argument("--sample-only", action="store_true", help="The sample dataset only.")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    with bench_home(options.home, "solidarity") as home:
        configs = prepare(home, options.groups, options.members, options.seed, options.sample_only)
        dataset, config = list(configs.items())[-1]
        print(markdown(measure(config), dataset, options.sample_only))
        return 0


if __name__ == "__main__":
    sys.exit(main())
