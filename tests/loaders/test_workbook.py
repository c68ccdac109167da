"""Workbooks in: the same rows and the same rules as CSV, and a catalogue of bad workbooks."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from loaders.dataset import DatasetInvalid, iter_records, validate_dataset
from loaders.spec import FILE_ORDER

from .test_load import _snapshot
from .test_load import loaded_tiny as loaded_tiny  # the module's fixture, shared
from .workbooks import edit_sheet_xml, folder_to_workbook

TINY = Path(__file__).resolve().parent.parent / "fixtures" / "tiny"
SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture
def tiny_book(tmp_path) -> Path:
    return folder_to_workbook(TINY, tmp_path / "coalition.xlsx")


def _problems(path) -> list:
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(path)
    assert "Traceback" not in info.value.message()
    return info.value.problems


def _edit_cells(path: Path, sheet: str, cells: dict[str, object]) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)


@pytest.mark.parametrize("folder", [TINY, SAMPLE], ids=["tiny", "sample_data"])
@pytest.mark.parametrize("typed", [True, False], ids=["spreadsheet-types", "all-text"])
def test_a_workbook_yields_exactly_the_rows_of_its_csv_files(tmp_path, folder, typed):
    book = folder_to_workbook(folder, tmp_path / "d.xlsx", typed=typed)
    assert validate_dataset(book).rows == validate_dataset(folder).rows
    for name in FILE_ORDER:
        assert list(iter_records(book, name)) == list(iter_records(folder, name)), name


def test_numbers_in_id_cells_are_text_without_a_decimal_point(tiny_book):
    # a number cell 7 is "7" and Excel's float 7.0 is "7" too; "007" survives as a text cell
    _edit_cells(tiny_book, "movements", {"A5": 7, "B5": "Seven"})
    _edit_cells(tiny_book, "groups", {"A8": "007", "C8": 7.0, "C2": 7})
    rows = {row["group_id"]: row for _, row in iter_records(tiny_book, "groups")}
    assert rows["007"]["movements"] == "7"
    assert rows["g1"]["movements"] == "7"
    assert [r["movement_id"] for _, r in iter_records(tiny_book, "movements")][-1] == "7"
    validate_dataset(tiny_book)


def test_real_dates_and_iso_text_both_work(tiny_book):
    _edit_cells(tiny_book, "actions", {"D2": date(2016, 5, 1), "D3": "2018-06-02"})
    _edit_cells(tiny_book, "actions", {"E2": datetime(2016, 5, 3)})
    rows = [r for _, r in iter_records(tiny_book, "actions")]
    assert [r["start_date"] for r in rows] == ["2016-05-01", "2018-06-02"]
    assert rows[0]["end_date"] == "2016-05-03"
    validate_dataset(tiny_book)


def test_extra_sheets_are_ignored_with_a_note(tiny_book):
    book = openpyxl.load_workbook(tiny_book)
    book.create_sheet("Notes")["A1"] = "not data"
    book.save(tiny_book)
    report = validate_dataset(tiny_book)
    assert report.notes == ["sheet 'Notes' is not a table of the dataset; ignored"]
    assert report.rows["groups"] == 7


def test_a_formula_is_read_as_its_saved_value(tiny_book):
    # openpyxl saves formulas without values; add the value a spreadsheet program saves
    _edit_cells(tiny_book, "groups", {"H2": "=20*2"})
    edit_sheet_xml(
        tiny_book, "groups", lambda x: x.replace("<f>20*2</f><v />", "<f>20*2</f><v>40</v>")
    )
    (row, *_) = [r for _, r in iter_records(tiny_book, "groups")]
    assert row["size"] == "40"
    validate_dataset(tiny_book)


def _set(sheet, cells):
    return lambda path: _edit_cells(path, sheet, cells)


def _title_row(path):
    book = openpyxl.load_workbook(path)
    book["groups"].insert_rows(1)
    book["groups"]["A1"] = "Our groups, 2024"
    book.save(path)


def _blank_first_row(path):
    book = openpyxl.load_workbook(path)
    book["movements"].insert_rows(1)
    book.save(path)


def _merge(path):
    book = openpyxl.load_workbook(path)
    book["groups"].merge_cells("D2:D3")
    book.save(path)


def _rename(old, new):
    def edit(path):
        book = openpyxl.load_workbook(path)
        book[old].title = new
        book.save(path)

    return edit


def _drop(name):
    def edit(path):
        book = openpyxl.load_workbook(path)
        del book[name]
        book.save(path)

    return edit


def _cell_ref(old, new, sheet="members"):
    return lambda path: edit_sheet_xml(path, sheet, lambda x: x.replace(f'r="{old}"', f'r="{new}"'))


def _far_cell(ref):
    return lambda path: _edit_cells(path, "members", {ref: "stray"})


def _negative_date(path):
    # a date cell holding a large negative number (the Rust reader would panic on it)
    book = openpyxl.load_workbook(path)
    cell = book["actions"]["D3"]
    assert cell.is_date
    cell.value = -(10**12)
    book.save(path)


def _replace_file(data: bytes):
    return lambda path: path.write_bytes(data)


def _zip_of_something_else(path):
    import zipfile

    path.unlink()
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")


# (edit, expected problem: (file, sheet, row, column, value), reason fragment)
BAD_WORKBOOKS = [
    pytest.param(
        _replace_file(b"group_id,name\ng1,x\n"),
        ("coalition.xlsx", None, None, None, None),
        "not an .xlsx workbook",
        id="not-a-workbook",
    ),
    pytest.param(
        _zip_of_something_else,
        ("coalition.xlsx", None, None, None, None),
        "not an .xlsx workbook",
        id="a-zip-but-not-a-workbook",
    ),
    pytest.param(
        # what Excel writes for a password-protected workbook: an OLE compound file
        _replace_file(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 504 + b"EncryptionInfo"),
        ("coalition.xlsx", None, None, None, None),
        "encrypted",
        id="encrypted",
    ),
    pytest.param(
        _replace_file(b""),
        ("coalition.xlsx", None, None, None, None),
        "not an .xlsx workbook",
        id="empty-file",
    ),
    pytest.param(
        _drop("groups"),
        ("coalition.xlsx", "groups", None, None, None),
        "this required sheet is missing",
        id="missing-required-sheet",
    ),
    pytest.param(
        _rename("groups", "Groups.csv"),
        ("coalition.xlsx", "groups", None, None, None),
        "sheet 'Groups.csv' is there: name it 'groups'",
        id="sheet-name-in-capitals",
    ),
    pytest.param(
        _title_row,
        ("coalition.xlsx", "groups", 2, None, None),
        "the header is in row 2; it must be in row 1",
        id="header-under-a-title",
    ),
    pytest.param(
        _blank_first_row,
        ("coalition.xlsx", "movements", 1, None, None),
        "row 1 is empty",
        id="header-not-in-row-1",
    ),
    pytest.param(
        _merge,
        ("coalition.xlsx", "groups", 2, "city", None),
        "cells D2:D3 are merged",
        id="merged-cells",
    ),
    pytest.param(
        _cell_ref("A2", "XFE2"),
        ("coalition.xlsx", "members", None, None, None),
        "past Excel's limits",
        id="past-the-last-column",
    ),
    pytest.param(
        _cell_ref("A7", "A1048577"),
        ("coalition.xlsx", "members", None, None, None),
        "past Excel's limits",
        id="past-the-last-row",
    ),
    pytest.param(
        _far_cell("XFD1048576"),
        ("coalition.xlsx", "members", None, None, None),
        "used area reaches XFD1048576",
        id="stray-cell-in-the-far-corner",
    ),
    pytest.param(
        _set("groups", {"H3": "=A1*2"}),
        ("coalition.xlsx", "groups", 3, "size", None),
        "a formula without a saved value",
        id="formula-without-value",
    ),
    pytest.param(
        lambda path: (
            _edit_cells(path, "groups", {"B4": "=NA()"}),
            edit_sheet_xml(
                path,
                "groups",
                lambda x: x.replace(
                    '<c r="B4"><f>NA()</f><v /></c>', '<c r="B4" t="e"><f>NA()</f><v>#N/A</v></c>'
                ),
            ),
        ),
        ("coalition.xlsx", "groups", 4, "name", None),
        "the cell shows the spreadsheet error #N/A",
        id="spreadsheet-error",
    ),
    pytest.param(
        _negative_date,
        ("coalition.xlsx", "actions", 3, None, None),
        "cell D3 holds a negative number formatted as a date",
        id="negative-number-as-a-date",
    ),
    pytest.param(
        _set("members", {"E3": "note"}),
        ("coalition.xlsx", "members", 3, None, "note"),
        "a value in column E, which has no header",
        id="value-under-no-header",
    ),
    pytest.param(
        _set("actions", {"D2": "03/04/2024"}),
        ("coalition.xlsx", "actions", 2, "start_date", "03/04/2024"),
        "not an ISO 8601 date",
        id="date-as-text-not-iso",
    ),
    pytest.param(
        _set("actions", {"D2": datetime(2016, 5, 1, 9, 30)}),
        ("coalition.xlsx", "actions", 2, "start_date", "2016-05-01 09:30:00"),
        "not an ISO 8601 date",
        id="date-with-a-time",
    ),
    pytest.param(
        _set("memberships", {"B8": "g9"}),
        ("coalition.xlsx", "memberships", 8, "group_id", "g9"),
        "no such id in sheet groups",
        id="unknown-group",
    ),
    pytest.param(
        _set("resources", {"C2": "FUNDS`]->() DELETE"}),
        ("coalition.xlsx", "resources", 2, "type", "FUNDS`]->() DELETE"),
        "not one of",
        id="enum-injection",
    ),
    pytest.param(
        _set("groups", {"H2": 12.5}),
        ("coalition.xlsx", "groups", 2, "size", "12.5"),
        "not a whole number",
        id="fraction-in-a-whole-number",
    ),
    pytest.param(
        _set("movements", {"B3": None}),
        ("coalition.xlsx", "movements", 3, "name", ""),
        "a required cell is blank",
        id="blank-required",
    ),
    pytest.param(
        _set("groups", {"A7": "g5"}),
        ("coalition.xlsx", "groups", 7, "group_id", "g5"),
        "duplicate id; first on line 6",
        id="duplicate-id",
    ),
    pytest.param(
        _set("members", {"B1": "member_id"}),
        ("coalition.xlsx", "members", 1, "member_id", "member_id"),
        "appears twice in the header",
        id="duplicate-header",
    ),
]


@pytest.mark.parametrize(("edit", "expected", "reason"), BAD_WORKBOOKS)
def test_bad_workbook_is_reported_precisely(tiny_book, edit, expected, reason):
    edit(tiny_book)
    problems = _problems(tiny_book)
    found = {(p.file, p.sheet, p.line, p.column, p.value): p for p in problems}
    assert expected in found, "\n".join(map(str, problems))
    problem = found[expected]
    assert reason in problem.reason, str(problem)
    text = str(problem)
    file, sheet, row, *_ = expected
    assert text.startswith(file)
    assert sheet is None or f"sheet {sheet}" in text
    assert row is None or f"row {row}" in text


def test_merged_cells_are_the_one_problem(tiny_book):
    _merge(tiny_book)
    assert [p.reason for p in _problems(tiny_book)] == [
        "cells D2:D3 are merged; unmerge them and give every row its own value"
    ]


def test_an_unreadable_groups_sheet_gives_one_problem(tiny_book):
    _edit_cells(tiny_book, "groups", {"A1": "id"})
    (problem,) = _problems(tiny_book)
    assert (problem.sheet, problem.line, problem.column) == ("groups", 1, "group_id")
    assert "references to sheet groups were not checked" in problem.reason


def test_the_message_names_workbook_sheet_row_column_value(tiny_book):
    _edit_cells(tiny_book, "memberships", {"B8": "g9"})
    (problem,) = _problems(tiny_book)
    assert str(problem) == (
        "coalition.xlsx, sheet memberships, row 8, column group_id: 'g9': "
        "no such id in sheet groups"
    )


def test_a_missing_workbook():
    assert "no such workbook" in _problems(Path("/nonexistent/coalition.xlsx"))[0].reason


# -- into the store: the same graph as from CSV, and nothing written when anything is wrong --


@pytest.mark.store
def test_loading_the_workbook_gives_the_same_graph_as_its_csv_files(empty_store, tiny_book):
    from graph.schema import LOAD_STATE
    from loaders.load import load_dataset

    def graph() -> list[str]:  # every node and relationship but the load's own bookkeeping
        return [item for item in _snapshot(empty_store) if f"'{LOAD_STATE}'" not in item]

    load_dataset(TINY, empty_store)
    from_csv = graph()
    empty_store.run("MATCH (n) DETACH DELETE n")
    load_dataset(tiny_book, empty_store)
    assert graph() == from_csv and len(from_csv) > 40


@pytest.mark.store
@pytest.mark.parametrize(("edit", "expected", "reason"), BAD_WORKBOOKS)
def test_every_bad_workbook_leaves_the_store_unchanged(
    loaded_tiny, tiny_book, edit, expected, reason
):
    from loaders.load import load_dataset

    before = _snapshot(loaded_tiny)
    # an edit that would otherwise be written, so a partial write would show
    _edit_cells(tiny_book, "groups", {"B7": "Renamed Tenants"})
    edit(tiny_book)
    with pytest.raises(DatasetInvalid) as info:
        load_dataset(tiny_book, loaded_tiny)
    assert expected in [(p.file, p.sheet, p.line, p.column, p.value) for p in info.value.problems]
    assert _snapshot(loaded_tiny) == before
