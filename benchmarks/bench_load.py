"""Loader benchmark: validate + load a 1,000,000-membership dataset into the embedded store.

Reproduce with::

    .venv/bin/python benchmarks/bench_load.py            # full size (about 2 minutes)
    .venv/bin/python benchmarks/bench_load.py --small    # a quick smoke run

It measures, on this machine, in one run:

1. wall time and peak memory (max RSS) of ``coalition load DIR`` — validation
   and loading — as a separate process, into an empty database;
2. rows per second of the batched loader against a naive baseline (one
   ``MERGE`` per row, one transaction per row) on the same 10,000-row slice of
   memberships, each into an empty relationship type;
3. re-loads into the database the first load filled, as ratios to that first
   load's wall time in the same run, with each one's peak memory: the same
   dataset again (target: at most 25 %), then a copy with 1 % of every table's
   rows edited, 1 % added and 1 % removed, loaded with ``--prune`` (at most
   35 %). Removing a node removes the rows that name it, which count towards
   their own table's 1 %.

Results are printed as Markdown for ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import shutil
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
from loaders.spec import FILES  # noqa: E402

SLICE = 10_000


def measured(cmd: list[str], env: dict) -> tuple[float, float]:
    """Wall time (s) and peak memory (max RSS, MB) of one process, run to its end."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise subprocess.CalledProcessError(child.returncode, cmd)
    return time.perf_counter() - start, usage.ru_maxrss / 1024


def full_load(data: Path, home: Path, database: str, *extra: str) -> tuple[float, float]:
    """``coalition load DATA`` (and ``extra`` options) as its own process: seconds, MB."""
    env = {**os.environ, "COALITION_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    cmd = [sys.executable, "-m", "cli.main", "--database", database, "load", str(data), *extra]
    return measured(cmd, env)


def edited(data: Path, out: Path, fraction: float = 0.01, seed: int = 7) -> dict[str, list[int]]:
    """A copy of ``data`` a month later: in every table ``fraction`` of the rows edited,
    as many added and as many removed; returns ``[edited, added, removed]`` per table.

    A node's ``name`` is edited, a relationship's ``role`` (to another value of its
    vocabulary). Added nodes copy a row under a new id; added relationships join an
    added node to an existing other end. Removing a node removes every row naming it
    (counted in that row's table, which then removes fewer of its own). Tables whose
    ids are listed inside another file's cells (movements) are edited and added to
    but not removed from.
    """
    rng = random.Random(seed)
    shutil.copytree(data, out)
    tables: dict[str, tuple[list[str], list[dict]]] = {}
    for name, spec in FILES.items():
        path = data / spec.filename
        if path.exists():
            with open(path, encoding="utf-8", newline="") as fh:
                reader = csv.DictReader(fh)
                tables[name] = (list(reader.fieldnames or ()), list(reader))
    share = {name: int(len(rows) * fraction) for name, (_, rows) in tables.items()}
    listed = {c.references for s in FILES.values() for c in s.columns if c.kind == "idlist"}
    done = {name: [0, 0, 0] for name in tables}
    new_ids: dict[str, list[str]] = {}
    nodes = [n for n in tables if FILES[n].label]
    rels = [n for n in tables if FILES[n].relationship]
    for name in nodes:
        (key,) = FILES[name].key
        rows = tables[name][1]
        picked = rng.sample(range(len(rows)), min(len(rows), 2 * share[name]))
        for i in picked[: share[name]]:
            rows[i]["name"] = (rows[i]["name"] or "unnamed") + " (edited)"
        gone = set() if name in listed else {rows[i][key] for i in picked[share[name] :]}
        new_ids[name] = [f"{rows[i][key]}-new" for i in rng.sample(range(len(rows)), share[name])]
        rows += [{**rows[rng.randrange(len(rows))], key: new_id} for new_id in new_ids[name]]
        tables[name] = (tables[name][0], [r for r in rows if r[key] not in gone])
        done[name] = [share[name], share[name], len(gone)]
        for rel in rels:  # what named a removed node goes with it
            spec = FILES[rel]
            column = next((c for c in spec.columns if c.references == name), None)
            if column is None or not gone:
                continue
            header, rel_rows = tables[rel]
            kept = [r for r in rel_rows if r[column.name] not in gone]
            done[rel][2] += len(rel_rows) - len(kept)
            tables[rel] = (header, kept)
    for rel in rels:
        spec = FILES[rel]
        header, rows = tables[rel]
        role = spec.column("role")
        for r in rng.sample(rows, min(len(rows), share[rel])):
            values = [v for v in (role.enum or ("member", "volunteer")) if v != r["role"]]
            r["role"] = rng.choice(values)
        removals = max(0, share[rel] - done[rel][2])
        for i in sorted(rng.sample(range(len(rows)), min(len(rows), removals)), reverse=True):
            del rows[i]
        done[rel] = [share[rel], 0, done[rel][2] + removals]
        start, end = (c for c in spec.columns if c.name in spec.key)
        pairs = {(r[start.name], r[end.name]) for r in rows}
        ends = [r[end.name] for r in rows]
        fresh = new_ids.get(start.references, [])
        while fresh and ends and done[rel][1] < share[rel]:
            pair = (rng.choice(fresh), rng.choice(ends))
            if pair not in pairs:
                pairs.add(pair)
                rows.append({**rng.choice(rows), start.name: pair[0], end.name: pair[1]})
                done[rel][1] += 1
    for name, (header, rows) in tables.items():
        with open(out / FILES[name].filename, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=header)
            writer.writeheader()
            writer.writerows(rows)
    return done


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
        again, again_rss = full_load(data, home, "bench_full")
        changes = edited(data, tmp / "edited")
        month, month_rss = full_load(tmp / "edited", home, "bench_full", "--prune")
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
    print(
        f"| re-load of the same dataset | {again:.1f} s, {again / wall:.0%} of the first load "
        f"| ≤ 25 % |"
    )
    print(
        f"| re-load with --prune, 1 % of each table's rows edited, added, removed "
        f"| {month:.1f} s, {month / wall:.0%} of the first load | ≤ 35 % |"
    )
    print(f"| re-loads' peak memory (max RSS) | {max(again_rss, month_rss):.0f} MB | < 1,536 MB |")
    print()
    print(
        "edited, added, removed per table: "
        + ", ".join(f"{name} {e:,}/{a:,}/{r:,}" for name, (e, a, r) in changes.items())
    )


if __name__ == "__main__":
    main()
