"""Trends benchmark: the coalition measured period by period, on the 10,000-group dataset.

Reproduce with::

    .venv/bin/python benchmarks/bench_trends.py            # full size (10,000 groups)
    .venv/bin/python benchmarks/bench_trends.py --quick    # 1,000 groups, a smoke run

It uses the datasets of ``benchmarks/bench_metrics.py`` (generated with
``loaders.generate.generate(groups=G, members=M, seed=7)``, kept in
``--workdir``, default ``/tmp/coalition-bench-metrics``, loaded into its
embedded store beforehand, not timed) and runs, each case in a fresh process
(so that peak memory is its own):

1. yearly: reading the coalition from the embedded store and
   ``graph.metrics.trends.trends(every="year")`` over the whole span;
   target: at most 60 s in all;
2. monthly (more than 100 periods): the same with ``every="month"`` over the
   last ten years (``--monthly-since``, default 2016-01-01: 120 periods);
   target: at most 5 minutes in all;
3. monthly over the whole span (372 periods), reported, not judged (the
   issue's target is for more than 100 periods); ``--no-whole-monthly``
   leaves it out of a short run;
4. the baseline, measured in the same run: the looped way, the whole suite
   (``graph.report.compute_report``) of each window, on the last
   ``--baseline-periods`` yearly periods, against ``trends`` on the same
   periods (the ratio is printed; no target).

Peak memory is the case process's maximum resident set size plus the peak
each worker process reports (``VmHWM``); target under 2 GB. The CPU seconds
``trends`` took (its process and the workers) are printed beside its time: on a
busy machine the wall time grows with the other processes, the CPU time much
less, and on two quiet CPUs the wall time is at least half of it.
``--cases month-since`` (say) runs one case again. Results are
printed as Markdown (the lead copies them into ``docs/benchmarks.md``).
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_metrics import cli, database_of, prepare, read_coalition_from  # noqa: E402

COMMAND = ".venv/bin/python benchmarks/bench_trends.py"
DATASET = {"g10k": (10_000, 100_000)}
QUICK_DATASET = {"g10k": (1_000, 10_000)}
TARGETS = {"year_seconds": 60.0, "month_seconds": 300.0, "month_periods": 100, "rss_mb": 2048.0}
#: The monthly case that is judged: the last ten years of the dataset (120 periods).
MONTHLY_SINCE = "2016-01-01"


def _cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended (the workers)."""
    own, children = (
        resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _WorkerPeaks(logging.Handler):
    """The peak memory each worker process reports (``VmHWM``), from the DEBUG log."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.peaks: list[float] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("trends: worker peak memory"):
            self.peaks.extend(record.args[0])


def case(*args: str) -> dict:
    """Run one case in a fresh process; return what it printed (JSON)."""
    result = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"case {args} failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def run_case(args) -> dict:
    """One case in this process: read, then trends (or the looped baseline)."""
    from graph.coalition import periods
    from graph.metrics.trends import trends
    from graph.report import compute_report

    workers = _WorkerPeaks()
    log = logging.getLogger("graph.metrics.trends")
    log.setLevel(logging.DEBUG)
    log.addHandler(workers)
    started = time.perf_counter()
    coalition, source = read_coalition_from(args)
    read = time.perf_counter() - started
    first, last = coalition.span()
    if args.case == "baseline":
        spans = periods(first, last, "year")[-args.baseline_periods :]
        since, until = spans[0][0], spans[-1][1]
        t = time.perf_counter()
        looped = [compute_report(coalition.window(s, e)) for s, e in spans]
        looped_s = time.perf_counter() - t
        t = time.perf_counter()
        ours = trends(coalition, every="year", since=since, until=until)
        ours_s = time.perf_counter() - t
        assert [r["ties"] for r in ours.summary] == [r.summary["ties"] for r in looped]
        return {
            "periods": len(spans),
            "span": [since, until],
            "looped": looped_s,
            "trends": ours_s,
            "ratio": looped_s / ours_s,
        }
    every, since = args.case, None
    if args.case == "month-since":
        every, since = "month", args.monthly_since
    t, cpu = time.perf_counter(), _cpu_s()
    result = trends(coalition, every=every, since=since)
    measured = time.perf_counter() - t
    cpu = _cpu_s() - cpu  # the workers have ended: trends shuts its pool down
    return {
        "source": source,
        "groups": len(coalition.groups),
        "span": [since or first, last],
        "periods": len(result.periods),
        "ties_max": max(r["ties"] for r in result.summary),
        "changes": len(result.changes),
        "mode": result.betweenness_mode,
        "read": read,
        "trends": measured,
        "total": read + measured,
        "cpu_s": cpu,
        "rss_mb": _peak_mb(),
        # each worker's peak over the run: the workers live as long as the run
        "worker_peaks_mb": [max(workers.peaks)] * (os.cpu_count() or 1) if workers.peaks else [],
    }


def _line(r: dict) -> str:
    """One case's result as it comes in, for the progress on stderr."""
    if "looped" in r:
        return f"looped {r['looped']:.1f} s, trends {r['trends']:.1f} s"
    return (
        f"{r['periods']} periods, read {r['read']:.1f} s + trends {r['trends']:.1f} s "
        f"(CPU {r['cpu_s']:.0f} s); load {os.getloadavg()[0]:.1f}"
    )


def markdown(results: dict, quick: bool) -> str:
    year, month, base = results["year"], results["month-since"], results["baseline"]
    whole = results.get("month")

    def memory(r: dict) -> float:
        return r["rss_mb"] + sum(r["worker_peaks_mb"] or [])

    def verdict(ok: bool) -> str:
        return "yes" if ok else "**no**"

    lines = [
        "## Trends",
        "",
        f"Reproduce with `{COMMAND}{' --quick' if quick else ''}`. Dataset: "
        f"{year['groups']:,} groups (`generate(..., seed=7)`), dates {year['span'][0]} to "
        f"{year['span'][1]}, read from the {year['source']}; betweenness {year['mode']}. "
        f"{os.cpu_count()} CPUs; load average at the end {os.getloadavg()[0]:.1f}.",
        "",
        "| case | periods | most ties in a period | read | trends | total | trends CPU "
        "(main + workers) | peak memory (main + workers) | target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|---|",
    ]
    cases = [
        (
            f"yearly, {year['span'][0]} to {year['span'][1]}",
            year,
            f"total ≤ {TARGETS['year_seconds']:.0f} s",
            year["total"] <= TARGETS["year_seconds"],
        ),
        (
            f"monthly, {month['span'][0]} to {month['span'][1]}",
            month,
            f"total ≤ {TARGETS['month_seconds']:.0f} s, > {TARGETS['month_periods']} periods",
            month["total"] <= TARGETS["month_seconds"]
            and month["periods"] > TARGETS["month_periods"],
        ),
    ]
    if whole is not None:  # reported, not judged
        cases.append(
            (f"monthly, {whole['span'][0]} to {whole['span'][1]}", whole, "none (reported)", None)
        )
    for label, r, target, ok in cases:
        lines.append(
            f"| {label} | {r['periods']:,} | {r['ties_max']:,} | {r['read']:.1f} s | "
            f"{r['trends']:.1f} s | {r['total']:.1f} s | {r['cpu_s']:.0f} s | {memory(r):,.0f} MB "
            f"(target < {TARGETS['rss_mb']:,.0f} MB: {verdict(memory(r) < TARGETS['rss_mb'])}) "
            f"| {target} | {'-' if ok is None else verdict(ok)} |"
        )
    lines += [
        "",
        f"Baseline, same run: the whole suite of each window (`compute_report(c.window(...))`) "
        f"on the last {base['periods']} yearly periods ({base['span'][0]} to {base['span'][1]}) "
        f"took {base['looped']:.1f} s; `trends` on the same periods {base['trends']:.1f} s: "
        f"**{base['ratio']:.1f}×**.",
    ]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="1,000 groups, a smoke run.")
    parser.add_argument("--csv", action="store_true", help="Read the CSV files, not the store.")
    parser.add_argument("--workdir", default="/tmp/coalition-bench-metrics")
    parser.add_argument("--baseline-periods", type=int, default=3)
    parser.add_argument(
        "--monthly-since",
        default=MONTHLY_SINCE,
        help=f"First day of the judged monthly case (default {MONTHLY_SINCE}: 120 periods).",
    )
    parser.add_argument(
        "--no-whole-monthly",
        dest="whole_monthly",
        action="store_false",
        help="Leave out the monthly case over the whole span (reported, not judged).",
    )
    parser.add_argument(
        "--cases",
        help="Run only these cases (comma-separated: year, month-since, month, baseline), "
        "e.g. to measure one again; prints their lines only.",
    )
    parser.add_argument(
        "--case", choices=["year", "month-since", "month", "baseline"], help=argparse.SUPPRESS
    )
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--source", default="csv", help=argparse.SUPPRESS)
    parser.add_argument("--home", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.case:
        print(json.dumps(run_case(options)))
        return
    workdir = Path(options.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    use_store = not options.csv
    folder = prepare(workdir, QUICK_DATASET if options.quick else DATASET, use_store)["g10k"]
    args = ["--data", str(folder), "--baseline-periods", str(options.baseline_periods)]
    args += ["--monthly-since", options.monthly_since]
    if use_store:
        args += ["--source", "store", "--home", str(workdir / "home")]
        args += ["--database", database_of(folder)]
    print(
        f"targets: yearly over the whole span ≤ {TARGETS['year_seconds']:.0f} s including the "
        f"read; monthly from {options.monthly_since} (> {TARGETS['month_periods']} periods) "
        f"≤ {TARGETS['month_seconds']:.0f} s including the read; peak memory "
        f"< {TARGETS['rss_mb']:,.0f} MB; monthly over the whole span reported, not judged",
        file=sys.stderr,
    )
    results = {}
    try:
        names = ["year", "month-since", "baseline"]
        if options.whole_monthly:
            names.insert(2, "month")
        if options.cases:
            names = [n for n in names if n in options.cases.split(",")]
        for name in names:
            print(f"running {name}", file=sys.stderr)
            results[name] = case("--case", name, *args)
            print(f"  {name}: {_line(results[name])}", file=sys.stderr)
    finally:
        if use_store:
            cli("store", "stop", home=workdir / "home")
    if set(results) >= {"year", "month-since", "baseline"}:
        print(markdown(results, options.quick))
    else:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
