"""Loader benchmark: validate + load a 1,000,000-membership dataset into the embedded store.

Reproduce with::

    .venv/bin/python benchmarks/bench_load.py            # full size (about 2 minutes)
    .venv/bin/python benchmarks/bench_load.py --small    # a quick smoke run

It measures, on this machine, in one run:

1. wall time and peak memory (max RSS) of ``coalition load DIR`` — validation
   and loading — as a separate process, into an empty database;
2. rows per second of the batched loader against a naive baseline (one
   ``MERGE`` per row, one transaction per row) on the same 10,000-row slice of
   memberships, each into an empty relationship type.

Results are printed as Markdown for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.schema import MEMBER_OF  # noqa: E402
from graph.store import StoreConfig, cypher, open_store  # noqa: E402
from loaders.dataset import iter_records  # noqa: E402
from loaders.generate import generate  # noqa: E402
from loaders.load import DEFAULT_BATCH_SIZE  # noqa: E402

SLICE = 10_000


def _child_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def full_load(data: Path, home: Path, database: str) -> tuple[float, float]:
    env = {**os.environ, "COALITION_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "-m", "cli.main", "--database", database, "load", str(data)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start, _child_rss_mb()


def slice_rows(data: Path) -> list[dict]:
    rows = []
    for _, r in iter_records(data, "memberships"):
        rows.append(
            {
                "member_id": r["member_id"],
                "group_id": r["group_id"],
                "role": r["role"] or None,
                "start_date": r["start_date"] or None,
                "end_date": r["end_date"] or None,
            }
        )
        if len(rows) == SLICE:
            break
    return rows


def naive_vs_batched(data: Path, home: Path) -> tuple[float, float]:
    """Rows/s of one MERGE per row vs the batched loader's writes, same slice, same store.

    Both run on a warm server: the nodes (and, before they are deleted again,
    the same memberships) come from a real load of the small dataset.
    """
    rows = slice_rows(data)
    rates = []
    for database, batched in (("bench_naive", False), ("bench_batched", True)):
        config = StoreConfig(home=str(home), database=database)
        # the nodes come from a real load of the same dataset (not timed here)
        subprocess.run(
            [sys.executable, "-m", "cli.main", "--database", database, "load", str(data)],
            check=True,
            env={**os.environ, "COALITION_HOME": str(home)},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        with open_store(config) as store:
            store.run(f"MATCH ()-[r:{MEMBER_OF}]->() DELETE r")
            start = time.perf_counter()
            if batched:
                # what the loader does for a relationship type the store does not have yet
                query = cypher.CREATE_RELS[MEMBER_OF]
                for i in range(0, len(rows), DEFAULT_BATCH_SIZE):
                    store.run(query, rows=rows[i : i + DEFAULT_BATCH_SIZE])
            else:
                query = cypher.MERGE_RELS[MEMBER_OF]
                for row in rows:
                    store.run(query, rows=[row])
            elapsed = time.perf_counter() - start
            assert store.counts()[MEMBER_OF] == len(rows)
        rates.append(len(rows) / elapsed)
    return rates[0], rates[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", action="store_true", help="100,000 memberships instead")
    args = parser.parse_args()
    if args.small:
        size = {"groups": 1000, "members": 10_000, "memberships": 100_000, "actions": 5000}
    else:
        size = {"groups": 10_000, "members": 100_000, "memberships": 1_000_000, "actions": 50_000}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        data, home = tmp / "data", tmp / "home"
        counts = generate(data, seed=1, **size)
        wall, rss = full_load(data, home, "bench_full")
        small = tmp / "small"
        generate(small, groups=1000, members=10_000, memberships=SLICE, actions=100, seed=2)
        naive, batched = naive_vs_batched(small, home)
        subprocess.run(
            [sys.executable, "-m", "cli.main", "store", "stop"],
            env={**os.environ, "COALITION_HOME": str(home)},
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
    rows = sum(counts.values())
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}")
    print(f"dataset: {counts}")
    print()
    print("| measure | value | target |")
    print("|---|---|---|")
    print(
        f"| validate + load {counts['memberships']:,} memberships ({rows:,} rows) "
        f"| {wall:.1f} s | ≤ 90 s |"
    )
    print(f"| loader peak memory (max RSS) | {rss:.0f} MB | < 1,536 MB |")
    print(f"| naive, one MERGE per row ({SLICE:,} memberships) | {naive:,.0f} rows/s | |")
    print(
        f"| batched loader, UNWIND CREATE into an empty type (same slice) "
        f"| {batched:,.0f} rows/s | |"
    )
    print(f"| batched / naive | {batched / naive:.1f}× | ≥ 20× |")


if __name__ == "__main__":
    main()
