"""Re-loads that compare lines with the last load's ledger (:mod:`loaders.ledger`).

Every test ends with the store compared in full with a fresh load of the dataset
last loaded (:func:`tests.loaders.test_reload.fresh`). Whether the ledger was used
shows in what was read of the store: a whole table is read only through
``Store.pages``.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from graph.privacy import erase_member
from graph.schema import LOAD_STATE
from graph.store import cypher, ledger_home
from graph.store.loadstate import read_state
from loaders.ledger import Ledger
from loaders.load import load_dataset
from tests.conftest import FIXTURES, wipe
from tests.loaders.test_reload import EXPECTED, Writes, fresh, keyed

pytestmark = pytest.mark.store


class Pages:
    """The tables read whole from the store (``Store.pages``), by label or type."""

    def __init__(self, store, monkeypatch):
        self.read: list[str] = []
        names = {table.query: name for name, table in cypher.RECORD_TABLES.items()}
        real = store.pages

        def pages(table, **kwargs):
            self.read.append(names.get(table.query, "?"))
            return real(table, **kwargs)

        monkeypatch.setattr(store, "pages", pages)


def _ledgers(store) -> list:
    root = ledger_home(store.config.home)
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def _state(store) -> dict:
    return store.read(f"MATCH (l:{LOAD_STATE}) RETURN l.token AS token, l.version AS version")[0]


@pytest.mark.parametrize("ledger", [True, False], ids=["ledger", "store read"])
def test_both_ways_write_the_same_and_count_the_same(ledger, empty_store, datasets, monkeypatch):
    before, after = datasets
    load_dataset(before, empty_store)
    previous = _state(empty_store)["token"]
    if not ledger:
        shutil.rmtree(ledger_home(empty_store.config.home))
    pages = Pages(empty_store, monkeypatch)
    writes = Writes(empty_store, monkeypatch)
    summary = load_dataset(after, empty_store, prune=True)
    assert pages.read == ([] if ledger else list(EXPECTED))
    for name, (rows, created, changed, removed) in EXPECTED.items():
        got = (summary.rows[name], summary.created[name], summary.changed[name])
        assert got + (summary.deleted[name],) == (rows, created, changed, removed), name
    sent = sum(created + changed for _, created, changed, _ in EXPECTED.values())
    assert writes.rows == sent + sum(removed for *_, removed in EXPECTED.values())
    ledgers = _ledgers(empty_store)  # the last load's, not the one before
    assert _state(empty_store)["token"] in ledgers and previous not in ledgers
    assert keyed(empty_store) == fresh(empty_store, after)


@pytest.mark.parametrize("fixture", ["tiny", "florentine", "southern_women"])
def test_an_unchanged_reload_reads_no_table_and_writes_nothing(fixture, empty_store, monkeypatch):
    load_dataset(FIXTURES / fixture, empty_store)
    before = keyed(empty_store)
    pages = Pages(empty_store, monkeypatch)
    writes = Writes(empty_store, monkeypatch)
    summary = load_dataset(FIXTURES / fixture, empty_store, prune=True)
    assert pages.read == [] and (writes.statements, writes.rows) == (0, 0)
    assert summary.unchanged == summary.rows and sum(summary.rows.values()) > 0
    assert keyed(empty_store) == before


def test_records_left_by_a_load_without_prune_are_pruned_by_the_next(empty_store, datasets):
    before, after = datasets
    load_dataset(before, empty_store)
    load_dataset(after, empty_store)  # keeps what `after` dropped: the ledger lists it
    again = load_dataset(after, empty_store, prune=True)  # every file as loaded last
    assert {name: again.deleted[name] for name in EXPECTED} == {
        name: removed for name, (*_, removed) in EXPECTED.items()
    }
    assert not any(again.created.values()) and not any(again.changed.values())
    assert keyed(empty_store) == fresh(empty_store, after)


#: Columns whose cells are values, never keys or references.
_VALUES = {"name", "description", "city", "region", "country", "start_date", "end_date"}


def test_the_ledger_holds_keys_and_no_cell_values(empty_store, datasets, monkeypatch):
    before, _ = datasets
    values = {
        cell
        for path in before.glob("*.csv")
        for row in csv.DictReader(path.open(encoding="utf-8"))
        for column, cell in row.items()
        if column in _VALUES and len(cell or "") >= 5
    }
    assert len(values) > 20

    def ledger() -> Path:  # this store's last load's
        return ledger_home(empty_store.config.home) / _state(empty_store)["token"]

    def ledger_text() -> str:
        return "".join(p.read_bytes().decode("utf-8", "replace") for p in ledger().iterdir())

    load_dataset(before, empty_store)
    text = ledger_text()
    assert "g1" in text and "m1" in text  # the store's keys
    assert [v for v in values if v in text] == []
    # pseudonymised: neither the members' ids nor their names, only their pseudonyms
    monkeypatch.setenv("COALITION_PSEUDONYM_KEY", "k3y-" + "9" * 40)
    wipe(empty_store)
    load_dataset(before, empty_store, pseudonymize_members=True)
    members = [r["member_id"] for r in csv.DictReader((before / "members.csv").open())]
    keys = "".join(p.read_text("utf-8") for p in ledger().glob("*.Member.keys")).split("\n")
    assert len(keys) == len(members) and not set(keys) & set(members)
    assert all(len(k) >= 32 for k in keys)
    assert [v for v in values if v in ledger_text()] == []


def test_an_erasure_moves_the_load_state_and_deletes_the_ledgers(empty_store, datasets):
    before, _ = datasets
    load_dataset(before, empty_store)
    state = _state(empty_store)
    assert state["token"] in _ledgers(empty_store)
    assert erase_member(empty_store, "m1") == 1
    assert _state(empty_store)["version"] == state["version"] + 1
    assert _ledgers(empty_store) == []
    summary = load_dataset(before, empty_store)  # the store is read: m1 comes back
    assert summary.created["Member"] == 1
    assert keyed(empty_store) == fresh(empty_store, before)


def test_a_ledger_for_another_version_of_the_store_is_not_used(empty_store, datasets, monkeypatch):
    before, after = datasets
    load_dataset(before, empty_store)
    # a write outside a load (here by hand, as an erasure does it): the ledger is stale
    empty_store.run(cypher.TOUCH_LOAD_STATE, now=0.0)
    empty_store.run("MATCH (g:Group {id: 'g1'}) SET g.name = 'edited by hand'")
    pages = Pages(empty_store, monkeypatch)
    load_dataset(before, empty_store)
    assert "Group" in pages.read  # read from the store, which finds the edit
    assert keyed(empty_store) == fresh(empty_store, before)


def test_compare_store_reads_the_store_despite_a_ledger(empty_store, datasets, monkeypatch):
    before, _ = datasets
    load_dataset(before, empty_store)
    empty_store.run("MATCH (g:Group {id: 'g1'}) SET g.name = 'edited by hand'")
    assert load_dataset(before, empty_store).changed["Group"] == 0  # the ledger trusts
    pages = Pages(empty_store, monkeypatch)
    summary = load_dataset(before, empty_store, compare_store=True)
    assert "Group" in pages.read and summary.changed["Group"] == 1
    assert keyed(empty_store) == fresh(empty_store, before)


def test_lines_that_are_not_records_are_compared_with_the_store(empty_store, datasets, monkeypatch):
    before, after = datasets
    load_dataset(before, empty_store)
    # a quoted cell holding a line break: actions.csv's records are not its lines
    actions = (after / "actions.csv").read_text().replace("Free seeds", '"Free\nseeds"')
    (after / "actions.csv").write_text(actions)
    # columns in another order: memberships.csv's header is not the ledger's
    lines = [line.split(",") for line in (after / "memberships.csv").read_text().splitlines()]
    (after / "memberships.csv").write_text(
        "".join(",".join([c[1], c[0], *c[2:]]) + "\n" for c in lines)
    )
    pages = Pages(empty_store, monkeypatch)
    summary = load_dataset(after, empty_store, prune=True)
    assert sorted(pages.read) == ["Action", "MEMBER_OF"]
    for name, (rows, created, changed, removed) in EXPECTED.items():
        got = (summary.rows[name], summary.created[name], summary.changed[name])
        assert got + (summary.deleted[name],) == (rows, created, changed, removed), name
    assert keyed(empty_store) == fresh(empty_store, after)
    # the next ledger leaves actions.csv out: it is read from the store again
    load_dataset(after, empty_store)  # the ledger of this load, not of fresh()'s
    ledger = Ledger.find(
        empty_store.config.home,
        read_state(empty_store),
        {"keep_names": True, "pseudonym_key": None},
    )
    assert ledger is not None and "actions" not in ledger.files and "memberships" in ledger.files


@pytest.mark.parametrize(
    "text",
    [
        "movement_id,name\nblm,Black Lives\nqueer,Queer\n",
        "movement_id,name\r\nblm,Black Lives\r\nqueer,Queer",  # CRLF, no last line end
        "\ufeffmovement_id,name\n\nblm,Black Lives\n\n\nqueer,Queer\n\n",  # BOM, blank lines
        'movement_id,name\nblm,"Black, Lives"\nqueer,"Queer ""Lib"""\n',  # quoted cells
    ],
)
def test_a_files_data_lines_are_the_lines_its_records_start_on(tmp_path, text):
    """The ledger's line numbers are those :func:`loaders.dataset.iter_records` gives."""
    from loaders.dataset import iter_records
    from loaders.ledger import FileLines, parse_lines

    (tmp_path / "movements.csv").write_bytes(text.encode("utf-8"))
    lines = FileLines.read(tmp_path / "movements.csv")
    records = list(iter_records(tmp_path, "movements"))
    assert lines.numbers.tolist() == [line for line, _ in records]
    assert lines.one_per_line
    # each line parsed on its own gives the record the whole file gives
    parsed = list(parse_lines(lines.header, zip(lines.numbers.tolist(), lines.lines, strict=True)))
    assert parsed == records
