"""`coalition template`, `validate` and `load` with workbooks, run for real."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from ..loaders.test_load import expected_counts
from ..loaders.workbooks import folder_to_workbook

pytestmark = pytest.mark.store

TINY = Path(__file__).resolve().parents[1] / "fixtures" / "tiny"


def test_template_then_validate_names_the_empty_sheet(cli, tmp_path):
    path = tmp_path / "coalition.xlsx"
    made = cli("template", "--out", str(path), database=None)
    assert made.returncode == 0, made.stderr
    assert openpyxl.load_workbook(path).sheetnames[0] == "movements"
    again = cli("template", "--out", str(path), database=None)
    assert again.returncode == 1 and "already exists" in again.stderr
    checked = cli("validate", str(path), database=None)
    assert checked.returncode == 1
    assert "coalition.xlsx, sheet movements: the sheet has a header but no rows" in checked.stderr
    assert "Traceback" not in checked.stderr + again.stderr


def test_validate_a_bad_workbook_without_traceback(cli, tmp_path):
    path = folder_to_workbook(TINY, tmp_path / "coalition.xlsx")
    book = openpyxl.load_workbook(path)
    book["memberships"]["B8"] = "g9"
    book.save(path)
    result = cli("validate", str(path), database=None)
    assert result.returncode == 1
    assert (
        "coalition.xlsx, sheet memberships, row 8, column group_id: 'g9': "
        "no such id in sheet groups" in result.stderr
    )
    assert "Traceback" not in result.stderr + result.stdout


def test_an_encrypted_workbook_is_one_message(cli, tmp_path):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\0" * 600)
    result = cli("load", str(path))
    assert result.returncode == 1 and "encrypted" in result.stderr
    assert "Traceback" not in result.stderr


def test_load_a_workbook_gives_the_csv_counts_and_notes_extra_sheets(cli, tmp_path):
    from graph.store import StoreConfig, open_store

    path = folder_to_workbook(TINY, tmp_path / "coalition.xlsx")
    book = openpyxl.load_workbook(path)
    book.create_sheet("Pivot")["A1"] = 1
    book.save(path)
    result = cli("load", str(path), database="workbookcli")
    assert result.returncode == 0, result.stderr
    assert "note: sheet 'Pivot' is not a table of the dataset; ignored" in result.stderr
    config = StoreConfig.from_env(database="workbookcli")
    with open_store(config) as store:
        assert store.counts() == expected_counts(TINY)
