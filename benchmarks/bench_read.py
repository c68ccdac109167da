"""Read benchmark: the coalition's tables read in pages against one record per table.

Reproduce with::

    .venv/bin/python benchmarks/bench_read.py            # 50,000 groups (about 10 minutes)
    .venv/bin/python benchmarks/bench_read.py --quick    # 2,000 groups, a smoke run
    .venv/bin/python benchmarks/bench_read.py --groups 15000 --page 30000   # mid-size

The dataset of the metrics benchmark's largest case
(``generate(groups=50_000, members=150_000, seed=7)``) is loaded into the
embedded store once; then, in turns within the same run, the eight tables of
:data:`graph.store.cypher.READ_TABLES` are read two at a time as
:func:`graph.read.read_coalition` reads them:

1. **before pages** — each table whole as one record, without the mark (the
   read before shared databases were supported; the baseline);
2. **one record, marked** — the same with the mark test
   (:data:`graph.store.cypher.READ_WHOLE_TABLES`);
3. **pages of 100,000** — :meth:`graph.store.Store.pages` at the default size
   (a table of more rows than the last load's counts say fit a page is read
   in ranges of keys, each found by seeks on the key's index: no page scans
   the whole label again);
4. **pages of 10,000** — a size for a server with little transaction memory.

``--groups`` and ``--page`` measure a mid-size store (members: three per
group) and the page size judged (instead of the default): at 15,000 groups,
pages of 30,000 rows split the big tables into about as many pages as the
default does at 50,000.

Target: pages of the default size take at most 1.10 × the baseline (median of
the turns). The table also shows the CPU time the store's server and this
process used (median), steadier than the clock when others share the machine.
Results are printed as Markdown for ``docs/benchmarks.md``; a full run that
misses the target exits with status 1.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.schema import MARK  # noqa: E402
from graph.store import StoreConfig, cypher, open_store  # noqa: E402
from graph.store.config import READ_PAGE_ROWS  # noqa: E402
from graph.store.embedded import EmbeddedStore  # noqa: E402
from graph.store.loadstate import read_state  # noqa: E402
from loaders.generate import generate  # noqa: E402

#: Paged (default size) / baseline, at most.
TARGET = 1.10
DATABASE = "bench_read"
#: Its section of docs/benchmarks.md (benchmarks/run.py writes the output there).
SECTION = "## Reading the store"


def _whole(store, query: str) -> list:
    records = store.values(query)
    return (records[0][0] or []) if records else []


def cpu_seconds(pid: int | None) -> float:
    """CPU time used so far by this process and the store's server (``pid``; Linux only,
    else this process alone): steadier than the clock on a busy machine."""
    used = time.process_time()
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        used += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError, TypeError):
        pass
    return used


def read_tables(store, read_one) -> int:
    """Read every table two at a time (as graph.read does); the number of rows."""
    names = list(cypher.READ_TABLES)
    with ThreadPoolExecutor(max_workers=2) as pool:
        return sum(len(rows) for rows in pool.map(read_one, names))


def variants(store, page: int = READ_PAGE_ROWS) -> dict:
    unmarked = {
        name: table.query.replace(f" WHERE r.{MARK} IS NOT NULL", "").replace(
            f" WHERE n.{MARK} IS NOT NULL", ""
        )
        for name, table in cypher.READ_WHOLE_TABLES.items()
    }
    assert all(MARK not in q for q in unmarked.values())
    sizes = read_state(store).rows  # as graph.read.read_coalition passes them

    def paged(size: int):
        return lambda n: list(
            store.pages(
                cypher.READ_TABLES[n], page_rows=size, rows=sizes.get(cypher.TABLE_SOURCES[n])
            )
        )

    return {
        "before pages: one record per table, no mark (baseline)": lambda n: _whole(
            store, unmarked[n]
        ),
        "one record per table, marked": lambda n: _whole(store, cypher.READ_WHOLE_TABLES[n].query),
        f"pages of {page:,} rows" + (" (default)" if page == READ_PAGE_ROWS else ""): paged(page),
        "pages of 10,000 rows": paged(10_000),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 groups, 2 turns")
    parser.add_argument("--turns", type=int, help="turns of every variant (default 5; quick 2)")
    parser.add_argument("--groups", type=int, help="groups of the dataset (default 50,000)")
    parser.add_argument(
        "--page", type=int, default=READ_PAGE_ROWS, help="rows per page of the judged variant"
    )
    args = parser.parse_args()
    groups, members = (2_000, 6_000) if args.quick else (50_000, 150_000)
    if args.groups:
        groups, members = args.groups, 3 * args.groups
    turns = args.turns or (2 if args.quick else 5)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data, home = tmp / "data", tmp / "home"
        counts = generate(data, groups=groups, members=members, seed=7)
        env = {**os.environ, "COALITION_HOME": str(home)}
        env.pop("NEO4J_URI", None)
        subprocess.run(
            [sys.executable, "-m", "cli.main", "--database", DATABASE, "load", str(data)],
            check=True,
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        try:
            with open_store(StoreConfig(home=str(home), database=DATABASE)) as store:
                reads = variants(store, args.page)
                rows = {name: read_tables(store, read) for name, read in reads.items()}  # warm
                assert len(set(rows.values())) == 1, rows
                times: dict[str, list[float]] = {name: [] for name in reads}
                cpu: dict[str, list[float]] = {name: [] for name in reads}
                server = EmbeddedStore(home).status().pid
                for _ in range(turns):
                    for name, read in reads.items():
                        used, start = cpu_seconds(server), time.perf_counter()
                        read_tables(store, read)
                        times[name].append(time.perf_counter() - start)
                        cpu[name].append(cpu_seconds(server) - used)
        finally:
            subprocess.run(
                [sys.executable, "-m", "cli.main", "store", "stop"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
            )
    median = {name: statistics.median(t) for name, t in times.items()}
    median_cpu = {name: statistics.median(t) for name, t in cpu.items()}
    baseline, paged = list(median.values())[0], list(median.values())[2]
    ratio = paged / baseline
    print(SECTION)
    print()
    print(
        "The coalition's eight tables read two at a time, as `graph.read.read_coalition` does, "
        "in turns within one run (`benchmarks/bench_read.py`)."
    )
    print()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print()
    print(f"dataset: {counts}; {next(iter(rows.values())):,} rows read; median of {turns} turns")
    print()
    print(
        "| read of the eight tables | median | × baseline | target "
        "| CPU, store and client | × baseline |"
    )
    print("|---|---|---|---|---|---|")
    base_cpu = next(iter(median_cpu.values())) or 1.0
    for i, (name, t) in enumerate(median.items()):
        target = f"≤ {TARGET:.2f}×" if i == 2 else ""
        used = median_cpu[name]
        print(
            f"| {name} | {t:.2f} s | {t / baseline:.2f}× | {target} "
            f"| {used:.2f} s | {used / base_cpu:.2f}× |"
        )
    met = ratio <= TARGET
    print()
    print(f"paged / baseline = {ratio:.2f}× (target ≤ {TARGET:.2f}×): {'met' if met else 'MISSED'}")
    paged_cpu = list(median_cpu.values())[2] / base_cpu
    print(f"(CPU of the store and client: paged / baseline = {paged_cpu:.2f}×)")
    if not met and not (args.quick or args.groups or args.page != READ_PAGE_ROWS):
        sys.exit(1)


if __name__ == "__main__":
    main()
