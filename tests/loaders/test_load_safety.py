"""Never half a dataset: killed loads, a store that goes down, concurrent loads, re-loads.

Every test here runs against a real embedded store; the kill tests SIGKILL a
real `coalition load` process of a generated dataset part-way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from graph.errors import IncompleteLoad, LoadInProgress
from graph.read import read_coalition
from graph.store import open_store
from graph.store.embedded import EmbeddedStore
from loaders.generate import generate
from loaders.load import load_dataset

from .test_load import expected_counts

pytestmark = pytest.mark.store


@pytest.fixture(scope="module")
def big_dataset(tmp_path_factory) -> Path:
    """Big enough that a load takes several seconds on this machine."""
    out = tmp_path_factory.mktemp("big")
    generate(out, groups=800, members=8000, memberships=60_000, actions=1500, seed=11)
    return out


def _cli(home, database, *args) -> subprocess.Popen:
    env = {**os.environ, "COALITION_HOME": str(home)}
    env.pop("NEO4J_URI", None)
    return subprocess.Popen(
        [sys.executable, "-m", "cli.main", "--database", database, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for(predicate, timeout=120.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _store(store_config, database):
    return open_store(replace(store_config, database=database))


@pytest.mark.parametrize("kill_during", ["Member", "MEMBER_OF"])
def test_killed_load_is_refused_then_finished_by_rerun(
    store_home, store_config, big_dataset, kill_during
):
    database = f"kill{kill_during.lower().replace('_', '')}"
    with _store(store_config, database) as store:
        store.run("MATCH (n) DETACH DELETE n")
        proc = _cli(store_home, database, "load", str(big_dataset), "--batch-size", "1000")
        _wait_for(lambda: store.counts()[kill_during] > 0, what=f"{kill_during} writes")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        partial = store.counts()
        assert partial != expected_counts(big_dataset)
        # Readers refuse the mixture rather than show it as data...
        with pytest.raises(IncompleteLoad, match="re-run `coalition load"):
            read_coalition(store)
        metrics = _cli(store_home, database, "metrics", "--out", str(store_home / "m"))
        _, err = metrics.communicate(timeout=120)
        assert metrics.returncode == 1 and "did not finish" in err and "Traceback" not in err
        # ...and re-running the same command finishes the store exactly.
        rerun = _cli(store_home, database, "load", str(big_dataset))
        _, err = rerun.communicate(timeout=300)
        assert rerun.returncode == 0, err
        assert store.counts() == expected_counts(big_dataset)
        assert len(read_coalition(store).groups) == 800


def test_second_load_at_once_fails_clearly(store_config, store_home, big_dataset, dataset):
    database = "concurrent"
    with _store(store_config, database) as store:
        store.run("MATCH (n) DETACH DELETE n")
        first = _cli(store_home, database, "load", str(big_dataset), "--batch-size", "1000")
        _wait_for(lambda: store.counts()["Group"] > 0, what="the first load to start")
        with pytest.raises(LoadInProgress, match="is running"):
            load_dataset(dataset("tiny"), store)
        _, err = first.communicate(timeout=300)
        assert first.returncode == 0, err
        # nothing of the refused load got in, nothing is duplicated
        assert store.counts() == expected_counts(big_dataset)


def test_store_going_down_mid_load(tmp_path, big_dataset):
    home = tmp_path / "home"
    embedded = EmbeddedStore(home)
    status = embedded.ensure_running()
    from graph.store import StoreConfig

    config = StoreConfig(home=str(home))
    try:
        with open_store(config) as store:
            proc = _cli(home, "coalition", "load", str(big_dataset), "--batch-size", "1000")
            _wait_for(lambda: store.counts()["MEMBER_OF"] > 0, what="relationship writes")
            os.kill(status.pid, signal.SIGKILL)  # the server dies, not the loader
            _, err = proc.communicate(timeout=120)
        assert proc.returncode == 1
        assert "Traceback" not in err
        assert "store" in err and ("cannot reach" in err or "lost the connection" in err), err
        embedded.ensure_running()
        with open_store(config) as store:
            with pytest.raises(IncompleteLoad):
                read_coalition(store)
            rerun = _cli(home, "coalition", "load", str(big_dataset))
            _, err = rerun.communicate(timeout=300)
            assert rerun.returncode == 0, err
            assert store.counts() == expected_counts(big_dataset)
            read_coalition(store)
    finally:
        embedded.stop()


def test_reload_updates_in_place_and_prune_is_explicit(empty_store, dataset):
    d = dataset("tiny")
    load_dataset(d, empty_store)
    groups = (d / "groups.csv").read_text()
    (d / "groups.csv").write_text(groups.replace("Quiet Tenants", "Loud Tenants"))
    ms = (d / "memberships.csv").read_text()
    (d / "memberships.csv").write_text(
        ms.replace("m4,g4,member,2020-01-01,", "m4,g4,board,2020-01-01,2024-01-01").replace(
            "m6,g1,member,2021-01-01,\n", ""
        )
    )
    summary = load_dataset(d, empty_store)
    assert sum(summary.created.values()) == 0
    (row,) = empty_store.read("MATCH (g:Group {id: 'g6'}) RETURN g.name AS name")
    assert row["name"] == "Loud Tenants"
    (rel,) = empty_store.read(
        "MATCH (:Member {id: 'm4'})-[r:MEMBER_OF]->(:Group {id: 'g4'}) "
        "RETURN r.role AS role, r.end_date AS end"
    )
    assert rel == {"role": "board", "end": "2024-01-01"}
    # without --prune the removed membership stays
    assert empty_store.counts()["MEMBER_OF"] == 9
    summary = load_dataset(d, empty_store, prune=True)
    assert empty_store.counts()["MEMBER_OF"] == 8
    assert summary.deleted["MEMBER_OF"] == 1
    members = (d / "members.csv").read_text()
    (d / "members.csv").write_text(members.replace("m6,,Riverton\n", ""))
    load_dataset(d, empty_store, prune=True)
    assert empty_store.counts() == expected_counts(d)
    assert not empty_store.read("MATCH (p:Member {id: 'm6'}) RETURN p.id AS id")


def test_each_complete_load_bumps_the_data_version(empty_store, dataset):
    d = dataset("tiny")
    first = load_dataset(d, empty_store).version
    second = load_dataset(d, empty_store).version
    assert second == first + 1
    assert read_coalition(empty_store).version == second
