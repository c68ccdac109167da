"""Export benchmark: ``coalition export`` of the 10,000-group dataset, to a folder and a workbook.

Reproduce with::

    .venv/bin/python benchmarks/bench_export.py            # 10,000 groups (a few minutes)
    .venv/bin/python benchmarks/bench_export.py --quick    # 1,000 groups, a smoke run

It generates the 10,000-group dataset (``loaders.generate.generate(groups=10000,
members=100000, seed=7)``: 250,000 memberships), loads it into an embedded store
of its own (a temporary ``COALITION_HOME``, started before and stopped after) and,
in the same run, times as separate processes, each with its peak memory (max RSS):

1. the baseline: ``coalition load DIR`` into an empty database;
2. ``coalition export OUT`` (a folder with ``datapackage.json``);
3. ``coalition export OUT.xlsx`` (a workbook);
4. ``coalition export-graph OUT.gexf`` (the graph with every group metric).

Each export is checked (the folder validates and holds every generated row; the
workbook has every sheet) before its time counts. Targets, as ratios to a
baseline of the same run:

- a folder export at most 35 % of the load (it reads every record once and
  writes plain CSV; a process's start-up is a fixed part of it);
- a workbook at most 300 % of the load: openpyxl's write-only writer, about
  40,000 cells/s on this machine, bounds it (the 10,000-group dataset is about
  2.2 million cells);
- export-graph at most 200 % of ``coalition metrics`` for the same window (it
  runs the same metric suite, then writes every one of about 427,000 ties).

The targets were set from quick runs scaled to the full size; a full run on a
quiet machine confirms them. Prints a Markdown table; exit status 1 if a target
is missed at full size (``--quick`` only checks that everything runs).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.dataset import validate_dataset  # noqa: E402
from loaders.generate import generate  # noqa: E402
from loaders.spec import FILES  # noqa: E402

#: Targets: each measure's time at most this share of its baseline's, in the same run.
TARGETS = {"folder": 0.35, "workbook": 3.0, "graph": 2.0}
DATABASE = "bench_export"


def timed(home: Path, *args: str) -> tuple[float, float]:
    """Wall time (s) and peak memory (max RSS, MB) of one ``coalition`` command's process."""
    env = {**os.environ, "COALITION_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "-m", "cli.main", "--database", DATABASE, *args]
    start = time.perf_counter()
    process = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, cmd)
    return wall, usage.ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 groups, a smoke run")
    args = parser.parse_args()
    size = (
        {"groups": 1000, "members": 10_000}
        if args.quick
        else {
            "groups": 10_000,
            "members": 100_000,
        }
    )
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data, home = tmp / "data", tmp / "home"
        counts = generate(data, seed=7, **size)
        try:
            timed(home, "store", "start")  # the server's start-up is not part of any measure
            load, load_rss = timed(home, "load", str(data))
            folder, folder_rss = timed(home, "export", str(tmp / "out"))
            rows = validate_dataset(tmp / "out").rows
            assert rows == {name: counts.get(name, 0) for name in FILES}, (rows, counts)
            book, book_rss = timed(home, "export", str(tmp / "out.xlsx"))
            from openpyxl import load_workbook

            sheets = load_workbook(tmp / "out.xlsx", read_only=True).sheetnames
            assert sheets == list(FILES), sheets
            metrics, _ = timed(home, "metrics", "--out", str(tmp / "metrics"))
            graph, graph_rss = timed(home, "export-graph", str(tmp / "out.gexf"))
        finally:
            subprocess.run(
                [sys.executable, "-m", "cli.main", "store", "stop"],
                env={**os.environ, "COALITION_HOME": str(home)},
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
    measured = {
        "folder": (folder, load, "load"),
        "workbook": (book, load, "load"),
        "graph": (graph, metrics, "metrics"),
    }
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print(f"dataset: {counts}")
    print()
    print("| measure | time | peak memory | ratio to baseline | target |")
    print("|---|---|---|---|---|")
    print(f"| baseline: `coalition load` (empty database) | {load:.1f} s | {load_rss:.0f} MB | | |")
    print(f"| baseline: `coalition metrics` | {metrics:.1f} s | | | |")
    names = {
        "folder": ("`coalition export DIR`", folder_rss),
        "workbook": ("`coalition export FILE.xlsx`", book_rss),
        "graph": ("`coalition export-graph FILE.gexf`", graph_rss),
    }
    missed = []
    for key, (seconds, base, base_name) in measured.items():
        ratio = seconds / base
        ok = ratio <= TARGETS[key]
        if not ok:
            missed.append(key)
        verdict = "(full size only)" if args.quick else ("✓" if ok else "✗ missed")
        label, rss = names[key]
        print(
            f"| {label} | {seconds:.1f} s | {rss:.0f} MB | {ratio:.0%} of {base_name} "
            f"| ≤ {TARGETS[key]:.0%} {verdict} |"
        )
    if args.quick:
        print()
        print(
            "Quick mode is a smoke run: at 1,000 groups a process's start-up (imports, "
            "connecting) is most of an export, so the targets are judged at full size only."
        )
        return 0
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
