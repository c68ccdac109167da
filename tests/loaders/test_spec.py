"""The dataset spec: DESIGN.md's contract, the store's schema, and ``datapackage.json``.

The spec (:mod:`loaders.spec`) is the one definition every other test and module
reads; this file checks it, once, against DESIGN.md typed out independently.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

import loaders.spec as spec_module
from graph import schema
from graph.store import cypher
from loaders.spec import (
    DATAPACKAGE,
    FILES,
    REQUIRED_FILES,
    datapackage_descriptor,
    schema_mismatches,
    write_datapackage,
)

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"

#: DESIGN.md, "The dataset": the table as written there (required columns in bold).
DESIGN_TABLE = """
| `movements.csv` | **movement_id**, **name**, description |
| `groups.csv` | **group_id**, **name**, **movements** (`;`-separated movement ids, the first is the primary movement), city, region, country, founded (year), size |
| `members.csv` | **member_id**, name, city |
| `memberships.csv` | **member_id**, **group_id**, role, start_date, end_date |
| `actions.csv` | **action_id**, **name**, type, **start_date**, end_date, city, description |
| `action_groups.csv` | **action_id**, **group_id**, role (organizer, partner, endorser, participant) |
| `resources.csv` | **resource_id**, **name**, **type** (funding, space, legal_aid, healthcare, housing, equipment, training, communications, other) |
| `resource_shares.csv` | **resource_id**, **group_id**, **role** (provider, recipient, co_steward), start_date, end_date |
"""  # noqa: E501
#: The keys and references DESIGN.md implies (a file's ids, the ids it points to).
DESIGN_KEYS = {
    "movements": ["movement_id"],
    "groups": ["group_id"],
    "members": ["member_id"],
    "memberships": ["member_id", "group_id"],
    "actions": ["action_id"],
    "action_groups": ["action_id", "group_id"],
    "resources": ["resource_id"],
    "resource_shares": ["resource_id", "group_id"],
}
DESIGN_FOREIGN_KEYS = {
    "memberships": {("member_id", "members", "member_id"), ("group_id", "groups", "group_id")},
    "action_groups": {("action_id", "actions", "action_id"), ("group_id", "groups", "group_id")},
    "resource_shares": {
        ("resource_id", "resources", "resource_id"),
        ("group_id", "groups", "group_id"),
    },
}


def _design() -> dict[str, list[tuple[str, bool, str]]]:
    """File stem -> [(column, required, note in parentheses)] from :data:`DESIGN_TABLE`."""
    files = {}
    for line in DESIGN_TABLE.strip().splitlines():
        _, file, cells, _ = (part.strip() for part in line.split("|"))
        columns = []
        for cell in re.split(r",\s*(?![^()]*\))", cells):  # commas outside parentheses
            name, _, note = cell.partition(" (")
            columns.append((name.strip("*"), name.startswith("**"), note.rstrip(")")))
        files[file.strip("`").removesuffix(".csv")] = columns
    return files


DESIGN = _design()


# --------------------------------------------------------------------------------------------
# The spec is DESIGN.md's contract
# --------------------------------------------------------------------------------------------


def test_the_files_in_design_order() -> None:
    assert list(FILES) == list(DESIGN)
    assert REQUIRED_FILES == {"movements", "groups"}


@pytest.mark.parametrize("stem", list(DESIGN))
def test_columns_and_required_columns_are_designs(stem: str) -> None:
    spec = FILES[stem]
    assert [c.name for c in spec.columns] == [name for name, _, _ in DESIGN[stem]]
    assert spec.required_columns == [name for name, required, _ in DESIGN[stem] if required]
    assert list(spec.key) == DESIGN_KEYS[stem]


def test_enumerations_are_designs() -> None:
    enums = {(stem, c.name): set(c.enum) for stem, s in FILES.items() for c in s.columns if c.enum}
    assert enums == {
        (stem, name): set(note.split(", "))
        for stem, columns in DESIGN.items()
        for name, _, note in columns
        if ", " in note and "`" not in note
    }


def test_kinds_of_the_typed_columns() -> None:
    kinds = {(stem, c.name): c.kind for stem, s in FILES.items() for c in s.columns}
    assert kinds["groups", "founded"] == "year"
    assert kinds["groups", "size"] == "int"
    assert kinds["groups", "movements"] == "idlist"
    dates = {key for key, kind in kinds.items() if kind == "date"}
    assert dates == {
        (stem, c) for stem in ("memberships", "actions", "resource_shares") for c in DESIGN_DATES
    }
    assert all(kinds[stem, key] == "id" for stem, keys in DESIGN_KEYS.items() for key in keys)


DESIGN_DATES = ("start_date", "end_date")


def test_every_column_has_a_one_line_description() -> None:
    for spec in FILES.values():
        for column in spec.columns:
            assert column.description, (spec.name, column.name)
            assert "\n" not in column.description


# --------------------------------------------------------------------------------------------
# The spec is built on the store's schema
# --------------------------------------------------------------------------------------------


def test_the_spec_agrees_with_the_schema() -> None:
    assert schema_mismatches() == []
    holds = {s.name: s.label or s.relationship for s in FILES.values()}
    assert holds == {
        "movements": schema.MOVEMENT,
        "groups": schema.GROUP,
        "members": schema.MEMBER,
        "memberships": schema.MEMBER_OF,
        "actions": schema.ACTION,
        "action_groups": schema.TOOK_PART_IN,
        "resources": schema.RESOURCE,
        "resource_shares": schema.SHARES,
    }
    assert FILES["groups"].column("movements").relationship == schema.IN_MOVEMENT


@pytest.mark.parametrize(
    ("stem", "change", "complaint"),
    [
        ("groups", {"columns": FILES["groups"].columns[:-1]}, "not the schema's"),
        ("memberships", {"key": ("member_id",)}, "is not the ends of MEMBER_OF"),
        ("members", {"label": None}, "holds neither"),
        ("resources", {"key": ("name",)}, "is not the Resource key"),
    ],
)
def test_a_spec_drifting_from_the_schema_is_caught(
    monkeypatch: pytest.MonkeyPatch, stem: str, change: dict, complaint: str
) -> None:
    drifted = {**FILES, stem: replace(FILES[stem], **change)}
    monkeypatch.setattr(spec_module, "FILES", drifted)
    assert any(complaint in problem for problem in schema_mismatches()), schema_mismatches()


def test_the_store_reads_the_schemas_properties() -> None:
    """``graph.store.cypher.READ_TABLES`` is derived from the schema: its columns are the spec's
    properties (what a read never uses left out)."""
    columns = {name: cols for name, (cols, _) in cypher.READ_TABLES.items()}
    assert columns["movements"] == ("id", *FILES["movements"].property_columns)
    assert columns["groups"] == ("id", *FILES["groups"].property_columns)
    assert columns["resources"] == ("id", *FILES["resources"].property_columns)
    assert columns["actions"] == ("id", "name", "type", "start_date", "end_date", "city")
    assert columns["group_movements"] == ("group_id", "movement_id", "rank")
    assert columns["memberships"] == ("member_id", "group_id", "start_date", "end_date")
    assert columns["participations"] == ("group_id", "action_id", "role")
    assert columns["shares"] == ("group_id", "resource_id", "role", "start_date", "end_date")


# --------------------------------------------------------------------------------------------
# datapackage.json
# --------------------------------------------------------------------------------------------


def test_the_sample_descriptor_is_the_specs(tmp_path: Path) -> None:
    written = json.loads((SAMPLE / DATAPACKAGE).read_text(encoding="utf-8"))
    assert written["resources"] == datapackage_descriptor()["resources"]
    path = write_datapackage(tmp_path, name=written["name"], description=written["description"])
    assert path.read_bytes() == (SAMPLE / DATAPACKAGE).read_bytes()


def test_datapackage_describes_the_eight_files() -> None:
    package = json.loads((SAMPLE / DATAPACKAGE).read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert list(resources) == list(DESIGN)
    for stem, resource in resources.items():
        assert resource["path"] == f"{stem}.csv"
        assert resource["format"] == "csv"
        assert resource["encoding"] == "utf-8"
        fields = resource["schema"]["fields"]
        assert [f["name"] for f in fields] == [name for name, _, _ in DESIGN[stem]]
        assert resource["schema"]["primaryKey"] == DESIGN_KEYS[stem]
        for field in fields:
            column = FILES[stem].column(field["name"])
            assert field["type"] in {"string", "integer", "date", "year"}
            assert field["description"] == column.description
            if field["name"].endswith("_id"):
                assert field["type"] == "string"
            if column.enum:
                assert set(field["constraints"]["enum"]) == set(column.enum)
            assert field.get("constraints", {}).get("required", False) == column.required


def test_datapackage_foreign_keys() -> None:
    package = json.loads((SAMPLE / DATAPACKAGE).read_text(encoding="utf-8"))
    foreign = {
        r["name"]: {
            (fk["fields"], fk["reference"]["resource"], fk["reference"]["fields"])
            for fk in r["schema"].get("foreignKeys", [])
        }
        for r in package["resources"]
    }
    assert {stem: fks for stem, fks in foreign.items() if fks} == DESIGN_FOREIGN_KEYS
