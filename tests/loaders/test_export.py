"""`loaders.export`: the store's dataset back out, and loaded again into the same store.

The round trip is compared in full: every node with every property, every
relationship with its ends and its properties, read with plain Cypher here
(not through the product's read path), before and after.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from graph.errors import IncompleteLoad
from graph.schema import LOAD_STATE, MEMBER
from loaders.dataset import validate_dataset
from loaders.export import (
    MAX_CELL_CHARS,
    ExportRefused,
    export_dataset,
    write_workbook,
)
from loaders.load import load_dataset
from loaders.spec import DATAPACKAGE, FILES, datapackage_descriptor
from tests.conftest import FIXTURES, SAMPLE, wipe

pytestmark = pytest.mark.store


def dump(store) -> tuple[Counter, Counter]:
    """Every coalition node (labels, properties) and relationship (ends, type, properties)."""
    nodes = store.read(
        f"MATCH (n) WHERE NOT n:{LOAD_STATE} RETURN labels(n) AS labels, properties(n) AS props"
    )
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN labels(a) AS a_labels, a.id AS a, type(r) AS type, "
        "properties(r) AS props, labels(b) AS b_labels, b.id AS b"
    )
    return (
        Counter((tuple(sorted(n["labels"])), _frozen(n["props"])) for n in nodes),
        Counter(
            (
                tuple(sorted(r["a_labels"])),
                r["a"],
                r["type"],
                _frozen(r["props"]),
                tuple(sorted(r["b_labels"])),
                r["b"],
            )
            for r in rels
        ),
    )


def _frozen(props: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in props.items() if v is not None))


def csv_rows(folder: Path, name: str) -> tuple[list[str], Counter]:
    """A dataset file's header and its rows, each in the spec's column order (a column or a
    file the dataset leaves out is empty)."""
    path = folder / FILES[name].filename
    if not path.exists():
        return [], Counter()
    with open(path, encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    columns = FILES[name].column_names
    return header, Counter(
        tuple(dict(zip(header, r, strict=True)).get(c, "") for c in columns) for r in rows
    )


def test_sample_exports_its_own_files_and_loads_back_to_the_same_store(
    sample_store, empty_store, tmp_path
):
    out = tmp_path / "backup"
    summary = export_dataset(sample_store, out)
    assert summary.kind == "folder"
    # the same files, columns and rows as the sample itself (the generator wrote those)
    for name in FILES:
        assert csv_rows(out, name) == csv_rows(SAMPLE, name), name
        assert summary.rows[name] == sum(csv_rows(SAMPLE, name)[1].values())
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*(s.filename for s in FILES.values()), DATAPACKAGE]
    )
    package = json.loads((out / DATAPACKAGE).read_text())
    assert package["resources"] == datapackage_descriptor()["resources"]
    validate_dataset(out)
    load_dataset(out, empty_store)
    assert dump(empty_store) == dump(sample_store)


@pytest.mark.parametrize("fixture", ["tiny", "florentine", "southern_women"])
def test_fixture_round_trip_in_full(fixture, empty_store, tmp_path):
    load_dataset(FIXTURES / fixture, empty_store)
    before = dump(empty_store)
    assert sum(before[0].values()) and sum(before[1].values())
    out = tmp_path / "export"
    export_dataset(empty_store, out)
    for name, spec in FILES.items():  # every file, every column (empty where the fixture has none)
        header, rows = csv_rows(out, name)
        assert header == list(spec.column_names)
        assert rows == csv_rows(FIXTURES / fixture, name)[1], name
    wipe(empty_store)
    load_dataset(out, empty_store)
    assert dump(empty_store) == before
    again = tmp_path / "again"
    export_dataset(empty_store, again)
    for spec in FILES.values():  # the same store exports the same bytes
        assert (again / spec.filename).read_bytes() == (out / spec.filename).read_bytes()


def _awkward(dataset) -> Path:
    """tiny with values that a careless writer would change: leading zeros, formulas, error
    codes, quotes, commas, line breaks, spaces, non-Latin text."""
    d = dataset("tiny")
    groups = (d / "groups.csv").read_text(encoding="utf-8")
    groups = groups.replace("g1,Northside Defenders,blm", '0042,"=1+1, ""quoted""",blm')
    (d / "groups.csv").write_text(groups, encoding="utf-8")
    for name in ("memberships", "action_groups"):
        text = (d / f"{name}.csv").read_text(encoding="utf-8")
        (d / f"{name}.csv").write_text(text.replace(",g1,", ",0042,"), encoding="utf-8")
    movements = (d / "movements.csv").read_text(encoding="utf-8")
    movements = movements.replace(
        "queer,Queer Liberation,", 'queer,#N/A,"two\nlines ✊🏾 «Solidarität» 团结"'
    )
    (d / "movements.csv").write_text(movements, encoding="utf-8")
    members = (d / "members.csv").read_text(encoding="utf-8")
    (d / "members.csv").write_text(members.replace("m1,Alex,", "m1, Alex ,"), encoding="utf-8")
    return d


def test_awkward_values_survive_the_round_trip(empty_store, dataset, tmp_path):
    d = _awkward(dataset)
    load_dataset(d, empty_store)
    before = dump(empty_store)
    assert any(dict(props).get("id") == "0042" for _, props in before[0])
    out = tmp_path / "export"
    export_dataset(empty_store, out)
    wipe(empty_store)
    load_dataset(out, empty_store)
    assert dump(empty_store) == before


def workbook_rows(path: Path) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {
            sheet.title: [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
            for sheet in book.worksheets
        }
    finally:
        book.close()


@pytest.mark.parametrize("source", ["sample", "awkward"])
def test_workbook_holds_the_csv_export_cell_by_cell(
    source, sample_store, empty_store, dataset, tmp_path
):
    if source == "sample":
        store = sample_store
    else:
        load_dataset(_awkward(dataset), empty_store)
        store = empty_store
    folder, book = tmp_path / "folder", tmp_path / "coalition.xlsx"
    export_dataset(store, folder)
    assert export_dataset(store, book).kind == "workbook"
    sheets = workbook_rows(book)
    assert list(sheets) == list(FILES)
    for name, spec in FILES.items():
        with open(folder / spec.filename, encoding="utf-8", newline="") as fh:
            expected = list(csv.reader(fh))
        rows = sheets[name]
        assert len(rows) == len(expected), name
        header, *body = rows
        assert [v for v, _ in header] == expected[0]
        for number, (row, want) in enumerate(zip(body, expected[1:], strict=True), start=2):
            cells = row + [(None, "n")] * (len(want) - len(row))  # trailing empty cells
            for column, (value, kind), text in zip(spec.columns, cells, want, strict=True):
                where = (name, number, column.name)
                if text == "":
                    assert value is None, where
                elif column.kind in ("int", "year"):
                    assert (value, kind) == (int(text), "n"), where
                else:  # ids, dates and text are text cells, exactly as in the CSV
                    assert (value, kind) == (text, "s"), where


def test_pseudonymised_store_exports_pseudonyms_and_never_the_key(
    empty_store, tmp_path, monkeypatch
):
    from graph.privacy import pseudonymize

    key = "k3y-" + "9" * 40
    monkeypatch.setenv("COALITION_PSEUDONYM_KEY", key)
    load_dataset(FIXTURES / "tiny", empty_store, pseudonymize_members=True)
    before = dump(empty_store)
    out = tmp_path / "export"
    export_dataset(empty_store, out)
    _, members = csv_rows(out, "members")
    _, original = csv_rows(FIXTURES / "tiny", "members")
    assert sorted(members) == sorted(
        (pseudonymize(m, key.encode()), "", city) for m, _name, city in original
    )
    _, memberships = csv_rows(out, "memberships")
    assert {r[0] for r in memberships} == {m for m, *_ in members}
    for path in out.iterdir():
        text = path.read_text(encoding="utf-8")
        assert key not in text and "9" * 40 not in text
        for member_id, name, _city in original:  # neither the ids nor the names
            assert f"\n{member_id}," not in text and (not name or name not in text)
    book = tmp_path / "export.xlsx"
    export_dataset(empty_store, book)
    cells = [v for rows in workbook_rows(book).values() for row in rows for v, _ in row]
    assert key not in cells and not {m for m, *_ in original} & set(cells)
    wipe(empty_store)
    load_dataset(out, empty_store)  # loaded as they are: pseudonyms stay pseudonyms
    assert dump(empty_store) == before
    ids = {r["id"] for r in empty_store.read(f"MATCH (m:{MEMBER}) RETURN m.id AS id")}
    assert ids == {m for m, *_ in members}


# -- refusals: one clear message, nothing written ---------------------------------------------


def test_a_folder_that_is_not_empty_is_refused_without_force(sample_store, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(ExportRefused, match="is not empty; add --force"):
        export_dataset(sample_store, out)
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
    (out / "groups.csv").write_text("stale")
    export_dataset(sample_store, out, force=True)
    assert (out / "notes.txt").read_text() == "mine"  # not ours: left alone
    assert csv_rows(out, "groups") == csv_rows(SAMPLE, "groups")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging left behind


def test_an_empty_folder_is_written_into(sample_store, tmp_path):
    out = tmp_path / "empty"
    out.mkdir()
    export_dataset(sample_store, out)
    assert csv_rows(out, "memberships") == csv_rows(SAMPLE, "memberships")


def test_an_existing_workbook_is_refused_without_force(sample_store, tmp_path):
    book = tmp_path / "coalition.xlsx"
    book.write_bytes(b"old")
    with pytest.raises(ExportRefused, match="already exists; add --force"):
        export_dataset(sample_store, book)
    assert book.read_bytes() == b"old"
    export_dataset(sample_store, book, force=True)
    assert list(workbook_rows(book)) == list(FILES)


@pytest.mark.parametrize(
    ("make", "target", "reason"),
    [
        (lambda p: (p / "f.txt").write_text("x"), "f.txt", "is a file, not a folder"),
        (lambda p: (p / "d.xlsx").mkdir(), "d.xlsx", "is a folder, not a workbook"),
        (lambda p: None, "data.csv", "export writes a folder or an .xlsx workbook"),
        (lambda p: (p / "f.txt").write_text("x"), "f.txt/inside", "is a file, not a folder"),
    ],
)
def test_targets_of_the_wrong_kind_are_refused(sample_store, tmp_path, make, target, reason):
    make(tmp_path)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(ExportRefused, match=reason):
        export_dataset(sample_store, tmp_path / target)
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_place_that_cannot_be_written_is_one_clear_message(sample_store):
    # /proc takes no new folders, not even from root (tests may run as root)
    with pytest.raises(ExportRefused, match=r"cannot write /proc/coalition-export: "):
        export_dataset(sample_store, "/proc/coalition-export")
    assert not os.path.exists("/proc/coalition-export")


def test_an_empty_store_has_nothing_to_export(empty_store, tmp_path):
    with pytest.raises(ExportRefused, match="holds no coalition"):
        export_dataset(empty_store, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_an_interrupted_load_is_not_exported(empty_store, tmp_path):
    load_dataset(FIXTURES / "tiny", empty_store)
    empty_store.run(f"MATCH (l:{LOAD_STATE}) SET l.status = 'failed'")
    with pytest.raises(IncompleteLoad, match="re-run `coalition load"):
        export_dataset(empty_store, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_cell_too_long_for_a_spreadsheet_is_refused(tmp_path):
    rows = {name: [] for name in FILES}
    rows["movements"] = [("m", "Movement", "x" * (MAX_CELL_CHARS + 1))]
    with pytest.raises(ExportRefused, match="sheet movements, row 2, column description: 32,768"):
        write_workbook(rows, tmp_path / "big.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_the_export_reads_every_column_the_dataset_has():
    """What the store gives an export is every column of every file, none left out."""
    from graph.schema import IN_MOVEMENT
    from graph.store.cypher import RECORD_TABLES

    for spec in FILES.values():
        columns, _ = RECORD_TABLES[spec.label or spec.relationship]
        keys = ("id",) if spec.label else spec.key  # a relationship's ends in either order
        assert set(columns[: len(keys)]) == set(keys), spec.name
        assert columns[len(keys) :] == spec.property_columns, spec.name
    assert RECORD_TABLES[IN_MOVEMENT][0] == ("group_id", "movement_id", "rank")


def test_workbook_sheets_keep_their_header_in_view(tmp_path):
    from openpyxl import load_workbook

    rows = {name: [] for name in FILES}
    rows["movements"] = [("m", "Movement", None)]
    book = load_workbook(write_workbook(rows, tmp_path / "c.xlsx"))
    assert [sheet.freeze_panes for sheet in book.worksheets] == ["A2"] * len(FILES)
