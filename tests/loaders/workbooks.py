"""Making test workbooks: a CSV dataset folder as an ``.xlsx`` workbook, and raw XML edits.

Written with openpyxl, the way a spreadsheet program saves them; read back by
the product's own reader (:mod:`loaders.workbook`), which shares no code with this.
"""

from __future__ import annotations

import csv
import shutil
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import openpyxl

from loaders.spec import FILES


def folder_to_workbook(folder: Path, path: Path, *, typed: bool = True) -> Path:
    """Write the CSV files of ``folder`` as sheets of a new workbook at ``path``.

    With ``typed``, date columns become real spreadsheet dates and whole-number
    columns numbers, as a steward's spreadsheet has them; ids and text stay text.
    """
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, spec in FILES.items():
        source = folder / spec.filename
        if not source.exists():
            continue
        sheet = book.create_sheet(name)
        with open(source, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = next(reader)
            sheet.append(header)
            for row in reader:
                sheet.append(
                    [_typed(spec, h, v) if typed else v for h, v in zip(header, row, strict=True)]
                )
    book.save(path)
    return path


def _typed(spec, column: str, value: str):
    if not value or column not in spec.column_names:
        return value
    kind = spec.column(column).kind
    if kind == "date":
        return date.fromisoformat(value)
    if kind in ("int", "year"):
        return int(value)
    return value


def edit_sheet_xml(path: Path, sheet: str, edit: Callable[[str], str]) -> None:
    """Rewrite the XML of one sheet of the workbook at ``path`` (openpyxl's part names)."""
    book = openpyxl.load_workbook(path)
    member = f"xl/worksheets/sheet{book.sheetnames.index(sheet) + 1}.xml"
    copy = path.with_suffix(".tmp")
    shutil.move(path, copy)
    with zipfile.ZipFile(copy) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            if info.filename == member:
                text = data.decode("utf-8")
                changed = edit(text)
                assert changed != text, f"the edit changed nothing in {member}"
                data = changed.encode("utf-8")
            new.writestr(info, data)
    copy.unlink()
