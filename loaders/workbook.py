"""Reading a dataset from an ``.xlsx`` workbook: one sheet per table.

A sheet is named like the CSV file without ``.csv`` (``movements``,
``groups``, ...), its header is in row 1 from column A, and every cell becomes
the text a CSV file would hold, so the validator (:mod:`loaders.dataset`) runs
the same rules on both. Rows are numbered as the spreadsheet shows them.

How cells become text:

- text stays as it is: an id ``007`` must be a text cell (type ``'007`` or
  format the column as Text before typing), since a number cell ``007`` is
  the number 7;
- a whole number is written without a decimal point: ``7`` and ``7.0`` are ``7``;
  other numbers as Python writes them (``3.5``);
- a date is ``YYYY-MM-DD``; a date with a time of day keeps the time (and so is
  not a valid date); TRUE and FALSE stay ``TRUE`` and ``FALSE``;
- a formula is read as the value the spreadsheet program saved with it; a
  formula without a saved value, and a cell showing an error (``#N/A``), are
  problems.

What only a workbook can have wrong is reported like any other problem: a file
that is not a workbook or is encrypted, a missing required sheet, a header not
in row 1, merged cells, a value under no header, a sheet past Excel's limits.
Sheets that are not tables are ignored, with a note.

Why python-calamine (Rust) reads the cells: it is about 11 times as fast as
openpyxl's read-only mode on the same workbook (``benchmarks/bench_workbook.py``,
the two candidates), and it reports merged cells (openpyxl's read-only mode
cannot) and password protection. What calamine cannot tell (a formula
without a saved value, a cell showing ``#N/A``: both read as empty) and what
it must not be given (a sheet whose used area is so large that its dense grid
of cells would exhaust memory; a negative number formatted as a date, on which
it panics) is found first by one streaming pass over the sheet's XML.
"""

from __future__ import annotations

import logging
import re
import zipfile
import zlib
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from loaders.dataset import DatasetInvalid, Problem, Table, _Collector, check_header
from loaders.spec import FILES, NOTES_SHEET, REQUIRED_FILES

__all__ = ["Workbook", "cell_text", "column_letter", "MAX_ROWS", "MAX_COLUMNS", "MAX_CELLS"]

log = logging.getLogger(__name__)

#: Excel's limits: rows and columns of a sheet (column XFD).
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
#: The largest used area (rows × columns) we read: the reader holds it as a dense grid.
MAX_CELLS = 40_000_000

#: The first bytes of an OLE compound file: an encrypted .xlsx, or an old .xls.
_CFB = bytes.fromhex("d0cf11e0a1b11ae1")
_ZIP = b"PK\x03\x04"

_NS = {
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"

# One streaming pass over a sheet's XML finds what calamine cannot tell or must not see.
#: A cell reference past column Z, or past row 999,999: rare in a table, so cheap to look for.
_FAR = re.compile(rb"""\sr=["'](?:([A-Z]{2,})(\d+)|[A-Z]+(\d{7,}))["']""")
#: Any reference's row number: read only when a sheet reaches past column Z.
_ANY_ROW = re.compile(rb"""\sr=["'][A-Z]*(\d+)["']""")
#: The type of a cell holding a spreadsheet error.
_ERRORS = (b't="e"', b"t='e'")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_CHUNK = 1 << 20
#: What a damaged package raises while a sheet's XML is streamed.
_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ElementTree.ParseError, ValueError)
_OVERLAP = 512


def column_letter(index: int) -> str:
    """The spreadsheet's name of column ``index`` (0 is A).

    >>> column_letter(0), column_letter(25), column_letter(26), column_letter(16383)
    ('A', 'Z', 'AA', 'XFD')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _column_index(letters: str) -> int:
    """The inverse of :func:`column_letter`."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def cell_text(value: object) -> str:
    """The text a CSV file would hold for a cell value read from a workbook.

    >>> [cell_text(v) for v in ("007", 7, 7.0, 3.5, True, None)]
    ['007', '7', '7', '3.5', 'TRUE', '']
    >>> [cell_text(d) for d in (date(2016, 5, 1), datetime(2016, 5, 1), datetime(2016, 5, 1, 9))]
    ['2016-05-01', '2016-05-01', '2016-05-01 09:00:00']
    """
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


class Workbook:
    """An ``.xlsx`` workbook dataset: one sheet per table (see the module's notes).

    Opening it checks the file as a whole and raises
    :class:`loaders.dataset.DatasetInvalid` for a file that is not a workbook
    or is encrypted; the sheets are read when asked for.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.file = self.path.name
        self.notes: list[str] = []
        self._dates: frozenset[int] | None = None
        try:
            with open(self.path, "rb") as fh:
                head = fh.read(8)
        except FileNotFoundError:
            self._refuse("no such workbook")
        except OSError as exc:
            self._refuse(f"cannot open the workbook: {exc.strerror or exc}")
        if head == _CFB:
            self._refuse(
                "the workbook is encrypted (password-protected), or is an old .xls file "
                "renamed: save it as an .xlsx workbook without a password"
            )
        if not head.startswith(_ZIP):
            self._refuse("not an .xlsx workbook (save the spreadsheet as Excel Workbook .xlsx)")
        try:
            self._zip = zipfile.ZipFile(self.path)
            self._members = _sheet_members(self._zip)
        except (*_DAMAGED, KeyError) as exc:
            self._refuse(f"not an .xlsx workbook: damaged or of another kind ({_reason(exc)})")
        try:
            import python_calamine

            self._book = python_calamine.CalamineWorkbook.from_path(str(self.path))
        except Exception as exc:  # calamine's errors have no common base with ours
            self._zip.close()
            self._refuse(f"cannot read the workbook: {_reason(exc)}")
        for name in self._members:
            if name not in FILES and name != NOTES_SHEET:
                self.notes.append(f"sheet {name!r} is not a table of the dataset; ignored")

    def _refuse(self, reason: str):
        raise DatasetInvalid([Problem(self.file, None, None, None, reason)])

    # -- the interface loaders.dataset reads every dataset through --------------------

    def table(self, name: str) -> Table:
        return Table(FILES[name], self.file, name)

    def has(self, name: str) -> bool:
        return name in self._members

    def missing(self, name: str) -> str:
        """Why table ``name`` is missing, with the sheet that was perhaps meant."""
        reason = f"this {'required ' if name in REQUIRED_FILES else ''}sheet is missing"
        near = [s for s in self._members if s.strip().lower().removesuffix(".csv") == name]
        if near:
            reason += f" (sheet {near[0]!r} is there: name it {name!r})"
        return reason

    def close(self) -> None:
        self._zip.close()
        self._book.close()

    def _date_styles(self) -> frozenset[int]:
        """Indexes of the cell styles whose number format is a date or a time."""
        if self._dates is None:
            self._dates = _date_styles(self._zip)
        return self._dates

    def rows(self, table: Table, errors: _Collector) -> Iterator[tuple[int, dict[str, str]]]:
        """Yield ``(row, {column: text})`` of one sheet, header checked; problems to ``errors``."""
        name = table.spec.name
        try:
            scan = _scan(self._zip, self._members[name], self._date_styles())
        except _DAMAGED as exc:
            errors.fatal(table, None, None, None, f"cannot read the sheet: {_reason(exc)}")
            return
        if scan.too_big(table, errors):
            return
        if scan.unreadable:
            for number, _column, reason in scan.unreadable:
                errors.fatal(table, number, None, None, reason)
            return
        try:
            sheet = self._book.get_sheet_by_name(name)
        except Exception as exc:  # calamine's errors have no common base with ours
            errors.fatal(table, None, None, None, f"cannot read the sheet: {_reason(exc)}")
            return
        if sheet.start is None:
            errors.fatal(table, None, None, None, "the sheet is empty (no header in row 1)")
            return
        top, left = sheet.start
        rows = _numbered(sheet.iter_rows(), table, errors)
        if top > 0 or left > 0:
            cell = f"{column_letter(left)}{top + 1}"
            where = "row 1 is empty" if top > 0 else "column A is empty"
            errors.fatal(
                table,
                1,
                None,
                None,
                f"the header must be in row 1 from column A, but {where} (the first filled "
                f"cell is {cell}): delete the empty rows or columns above or left of it",
            )
            return
        first = next(rows, None)
        if first is None:
            return  # row 1 could not be read: reported
        header = [cell_text(v).strip() for v in first[1]]
        while header and not header[-1]:
            header.pop()
        if not _header_in_row_1(header, table, rows, errors):
            return
        if not check_header([h for h in header if h], table, errors):
            return
        merged = _merged(sheet, header, table, errors)
        for number, column, reason in scan.bad_cells:
            name = header[column] if column < len(header) and header[column] else None
            errors.add(table, number, name, None, reason)
        width = len(header)
        named = [(i, h) for i, h in enumerate(header) if h]
        unnamed = [i for i, h in enumerate(header) if not h]
        for index, raw in rows:
            cells = [v if type(v) is str else cell_text(v) for v in raw]
            if index in merged:
                for col, value in merged[index].items():
                    if col < len(cells):
                        cells[col] = value
            if not "".join(cells).strip():
                continue  # an empty row
            if len(cells) > width or unnamed:
                for col in (*unnamed, *range(width, len(cells))):
                    if col < len(cells) and cells[col].strip():
                        errors.add(
                            table,
                            index,
                            None,
                            cells[col],
                            f"a value in column {column_letter(col)}, which has no header",
                        )
            if len(cells) < width:
                cells += [""] * (width - len(cells))
            yield index, {h: cells[i] for i, h in named}


def _numbered(rows, table: Table, errors: _Collector) -> Iterator[tuple[int, list]]:
    """``(row number, cells)`` from row 1; a row the Rust reader fails on ends the sheet.

    calamine panics (pyo3's ``PanicException``, a ``BaseException``) on a few
    cells, such as a large negative number in a date-formatted cell; that is
    one problem naming the row, not a traceback.
    """
    number = 1
    while True:
        try:
            raw = next(rows)
        except StopIteration:
            return
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # see above
            errors.fatal(
                table,
                number,
                None,
                None,
                f"a cell in this row cannot be read ({_reason(exc)}): is a date or time "
                f"far out of range, or a negative number formatted as a date?",
            )
            return
        yield number, raw
        number += 1


def _header_in_row_1(header: list[str], table: Table, rows, errors: _Collector) -> bool:
    """False (with the problem recorded) when row 1 is a title and the header is below it."""
    wanted = set(table.spec.required_columns)
    if wanted <= set(header):
        return True
    # not consumed: these rows are read only to name where the header is
    for number, raw in rows:
        if number > 11:
            break
        if wanted <= {cell_text(v).strip() for v in raw}:
            errors.fatal(
                table,
                number,
                None,
                None,
                f"the header is in row {number}; it must be in row 1 (delete the rows above it)",
            )
            return False
    return True


def _merged(sheet, header: list[str], table: Table, errors: _Collector) -> dict:
    """Report every merged range; return, per row, the cells a merge covers and its value.

    The covered cells are given the merged value (what the spreadsheet shows), so
    the merge is the one problem reported, not a blank cell under it.
    """
    ranges = sheet.merged_cell_ranges or []
    if not ranges:
        return {}
    try:
        grid = sheet.to_python(skip_empty_area=False)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # a cell the reader panics on: reported with its row
        grid = []
    covered: dict[int, dict[int, str]] = {}
    for (r0, c0), (r1, c1) in sorted(ranges):
        first, last = f"{column_letter(c0)}{r0 + 1}", f"{column_letter(c1)}{r1 + 1}"
        name = header[c0] if c0 < len(header) and header[c0] else None
        errors.add(
            table,
            r0 + 1,
            name,
            None,
            f"cells {first}:{last} are merged; unmerge them and give every row its own value",
        )
        value = cell_text(grid[r0][c0]) if r0 < len(grid) and c0 < len(grid[r0]) else ""
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                covered.setdefault(r + 1, {})[c] = value
    return covered


class _Scan:
    """What one pass over a sheet's XML found."""

    def __init__(self) -> None:
        #: The last row and column (0 is A) with a cell; ``last_row`` is 0 when not needed.
        self.last_row = 0
        self.last_column = 0
        #: ``(row, column index, reason)`` of cells calamine would read as empty.
        self.bad_cells: list[tuple[int, int, str]] = []
        #: ``(row, column index, reason)`` of cells calamine cannot read at all.
        self.unreadable: list[tuple[int, int, str]] = []

    def too_big(self, table: Table, errors: _Collector) -> bool:
        corner = f"{column_letter(self.last_column)}{self.last_row}"
        if self.last_row > MAX_ROWS or self.last_column >= MAX_COLUMNS:
            errors.fatal(
                table,
                None,
                None,
                None,
                f"the sheet has a cell at {corner}, past Excel's limits of "
                f"{MAX_ROWS:,} rows and {MAX_COLUMNS:,} columns (XFD)",
            )
            return True
        cells = self.last_row * (self.last_column + 1)
        if cells > MAX_CELLS:
            errors.fatal(
                table,
                None,
                None,
                None,
                f"the sheet's used area reaches {corner} ({cells:,} cells, more than "
                f"{MAX_CELLS:,}): delete the stray cells far from the data "
                f"(Ctrl+End shows the last one)",
            )
            return True
        return False


def _scan(book: zipfile.ZipFile, member: str, date_styles: frozenset[int]) -> _Scan:
    """Stream a sheet's XML once: how far its cells reach, and formulas with no saved value.

    Only references past column Z or past row 999,999 are parsed (a table
    rarely has them); the exact last row is read, in a second pass, only for a
    sheet reaching past column Z. A sheet within column Z has at most
    27,262,976 cells, under :data:`MAX_CELLS`.
    """
    scan = _Scan()
    widest = 25
    has_formula = has_error = has_negative = False
    tail = b""
    with book.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            buf = tail + chunk
            for letters, number, tall in _FAR.findall(buf):
                if letters:
                    column = MAX_COLUMNS if len(letters) > 3 else _column_index(letters.decode())
                    widest = max(widest, column)
                scan.last_row = max(scan.last_row, int(number or tall))
            if not has_formula and (b"<f" in buf or b":f" in buf):
                has_formula = _FORMULA.search(buf) is not None
            has_error = has_error or any(e in buf for e in _ERRORS)
            has_negative = has_negative or b"v>-" in buf
            tail = buf[-_OVERLAP:]
    scan.last_column = widest
    if widest > 25 and scan.last_row <= MAX_ROWS:
        with book.open(member) as fh:
            tail = b""
            while chunk := fh.read(_CHUNK):
                buf = tail + chunk
                rows = _ANY_ROW.findall(buf)
                if rows:
                    scan.last_row = max(scan.last_row, *map(int, rows))
                tail = buf[-_OVERLAP:]
    if has_formula or has_error or has_negative:
        scan.bad_cells, scan.unreadable = _bad_cells(book, member, date_styles)
    return scan


def _bad_cells(
    book: zipfile.ZipFile, member: str, date_styles: frozenset[int]
) -> tuple[list, list]:
    """``(row, column index, reason)`` of the cells calamine misreads, and of those it cannot read.

    It reads a formula without a saved value and a spreadsheet error (``#N/A``,
    ``#REF!``, ...) as an empty cell, and it panics on a negative number in a
    date-formatted cell (a date before 1900), so that sheet is not given to it.
    """
    found: list[tuple[int, int, str]] = []
    unreadable: list[tuple[int, int, str]] = []
    main = f"{{{_NS['main']}}}"
    with book.open(member) as fh:
        for _event, elem in ElementTree.iterparse(fh, events=("end",)):
            if elem.tag != main + "c":
                continue
            value = elem.find(main + "v")
            saved = value is not None and bool(value.text) or elem.find(main + "is") is not None
            reason = None
            if elem.get("t") == "e":
                shown = value.text if value is not None and value.text else "an error"
                reason = (
                    f"the cell shows the spreadsheet error {shown}: correct it or type the value"
                )
            elif elem.find(main + "f") is not None and not saved:
                reason = (
                    "a formula without a saved value: open the workbook in a spreadsheet "
                    "program and save it, or paste the values instead of the formula"
                )
            match = re.fullmatch(r"([A-Z]+)(\d+)", elem.get("r", ""))
            if reason and match:
                found.append((int(match[2]), _column_index(match[1]), reason))
            if (
                match
                and elem.get("t", "n") == "n"
                and value is not None
                and (value.text or "").startswith("-")
                and int(elem.get("s", "0") or 0) in date_styles
            ):
                unreadable.append(
                    (
                        int(match[2]),
                        _column_index(match[1]),
                        f"cell {match[0]} holds a negative number formatted as a date (a "
                        f"spreadsheet date cannot be before 1900): type the date as text "
                        f"YYYY-MM-DD or correct the number",
                    )
                )
            elem.clear()
    return found, unreadable


#: Excel's built-in number formats that show a date or a time.
_BUILTIN_DATES = frozenset((*range(14, 23), *range(27, 37), 45, 46, 47, *range(50, 59)))


def _date_styles(book: zipfile.ZipFile) -> frozenset[int]:
    """Indexes (a cell's ``s``) of the styles whose number format shows a date or a time."""
    try:
        styles = ElementTree.fromstring(book.read("xl/styles.xml"))
    except KeyError:
        return frozenset()
    custom = {
        int(f.get("numFmtId", "-1")): f.get("formatCode", "")
        for f in styles.iterfind("main:numFmts/main:numFmt", _NS)
    }
    dates = set()
    for index, xf in enumerate(styles.iterfind("main:cellXfs/main:xf", _NS)):
        number_format = int(xf.get("numFmtId", "0") or 0)
        code = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", custom.get(number_format, "").lower())
        if number_format in _BUILTIN_DATES or re.search(r"[dmyhs]", code):
            dates.add(index)
    return frozenset(dates)


def _sheet_members(book: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name → its XML part in the package, in workbook order."""
    workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    members: dict[str, str] = {}
    for sheet in workbook.iterfind("main:sheets/main:sheet", _NS):
        target = targets.get(sheet.get(_R_ID), "")
        if not target.lower().endswith(".xml"):
            continue  # a chart sheet or a macro sheet: not a table
        path = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        members[sheet.get("name", "")] = str(PurePosixPath(path))
    for member in members.values():
        book.getinfo(member)  # KeyError: a damaged package
    return members


def _reason(exc: Exception) -> str:
    """One line of a reader's exception."""
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
