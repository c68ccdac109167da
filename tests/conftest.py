"""Shared fixtures: one real embedded store for the whole test session.

The tests write only to a store they created. ``NEO4J_URI`` may name a
coalition's only copy, so it is set aside for the session (the tests use their
own embedded store, and say so); to test against a real Neo4j, name a
throwaway server in ``COALITION_TEST_NEO4J_URI`` (with
``COALITION_TEST_NEO4J_USERNAME``, ``_PASSWORD`` and ``_DATABASE``).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


#: The Neo4j conventions, and the variables that name a throwaway server for the tests.
_NEO4J = ("NEO4J_URI", "NEO4J_USERNAME", "NEO4J_PASSWORD", "NEO4J_DATABASE")
_TEST_PREFIX = "COALITION_TEST_"


def pytest_configure(config) -> None:
    """Set the user's store aside before anything can connect to it."""
    user_store = os.environ.get("NEO4J_URI")
    for name in _NEO4J:
        os.environ.pop(name, None)
        if os.environ.get(_TEST_PREFIX + name):
            os.environ[name] = os.environ[_TEST_PREFIX + name]
    if user_store and not os.environ.get("NEO4J_URI"):
        config.issue_config_time_warning(
            pytest.PytestConfigWarning(
                "NEO4J_URI is set: the tests leave that store alone and use an embedded store "
                "of their own (name a throwaway server in COALITION_TEST_NEO4J_URI to test "
                "against Neo4j)"
            ),
            stacklevel=2,
        )


@pytest.fixture(scope="session")
def store_home(tmp_path_factory) -> Path:
    """A COALITION_HOME for the session's embedded store (or the throwaway test server)."""
    home = tmp_path_factory.mktemp("coalition-home")
    os.environ["COALITION_HOME"] = str(home)
    yield home
    if not os.environ.get("NEO4J_URI"):
        from graph.store.embedded import EmbeddedStore

        EmbeddedStore(home).stop()


@pytest.fixture(scope="session")
def store_config(store_home):
    from graph.store import StoreConfig

    return StoreConfig.from_env(home=str(store_home))


@pytest.fixture(scope="session")
def session_store(store_config):
    """An open store shared by the session. Tests that write must clean up with `empty_store`."""
    from graph.store import open_store

    store = open_store(store_config)
    yield store
    store.close()


def wipe(store) -> None:
    """Delete everything (tests only)."""
    store.run("MATCH (n) DETACH DELETE n")


@pytest.fixture
def empty_store(session_store):
    """The session store, emptied before and after the test."""
    wipe(session_store)
    yield session_store
    wipe(session_store)


@pytest.fixture(scope="session")
def sample_config(store_config):
    """Where the sample dataset is loaded: its own database (embedded) — never modify it."""
    from dataclasses import replace

    if store_config.embedded:
        return replace(store_config, database="sample")
    return store_config


@pytest.fixture(scope="session")
def sample_store(sample_config):
    """An open store holding the sample dataset, loaded once per session."""
    from graph.store import open_store
    from loaders.load import load_dataset

    store = open_store(sample_config)
    wipe(store)
    load_dataset(SAMPLE, store)
    yield store
    store.close()


@pytest.fixture
def dataset(tmp_path):
    """Copy a fixture dataset folder to a temp dir so a test may edit it."""

    copies = iter(range(1_000_000))

    def _copy(name: str) -> Path:
        target = tmp_path / f"{name}-{next(copies)}"
        shutil.copytree(FIXTURES / name, target)
        return target

    return _copy
