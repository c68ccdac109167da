"""Reading and validating a dataset: a folder of CSV files or an ``.xlsx`` workbook.

The whole dataset is checked before anything is written. Every problem names
the file (and, in a workbook, the sheet), the line an editor shows (the row a
spreadsheet shows), the column, the value and the reason. Both readers yield
the same rows (``(line, {column: text})``), so every rule below runs once for
both. Files are streamed: memory grows with the number of keys, not of rows.

A table that cannot be read (not UTF-8, the wrong separator, a broken header)
is reported once, and references to it from other tables are not checked:
they would only repeat the one cause as thousands of "no such id".
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
from loaders.spec import FILE_ORDER, FILES, REQUIRED_FILES, Column, FileSpec, is_workbook

__all__ = [
    "Problem",
    "DatasetInvalid",
    "ValidationReport",
    "validate_dataset",
    "iter_records",
    "Table",
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
    #: The sheet, when the dataset is a workbook; ``line`` is then the row the spreadsheet shows.
    sheet: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.sheet is not None:
            where += f", sheet {self.sheet}"
        if self.line is not None:
            where += f", {'line' if self.sheet is None else 'row'} {self.line}"
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
    """Rows per file of a valid dataset, and notes that are not problems (ignored sheets)."""

    directory: str
    rows: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Table:
    """Where one table of a dataset is: a CSV file, or a sheet of a workbook.

    ``file`` is the file name problems give; ``sheet`` the sheet's name in a workbook.
    """

    spec: FileSpec
    file: str
    sheet: str | None = None

    @property
    def shown(self) -> str:
        """How a message names the table: ``groups.csv`` or ``sheet groups``."""
        return self.file if self.sheet is None else f"sheet {self.sheet}"


#: Tables that other tables refer to.
_REFERENCED = frozenset(c.references for s in FILES.values() for c in s.columns if c.references)


class _Collector:
    def __init__(self, limit: int = MAX_PROBLEMS):
        self.problems: list[Problem] = []
        self.more = 0
        self.limit = limit
        #: Tables that could not be read (in full): references to them are not checked.
        self.unreadable: set[str] = set()

    def add(
        self,
        where: Table | str,
        line: int | None,
        column: str | None,
        value: str | None,
        reason: str,
    ) -> None:
        if isinstance(where, Table):
            problem = Problem(where.file, line, column, value, reason, where.sheet)
        else:
            problem = Problem(where, line, column, value, reason)
        if len(self.problems) < self.limit:
            self.problems.append(problem)
        else:
            self.more += 1

    def fatal(
        self, table: Table, line: int | None, column: str | None, value: str | None, reason: str
    ) -> None:
        """Record why ``table`` cannot be read; references to it will not be checked.

        The first such problem of a table says so.
        """
        if table.spec.name in _REFERENCED and table.spec.name not in self.unreadable:
            reason += f"; references to {table.shown} were not checked"
        self.unreadable.add(table.spec.name)
        self.add(table, line, column, value, reason)


class _Abort(Exception):
    """A file cannot be read further; its problem is already recorded."""


def _decoded_lines(path: Path, table: Table, errors: _Collector) -> Iterator[str]:
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, start=1):
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 1]
                errors.fatal(
                    table,
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


def _csv_rows(path: Path, table: Table, errors: _Collector) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` of a CSV file with the header checked; problems go to ``errors``."""
    name = table
    if path.stat().st_size == 0:
        errors.fatal(name, None, None, None, "the file is empty (no header row)")
        return
    lines = _decoded_lines(path, table, errors)
    reader = csv.reader(lines, strict=True)
    start = 1
    try:
        try:
            header = next(reader)
        except StopIteration:
            errors.fatal(name, None, None, None, "the file is empty (no header row)")
            return
        header = [h.strip() for h in header]
        if not check_header(header, table, errors):
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
        errors.fatal(name, start, None, None, f"cannot read the CSV: {reason}")
    except _Abort:
        pass


def check_header(header: list[str], table: Table, errors: _Collector) -> bool:
    """Check a header row (line or row 1); a header that fails makes the table unreadable."""
    spec, name = table.spec, table
    ok = True
    seen: set[str] = set()
    for column in header:
        if column in seen:
            errors.fatal(name, 1, column, column, "this column name appears twice in the header")
            ok = False
        seen.add(column)
    missing = [c for c in spec.required_columns if c not in seen]
    if missing and len(header) == 1 and (";" in header[0] or "\t" in header[0]):
        sep = "semicolons" if ";" in header[0] else "tabs"
        errors.fatal(name, 1, None, header[0], f"the file is separated by {sep}; use commas")
        return False
    for column in missing:
        errors.fatal(name, 1, column, None, "a required column is missing from the header")
        ok = False
    return ok


#: Kinds whose cells repeat (dates, numbers, vocabularies): a value found good once in a
#: column is good again, and is not checked again (up to this many values per column).
_REPEATING_KINDS = frozenset({"date", "int", "year", "enum"})
_GOOD_VALUES_KEPT = 100_000


def _check_cell(table: Table, line: int, col: Column, value: str, errors: _Collector) -> bool:
    column = col.name
    name = table
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


class _Folder:
    """A dataset folder: one CSV file per table."""

    def __init__(self, directory: Path):
        self.path = directory
        self.notes: list[str] = []

    def table(self, name: str) -> Table:
        return Table(FILES[name], FILES[name].filename)

    def has(self, name: str) -> bool:
        return (self.path / FILES[name].filename).exists()

    def missing(self, name: str) -> str:
        return "this required file is missing"

    def rows(self, table: Table, errors: _Collector) -> Iterator[tuple[int, dict[str, str]]]:
        return _csv_rows(self.path / table.spec.filename, table, errors)

    def close(self) -> None:
        pass


def _open(path: str | Path):
    """The dataset at ``path``: a folder or a workbook; raise :class:`DatasetInvalid` if neither."""
    path = Path(path)
    if path.is_dir():
        return _Folder(path)
    if is_workbook(path):
        from loaders.workbook import Workbook

        return Workbook(path)
    reason = "no such folder or workbook" if not path.exists() else "not a folder or .xlsx workbook"
    raise DatasetInvalid([Problem(str(path), None, None, None, reason)])


def iter_records(path: str | Path, name: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield ``(line, row)`` of one table of an already validated dataset (folder or workbook).

    Every cell is text, as in a CSV file; a table the dataset does not have yields nothing.
    """
    source = _open(path)
    try:
        if not source.has(name):
            return
        errors = _Collector()
        yield from source.rows(source.table(name), errors)
        if errors.problems:
            raise DatasetInvalid(errors.problems, errors.more)
    finally:
        source.close()


def validate_dataset(path: str | Path) -> ValidationReport:
    """Check a whole dataset; raise :class:`DatasetInvalid` listing every problem.

    Parameters
    ----------
    path : str or Path
        A dataset folder of CSV files, or an ``.xlsx`` workbook with one sheet per table.

    Returns
    -------
    ValidationReport
        Rows per table, and notes (sheets a workbook has that are not tables).

    Notes
    -----
    Checks required files and columns, duplicated headers, ragged rows,
    encoding, blank required cells, control characters, oversized cells, ISO
    dates and date order, whole numbers, enumerations, unique keys and that
    every reference resolves (not to a table that could not be read: that one
    problem is reported instead). A workbook is also checked for what only a
    workbook can have wrong (see :mod:`loaders.workbook`). Writes nothing.
    """
    errors = _Collector()
    source = _open(path)
    try:
        report = ValidationReport(str(path), notes=list(source.notes))
        keys: dict[str, dict[str, int] | None] = {}
        for name in FILE_ORDER:
            table = source.table(name)
            if not source.has(name):
                if name in REQUIRED_FILES:
                    errors.fatal(table, None, None, None, source.missing(name))
                keys[name] = None if name in REQUIRED_FILES else {}
                report.rows[name] = 0
                continue
            found, report.rows[name] = _validate_file(source, table, keys, errors)
            keys[name] = None if name in errors.unreadable else found
            if name in REQUIRED_FILES and report.rows[name] == 0 and not errors.problems:
                what = "file" if table.sheet is None else "sheet"
                errors.add(table, None, None, None, f"the {what} has a header but no rows")
    finally:
        source.close()
    if errors.problems:
        raise DatasetInvalid(errors.problems, errors.more)
    for note in report.notes:
        log.info("%s: %s", path, note)
    return report


def _validate_file(
    source, table: Table, keys: dict[str, dict[str, int] | None], errors: _Collector
) -> tuple[dict[str, int], int]:
    spec, name = table.spec, table
    seen: dict = {}
    rows = 0
    composite = len(spec.key) > 1
    checked = [
        (column, column.name, set() if column.kind in _REPEATING_KINDS else None)
        for column in spec.columns
    ]
    references = [column for column in spec.columns if column.references]
    for line, row in source.rows(table, errors):
        rows += 1
        bad: set[str] = set()
        for column, cell, good in checked:
            if cell not in row:
                continue
            value = row[cell]
            if good is not None and value in good:
                continue
            if not _check_cell(table, line, column, value, errors):
                bad.add(cell)
            elif good is not None and len(good) < _GOOD_VALUES_KEPT:
                good.add(value)
        for column in references:
            if column.name in row and column.name not in bad:
                _check_reference(table, line, column, row[column.name], keys, errors)
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


def _check_reference(table: Table, line, column, cell: str, keys, errors: _Collector) -> None:
    name = table
    targets = keys.get(column.references, {})
    if targets is None:
        return  # the table it refers to could not be read: that is the one problem reported
    if column.kind != "idlist":
        if cell not in targets:
            target_file = _shown(table, column.references)
            errors.add(name, line, column.name, cell, f"no such id in {target_file}")
        return
    listed: set[str] = set()
    for value in (v.strip() for v in cell.split(";")):
        if not value:
            errors.add(name, line, column.name, cell, "an empty id in the list")
        elif value in listed:
            errors.add(name, line, column.name, value, "listed twice")
        elif value not in targets:
            target_file = _shown(table, column.references)
            errors.add(name, line, column.name, value, f"no such id in {target_file}")
        listed.add(value)


def _shown(table: Table, name: str) -> str:
    """How a message from ``table`` names table ``name`` of the same dataset."""
    return FILES[name].filename if table.sheet is None else f"sheet {name}"
