"""The workbook reader never crashes (property-based), as the CSV reader is fuzzed.

Cells of any type land anywhere in a sheet, and the bytes of a sheet's XML are
mutated; every outcome is either a valid report or problems that each name
the workbook, a table's sheet (or none) and, where there is one, a row.
"""

from __future__ import annotations

import zipfile
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loaders.dataset import DatasetInvalid, Problem, validate_dataset
from loaders.spec import FILES

from .test_fuzz_validation import _mutate, edits
from .workbooks import folder_to_workbook

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny"
SHEETS = sorted(FILES)
BOOK = "coalition.xlsx"


def _check_outcome(path: Path) -> None:
    try:
        report = validate_dataset(path)
    except DatasetInvalid as exc:
        assert exc.problems, "an invalid dataset must say why"
        for problem in exc.problems:
            assert isinstance(problem, Problem)
            assert problem.file == BOOK
            assert problem.sheet is None or problem.sheet in SHEETS
            assert problem.line is None or (isinstance(problem.line, int) and problem.line >= 1)
            assert problem.reason
        assert str(exc)
    else:
        assert report.rows["groups"] >= 1 and report.rows["movements"] >= 1


cells = st.one_of(
    st.none(),
    st.text(max_size=20),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.times(),
    st.sampled_from(["=1+1", "=A1", "007", "g1", "blm", "2016-05-01", " ", "a;b;;c"]),
)
placed = st.tuples(st.integers(1, 12), st.integers(1, 10), cells)


def _legal(value):
    """openpyxl refuses control characters in strings: the reader's own test covers them."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sheet=st.sampled_from(SHEETS), changes=st.lists(placed, max_size=8), merge=st.booleans())
def test_any_cells_anywhere_give_data_or_row_numbered_errors(
    tmp_path_factory, sheet, changes, merge
):
    path = folder_to_workbook(TINY, tmp_path_factory.mktemp("fuzz") / BOOK)
    book = openpyxl.load_workbook(path)
    for row, column, value in changes:
        book[sheet].cell(row=row, column=column).value = _legal(value)
    if merge and changes:
        row, column, _ = changes[0]
        book[sheet].merge_cells(
            start_row=row, start_column=column, end_row=row + 1, end_column=column
        )
    book.save(path)
    _check_outcome(path)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sheet=st.integers(1, len(SHEETS)), changes=edits, whole=st.booleans())
def test_mutated_xml_or_bytes_give_data_or_errors(tmp_path_factory, sheet, changes, whole):
    path = folder_to_workbook(TINY, tmp_path_factory.mktemp("fuzz") / BOOK)
    if whole:
        path.write_bytes(_mutate(path.read_bytes(), changes))
    else:
        member = f"xl/worksheets/sheet{sheet}.xml"
        copy = path.with_suffix(".orig")
        path.rename(copy)
        with zipfile.ZipFile(copy) as old, zipfile.ZipFile(path, "w") as new:
            for info in old.infolist():
                data = old.read(info)
                new.writestr(info, _mutate(data, changes) if info.filename == member else data)
    _check_outcome(path)


def test_time_cells_are_text_not_a_crash(tmp_path):
    path = folder_to_workbook(TINY, tmp_path / BOOK)
    book = openpyxl.load_workbook(path)
    book["actions"]["D2"] = time(9, 30)
    book.save(path)
    _check_outcome(path)
