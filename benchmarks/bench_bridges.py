"""``coalition bridges`` and ``coalition brief`` benchmark, at 10,000 groups.

Reproduce with::

    .venv/bin/python benchmarks/bench_bridges.py            # 10,000 groups (a few minutes)
    .venv/bin/python benchmarks/bench_bridges.py --quick    # 1,000 groups, a smoke run
    .venv/bin/python benchmarks/run.py bridges              # the same through run.py

The dataset is ``loaders.generate.generate(groups=10_000, members=100_000,
seed=7)``, the one of the metrics benchmark (kept in ``--workdir``, default
``/tmp/coalition-bench-bridges``, and reused), loaded into an embedded store
beforehand (not timed). It measures:

1. the command as a user runs it, ``coalition bridges --out DIR`` in a fresh
   process (starting Python, reading the store, building the graph, both
   tables, writing them): target at most 15 s; and ``coalition brief --out
   FILE.html`` (the metric suite once, the bridges, the fragmentation ranking,
   the solidarity figures, the HTML): target at most 60 s;
2. inside one process, where that time goes: reading the coalition, building
   the graph, :func:`graph.metrics.movement_links`,
   :func:`graph.metrics.introductions`;
3. the introductions' fast backend (sparse products over the candidates that
   share a neighbour) against the networkx reference (each group's neighbour
   pairs) on the same 2,000-group graph, in this run: the ratio is reported
   (no target; it says what the sparse products buy).

Results are printed as Markdown with the targets; the exit status is 1 when a
target is missed on a full run.
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
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_metrics import database_of, prepare  # noqa: E402

#: name -> (groups, members) given to ``loaders.generate.generate`` (seed 7)
DATASETS = {"g2k": (2_000, 20_000), "g10k": (10_000, 100_000)}
QUICK_DATASETS = {"g2k": (300, 3_000), "g10k": (1_000, 10_000)}
#: The commands at 10,000 groups, end to end (issue 14).
TARGET_SECONDS = 15.0
BRIEF_TARGET_SECONDS = 60.0


def timed_command(folder: Path, workdir: Path, command: str = "bridges") -> float:
    """Seconds ``coalition bridges --out DIR`` (or ``brief --out FILE``) takes, fresh process."""
    env = {**os.environ, "COALITION_HOME": str(workdir / "home")}
    env.pop("NEO4J_URI", None)
    with tempfile.TemporaryDirectory() as out:
        target = out if command == "bridges" else str(Path(out) / "brief.html")
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "cli.main", "--database", database_of(folder), command]
            + ["--out", target],
            check=True,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        return time.perf_counter() - start


def steps(folder: Path, workdir: Path) -> dict:
    """Where the time goes, in this process."""
    from graph import metrics
    from graph.projection import coalition_graph_with_arrays
    from graph.read import read_coalition
    from graph.store import StoreConfig, open_store

    start = time.perf_counter()
    store = open_store(StoreConfig(home=workdir / "home", database=database_of(folder)))
    try:
        coalition = read_coalition(store)
    finally:
        store.close()
    read = time.perf_counter()
    G, arrays = coalition_graph_with_arrays(coalition)
    built = time.perf_counter()
    links = metrics.movement_links(G, arrays=arrays)
    linked = time.perf_counter()
    metrics.introductions(G, arrays=arrays)
    done = time.perf_counter()
    from graph.brief import brief_changes

    changes = brief_changes(coalition)
    changed = time.perf_counter()
    return {
        "groups": G.number_of_nodes(),
        "ties": G.number_of_edges(),
        "pairs": len(links),
        "read": read - start,
        "graph": built - read,
        "links": linked - built,
        "introductions": done - linked,
        "changes": changed - done,
        "every": changes.every if changes is not None else "none",
    }


def backends(folder: Path, workdir: Path) -> dict:
    """Introductions, fast against networkx, on one graph."""
    from graph import metrics
    from graph.projection import coalition_graph_with_arrays
    from graph.read import read_coalition
    from graph.store import StoreConfig, open_store

    store = open_store(StoreConfig(home=workdir / "home", database=database_of(folder)))
    try:
        G, arrays = coalition_graph_with_arrays(read_coalition(store))
    finally:
        store.close()
    seconds = {}
    results = {}
    for backend in ("networkx", "fast"):
        start = time.perf_counter()
        results[backend] = metrics.introductions(G, backend=backend, arrays=arrays)
        seconds[backend] = time.perf_counter() - start
    same = [(r["group_a"], r["group_b"]) for r in results["fast"]] == [
        (r["group_a"], r["group_b"]) for r in results["networkx"]
    ]
    return {"groups": G.number_of_nodes(), "ties": G.number_of_edges(), **seconds, "same": same}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Small graphs, a smoke run.")
    parser.add_argument("--workdir", default="/tmp/coalition-bench-bridges")
    options = parser.parse_args(argv)
    workdir = Path(options.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    datasets = QUICK_DATASETS if options.quick else DATASETS
    folders = prepare(workdir, datasets, use_store=True)
    big, small = folders["g10k"], folders["g2k"]
    command_s = timed_command(big, workdir)
    brief_s = timed_command(big, workdir, "brief")
    inside = steps(big, workdir)
    versus = backends(small, workdir)
    met = command_s <= TARGET_SECONDS
    brief_met = brief_s <= BRIEF_TARGET_SECONDS
    ratio = versus["networkx"] / versus["fast"] if versus["fast"] else float("inf")
    groups = datasets["g10k"][0]
    lines = [
        "## Bridges",
        "",
        f"{time.strftime('%Y-%m-%d')}; {os.cpu_count()} CPUs, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()}"
        + (" (quick run: small graphs, the target is for 10,000 groups)" if options.quick else ""),
        "",
        "| case | groups | ties | time | target | met |",
        "|---|---:|---:|---:|---|---|",
        f"| `coalition bridges --out DIR` (fresh process) | {groups:,} | {inside['ties']:,} "
        f"| {command_s:.1f} s | ≤ {TARGET_SECONDS:.0f} s at 10,000 groups "
        f"| {'yes' if met else '**no**'} |",
        f"| `coalition brief --out FILE.html` (fresh process) | {groups:,} | {inside['ties']:,} "
        f"| {brief_s:.1f} s | ≤ {BRIEF_TARGET_SECONDS:.0f} s at 10,000 groups "
        f"| {'yes' if brief_met else '**no**'} |",
        f"| introductions, networkx reference | {versus['groups']:,} | {versus['ties']:,} "
        f"| {versus['networkx']:.2f} s | | |",
        f"| introductions, fast | {versus['groups']:,} | {versus['ties']:,} "
        f"| {versus['fast']:.2f} s | {ratio:.1f}× the reference; same suggestions: "
        f"{'yes' if versus['same'] else '**no**'} | |",
        "",
        f"Inside one process at {inside['groups']:,} groups ({inside['pairs']} movement pairs): "
        f"reading the store {inside['read']:.1f} s, building the graph {inside['graph']:.1f} s, "
        f"movement links {inside['links']:.2f} s, introductions {inside['introductions']:.2f} s, "
        f"the brief's last two periods ({inside['every']}, `graph.brief.brief_changes`) "
        f"{inside['changes']:.1f} s.",
    ]
    print("\n".join(lines))
    return 0 if ((met and brief_met) or options.quick) and versus["same"] else 1


if __name__ == "__main__":
    sys.exit(main())
