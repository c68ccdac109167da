"""The pseudonym key never changes silently (issue 11, DESIGN.md "Privacy").

Two data stewards load into the same store (a Neo4j server: here the session's
embedded store reached through ``NEO4J_URI``), each from their own
``COALITION_HOME`` and so with their own key file. The second key would give
every member a new pseudonym and store them twice: the load refuses, names the
``COALITION_HOME`` holding the matching key, and writes nothing.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

pytestmark = pytest.mark.store

TINY = str(Path(__file__).parents[1] / "fixtures" / "tiny")
DATABASE = "pseudonym_key"


@pytest.fixture
def shared_store(store_config, loaded):
    """An empty database of the session's store (``loaded`` has started the server)."""
    from graph.store import open_store

    with open_store(replace(store_config, database=DATABASE)) as store:
        store.run("MATCH (n) DETACH DELETE n")
        yield store


def _everything(store) -> list:
    rows = store.read("MATCH (n) RETURN labels(n) AS l, properties(n) AS p")
    return sorted(str(r) for r in rows)


def test_a_pseudonymised_load_from_another_home_refuses(cli, shared_store, neo4j_env, tmp_path):
    from graph.store.loadstate import read_state

    first, second = tmp_path / "steward-a", tmp_path / "steward-b"
    env_first = {**neo4j_env(database=DATABASE), "COALITION_HOME": str(first)}
    env_second = {**neo4j_env(database=DATABASE), "COALITION_HOME": str(second)}

    done = cli("load", "--pseudonymize", TINY, database=None, env=env_first)
    assert done.returncode == 0, done.stderr
    counts, state = shared_store.counts(), read_state(shared_store)
    assert counts["Member"] == 6
    before = _everything(shared_store)

    refused = cli("load", "--pseudonymize", TINY, database=None, env=env_second)
    assert refused.returncode == 1
    assert "Traceback" not in refused.stderr
    message = " ".join(refused.stderr.split())  # rich wraps long lines
    assert f"COALITION_HOME={first}" in message  # where the matching key is
    assert f"COALITION_HOME={second}" in message  # and which key was at hand
    assert "Nothing was written" in message
    assert _everything(shared_store) == before
    assert read_state(shared_store) == state  # not even the load state

    # the store keeps a fingerprint, never the key
    key = (first / "pseudonym.key").read_text().strip()
    assert key not in str(before)

    again = cli("load", "--pseudonymize", TINY, database=None, env=env_first)
    assert again.returncode == 0, again.stderr
    assert shared_store.counts() == counts  # same pseudonyms: nobody twice

    # erasing with the other key would miss the person: refused too
    wrong = cli("erase-member", "m1", database=None, env=env_second)
    assert wrong.returncode == 1 and f"COALITION_HOME={first}" in " ".join(wrong.stderr.split())
    assert shared_store.counts()["Member"] == 6
    erased = cli("erase-member", "m1", database=None, env=env_first)
    assert erased.returncode == 0, erased.stderr
    assert shared_store.counts()["Member"] == 5


def test_a_load_without_pseudonyms_records_no_key(cli, shared_store, neo4j_env, tmp_path):
    from graph.store import cypher

    env = {**neo4j_env(database=DATABASE), "COALITION_HOME": str(tmp_path / "a")}
    assert cli("load", TINY, database=None, env=env).returncode == 0
    assert shared_store.read(cypher.READ_PSEUDONYM_KEY)[0]["fingerprint"] is None
    # so any key may start pseudonymising; from then on only that key
    assert cli("load", "--pseudonymize", TINY, database=None, env=env).returncode == 0
    other = {**env, "COALITION_HOME": str(tmp_path / "b")}
    assert cli("load", "--pseudonymize", TINY, database=None, env=other).returncode == 1


def test_the_library_refuses_another_key_from_the_variable(shared_store, monkeypatch):
    from graph.errors import PseudonymKeyMismatch
    from graph.privacy import key_fingerprint
    from loaders.load import load_dataset

    monkeypatch.setenv("COALITION_PSEUDONYM_KEY", "first key")
    load_dataset(TINY, shared_store, pseudonymize_members=True)
    counts = shared_store.counts()
    monkeypatch.setenv("COALITION_PSEUDONYM_KEY", "second key")
    with pytest.raises(PseudonymKeyMismatch, match="COALITION_PSEUDONYM_KEY variable"):
        load_dataset(TINY, shared_store, pseudonymize_members=True)
    assert shared_store.counts() == counts
    from graph.store import cypher

    recorded = shared_store.read(cypher.READ_PSEUDONYM_KEY)[0]["fingerprint"]
    assert recorded == key_fingerprint(b"first key")
