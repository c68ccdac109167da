"""Reading and validating a dataset folder of CSV files.

The whole dataset is checked before anything is written. Every problem names
the file, the line an editor shows, the column, the value and the reason.
Files are streamed: memory grows with the number of keys, not of rows.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph.errors import CoalitionError
from loaders.spec import FILE_ORDER, FILES, REQUIRED_FILES, FileSpec

__all__ = [
    "Problem",
    "DatasetInvalid",
    "ValidationReport",
    "validate_dataset",
    "iter_records",
    "MAX_PROBLEMS",
    "MAX_CELL_BYTES",
]

log = logging.getLogger(__name__)

#: Stop collecting after this many problems; the report says how many more.
MAX_PROBLEMS = 200
#: The largest cell we accept.
MAX_CELL_BYTES = 1_000_000
csv.field_size_limit(MAX_CELL_BYTES * 4 + 16)

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_INT = re.compile(r"[+-]?\d+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a dataset."""

    file: str
    line: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column {self.column}"
        value = "" if self.value is None else f" {_show(self.value)}:"
        return f"{where}:{value} {self.reason}"


def _show(value: str, limit: int = 60) -> str:
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)


class DatasetInvalid(CoalitionError):
    """The dataset has problems; nothing was written."""

    def __init__(self, problems: list[Problem], more: int = 0):
        self.problems = problems
        self.more = more
        super().__init__(self.message())

    def message(self) -> str:
        total = len(self.problems) + self.more
        lines = [f"the dataset has {total} problem{'s' if total != 1 else ''}; nothing was written"]
        lines += [f"  {p}" for p in self.problems]
        if self.more:
            lines.append(f"  … and {self.more} more")
        return "\n".join(lines)


@dataclass
class ValidationReport:
    """Rows per file of a valid dataset."""

    directory: str
    rows: dict[str, int] = field(default_factory=dict)


class _Collector:
    def __init__(self, limit: int = MAX_PROBLEMS):
        self.problems: list[Problem] = []
        self.more = 0
        self.limit = limit

    def add(self, *args) -> None:
        if len(self.problems) < self.limit:
            self.problems.append(Problem(*args))
        else:
            self.more += 1


class _Abort(Exception):
    """A file cannot be read further; its problem is already recorded."""


def _decoded_lines(path: Path, name: str, errors: _Collector) -> Iterator[str]:
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 1]
                errors.add(
                    name,
                    number,
                    None,
                    None,
                    f"byte 0x{bad.hex()} is not UTF-8 (save the file as UTF-8; "
                    f"spreadsheet programs call it 'CSV UTF-8')",
                )
                raise _Abort from None
            if number == 1 and text.startswith("\ufeff"):
                text = text[1:]
            yield text


def _rows(path: Path, spec: FileSpec, errors: _Collector) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` with the header checked; problems go to ``errors``."""
    name = spec.filename
    if path.stat().st_size == 0:
        errors.add(name, None, None, None, "the file is empty (no header row)")
        return
    lines = _decoded_lines(path, name, errors)
    reader = csv.reader(lines, strict=True)
    start = 1
    try:
        try:
            header = next(reader)
        except StopIteration:
            errors.add(name, None, None, None, "the file is empty (no header row)")
            return
        header = [h.strip() for h in header]
        if not _check_header(header, spec, errors):
            return
        width = len(header)
        start = reader.line_num + 1
        for row in reader:
            line = start
            start = reader.line_num + 1
            if not row or row == [""] and width > 1:
                continue  # a blank line
            if len(row) != width:
                errors.add(
                    name,
                    line,
                    None,
                    None,
                    f"the row has {len(row)} cells but the header has {width} "
                    f"(a missing or extra comma, or an unquoted comma in a cell?)",
                )
                continue
            yield line, dict(zip(header, row, strict=True))
    except csv.Error as exc:
        reason = str(exc)
        if "unexpected end of data" in reason or "EOF" in reason:
            reason = "a quote opened here is never closed"
        elif "field larger than field limit" in reason:
            reason = f"a cell is larger than {MAX_CELL_BYTES:,} bytes"
        errors.add(name, start, None, None, f"cannot read the CSV: {reason}")
    except _Abort:
        pass


def _check_header(header: list[str], spec: FileSpec, errors: _Collector) -> bool:
    name = spec.filename
    ok = True
    seen: set[str] = set()
    for column in header:
        if column in seen:
            errors.add(name, 1, column, column, "this column name appears twice in the header")
            ok = False
        seen.add(column)
    missing = [c for c in spec.required_columns if c not in seen]
    if missing and len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        sep = "semicolons" if ";" in header[0] else "tabs"
        errors.add(name, 1, None, header[0], f"the file is separated by {sep}; use commas")
        return False
    for column in missing:
        errors.add(name, 1, column, None, "a required column is missing from the header")
        ok = False
    return ok


def _check_cell(spec: FileSpec, line: int, column: str, value: str, errors: _Collector) -> bool:
    col = spec.column(column)
    name = spec.filename
    if len(value) > MAX_CELL_BYTES:
        errors.add(name, line, column, value[:40], f"the cell is over {MAX_CELL_BYTES:,} bytes")
        return False
    if _CONTROL.search(value):
        errors.add(name, line, column, value, "the cell holds a NUL or control character")
        return False
    if value.strip() == "":
        if col.required:
            errors.add(name, line, column, value, "a required cell is blank")
            return False
        return True
    if col.kind == "date":
        if not _DATE.fullmatch(value) or not _is_date(value):
            errors.add(name, line, column, value, "not an ISO 8601 date (YYYY-MM-DD)")
            return False
    elif col.kind in ("int", "year"):
        if not _INT.fullmatch(value.strip()):
            errors.add(name, line, column, value, "not a whole number")
            return False
        if col.kind == "year" and not 0 < int(value) < 10000:
            errors.add(name, line, column, value, "not a year")
            return False
    elif col.kind == "enum" and col.enum is not None and value not in col.enum:
        allowed = ", ".join(sorted(col.enum))
        errors.add(name, line, column, value, f"not one of: {allowed}")
        return False
    return True


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def iter_records(directory: str | Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` of one file of an already validated dataset."""
    path = Path(directory) / FILES[name].filename
    if not path.exists():
        return
    errors = _Collector()
    yield from _rows(path, FILES[name], errors)
    if errors.problems:
        raise DatasetInvalid(errors.problems, errors.more)


def validate_dataset(directory: str | Path) -> ValidationReport:
    """Check a whole dataset; raise :class:`DatasetInvalid` listing every problem.

    Checks required files and columns, duplicated headers, ragged rows,
    encoding, blank required cells, control characters, oversized cells, ISO
    dates and date order, whole numbers, enumerations, unique keys and that
    every reference resolves. Writes nothing.
    """
    directory = Path(directory)
    errors = _Collector()
    if not directory.is_dir():
        raise DatasetInvalid([Problem(str(directory), None, None, None, "not a folder")])
    report = ValidationReport(str(directory))
    keys: dict[str, dict[str, int]] = {}
    for name in FILE_ORDER:
        spec = FILES[name]
        path = directory / spec.filename
        if not path.exists():
            if name in REQUIRED_FILES:
                errors.add(spec.filename, None, None, None, "this required file is missing")
            keys[name] = {}
            report.rows[name] = 0
            continue
        keys[name], report.rows[name] = _validate_file(path, spec, keys, errors)
        if name in REQUIRED_FILES and report.rows[name] == 0 and not errors.problems:
            errors.add(spec.filename, None, None, None, "the file has a header but no rows")
    if errors.problems:
        raise DatasetInvalid(errors.problems, errors.more)
    return report


def _validate_file(
    path: Path, spec: FileSpec, keys: dict[str, dict[str, int]], errors: _Collector
) -> tuple[dict[str, int], int]:
    name = spec.filename
    seen: dict = {}
    rows = 0
    composite = len(spec.key) > 1
    for line, row in _rows(path, spec, errors):
        rows += 1
        bad: set[str] = set()
        for column in spec.columns:
            if column.name in row and not _check_cell(
                spec, line, column.name, row[column.name], errors
            ):
                bad.add(column.name)
        for column in spec.columns:
            if column.references and column.name in row and column.name not in bad:
                _check_reference(spec, line, column, row[column.name], keys, errors)
        for start, end in spec.date_ranges:
            s, e = row.get(start, ""), row.get(end, "")
            if s and e and start not in bad and end not in bad and e < s:
                errors.add(name, line, end, e, f"ends before it starts ({start} {s})")
        if any(k in bad for k in spec.key):
            continue
        key = tuple(row[k] for k in spec.key) if composite else row[spec.key[0]]
        if key in seen:
            shown = ", ".join(f"{k}={row[k]}" for k in spec.key)
            errors.add(
                name,
                line,
                spec.key[0] if not composite else None,
                shown if composite else row[spec.key[0]],
                f"duplicate {'pair' if composite else 'id'}; first on line {seen[key]}",
            )
        else:
            seen[key] = line
    return ({} if composite else seen), rows


def _check_reference(spec, line, column, cell: str, keys, errors: _Collector) -> None:
    name = spec.filename
    targets = keys.get(column.references, {})
    target_file = FILES[column.references].filename
    if column.kind != "idlist":
        if cell not in targets:
            errors.add(name, line, column.name, cell, f"no such id in {target_file}")
        return
    listed: set[str] = set()
    for value in (v.strip() for v in cell.split(";")):
        if not value:
            errors.add(name, line, column.name, cell, "an empty id in the list")
        elif value in listed:
            errors.add(name, line, column.name, value, "listed twice")
        elif value not in targets:
            errors.add(name, line, column.name, value, f"no such id in {target_file}")
        listed.add(value)
