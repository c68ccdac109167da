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
