"""Workbook reader benchmark: how the workbook reader was chosen, and what it costs.

Reproduce with::

    .venv/bin/python benchmarks/bench_workbook.py            # 250,000 memberships (~3 minutes)
    .venv/bin/python benchmarks/bench_workbook.py --quick    # a smoke run

On one generated dataset, written both as CSV files and as an ``.xlsx``
workbook (real dates, numbers as numbers), it measures in one run:

1. reading every cell of every sheet with python-calamine against openpyxl's
   read-only mode (the two candidates; nothing validated);
2. ``validate_dataset`` on the workbook (the chosen reader, its streaming XML
   check and every rule) against ``validate_dataset`` on the CSV folder.

Targets (ratios measured in the same run, printed with the results):
calamine reads at least 5 times as fast as openpyxl read-only, and validating
the workbook takes at most 3 times as long as validating the CSV files.
Exit status 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import csv
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from loaders.dataset import validate_dataset  # noqa: E402
from loaders.generate import generate  # noqa: E402
from loaders.spec import FILES  # noqa: E402

#: The targets, as ratios within one run.
CALAMINE_SPEEDUP = 5.0
WORKBOOK_OVER_CSV = 3.0


def write_workbook(folder: Path, path: Path) -> Path:
    """The CSV files of ``folder`` as one workbook, dates as dates and numbers as numbers."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, spec in FILES.items():
        source = folder / spec.filename
        if not source.exists():
            continue
        sheet = book.create_sheet(name)
        with open(source, encoding="utf-8", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            kinds = [spec.column(h).kind if h in spec.column_names else "text" for h in header]
            sheet.append(header)
            for row in reader:
                sheet.append([_typed(k, v) for k, v in zip(kinds, row, strict=True)])
    book.save(path)
    return path


def _typed(kind: str, value: str):
    if not value:
        return None
    if kind == "date":
        return date.fromisoformat(value)
    if kind in ("int", "year"):
        return int(value)
    return value


def read_calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    return sum(sum(1 for _ in book.get_sheet_by_name(n).iter_rows()) for n in book.sheet_names)


def read_openpyxl(path: Path) -> int:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return sum(sum(1 for _ in book[n].iter_rows(values_only=True)) for n in book.sheetnames)
    finally:
        book.close()


def timed(func, *args, repeat: int = 1) -> tuple[float, object]:
    """The best of ``repeat`` runs, and the last result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func(*args)
        best = min(best, time.perf_counter() - start)
    return best, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small smoke run")
    parser.add_argument("--memberships", type=int, help="memberships (default 250,000)")
    options = parser.parse_args(argv)
    memberships = options.memberships or (5_000 if options.quick else 250_000)
    members = max(100, memberships // 3)
    groups = max(16, memberships // 100)
    repeat = 1 if options.quick else 3
    with tempfile.TemporaryDirectory(prefix="bench-workbook-") as tmp:
        folder = Path(tmp) / "data"
        generate(folder, groups=groups, members=members, memberships=memberships, seed=7)
        book = write_workbook(folder, Path(tmp) / "coalition.xlsx")
        rows = validate_dataset(folder).rows
        t_cal, n_cal = timed(read_calamine, book, repeat=repeat)
        t_opx, n_opx = timed(read_openpyxl, book, repeat=1 if not options.quick else 1)
        t_csv, _ = timed(validate_dataset, folder, repeat=repeat)
        t_book, report = timed(validate_dataset, book, repeat=repeat)
    assert n_cal == n_opx == sum(rows.values()) + len(rows), (n_cal, n_opx)
    assert report.rows == rows
    speedup = t_opx / t_cal
    over = t_book / t_csv
    total = sum(rows.values())
    print(f"machine: {platform.processor() or platform.machine()}, Python {sys.version.split()[0]}")
    print(f"dataset: {total:,} rows ({rows['memberships']:,} memberships), best of {repeat}\n")
    print("| what | seconds | rows/s |")
    print("|---|---:|---:|")
    for what, seconds in (
        ("read every cell: python-calamine", t_cal),
        ("read every cell: openpyxl read-only", t_opx),
        ("validate_dataset: CSV folder", t_csv),
        ("validate_dataset: workbook (calamine + XML check)", t_book),
    ):
        print(f"| {what} | {seconds:.2f} | {total / seconds:,.0f} |")
    checks = [
        (
            f"calamine / openpyxl read-only speed: {speedup:.1f}x",
            f"at least {CALAMINE_SPEEDUP:g}x",
            speedup >= CALAMINE_SPEEDUP,
        ),
        (
            f"workbook / CSV validation time: {over:.2f}x",
            f"at most {WORKBOOK_OVER_CSV:g}x",
            over <= WORKBOOK_OVER_CSV,
        ),
    ]
    print("\n| target | wanted | met |\n|---|---|---|")
    for measured, wanted, met in checks:
        print(f"| {measured} | {wanted} | {'yes' if met else 'NO'} |")
    return 0 if all(met for *_, met in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
