"""Loading into the real embedded store: counts, idempotence, nothing written on error."""

from __future__ import annotations

import csv

import pytest

from graph.schema import ACTION, GROUP, MEMBER, MOVEMENT, RESOURCE
from loaders.dataset import DatasetInvalid
from loaders.load import load_dataset

from . import test_dataset

pytestmark = pytest.mark.store


def _csv_rows(path) -> list[dict]:
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def expected_counts(directory) -> dict[str, int]:
    """Counts straight from the CSV files, computed independently of the loader."""
    groups = _csv_rows(directory / "groups.csv")
    return {
        MOVEMENT: len(_csv_rows(directory / "movements.csv")),
        GROUP: len(groups),
        MEMBER: len(_csv_rows(directory / "members.csv")),
        ACTION: len(_csv_rows(directory / "actions.csv")),
        RESOURCE: len(_csv_rows(directory / "resources.csv")),
        "IN_MOVEMENT": sum(len(g["movements"].split(";")) for g in groups),
        "MEMBER_OF": len(_csv_rows(directory / "memberships.csv")),
        "TOOK_PART_IN": len(_csv_rows(directory / "action_groups.csv")),
        "SHARES": len(_csv_rows(directory / "resource_shares.csv")),
    }


def test_load_writes_exactly_the_csv_records_and_is_idempotent(empty_store, dataset):
    d = dataset("tiny")
    first = load_dataset(d, empty_store, batch_size=3)
    assert empty_store.counts() == expected_counts(d)
    assert sum(first.created.values()) == sum(expected_counts(d).values())
    second = load_dataset(d, empty_store, batch_size=3)
    assert empty_store.counts() == expected_counts(d)
    assert sum(second.created.values()) == 0


def test_values_are_stored_verbatim(empty_store, dataset):
    d = dataset("tiny")
    load_dataset(d, empty_store)
    rows = {
        r["id"]: r
        for r in empty_store.read(
            "MATCH (g:Group) RETURN g.id AS id, g.name AS name, g.size AS size"
        )
    }
    assert rows["007"]["name"] == "Agent Zero Zero Seven"
    assert rows["g3"]["name"] == 'Rainbow "Bridge" Collective'
    assert rows["g1"]["size"] == 40 and rows["g4"]["size"] is None
    primary = empty_store.read(
        "MATCH (g:Group {id: $id})-[r:IN_MOVEMENT]->(m:Movement) RETURN m.id AS m, r.rank AS rank",
        id="g3",
    )
    assert sorted((r["rank"], r["m"]) for r in primary) == [(0, "queer"), (1, "blm")]


def test_hostile_names_are_stored_verbatim(empty_store, dataset):
    d = dataset("tiny")
    hostile = "x'}) DETACH DELETE n //`<script>alert(1)</script>{}"
    text = (d / "groups.csv").read_text()
    (d / "groups.csv").write_text(
        text.replace("Quiet Tenants", '"' + hostile.replace('"', '""') + '"')
    )
    load_dataset(d, empty_store)
    assert empty_store.counts() == expected_counts(d)
    (row,) = empty_store.read("MATCH (g:Group {id: 'g6'}) RETURN g.name AS name")
    assert row["name"] == hostile


def test_broken_dataset_writes_nothing(empty_store, dataset):
    good = dataset("tiny")
    load_dataset(good, empty_store)
    before = empty_store.counts()
    bad = dataset("tiny")
    text = (bad / "members.csv").read_text()
    (bad / "members.csv").write_text(text + "m7,New Person,Riverton\n")
    mem = (bad / "memberships.csv").read_text()
    (bad / "memberships.csv").write_text(mem + "m7,g404,member,2020-01-01,\n")
    with pytest.raises(DatasetInvalid):
        load_dataset(bad, empty_store)
    assert empty_store.counts() == before
    assert not empty_store.read("MATCH (p:Member {id: 'm7'}) RETURN p.id AS id")


def test_pseudonymize_replaces_ids_and_drops_names(empty_store, dataset, monkeypatch):
    monkeypatch.setenv("COALITION_PSEUDONYM_KEY", "test-key")
    d = dataset("tiny")
    load_dataset(d, empty_store, pseudonymize_members=True)
    rows = empty_store.read("MATCH (p:Member) RETURN p.id AS id, p.name AS name")
    assert len(rows) == 6
    assert all(r["id"].startswith("p_") and r["name"] is None for r in rows)
    ids = {r["id"] for r in rows}
    load_dataset(d, empty_store, pseudonymize_members=True)
    assert {r["id"] for r in empty_store.read("MATCH (p:Member) RETURN p.id AS id")} == ids
    assert empty_store.counts()["MEMBER_OF"] == 9


def test_dry_run_writes_nothing(empty_store, dataset):
    summary = load_dataset(dataset("tiny"), empty_store, dry_run=True)
    assert summary.rows["MEMBER_OF"] == 9
    assert sum(empty_store.counts().values()) == 0


@pytest.fixture(scope="module")
def loaded_tiny(session_store):
    """The session store holding the tiny dataset, for tests that must leave it unchanged."""
    from pathlib import Path

    session_store.run("MATCH (n) DETACH DELETE n")
    load_dataset(Path(__file__).resolve().parent.parent / "fixtures" / "tiny", session_store)
    yield session_store
    session_store.run("MATCH (n) DETACH DELETE n")


def _snapshot(store) -> list:
    nodes = store.read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    rels = store.read(
        "MATCH (a)-[r]->(b) RETURN a.id AS a, type(r) AS t, properties(r) AS p, b.id AS b"
    )
    return sorted(map(repr, nodes + rels))


@pytest.mark.parametrize(
    ("filename", "old", "new", "expected"), [p.values for p in test_dataset.DEFECTS]
)
def test_every_defect_leaves_the_store_unchanged(
    loaded_tiny, dataset, filename, old, new, expected
):
    before = _snapshot(loaded_tiny)
    d = dataset("tiny")
    # an edit that would otherwise be written, so a partial write would show
    text = (d / "groups.csv").read_text()
    (d / "groups.csv").write_text(text.replace("Quiet Tenants", "Renamed Tenants"))
    test_dataset._edit(d / filename, old, new)
    with pytest.raises(DatasetInvalid) as info:
        load_dataset(d, loaded_tiny)
    file, line, column, value, _ = expected
    assert (file, line, column, value) in [
        (p.file, p.line, p.column, p.value) for p in info.value.problems
    ]
    assert _snapshot(loaded_tiny) == before


def test_pseudonym_key_file_is_created_once_with_mode_0600(tmp_path, monkeypatch):
    import stat

    from graph.privacy import pseudonym_key, pseudonymize

    monkeypatch.delenv("COALITION_PSEUDONYM_KEY", raising=False)
    key = pseudonym_key(tmp_path)
    path = tmp_path / "pseudonym.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert pseudonym_key(tmp_path) == key  # created on first use only
    assert pseudonymize("M1", key) == pseudonymize("M1", pseudonym_key(tmp_path))
    assert pseudonymize("M1", key) != pseudonymize("M1", b"another key")


def test_the_store_holds_the_schemas_vocabulary(empty_store):
    """Every node and relationship carries the properties of graph.schema and the mark, and no
    other; the mark is on every one of them."""
    from pathlib import Path

    from graph.schema import MARK, NODE_KEY, NODE_PROPERTIES, RELATIONSHIP_PROPERTIES

    load_dataset(Path(__file__).resolve().parents[2] / "sample_data", empty_store)
    for label, props in NODE_PROPERTIES.items():
        found = empty_store.read(f"MATCH (n:{label}) RETURN DISTINCT keys(n) AS keys")
        assert found and all(MARK in row["keys"] for row in found), label
        assert {k for row in found for k in row["keys"]} <= {MARK, NODE_KEY, *props}, label
    for rel, props in RELATIONSHIP_PROPERTIES.items():
        found = empty_store.read(f"MATCH ()-[r:{rel}]->() RETURN DISTINCT keys(r) AS keys")
        assert found and all(MARK in row["keys"] for row in found), rel
        assert {k for row in found for k in row["keys"]} <= {MARK, *props}, rel
    (group,) = empty_store.read("MATCH (g:Group {id: 'G0001'}) RETURN g AS g")
    assert set(group["g"]) == {MARK, NODE_KEY, *NODE_PROPERTIES["Group"]}
