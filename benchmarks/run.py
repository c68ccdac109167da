"""Run the benchmarks: every one under ``benchmarks/``, or those named.

Usage::

    .venv/bin/python benchmarks/run.py --list              # what there is
    .venv/bin/python benchmarks/run.py                     # all, full size (about half an hour)
    .venv/bin/python benchmarks/run.py load metrics        # only these
    .venv/bin/python benchmarks/run.py --quick             # each one's small smoke mode
    .venv/bin/python benchmarks/run.py --dry-run --quick   # print the commands only
    .venv/bin/python benchmarks/run.py plotly --extra plotly="--points 2000"

Each benchmark runs as its own process (``make bench`` runs them all), one at a
time: they share the machine's cores and measure time and memory. Its output
is shown as it comes and kept in ``--logs`` (one ``NAME.log`` each).

A full run writes the results into ``docs/benchmarks.md``: the metrics
benchmark replaces its own "## Metrics" section, the dashboard's output
replaces "## Dashboard", the load benchmark's "## Load held", and the loading
table and date under "## Loading" are replaced by the new ones (the prose
around them is kept). A ``--quick`` run writes nothing there (``--docs`` to
force, ``--no-docs`` to never write).
Exit status: 0 if every benchmark ran and passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOCS = ROOT / "docs" / "benchmarks.md"


def _plotly_bundle() -> list[str]:
    """The dashboard's vendored plotly.js bundle (the newest, if several)."""
    bundles = sorted((ROOT / "dashboard" / "assets" / "vendor").glob("plotly-*.min.js"))
    return [str(bundles[-1])] if bundles else []


@dataclass(frozen=True)
class Benchmark:
    """One benchmark script and how to run it."""

    script: str
    what: str
    #: How long a full run takes here, for ``--list``.
    takes: str
    #: Arguments of its small smoke mode.
    quick: tuple[str, ...] = ()
    #: Arguments it always needs (computed when it runs).
    needs: Callable[[], list[str]] = field(default=lambda: [])
    #: How its results reach docs/benchmarks.md: "self" (it writes its section),
    #: "section" (its output is the section) or "table" (its table goes in the section).
    docs: str | None = None
    section: str | None = None
    #: Arguments that keep it from writing the docs itself.
    no_docs: tuple[str, ...] = ()


BENCHMARKS: dict[str, Benchmark] = {
    "load": Benchmark(
        "bench_load.py",
        "validate + load 1,000,000 memberships; batched loader against one MERGE per row",
        "about 2 minutes",
        quick=("--small",),
        docs="table",
        section="## Loading",
    ),
    "metrics": Benchmark(
        "bench_metrics.py",
        "the metric suite: fast backend against networkx, 10k groups exact, 50k sampled",
        "about 15 minutes",
        quick=("--quick",),
        docs="self",
        section="## Metrics",
        no_docs=("--no-write",),
    ),
    "dashboard": Benchmark(
        "bench_dashboard.py",
        "every page's first render and interactions in Chromium, 10k groups and the sample",
        "about 10 minutes",
        quick=("--sample-only", "--reps", "1", "--skip-interactions"),
        docs="section",
        section="## Dashboard",
    ),
    "loadheld": Benchmark(
        "bench_load_held.py",
        "20 users replaying real page visits for 60 s, production server and the development "
        "server's baseline, 10k groups (targets: 0 errors, p95 < 1 s, >= 94 requests/s)",
        "about 6 minutes",
        quick=("--sample-only", "--duration", "5"),
        docs="section",
        section="## Load held",
    ),
    "solidarity": Benchmark(
        "bench_solidarity.py",
        "a click on each cell of the solidarity matrix at 10k groups, against the answer made "
        "from scratch (targets: slowest < 1 s, median <= half the baseline's)",
        "about 2 minutes",
        quick=("--sample-only",),
        docs="section",
        section="## Solidarity clicks",
    ),
    "workbook": Benchmark(
        "bench_workbook.py",
        "the workbook reader: python-calamine against openpyxl read-only, workbook against CSV",
        "about 3 minutes",
        quick=("--quick",),
        docs="section",
        section="## Workbooks",
    ),
    "export": Benchmark(
        "bench_export.py",
        "coalition export (folder, workbook) and export-graph of 10k groups, against load/metrics",
        "about 5 minutes",
        quick=("--quick",),
        docs="section",
        section="## Exports",
    ),
    "trends": Benchmark(
        "bench_trends.py",
        "coalition trends on 10k groups: yearly (target 60 s), monthly from 2016 (5 min), < 2 GB",
        "about 10 minutes",
        quick=("--quick",),
        docs="section",
        section="## Trends",
    ),
    "bridges": Benchmark(
        "bench_bridges.py",
        "coalition bridges (target 15 s) and brief (60 s) at 10k groups; introductions backends",
        "a few minutes (loading the dataset once)",
        quick=("--quick",),
        docs="section",
        section="## Bridges",
    ),
    "plotly": Benchmark(
        "plotly_bundle_check.py",
        "the vendored plotly.js bundle under a strict CSP in Chromium: checks and plot times",
        "about a minute",
        quick=("--points", "2000", "--runs", "1"),
        needs=_plotly_bundle,
    ),
    "read": Benchmark(
        "bench_read.py",
        "the 50,000-group coalition's tables read in pages against one record per table",
        "about 10 minutes",
        quick=("--quick",),
        docs="section",
        section="## Reading the store",
    ),
}


def command(name: str, *, quick: bool, docs: bool, extra: list[str]) -> list[str]:
    """The command line that runs benchmark ``name``.

    >>> command("load", quick=True, docs=False, extra=[])[1:]
    ['benchmarks/bench_load.py', '--small']
    >>> command("metrics", quick=False, docs=False, extra=["--skip-accuracy"])[1:]
    ['benchmarks/bench_metrics.py', '--no-write', '--skip-accuracy']
    """
    bench = BENCHMARKS[name]
    args = [*bench.needs(), *(bench.quick if quick else ())]
    if bench.docs == "self" and not docs:
        args += bench.no_docs
    script = (HERE / bench.script).relative_to(ROOT)
    return [sys.executable, str(script), *args, *extra]


def replace_section(text: str, heading: str, section: str) -> str:
    """``text`` with the Markdown section under ``heading`` replaced (or added at the end).

    Hand-written notes at the end of the old section, from a line ``Notes:`` on,
    are kept after the new section.

    >>> replace_section("# B\\n\\n## A\\nold\\n\\n## C\\nc\\n", "## A", "## A\\nnew\\n")
    '# B\\n\\n## A\\nnew\\n\\n## C\\nc\\n'
    >>> replace_section("## A\\nold\\n\\nNotes:\\n\\n- why\\n", "## A", "## A\\nnew\\n")
    '## A\\nnew\\n\\nNotes:\\n\\n- why\\n'
    """
    lines = text.splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.rstrip("\n") == heading]
    body = section.rstrip("\n") + "\n"
    if not starts:
        return text.rstrip("\n") + "\n\n" + body
    start = starts[0]
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    notes = next((i for i in range(start, end) if lines[i].rstrip("\n") == "Notes:"), None)
    if notes is not None:
        body += "\n" + "".join(lines[notes:end]).rstrip("\n") + "\n"
    rest = lines[end:]
    return "".join(lines[:start]) + body + ("\n" + "".join(rest) if rest else "")


def replace_table(text: str, heading: str, output: str) -> str:
    """``text`` with the first table (and "Measured DATE") under ``heading`` taken from
    ``output``, a benchmark's printed Markdown table; the prose stays.

    >>> doc = "## L\\nMeasured 2020-01-01 here.\\n\\n| a |\\n|---|\\n| 1 |\\n\\nProse.\\n"
    >>> new = replace_table(doc, "## L", "machine: x\\n\\n| a |\\n|---|\\n| 2 |\\n")
    >>> print(new, end="")  # doctest: +ELLIPSIS
    ## L
    Measured ... here.
    <BLANKLINE>
    | a |
    |---|
    | 2 |
    <BLANKLINE>
    Prose.
    """
    table = [line for line in output.splitlines() if line.startswith("|")]
    lines = text.splitlines()
    start = lines.index(heading)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    rows = [i for i in range(start, end) if lines[i].startswith("|")]
    if not table or not rows:
        raise ValueError(f"no table to replace under {heading!r}")
    first, last = rows[0], rows[0]
    while last + 1 < end and lines[last + 1].startswith("|"):
        last += 1
    today = f"Measured {time.strftime('%Y-%m-%d')}"
    dated = [re.sub(r"Measured \d{4}-\d{2}-\d{2}", today, line) for line in lines[start:first]]
    return "\n".join(lines[:start] + dated + table + lines[last + 1 :]) + "\n"


def write_docs(name: str, output: str, path: Path = DOCS) -> None:
    """Put benchmark ``name``'s results into ``path`` (see the module's notes)."""
    bench = BENCHMARKS[name]
    if bench.docs == "section":
        if bench.section in output:
            text = output[output.index(bench.section) :]
        else:  # its output is the section's body
            text = f"{bench.section}\n\n{output.strip()}\n"
        path.write_text(replace_section(path.read_text(encoding="utf-8"), bench.section, text))
    elif bench.docs == "table":
        path.write_text(replace_table(path.read_text(encoding="utf-8"), bench.section, output))


def run(name: str, cmd: list[str], log: Path) -> tuple[int, str, float]:
    """Run one benchmark, showing and logging its output; return status, output, seconds."""
    print(f"\n== {name}: {shlex.join(cmd[1:])}", flush=True)
    started = time.perf_counter()
    lines = []
    with (
        log.open("w", encoding="utf-8") as fh,
        subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True, bufsize=1) as process,
    ):
        for line in process.stdout:
            sys.stdout.write(line)
            fh.write(line)
            lines.append(line)
    return process.returncode, "".join(lines), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help=f"benchmarks to run (default: all of {', '.join(BENCHMARKS)})",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    parser.add_argument("--quick", action="store_true", help="each benchmark's small smoke mode")
    parser.add_argument("--dry-run", action="store_true", help="print the commands, run nothing")
    parser.add_argument(
        "--docs",
        action=argparse.BooleanOptionalAction,
        default=None,
        help=f"write the results into {DOCS.relative_to(ROOT)} (default: unless --quick)",
    )
    parser.add_argument(
        "--extra",
        action="append",
        default=[],
        metavar="NAME=ARGS",
        help="more arguments for one benchmark, e.g. metrics='--skip-accuracy' (repeatable)",
    )
    parser.add_argument(
        "--logs", type=Path, default=Path("/tmp/coalition-bench"), help="folder for NAME.log"
    )
    options = parser.parse_args(argv)
    if options.list:
        for name, bench in BENCHMARKS.items():
            print(f"{name:10} {bench.script:24} {bench.what} ({bench.takes})")
            print(f"{'':10} quick: {shlex.join(bench.quick) or '-'}")
        return 0
    unknown = [n for n in options.names if n not in BENCHMARKS]
    extra: dict[str, list[str]] = {}
    for item in options.extra:
        name, sep, args = item.partition("=")
        if not sep or name not in BENCHMARKS:
            parser.error(f"--extra wants NAME=ARGS with NAME one of {', '.join(BENCHMARKS)}")
        extra.setdefault(name, []).extend(shlex.split(args))
    if unknown:
        parser.error(f"no benchmark {', '.join(unknown)}; --list shows them")
    docs = not options.quick if options.docs is None else options.docs
    names = options.names or list(BENCHMARKS)
    commands = {
        n: command(n, quick=options.quick, docs=docs, extra=extra.get(n, [])) for n in names
    }
    if options.dry_run:
        for name, cmd in commands.items():
            print(f"{name}: {shlex.join(cmd)}")
        return 0
    options.logs.mkdir(parents=True, exist_ok=True)
    results = {}
    for name, cmd in commands.items():
        status, output, seconds = run(name, cmd, options.logs / f"{name}.log")
        # 1 is a missed target: the numbers are written down all the same
        if status in (0, 1) and docs and output.strip():
            write_docs(name, output)
        results[name] = (status, seconds)
    print("\n| benchmark | status | time |\n|---|---|---|")
    for name, (status, seconds) in results.items():
        print(f"| {name} | {'ok' if status == 0 else f'failed ({status})'} | {seconds:.0f} s |")
    print(f"logs in {options.logs}" + (f"; results written into {DOCS}" if docs else ""))
    return 0 if all(status == 0 for status, _ in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
