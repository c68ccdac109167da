"""The benchmarks on this tree against another revision, measured in the same run.

Usage::

    .venv/bin/python benchmarks/against.py --base 07f8ee8                 # load, metrics, dashboard
    .venv/bin/python benchmarks/against.py --base 07f8ee8 metrics --rounds 2
    .venv/bin/python benchmarks/against.py --base 07f8ee8 --quick --no-docs   # a smoke run

A refactoring must not make the product slower. This checks it the only fair
way on a shared machine: the base revision is checked out beside this tree (a
temporary ``git worktree``), and each benchmark runs on both, one after the
other, with the same Python, the same sizes and the same seeds; with several
rounds the order alternates, so a change in the machine's load falls on both.
Each run is the benchmark's own script from its own tree (``bench_load.py``,
``bench_metrics.py``, ``bench_dashboard.py``), as a separate process.

The figures compared: the load's wall time and peak memory (1,000,000
memberships), the metric suite's total time at 10,000 groups (exact) and
50,000 groups (sampled) with its peak memory, and the dashboard's first
render and interaction medians per page at 10,000 groups. The ratio is this
tree over the base (< 1 is faster); the median over the rounds is reported.
The section "## Against the base revision" of ``docs/benchmarks.md`` is
replaced by the result unless ``--no-docs``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOCS = ROOT / "docs" / "benchmarks.md"
SECTION = "## Against the base revision"
#: A figure's ratio (this tree / base) above this is a slowdown to report.
LIMIT = 1.10

Figures = dict[str, float]


@dataclass(frozen=True)
class Bench:
    script: str
    args: Callable[[Path, bool], list[str]]
    figures: Callable[[str, Path], Figures]


def _load_figures(output: str, _work: Path) -> Figures:
    wall = re.search(r"\| validate \+ load [^|]*\| ([\d.]+) s \|", output)
    rss = re.search(r"\| loader peak memory \(max RSS\) \| ([\d,]+) MB \|", output)
    if not wall or not rss:
        raise RuntimeError("the load benchmark printed no results table")
    return {
        "load: validate + load, s": float(wall.group(1)),
        "load: peak memory, MB": float(rss.group(1).replace(",", "")),
    }


def _metrics_figures(_output: str, work: Path) -> Figures:
    results = json.loads((work / "results.json").read_text())
    figures: Figures = {}
    for key, label in (("g10k", "10k exact"), ("g50k", "50k sampled")):
        case = results.get(key)
        if not case:
            continue
        figures[f"metrics {label}: read + graph + suite, s"] = case["total_s"]
        figures[f"metrics {label}: suite, s"] = case["suite_s"]
        figures[f"metrics {label}: peak memory, MB"] = case["rss_mb"] + sum(
            case.get("workers_rss_mb") or []
        )
    return figures


_DASHBOARD_ROW = re.compile(
    r"^\| (?P<dataset>[^|]+) \| (?P<page>[^|]+) \| (?P<first>[\d.]+ s)? ?\|[^|]*\|[^|]*\| "
    r"(?P<n>\d+)? ?\| (?P<median>[\d.]+ s)? ?\|",
    re.M,
)


def _dashboard_figures(output: str, _work: Path) -> Figures:
    figures: Figures = {}
    for row in _DASHBOARD_ROW.finditer(output):
        dataset, page = row["dataset"].strip(), row["page"].strip()
        if dataset == "dataset":
            continue
        if row["first"]:
            figures[f"dashboard {dataset}, {page}: first render, s"] = float(row["first"][:-2])
        if row["median"]:
            figures[f"dashboard {dataset}, {page}: interaction median, s"] = float(
                row["median"][:-2]
            )
    if not figures:
        raise RuntimeError("the dashboard benchmark printed no results table")
    return figures


BENCHES: dict[str, Bench] = {
    "load": Bench("bench_load.py", lambda work, quick: ["--small"] if quick else [], _load_figures),
    "metrics": Bench(
        "bench_metrics.py",
        lambda work, quick: [
            "--workdir",
            str(work),
            "--no-write",
            "--skip-accuracy",
            *(["--quick"] if quick else []),
        ],
        _metrics_figures,
    ),
    "dashboard": Bench(
        "bench_dashboard.py",
        lambda work, quick: (
            ["--home", str(work / "home"), "--reps", "3"]
            + (["--sample-only", "--reps", "1", "--skip-interactions"] if quick else [])
        ),
        _dashboard_figures,
    ),
}


def run_one(tree: Path, name: str, work: Path, quick: bool, log: Path) -> Figures:
    """One benchmark on one tree: its own script, run from that tree's root."""
    bench = BENCHES[name]
    cmd = [sys.executable, str(tree / "benchmarks" / bench.script), *bench.args(work, quick)]
    env = {**os.environ, "PYTHONPATH": str(tree)}
    env.pop("NEO4J_URI", None)
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True, check=False)
    log.write_text(f"$ {' '.join(cmd)}\n{done.stdout}\n--- stderr ---\n{done.stderr}")
    if done.returncode != 0:
        raise RuntimeError(f"{name} on {tree} failed (exit {done.returncode}); see {log}")
    print(f"  {name} on {tree.name}: {time.perf_counter() - start:.0f} s", flush=True)
    return bench.figures(done.stdout, work)


def compare(base: str, names: list[str], rounds: int, quick: bool, logs: Path) -> dict:
    logs.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="coalition-against-"))
    base_tree = scratch / "base"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base_tree), base],
        check=True,
        capture_output=True,
    )
    trees = {"base": base_tree, "this": ROOT}
    runs: dict[str, dict[str, list[Figures]]] = {n: {"base": [], "this": []} for n in names}
    try:
        for r in range(rounds):
            order = ("base", "this") if r % 2 == 0 else ("this", "base")
            for name in names:
                for which in order:
                    work = scratch / f"{name}-{which}"  # each tree's data, reused across rounds
                    log = logs / f"{name}-{which}-{r + 1}.log"
                    runs[name][which].append(run_one(trees[which], name, work, quick, log))
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base_tree)],
            check=False,
            capture_output=True,
        )
        shutil.rmtree(scratch, ignore_errors=True)
    return runs


def summarise(runs: dict) -> list[tuple[str, float, float, float]]:
    """(figure, base median, this median, ratio) for every figure both trees report."""
    rows = []
    for per_tree in runs.values():
        keys = [k for k in per_tree["base"][0] if all(k in f for f in per_tree["this"])]
        for key in keys:
            base = statistics.median(f[key] for f in per_tree["base"])
            this = statistics.median(f[key] for f in per_tree["this"])
            rows.append((key, base, this, this / base if base else float("nan")))
    return rows


def markdown(base: str, rows: list, rounds: int, command: str) -> str:
    head = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    slower = [r for r in rows if r[3] > LIMIT]
    lines = [
        SECTION,
        "",
        f"Measured {time.strftime('%Y-%m-%d')}: this tree ({head}) against `{base}`, each "
        f"benchmark on both in the same run, {rounds} round(s), the order alternating "
        f"(load average at the end: {load}). Reproduce with:",
        "",
        "```",
        command,
        "```",
        "",
        "| figure | base | this tree | this / base |",
        "|---|---:|---:|---:|",
    ]
    for key, base_value, this_value, ratio in rows:
        mark = f"**{ratio:.2f}**" if ratio > LIMIT else f"{ratio:.2f}"
        lines.append(f"| {key} | {base_value:,.2f} | {this_value:,.2f} | {mark} |")
    ratios = [r[3] for r in rows if r[3] == r[3]]
    lines += [
        "",
        f"Geometric mean of the ratios: {statistics.geometric_mean(ratios):.2f}. "
        + (
            f"{len(slower)} figure(s) more than {LIMIT - 1:.0%} slower (in bold)."
            if slower
            else f"No figure more than {LIMIT - 1:.0%} slower."
        ),
        "",
    ]
    return "\n".join(lines)


def write_section(text: str) -> None:
    """Replace the section in docs/benchmarks.md (or add it at the end)."""
    existing = DOCS.read_text(encoding="utf-8")
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.M | re.S)
    if pattern.search(existing):
        updated = pattern.sub(lambda _m: text + "\n", existing)
    else:
        updated = existing.rstrip("\n") + "\n\n" + text
    DOCS.write_text(updated, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", choices=[[], *BENCHES], help="benchmarks to run")
    parser.add_argument("--base", required=True, help="the revision to compare with")
    parser.add_argument("--rounds", type=int, default=1, help="runs of each on each tree")
    parser.add_argument("--quick", action="store_true", help="each benchmark's smoke mode")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/benchmarks.md")
    parser.add_argument("--logs", type=Path, default=Path("/tmp/coalition-against-logs"))
    options = parser.parse_args(argv)
    names = options.names or list(BENCHES)
    runs = compare(options.base, names, options.rounds, options.quick, options.logs)
    rows = summarise(runs)
    command = " ".join(
        [".venv/bin/python benchmarks/against.py", "--base", options.base, *names]
        + (["--rounds", str(options.rounds)] if options.rounds != 1 else [])
    )
    text = markdown(options.base, rows, options.rounds, command)
    print(text)
    if not options.no_docs and not options.quick:
        write_section(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
