"""A shared database: other people's nodes and relationships, also with our labels.

Each test seeds a database of the real embedded store with foreign data through
plain Cypher, then runs the real commands (`coalition load`, `load --prune`,
`metrics`, `erase-member`) and the dashboard's data read. Afterwards every
foreign node and relationship is still there with its properties unchanged,
and the numbers are those of the same dataset loaded into a database of its
own (the reference), so the foreign data were counted nowhere.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from graph.schema import LOAD_STATE, MARK

pytestmark = pytest.mark.store

TINY = Path(__file__).parent / "fixtures" / "tiny"


# -- helpers ------------------------------------------------------------------------------
def coalition(home: Path, database: str, *args: str) -> subprocess.CompletedProcess:
    """The real command line, as a subprocess, on one database of the embedded store."""
    env = {**os.environ, "COALITION_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    return subprocess.run(
        [sys.executable, "-m", "cli.main", "--database", database, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def ok(result: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    assert result.returncode == 0, result.stderr
    return result


def text(result: subprocess.CompletedProcess) -> str:
    """What a command printed, as one line (the console wraps long lines)."""
    return " ".join(result.stdout.split())


def refused(result: subprocess.CompletedProcess) -> str:
    """The one-line message of a refused command (no traceback)."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    return " ".join(result.stderr.split())


@pytest.fixture
def database(store_config):
    """An empty database of its own, given by name; emptied again afterwards."""
    from graph.store import open_store

    opened = []

    def make(name: str):
        store = open_store(replace(store_config, database=name))
        store.run("MATCH (n) DETACH DELETE n")
        opened.append(store)
        return store

    yield make
    for store in opened:
        store.run("MATCH (n) DETACH DELETE n")
        store.close()


def foreign(store) -> tuple[list, list]:
    """Every unmarked node and relationship, with labels, type, properties and ends."""
    nodes = [
        json.dumps([sorted(r["labels"]), r["props"]], sort_keys=True)
        for r in store.read(
            f"MATCH (n) WHERE n.{MARK} IS NULL RETURN labels(n) AS labels, properties(n) AS props"
        )
        if LOAD_STATE not in r["labels"]
    ]
    rels = [
        json.dumps([r["type"], r["props"], r["a"], r["b"]], sort_keys=True)
        for r in store.read(
            f"MATCH (a)-[r]->(b) WHERE r.{MARK} IS NULL "
            "RETURN type(r) AS type, properties(r) AS props, properties(a) AS a, "
            "properties(b) AS b"
        )
    ]
    return sorted(nodes), sorted(rels)


def smaller(tmp_path: Path) -> Path:
    """The tiny dataset without groups g6 and 007 and without member m6 (and their rows)."""
    target = tmp_path / "smaller"
    shutil.copytree(TINY, target)
    drop = {"groups.csv": ("group_id", {"g6", "007"}), "members.csv": ("member_id", {"m6"})}
    drop["memberships.csv"] = ("member_id", {"m6"})
    for name, (column, ids) in drop.items():
        with open(target / name, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            fields, rows = reader.fieldnames, [r for r in reader if r[column] not in ids]
        with open(target / name, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fields)
            writer.writeheader()
            writer.writerows(rows)
    return target


def metrics_of(home: Path, db: str, out: Path) -> dict[str, str]:
    """What `coalition metrics` writes, file by file (the numbers to compare)."""
    ok(coalition(home, db, "metrics", "--out", str(out)))
    return {p.name: p.read_text() for p in sorted(out.iterdir()) if p.is_file()}


def dashboard_read(store_config, db: str):
    """The coalition the dashboard shows (dashboard.data), and its member count."""
    from dashboard.data import CoalitionData

    source = CoalitionData(replace(store_config, database=db))
    try:
        snap = source.snapshot(wait=None)
        c = snap.coalition
        return sorted(c.groups), sorted(c.memberships), c.member_count
    finally:
        source.close()


@pytest.fixture(scope="module")
def reference(store_home, tmp_path_factory):
    """Metrics of the tiny dataset and of the smaller one, each loaded alone, and after
    erasing m1 from the smaller one."""
    tmp = tmp_path_factory.mktemp("reference")
    out: dict[str, dict] = {}
    ok(coalition(store_home, "foreign_ref", "load", str(TINY)))
    out["tiny"] = metrics_of(store_home, "foreign_ref", tmp / "out-tiny")
    ok(coalition(store_home, "foreign_ref", "erase-member", "m4"))
    out["tiny without m4"] = metrics_of(store_home, "foreign_ref", tmp / "out-tiny-m4")
    ok(coalition(store_home, "foreign_ref_small", "load", str(smaller(tmp))))
    out["smaller"] = metrics_of(store_home, "foreign_ref_small", tmp / "out-smaller")
    ok(coalition(store_home, "foreign_ref_small", "erase-member", "m1"))
    out["smaller without m1"] = metrics_of(store_home, "foreign_ref_small", tmp / "out-small-m1")
    return out


# -- foreign nodes of other labels -----------------------------------------------------------
SEED_OTHER = (
    "CREATE (ann:Person {id: 'm1', name: 'Ann', born: 1970}) "
    "CREATE (bo:Person {id: 'g1', name: 'Bo'}) "
    "CREATE (club:Club {id: 'g2', name: 'Chess club', size: 12}) "
    "CREATE (note:Note {text: 'no id at all'}) "
    "CREATE (ann)-[:KNOWS {since: 2019}]->(bo) "
    "CREATE (ann)-[:MEMBER_OF {role: 'captain', start_date: '2001-01-01'}]->(club) "
    "CREATE (bo)-[:SHARES {role: 'provider'}]->(club) "
    "CREATE (club)-[:TOOK_PART_IN {role: 'organizer'}]->(note)"
)


def test_foreign_nodes_of_other_labels_survive_load_prune_metrics_erase_and_dashboard(
    database, store_home, store_config, reference, tmp_path
):
    db = "foreign_other"
    store = database(db)
    store.run(SEED_OTHER)
    before = foreign(store)
    assert (len(before[0]), len(before[1])) == (4, 4)

    ok(coalition(store_home, db, "load", str(TINY)))
    assert metrics_of(store_home, db, tmp_path / "1") == reference["tiny"]
    assert store.counts()["Group"] == 7 and store.counts()["MEMBER_OF"] == 9

    pruned = text(ok(coalition(store_home, db, "load", "--prune", str(smaller(tmp_path)))))
    assert "Group 2" in pruned and "Member 1" in pruned and "MEMBER_OF 1" in pruned, pruned
    assert metrics_of(store_home, db, tmp_path / "2") == reference["smaller"]

    ok(coalition(store_home, db, "erase-member", "m1"))
    assert metrics_of(store_home, db, tmp_path / "3") == reference["smaller without m1"]

    groups, memberships, member_count = dashboard_read(store_config, db)
    assert groups == ["g1", "g2", "g3", "g4", "g5"]
    assert member_count == 4  # m2..m5: Ann, Bo and the club are no members of ours
    assert len(memberships) == 6  # 9 - m6's - m1's two; Ann's MEMBER_OF is not ours
    assert foreign(store) == before


# -- foreign nodes of our labels -------------------------------------------------------------
SEED_OURS = (
    "CREATE (chess:Group {id: 'g1', name: 'Chess club'}) "
    "CREATE (go:Group {id: 'go', name: 'Go club', size: 9}) "
    "CREATE (kim:Member {id: 'kim', name: 'Kim'}) "
    "CREATE (kim)-[:MEMBER_OF {role: 'treasurer'}]->(chess) "
    "CREATE (kim)-[:MEMBER_OF {role: 'player'}]->(go) "
    "CREATE (chess)-[:LIKES]->(go)"
)


def test_a_load_into_a_database_with_foreign_nodes_of_our_labels_is_refused(database, store_home):
    db = "foreign_ours"
    store = database(db)
    store.run(SEED_OURS)
    before = foreign(store)
    for args in (("load", str(TINY)), ("load", "--prune", str(TINY))):
        message = refused(coalition(store_home, db, *args))
        assert "did not write: 2 Group, 1 Member" in message, message
        assert "--adopt" in message and "nothing was loaded" in message
        assert foreign(store) == before
        assert store.read(f"MATCH (n) WHERE n.{MARK} IS NOT NULL RETURN count(n) AS n") == [
            {"n": 0}
        ]
        assert store.read(f"MATCH (l:{LOAD_STATE}) RETURN count(l) AS n") == [{"n": 0}]


SEED_LATER = (
    "MATCH (m5:Member {id: 'm5'}) MATCH (g1:Group {id: 'g1'}) MATCH (a1:Action {id: 'a1'}) "
    "CREATE (x:Group {id: 'gx', name: 'Book club'}) "
    "CREATE (mx:Member {id: 'mx', name: 'Max'}) "
    "CREATE (mx)-[:MEMBER_OF {role: 'reader'}]->(x) "
    "CREATE (m5)-[:MEMBER_OF {role: 'not ours'}]->(g1) "
    "CREATE (x)-[:TOOK_PART_IN {role: 'organizer'}]->(a1) "
    "CREATE (mx)-[:MEMBER_OF {role: 'visitor'}]->(g1)"
)


def test_foreign_nodes_of_our_labels_written_after_a_load_are_counted_nowhere(
    database, store_home, store_config, reference, tmp_path
):
    """Someone else writes Groups and Members (and ties to ours) into the database later:
    every reading ignores them, erasure leaves them, and a new load refuses."""
    db = "foreign_later"
    store = database(db)
    ok(coalition(store_home, db, "load", str(TINY)))
    store.run(SEED_LATER)
    before = foreign(store)
    assert (len(before[0]), len(before[1])) == (2, 4)

    # m5–g1 would tie g1 to g5; mx would tie g1 to the Book club
    assert metrics_of(store_home, db, tmp_path / "1") == reference["tiny"]
    ok(coalition(store_home, db, "erase-member", "m4"))
    assert metrics_of(store_home, db, tmp_path / "2") == reference["tiny without m4"]
    groups, memberships, member_count = dashboard_read(store_config, db)
    assert groups == ["007", "g1", "g2", "g3", "g4", "g5", "g6"]
    assert (member_count, len(memberships)) == (5, 8)

    counts = store.counts()
    message = refused(coalition(store_home, db, "load", "--prune", str(smaller(tmp_path))))
    assert "did not write: 1 Group, 1 Member" in message, message
    assert store.counts() == counts
    assert foreign(store) == before


# -- a store from before the mark --------------------------------------------------------
def test_a_store_loaded_before_the_mark_is_adopted_only_when_asked(
    database, store_home, reference, tmp_path
):
    db = "foreign_legacy"
    store = database(db)
    ok(coalition(store_home, db, "load", str(TINY)))
    counts = store.counts()
    # what an earlier version left: the same data without the mark
    store.run(f"MATCH (n) REMOVE n.{MARK}")
    store.run(f"MATCH ()-[r]->() REMOVE r.{MARK}")
    assert set(store.counts().values()) == {0}

    message = refused(coalition(store_home, db, "metrics", "--out", str(tmp_path / "no")))
    assert "earlier version of coalition" in message and "--adopt" in message, message
    message = refused(coalition(store_home, db, "load", str(TINY)))
    assert "earlier version of coalition" in message and "--adopt" in message, message
    assert set(store.counts().values()) == {0}

    adopted = text(ok(coalition(store_home, db, "load", "--adopt", str(TINY))))
    assert "adopted: Movement 3, Group 7, Member 6, Action 2, Resource 1, IN_MOVEMENT 8" in adopted
    assert store.counts() == counts  # adopted, not loaded twice
    assert metrics_of(store_home, db, tmp_path / "1") == reference["tiny"]
