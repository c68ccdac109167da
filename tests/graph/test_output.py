"""Writing reports: every format carries the same columns; undefined values stay empty."""

from __future__ import annotations

import csv
import json

import pytest

from graph.errors import UsageError
from graph.output import FORMATS, write_table

ROWS = [
    {"group_id": "g1", "score": 0.5, "flag": True, "extra": "dropped"},
    {"group_id": "g2", "score": float("nan"), "flag": False},
    {"group_id": "g3", "score": None, "flag": None},
]
COLUMNS = ("group_id", "score", "flag")


def test_csv_has_the_columns_in_order_and_empty_cells_for_undefined(tmp_path):
    path = write_table(tmp_path / "t", COLUMNS, ROWS, "csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert rows == [
        ["group_id", "score", "flag"],
        ["g1", "0.5", "true"],
        ["g2", "", "false"],
        ["g3", "", ""],
    ]


def test_json_and_parquet_carry_the_same_columns_and_nulls(tmp_path):
    import pandas as pd

    data = json.loads(write_table(tmp_path / "t", COLUMNS, ROWS, "json").read_text())
    assert [list(r) for r in data] == [list(COLUMNS)] * 3
    assert [r["score"] for r in data] == [0.5, None, None]
    frame = pd.read_parquet(write_table(tmp_path / "t", COLUMNS, ROWS, "parquet"))
    assert list(frame.columns) == list(COLUMNS)
    assert frame["score"].isna().tolist() == [False, True, True]


def test_an_unknown_format_is_a_usage_error_naming_the_choices(tmp_path):
    with pytest.raises(UsageError, match=", ".join(FORMATS)):
        write_table(tmp_path / "t", COLUMNS, ROWS, "xlsx")
