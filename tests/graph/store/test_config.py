"""Where the store is: the Neo4j conventions and the one rule for COALITION_HOME."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.store import StoreConfig, coalition_home


def test_coalition_home_is_the_argument_else_the_variable_else_dot_coalition(monkeypatch, tmp_path):
    monkeypatch.delenv("COALITION_HOME", raising=False)
    monkeypatch.chdir(tmp_path)
    assert coalition_home() == (tmp_path / ".coalition").resolve()
    monkeypatch.setenv("COALITION_HOME", str(tmp_path / "env"))
    assert coalition_home() == (tmp_path / "env").resolve()
    assert coalition_home(tmp_path / "given") == (tmp_path / "given").resolve()


def test_the_embedded_store_and_the_pseudonym_key_follow_the_same_home(monkeypatch, tmp_path):
    from graph.privacy import pseudonym_key
    from graph.store.embedded import EmbeddedStore

    monkeypatch.delenv("COALITION_PSEUDONYM_KEY", raising=False)
    monkeypatch.setenv("COALITION_HOME", str(tmp_path / "home"))
    assert EmbeddedStore().home == coalition_home()
    pseudonym_key()
    assert (coalition_home() / "pseudonym.key").stat().st_mode & 0o777 == 0o600


def test_config_reads_the_neo4j_conventions_and_options_win(monkeypatch):
    monkeypatch.setenv("NEO4J_URI", "neo4j://cluster:7687")
    monkeypatch.setenv("NEO4J_USERNAME", "alice")
    monkeypatch.setenv("NEO4J_PASSWORD", "s3cret")
    monkeypatch.setenv("NEO4J_DATABASE", "coalition")
    config = StoreConfig.from_env(database="other", username=None)
    assert (config.uri, config.username, config.password, config.database) == (
        "neo4j://cluster:7687",
        "alice",
        "s3cret",
        "other",
    )
    assert not config.embedded
    assert "s3cret" not in config.describe() and "s3cret" not in repr(config)


def test_no_uri_means_the_embedded_store(monkeypatch, tmp_path):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    config = StoreConfig.from_env(home=str(tmp_path))
    assert config.embedded
    assert config.describe() == f"embedded store in {Path(tmp_path).resolve()}"


def test_the_read_page_size_comes_from_coalition_read_page(monkeypatch):
    from graph.errors import StoreError
    from graph.store.config import READ_PAGE_ROWS

    monkeypatch.delenv("COALITION_READ_PAGE", raising=False)
    assert StoreConfig.from_env().page_rows == READ_PAGE_ROWS == 100_000
    monkeypatch.setenv("COALITION_READ_PAGE", "20_000")
    assert StoreConfig.from_env().page_rows == 20_000
    for bad, reason in (("lots", "not a number of rows"), ("0", "at least 1 row")):
        monkeypatch.setenv("COALITION_READ_PAGE", bad)
        with pytest.raises(StoreError, match=reason):
            StoreConfig.from_env()
