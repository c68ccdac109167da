"""An empty dataset workbook for data stewards: every sheet, its header, notes, drop-downs.

Everything in it comes from :data:`loaders.spec.FILES` (sheets, columns, which
are required, their descriptions) and, through it, from :mod:`graph.schema`
(the allowed roles and resource types), so the template cannot disagree with
what ``coalition validate`` accepts.
"""

from __future__ import annotations

from pathlib import Path

from graph.errors import UsageError
from loaders.spec import (
    FILE_ORDER,
    FILES,
    NOTES_SHEET,
    REQUIRED_FILES,
    WORKBOOK_SUFFIX,
    Column,
    is_workbook,
)

__all__ = ["write_template"]

#: Excel's formats: text (so ``007`` stays ``007``) and ISO dates.
_TEXT = "@"
_DATE = "yyyy-mm-dd"
#: Rows the drop-downs and formats cover (Excel's last row).
_LAST_ROW = 1_048_576


def write_template(path: str | Path) -> Path:
    """Write an empty dataset workbook to ``path`` (a new ``.xlsx`` file).

    Parameters
    ----------
    path : str or Path
        Where to write it; must end in ``.xlsx`` and must not exist yet.

    Returns
    -------
    Path
        The written workbook.

    Raises
    ------
    graph.errors.UsageError
        If ``path`` is not an ``.xlsx`` name or already exists.

    Notes
    -----
    One sheet per table, named as :mod:`loaders.workbook` reads them, with the
    header in row 1 (required columns in bold) and frozen; id and text
    columns are formatted as text, so ``007`` stays ``007``; date columns show
    ``YYYY-MM-DD``; every enumeration (roles, resource types) is a drop-down
    that refuses other values. A last sheet, ``notes``, explains each column.
    Filling it in and running ``coalition load`` on it works as it is.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from loaders.workbook import column_letter

    path = Path(path)
    if not is_workbook(path):
        raise UsageError(f"{path}: the template is a workbook; give a name ending in .xlsx")
    if path.exists():
        raise UsageError(f"{path} already exists; give a new name (nothing was written)")
    book = Workbook()
    book.remove(book.active)
    bold = Font(bold=True)
    for name in FILE_ORDER:
        spec = FILES[name]
        sheet = book.create_sheet(name)
        sheet.append(list(spec.column_names))
        sheet.freeze_panes = "A2"
        for index, column in enumerate(spec.columns):
            letter = column_letter(index)
            cell = sheet.cell(row=1, column=index + 1)
            if column.required:
                cell.font = bold
            dimension = sheet.column_dimensions[letter]
            dimension.width = max(12, len(column.name) + 4)
            dimension.number_format = _DATE if column.kind == "date" else _format(column)
            if column.enum is not None:
                choices = ",".join(column.enum)
                if len(choices) > 255:  # pragma: no cover - Excel's limit; the schema is shorter
                    raise ValueError(f"{name}.{column.name}: too many values for a drop-down")
                check = DataValidation(
                    type="list",
                    formula1=f'"{choices}"',
                    allow_blank=not column.required,
                    showErrorMessage=True,
                    errorTitle=f"{column.name}: not allowed",
                    error=f"One of: {', '.join(column.enum)}",
                    promptTitle=column.name,
                    prompt=column.description[:255],
                    showInputMessage=True,
                )
                check.add(f"{letter}2:{letter}{_LAST_ROW}")
                sheet.add_data_validation(check)
    _notes(book.create_sheet(NOTES_SHEET), bold)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    book.save(partial)
    partial.replace(path)
    return path


def _format(column: Column) -> str:
    """Text for everything but whole numbers, so a spreadsheet never turns an id into a number."""
    return "0" if column.kind in ("int", "year") else _TEXT


def _notes(sheet, bold) -> None:
    """One row per column of every table: what it is and what it may hold."""
    sheet.append(["sheet", "column", "required", "kind", "allowed values", "description"])
    for cell in sheet[1]:
        cell.font = bold
    for name in FILE_ORDER:
        spec = FILES[name]
        for column in spec.columns:
            sheet.append(
                [
                    name,
                    column.name,
                    "yes" if column.required else "",
                    _KIND_NOTES[column.kind],
                    ", ".join(column.enum) if column.enum else "",
                    column.description,
                ]
            )
    sheet.append([])
    required = ", ".join(n for n in FILE_ORDER if n in REQUIRED_FILES)
    for line in (
        f"The sheets {required} need at least one row; the others may stay empty.",
        "Ids are text: type them into cells formatted as text (as here), so 007 stays 007.",
        "Dates are real dates or text as YYYY-MM-DD. Keep the header in row 1; do not merge cells.",
        f"Save as Excel Workbook ({WORKBOOK_SUFFIX}); check it: coalition validate FILE",
    ):
        sheet.append([line])
    for letter, width in zip("ABCDEF", (16, 16, 9, 30, 40, 80), strict=True):
        sheet.column_dimensions[letter].width = width


#: How the notes sheet describes each kind of column.
_KIND_NOTES = {
    "id": "id (text)",
    "text": "text",
    "enum": "one of the allowed values",
    "idlist": "ids separated by ;",
    "date": "date (YYYY-MM-DD)",
    "year": "year (whole number)",
    "int": "whole number, 0 or more",
}
