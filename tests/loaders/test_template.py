"""`coalition template`: every sheet and header, notes, drop-downs; filled in, it loads."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest

from graph.errors import UsageError
from graph.schema import ACTION_ROLES, RESOURCE_TYPES, SHARE_ROLES
from loaders.dataset import DatasetInvalid, validate_dataset
from loaders.load import load_dataset
from loaders.spec import FILE_ORDER, FILES, KINDS, NOTES_SHEET
from loaders.template import _KIND_NOTES, write_template


@pytest.fixture
def template(tmp_path):
    return write_template(tmp_path / "coalition.xlsx")


def test_every_sheet_and_header_from_the_spec(template):
    book = openpyxl.load_workbook(template)
    assert book.sheetnames == [*FILE_ORDER, NOTES_SHEET]
    for name in FILE_ORDER:
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        assert header == list(FILES[name].column_names)
        assert sheet.max_row == 1  # empty below the header
        bold = [c.value for c in sheet[1] if c.font.bold]
        assert bold == FILES[name].required_columns


def test_drop_downs_hold_exactly_the_schema_values(template):
    book = openpyxl.load_workbook(template)
    found = {}
    for name in FILE_ORDER:
        for check in book[name].data_validations.dataValidation:
            assert check.type == "list" and check.showErrorMessage
            found[(name, str(check.sqref))] = check.formula1.strip('"').split(",")
    assert found == {
        ("action_groups", "C2:C1048576"): list(ACTION_ROLES),
        ("resources", "C2:C1048576"): list(RESOURCE_TYPES),
        ("resource_shares", "C2:C1048576"): list(SHARE_ROLES),
    }
    assert "legal_aid" in RESOURCE_TYPES and "organizer" in ACTION_ROLES


def test_id_columns_are_text_and_dates_are_iso(template):
    book = openpyxl.load_workbook(template)
    assert book["groups"].column_dimensions["A"].number_format == "@"
    assert book["memberships"].column_dimensions["A"].number_format == "@"
    assert book["actions"].column_dimensions["D"].number_format == "yyyy-mm-dd"


def test_notes_explain_every_column(template):
    book = openpyxl.load_workbook(template)
    rows = list(book[NOTES_SHEET].iter_rows(values_only=True))
    assert rows[0][:2] == ("sheet", "column")
    described = {(r[0], r[1]): r[5] for r in rows[1:] if r[1]}
    expected = {(n, c.name): c.description for n in FILE_ORDER for c in FILES[n].columns}
    assert described == expected
    assert set(_KIND_NOTES) == set(KINDS)


def test_an_empty_template_is_one_problem_and_not_a_note(template):
    with pytest.raises(DatasetInvalid) as info:
        validate_dataset(template)
    (problem,) = info.value.problems
    assert (problem.sheet, problem.reason) == ("movements", "the sheet has a header but no rows")


@pytest.mark.parametrize("name", ["coalition.csv", "coalition"])
def test_only_an_xlsx_name(tmp_path, name):
    with pytest.raises(UsageError):
        write_template(tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_an_existing_file_is_never_overwritten(tmp_path):
    path = tmp_path / "mine.xlsx"
    path.write_bytes(b"the steward's own file")
    with pytest.raises(UsageError, match="already exists"):
        write_template(path)
    assert path.read_bytes() == b"the steward's own file"


def _fill(path):
    """Fill the template in as a steward would, with openpyxl."""
    book = openpyxl.load_workbook(path)
    book["movements"].append(["housing", "Housing Justice", "Homes for all"])
    book["movements"].append(["labour", "Labour", None])
    book["groups"].append(
        ["007", "Tenants United", "housing;labour", "Riverton", None, "US", 2011, 40]
    )
    book["groups"].append(["g2", "Union Local 9", "labour", None, None, None, None, None])
    book["members"].append(["m1", None, "Riverton"])
    book["memberships"].append(["m1", "007", "organizer", date(2019, 3, 1), None])
    book["memberships"].append(["m1", "g2", "member", "2020-01-15", date(2022, 6, 30)])
    book["actions"].append(["a1", "Rent strike", "protest", date(2021, 5, 1), None, "Riverton"])
    book["action_groups"].append(["a1", "007", "organizer"])
    book["action_groups"].append(["a1", "g2", "endorser"])
    book["resources"].append(["r1", "Strike fund", "funding"])
    book["resource_shares"].append(["r1", "g2", "provider", date(2021, 4, 1)])
    book["resource_shares"].append(["r1", "007", "recipient"])
    book.save(path)


@pytest.mark.store
def test_a_filled_in_template_loads(template, empty_store):
    _fill(template)
    report = validate_dataset(template)
    assert report.notes == []  # the notes sheet is not "ignored", it is the template's own
    load_dataset(template, empty_store)
    assert empty_store.counts() == {
        "Movement": 2,
        "Group": 2,
        "Member": 1,
        "Action": 1,
        "Resource": 1,
        "IN_MOVEMENT": 3,
        "MEMBER_OF": 2,
        "TOOK_PART_IN": 2,
        "SHARES": 2,
    }
    (group,) = empty_store.read(
        "MATCH (g:Group {id: '007'}) RETURN g.name AS name, g.founded AS founded, g.size AS size"
    )
    assert group == {"name": "Tenants United", "founded": 2011, "size": 40}
    spans = empty_store.read(
        "MATCH (:Member)-[r:MEMBER_OF]->(g:Group) "
        "RETURN g.id AS g, r.role AS role, r.start_date AS s, r.end_date AS e ORDER BY g"
    )
    assert spans == [
        {"g": "007", "role": "organizer", "s": "2019-03-01", "e": None},
        {"g": "g2", "role": "member", "s": "2020-01-15", "e": "2022-06-30"},
    ]
