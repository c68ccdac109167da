"""The connection: one query per managed transaction, write-and-count, reconnecting."""

from __future__ import annotations

import pytest

from graph.errors import StoreError, StoreUnavailable
from graph.store import Reconnecting, StoreConfig, batched, open_store
from graph.store.embedded import EmbeddedStore

pytestmark = pytest.mark.store


def test_batched_splits_into_lists_of_at_most_size():
    assert list(batched(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(batched([], 3)) == []


def test_write_counted_counts_what_a_batch_created(empty_store):
    query = "UNWIND $rows AS row MERGE (n:CountedThing {id: row.id})"
    assert empty_store.write_counted(query, [{"id": "a"}, {"id": "b"}]) == 2
    assert empty_store.write_counted(query, [{"id": "a"}, {"id": "c"}]) == 1  # a was there


def test_reads_and_values_see_the_writes_just_made(empty_store):
    empty_store.run("CREATE (:CountedThing {id: $id})", id="x")
    assert empty_store.read("MATCH (n:CountedThing) RETURN n.id AS id") == [{"id": "x"}]
    assert empty_store.values("MATCH (n:CountedThing) RETURN n.id") == [["x"]]
    assert list(empty_store.stream("MATCH (n:CountedThing) RETURN n.id AS id")) == [{"id": "x"}]


def test_a_rejected_query_is_our_error_naming_the_store(empty_store):
    with pytest.raises(StoreError, match="rejected a query"):
        empty_store.run("THIS IS NOT CYPHER")


def test_an_address_that_is_not_bolt_is_a_clear_error():
    with pytest.raises(StoreError, match="must start with one of"):
        open_store(StoreConfig(uri="http://localhost:7474"))


def test_reconnecting_follows_a_restarted_embedded_store(tmp_path):
    """Stopped: unavailable (never started behind the user's back); restarted elsewhere: found."""
    home = tmp_path / "home"
    config = StoreConfig(home=str(home))
    store = EmbeddedStore(home)
    connection = Reconnecting(config)
    try:
        assert not connection.connected
        assert connection.run(lambda s: s.read("RETURN 1 AS one")) == [{"one": 1}]
        assert connection.connected
        first = store.status().bolt_port
        store.stop()
        with pytest.raises(StoreUnavailable, match="not running"):
            connection.run(lambda s: s.read("RETURN 1 AS one"))
        assert not store.status().running  # reading did not start it again
        store.ensure_running()
        assert connection.run(lambda s: s.read("RETURN 2 AS two")) == [{"two": 2}]
        assert store.status().bolt_port is not None and first is not None
    finally:
        connection.close()
        store.stop()


def test_every_session_shares_the_stores_bookmarks_and_the_drivers_retry_window(empty_store):
    """One bookmark manager per store, so a read sees the writes before it on any member
    of a cluster; transactions are retried at least as long as the driver's default."""
    from neo4j._conf import WorkspaceConfig

    with empty_store.session() as first, empty_store.session() as second:
        assert first._config.bookmark_manager is empty_store.bookmarks
        assert second._config.bookmark_manager is empty_store.bookmarks
        assert first._config.max_transaction_retry_time >= (
            WorkspaceConfig.max_transaction_retry_time
        )


def test_each_read_right_after_a_write_sees_it(empty_store):
    from graph.store import cypher

    for n in range(1, 11):
        empty_store.write_counted(cypher.CREATE_NODES["Group"], [{"id": f"g{n}", "props": {}}])
        assert empty_store.counts()["Group"] == n  # the count a load decides CREATE or MERGE by
        assert empty_store.values("MATCH (g:Group) RETURN count(g)") == [[n]]


def test_values_and_stream_run_in_managed_read_transactions(empty_store, caplog):
    """A managed transaction (retried on transient errors) begins, runs and commits; an
    auto-commit query would be a lone RUN."""
    import logging

    caplog.set_level(logging.DEBUG, logger="neo4j")
    for read in (empty_store.values, lambda q: list(empty_store.stream(q))):
        caplog.clear()
        read("RETURN 1 AS one")
        sent = [
            line.split("C: ", 1)[1].split(" ", 1)[0]
            for line in caplog.text.splitlines()
            if "C: " in line
        ]
        begun = sent.index("BEGIN")
        assert sent[begun : begun + 2] == ["BEGIN", "RUN"] and "COMMIT" in sent[begun:]
        assert "'mode': 'r'" in next(
            line for line in caplog.text.splitlines() if "C: BEGIN" in line
        )


@pytest.mark.parametrize("page", [1, 2, 3, 4, 9, 100])
def test_a_table_read_in_small_pages_is_the_whole_table(empty_store, page):
    """Parts of any size give the rows of one unpaged read, each once (down to parts of one
    row, and a part of one node's two memberships, which cannot be split)."""
    from pathlib import Path

    from graph.store import cypher
    from loaders.load import load_dataset

    load_dataset(Path(__file__).parents[2] / "fixtures" / "tiny", empty_store)
    for name, table in cypher.READ_TABLES.items():
        ((whole,),) = empty_store.values(cypher.READ_WHOLE_TABLES[name].query)
        paged = list(empty_store.pages(table, page_rows=page))
        assert sorted(paged, key=repr) == sorted(whole, key=repr), name
    assert len(list(empty_store.pages(cypher.READ_TABLES["memberships"], page_rows=page))) == 9


@pytest.mark.parametrize("hint", [9, 40, 3])
def test_a_size_hint_splits_a_table_at_once_and_gives_the_same_rows(empty_store, hint):
    """The last load's row counts (kept in the load state) only choose the first parts: too
    many or too few, the rows are those of one unpaged read."""
    from pathlib import Path

    from graph.store import cypher
    from graph.store.loadstate import read_state
    from loaders.load import load_dataset

    load_dataset(Path(__file__).parents[2] / "fixtures" / "tiny", empty_store)
    assert read_state(empty_store).rows == {
        "Movement": 3,
        "Group": 7,
        "Member": 6,
        "Action": 2,
        "Resource": 1,
        "IN_MOVEMENT": 8,
        "MEMBER_OF": 9,
        "TOOK_PART_IN": 4,
        "SHARES": 2,
    }
    table = cypher.READ_TABLES["memberships"]
    ((whole,),) = empty_store.values(cypher.READ_WHOLE_TABLES["memberships"].query)
    paged = list(empty_store.pages(table, page_rows=4, rows=hint))
    assert sorted(paged, key=repr) == sorted(whole, key=repr) and len(paged) == 9


@pytest.mark.parametrize("page", [1, 2, 3])
def test_pages_skip_foreign_records_between_ours_and_stay_within_the_size(
    empty_store, page, monkeypatch
):
    """Unmarked nodes and relationships with our labels, keyed between ours (``g1a``
    sorts between ``g1`` and ``g2``), are in the key ranges of the pages but never in
    their rows; every page the server builds holds at most ``page + 1`` rows but when one
    key has more (``g1``'s two memberships)."""
    from pathlib import Path

    from graph.store import cypher
    from loaders.load import load_dataset

    load_dataset(Path(__file__).parents[2] / "fixtures" / "tiny", empty_store)
    empty_store.run(
        "UNWIND ['g0', 'g1a', 'g2a', 'g9'] AS id CREATE (:Group {id: id, name: 'theirs'}) "
        "WITH 1 AS one LIMIT 1 "
        "MATCH (a:Member {id: 'm2'}), (b:Group {id: 'g1'}) CREATE (a)-[:MEMBER_OF]->(b)"
    )
    from graph.store import connection

    built: list[int] = []
    real = connection._page

    def spy(tx, *args):
        last, rows = real(tx, *args)
        built.append(len(rows))
        return last, rows

    monkeypatch.setattr(connection, "_page", spy)
    read = {}
    for name in ("groups", "memberships"):
        ((whole,),) = empty_store.values(cypher.READ_WHOLE_TABLES[name].query)
        read[name] = list(empty_store.pages(cypher.READ_TABLES[name], page_rows=page, rows=100))
        assert sorted(read[name], key=repr) == sorted(whole, key=repr), name
    assert len(read["groups"]) == 7 and "theirs" not in [row[1] for row in read["groups"]]
    assert len(read["memberships"]) == 9 and ["m2", "g1"] not in [
        r[:2] for r in read["memberships"]
    ]
    assert built and max(built) <= max(page + 1, 2)
