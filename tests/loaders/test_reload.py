"""Re-loads write only what changed: the store after a re-load equals a fresh load.

``tiny`` (with one more resource) is loaded, then "tiny a month later": every table
has a record edited, one added and one removed (a node's property changed, set
and emptied; a relationship's properties changed; ranks of listed movements
swapped). The store is compared in full with a fresh load of the new dataset
(:func:`tests.loaders.test_export.dump`, plain Cypher), and the counts the load
reports are the ones worked out by hand below.
"""

from __future__ import annotations

import shutil

import pytest

from graph.errors import StoreUnavailable
from graph.schema import LOAD_STATE
from graph.store import ledger_home
from loaders.dataset import DatasetInvalid, validate_dataset
from loaders.load import HeldRead, load_dataset
from tests.conftest import FIXTURES, wipe
from tests.loaders.test_export import dump

pytestmark = pytest.mark.store

#: The new dataset's files (those not listed are tiny's, unchanged).
A_MONTH_LATER = {
    "movements.csv": """movement_id,name,description
blm,Movement for Black Lives,"Racial justice, policing"
queer,Queer Liberation,Pride and care
climate,Climate Justice,
""",
    "groups.csv": """group_id,name,movements,city,region,country,founded,size
g1,Northside Defenders,blm,Riverton,Bay,US,2014,45
g2,Justice Kitchen,blm,Riverton,Bay,US,2016,25
g3,"Rainbow ""Bridge"" Collective",blm;queer,Riverton,Bay,US,2012,60
g4,Trans Care Network,queer,Lakeside,Bay,US,2018,
g5,Warehouse Workers United,climate,Lakeside,Bay,US,1999,300
007,Agent Zero Zero Seven,climate;queer,Lakeside,Bay,US,2001,
g8,Seed Library,climate,Riverton,Bay,US,2022,12
""",
    "members.csv": """member_id,name,city
m1,Alex R.,Riverton
m2,,
m3,Sam,Lakeside
m5,,Lakeside
m6,,Riverton
m7,Kim,Lakeside
""",
    "memberships.csv": """member_id,group_id,role,start_date,end_date
m1,g1,organizer,2015-01-01,
m1,g2,member,2016-03-01,2020-06-30
m2,g2,member,2017-01-01,
m2,g3,organizer,2018-06-01,
m3,g3,member,2012-05-01,
m3,g4,board,2019-01-01,
m5,g5,member,2010-01-01,
m7,g8,member,2022-02-01,
""",
    "actions.csv": """action_id,name,type,start_date,end_date,city,description
a1,March for Justice,protest,2016-05-01,,,"Downtown march, 2,000 people"
a3,Seed Swap,festival,2023-04-01,,Riverton,Free seeds
""",
    "action_groups.csv": """action_id,group_id,role
a1,g1,organizer
a1,g2,endorser
a1,g8,participant
""",
    "resources.csv": """resource_id,name,type
r1,Solidarity Fund II,funding
r2,Tool Library,equipment
""",
    "resource_shares.csv": """resource_id,group_id,role,start_date,end_date
r1,g4,provider,2019-02-01,
r2,g8,co_steward,2023-01-01,
""",
}

#: Per label and type, worked out from the two datasets by hand:
#: (rows of the new dataset, created, changed, removed).
EXPECTED = {
    "Movement": (3, 1, 2, 1),  # climate new; blm renamed, queer described; labour gone
    "Group": (7, 1, 2, 1),  # g8 new; g1 resized, 007's size emptied; g6 gone
    "Member": (6, 1, 2, 1),  # m7 new; m1 renamed, m2's city emptied; m4 gone
    "Action": (2, 1, 1, 1),  # a3 new; a1's city emptied; a2 gone
    "Resource": (2, 1, 1, 1),  # r2 new; r1 renamed; r9 gone
    # g5, 007 (twice) and g8 in new movements; g3's two ranks swapped; three in labour gone
    "IN_MOVEMENT": (9, 4, 2, 3),
    "MEMBER_OF": (8, 1, 2, 2),  # m7-g8 new; m1-g2 ended later, m2-g3 role; m4-g4, m6-g1 gone
    "TOOK_PART_IN": (3, 1, 1, 2),  # g8-a1 new; g2-a1 role; g3-a2, g5-a2 gone
    "SHARES": (2, 1, 1, 1),  # g8-r2 new; g4-r1 start; g5-r1 gone
}


def keyed(store) -> tuple[dict, dict]:
    """The full dump, keyed: a node by (labels, id), a relationship by its type and ends."""
    nodes, rels = dump(store)
    assert set(nodes.values()) <= {1} and set(rels.values()) <= {1}  # no record twice
    return (
        {(labels, dict(props)["id"]): props for labels, props in nodes},
        {(a_labels, a, kind, b_labels, b): props for a_labels, a, kind, props, b_labels, b in rels},
    )


def fresh(store, folder) -> tuple[dict, dict]:
    wipe(store)
    load_dataset(folder, store)
    return keyed(store)


class Writes:
    """Every write statement the store runs, and the rows it was given (the real store
    still runs each one)."""

    def __init__(self, store, monkeypatch):
        self.statements = 0
        self.rows = 0
        real_counted, real_run = store.write_counted, store.run

        def write_counted(query, rows):
            self.statements += 1
            self.rows += len(rows)
            return real_counted(query, rows)

        def run(query, **params):
            if "DELETE" in query:
                self.statements += 1
                self.rows += len(params.get("rows") or params.get("ids") or ())
            return real_run(query, **params)

        monkeypatch.setattr(store, "write_counted", write_counted)
        monkeypatch.setattr(store, "run", run)


def test_reload_with_prune_equals_a_fresh_load_and_counts_what_it_wrote(
    empty_store, datasets, monkeypatch
):
    before, after = datasets
    load_dataset(before, empty_store)
    writes = Writes(empty_store, monkeypatch)
    summary = load_dataset(after, empty_store, prune=True)
    reloaded = keyed(empty_store)
    for name, (rows, created, changed, removed) in EXPECTED.items():
        got = (
            summary.rows[name],
            summary.created[name],
            summary.changed[name],
            summary.deleted[name],
        )
        assert got == (rows, created, changed, removed), name
        assert summary.unchanged[name] == rows - created - changed
    sent = sum(created + changed for _, created, changed, _ in EXPECTED.values())
    assert writes.rows == sent + sum(removed for *_, removed in EXPECTED.values())
    assert reloaded == fresh(empty_store, after)


def test_reload_without_prune_keeps_the_removed_records_as_they_were(
    empty_store, datasets, monkeypatch
):
    before, after = datasets
    old = fresh(empty_store, before)
    new = fresh(empty_store, after)
    assert fresh(empty_store, before) == old
    writes = Writes(empty_store, monkeypatch)
    summary = load_dataset(after, empty_store)
    assert summary.deleted == {}
    for name, (rows, created, changed, _) in EXPECTED.items():
        assert (summary.rows[name], summary.created[name], summary.changed[name]) == (
            rows,
            created,
            changed,
        ), name
    assert writes.rows == sum(created + changed for _, created, changed, _ in EXPECTED.values())
    # the new dataset's records as a fresh load writes them, and the old ones it lacks
    nodes, rels = keyed(empty_store)
    assert nodes == {**old[0], **new[0]}
    assert rels == {**old[1], **new[1]}


@pytest.mark.parametrize("fixture", ["tiny", "florentine", "southern_women"])
def test_reloading_an_unchanged_dataset_writes_nothing(fixture, empty_store, monkeypatch):
    load_dataset(FIXTURES / fixture, empty_store)
    before = keyed(empty_store)
    writes = Writes(empty_store, monkeypatch)
    summary = load_dataset(FIXTURES / fixture, empty_store, prune=True)
    assert (writes.statements, writes.rows) == (0, 0)
    assert sum(summary.rows.values()) > 0
    assert summary.unchanged == summary.rows
    assert not any(summary.created.values()) and not any(summary.changed.values())
    assert not any(summary.deleted.values())
    assert keyed(empty_store) == before


def test_a_pseudonymised_reload_compares_pseudonyms(empty_store, datasets, monkeypatch):
    monkeypatch.setenv("COALITION_PSEUDONYM_KEY", "k3y-" + "5" * 40)
    before, after = datasets
    load_dataset(after, empty_store, pseudonymize_members=True)
    expected = keyed(empty_store)
    wipe(empty_store)
    load_dataset(before, empty_store, pseudonymize_members=True)
    summary = load_dataset(after, empty_store, pseudonymize_members=True, prune=True)
    # members carry no name: m1's rename is no change; m2's emptied city still is
    assert (summary.created["Member"], summary.changed["Member"]) == (1, 1)
    assert summary.changed["MEMBER_OF"] == 2
    assert keyed(empty_store) == expected
    again = load_dataset(after, empty_store, pseudonymize_members=True)
    assert not any(again.created.values()) and not any(again.changed.values())


def test_an_interrupted_reload_is_completed_by_running_it_again(empty_store, datasets):
    before, after = datasets
    load_dataset(before, empty_store)
    # the re-load wrote its nodes, then died before its relationships
    with pytest.raises(_Died):
        load_dataset(after, empty_store, batch_size=1, progress=_die_at("MEMBER_OF"))
    state = empty_store.read(f"MATCH (l:{LOAD_STATE}) RETURN l.status AS s")[0]["s"]
    assert state == "failed"
    summary = load_dataset(after, empty_store, prune=True)
    assert summary.created["Movement"] == summary.changed["Movement"] == 0  # written already
    assert summary.created["MEMBER_OF"] == 1
    assert keyed(empty_store) == fresh(empty_store, after)


# -- the store read while the dataset is validated ----------------------------------------


def _state(store) -> list:
    return store.read(f"MATCH (l:{LOAD_STATE}) RETURN l.version AS v, l.token AS t")


def test_a_bad_dataset_read_against_the_store_reports_its_problems_and_writes_nothing(
    empty_store, datasets, monkeypatch
):
    before, after = datasets
    load_dataset(before, empty_store)
    held, state = keyed(empty_store), _state(empty_store)
    with open(after / "memberships.csv", "a", encoding="utf-8") as fh:
        fh.write("m1,g404,member,2020-01-01,\n")  # line 10: no such group
    writes = Writes(empty_store, monkeypatch)
    # the store's records are read in the background while the dataset is found bad
    with pytest.raises(DatasetInvalid) as bad:
        load_dataset(after, empty_store, prune=True)
    shown = [(p.file, p.line, p.column, p.value) for p in bad.value.problems]
    assert shown == [("memberships.csv", 10, "group_id", "g404")]
    assert (writes.statements, writes.rows) == (0, 0)
    assert _state(empty_store) == state
    assert keyed(empty_store) == held


def test_a_store_that_cannot_be_reached_waits_for_the_datasets_problems(datasets):
    _, after = datasets
    groups = (after / "groups.csv").read_text(encoding="utf-8")
    (after / "groups.csv").write_text(groups.replace(",2022,12", ",2022x,12"), encoding="utf-8")

    def down():
        raise StoreUnavailable("cannot reach the store at bolt://127.0.0.1:9")

    early = HeldRead(down)
    with pytest.raises(DatasetInvalid) as bad:
        load_dataset(after, None, held=early)
    shown = [(p.file, p.line, p.column, p.value) for p in bad.value.problems]
    assert shown == [("groups.csv", 8, "founded", "2022x")]
    with pytest.raises(StoreUnavailable):  # said only when the store is asked for
        early.store()


def test_records_read_before_the_claim_are_used_when_no_load_ran_meanwhile(
    empty_store, datasets, monkeypatch
):
    before, after = datasets
    load_dataset(before, empty_store)
    shutil.rmtree(ledger_home(empty_store.config.home))  # else the ledger is compared
    early = HeldRead(lambda: empty_store)
    report = validate_dataset(after)
    early.wait()
    pages = []
    real = empty_store.pages
    monkeypatch.setattr(empty_store, "pages", lambda *a, **k: pages.append(a) or real(*a, **k))
    summary = load_dataset(after, empty_store, prune=True, report=report, held=early)
    assert early.used and pages == []  # nothing read again inside the claim
    assert {name: summary.created[name] for name in EXPECTED} == {
        name: created for name, (_, created, _, _) in EXPECTED.items()
    }
    assert keyed(empty_store) == fresh(empty_store, after)


def test_a_store_changed_between_the_background_read_and_the_claim_is_read_again(
    empty_store, datasets
):
    before, after = datasets
    load_dataset(before, empty_store)
    early = HeldRead(lambda: empty_store)
    early.wait()  # holds `before`
    load_dataset(after, empty_store, prune=True)  # another load, meanwhile
    # with the early records, `before` would look loaded already and nothing be written
    summary = load_dataset(
        before, empty_store, prune=True, report=validate_dataset(before), held=early
    )
    assert not early.used
    assert summary.deleted["Group"] == 1  # g8 is `after`'s only
    assert keyed(empty_store) == fresh(empty_store, before)


def test_an_interrupted_load_between_the_background_read_and_the_claim_is_read_again(
    empty_store, datasets
):
    before, after = datasets
    load_dataset(before, empty_store)
    early = HeldRead(lambda: empty_store)
    early.wait()
    with pytest.raises(_Died):  # wrote its nodes, then died
        load_dataset(after, empty_store, batch_size=1, progress=_die_at("MEMBER_OF"))
    load_dataset(before, empty_store, prune=True, report=validate_dataset(before), held=early)
    assert not early.used
    assert keyed(empty_store) == fresh(empty_store, before)


def test_records_read_with_names_are_not_used_by_a_pseudonymised_load(
    empty_store, datasets, monkeypatch
):
    monkeypatch.setenv("COALITION_PSEUDONYM_KEY", "k3y-" + "7" * 40)
    before, after = datasets
    load_dataset(after, empty_store, pseudonymize_members=True)
    expected = keyed(empty_store)
    wipe(empty_store)
    load_dataset(before, empty_store, pseudonymize_members=True)
    early = HeldRead(lambda: empty_store)  # reads members' names: none are stored
    report = validate_dataset(after)
    load_dataset(
        after, empty_store, pseudonymize_members=True, prune=True, report=report, held=early
    )
    assert not early.used
    assert keyed(empty_store) == expected


class _Died(Exception):
    pass


def _die_at(step: str):
    def progress(name: str, rows: int) -> None:
        if name == step:
            raise _Died(step)

    return progress
