"""The dashboard's data source against the real embedded store: read once, re-read on change."""

from __future__ import annotations

import pytest

from dashboard.data import CoalitionData
from graph.errors import UsageError
from graph.privacy import erase_member
from loaders.load import load_dataset

from ..conftest import FIXTURES

pytestmark = pytest.mark.store


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_reads_once_and_rereads_when_the_store_changes(empty_store, store_config, tmp_path):
    load_dataset(FIXTURES / "tiny", empty_store)
    clock = Clock()
    source = CoalitionData(store_config, check_every=30, max_age=600, clock=clock)
    try:
        first = source.snapshot()
        members = first.coalition.member_count
        assert members > 0 and first.coalition.groups
        assert first.report is first.report  # computed once

        # Within check_every the store is not asked again, even if it changed.
        member_id = next(iter(first.coalition.member_groups()))
        assert erase_member(empty_store, [member_id], home=tmp_path) == 1
        clock.now += 10
        assert source.snapshot() is first

        # After check_every the counts differ: everything is read again.
        clock.now += 30
        second = source.snapshot()
        assert second is not first
        assert second.coalition.member_count == members - 1

        # Unchanged counts: the same snapshot, until max_age.
        clock.now += 31
        assert source.snapshot() is second
        clock.now += 600
        assert source.snapshot() is not second
    finally:
        source.close()


def test_keeps_the_last_complete_data_while_a_load_is_running(empty_store, store_config):
    from graph.store import cypher
    from graph.store.loadstate import claim

    load_dataset(FIXTURES / "tiny", empty_store)
    clock = Clock()
    source = CoalitionData(store_config, check_every=30, max_age=600, clock=clock)
    try:
        assert len(source.snapshot().coalition.groups) == 7
        with claim(empty_store, "another dataset") as load:
            # the load has written part of its data...
            empty_store.write_counted(
                cypher.CREATE_NODES["Group"], [{"id": "half", "props": {"name": "Half Loaded"}}]
            )
            clock.now += 60
            # ...the dashboard still shows the last complete data, not a mixture
            assert "half" not in source.snapshot().coalition.groups
            assert len(source.snapshot().coalition.groups) == 7
            load.finish()
        clock.now += 60
        assert "half" in source.snapshot().coalition.groups
    finally:
        source.close()


def test_a_slow_first_read_is_pending_and_a_reread_keeps_the_old_data(
    empty_store, store_config, monkeypatch, tmp_path
):
    import threading

    import dashboard.data
    from dashboard.model.snapshot import Pending

    load_dataset(FIXTURES / "tiny", empty_store)
    release = threading.Event()
    real = dashboard.data.read_coalition

    def slow_read(store):
        release.wait(30)
        return real(store)

    monkeypatch.setattr(dashboard.data, "read_coalition", slow_read)
    clock = Clock()
    source = CoalitionData(store_config, check_every=30, max_age=600, clock=clock)
    try:
        with pytest.raises(Pending, match="Reading the coalition from the graph store"):
            source.snapshot(wait=0.05)
        release.set()
        first = source.snapshot(wait=10)
        assert len(first.coalition.groups) == 7

        # The store changes; while it is read again, pages get the last complete data at once.
        release.clear()
        member_id = next(iter(first.coalition.member_groups()))
        assert erase_member(empty_store, [member_id], home=tmp_path) == 1
        clock.now += 60
        assert source.snapshot(wait=0.05) is first
        release.set()
        second = source.snapshot()  # no wait given: until the new data are read
        assert second.coalition.member_count == first.coalition.member_count - 1
    finally:
        release.set()
        source.close()


def test_pages_do_not_wait_for_a_look_at_the_store(
    empty_store, store_config, monkeypatch, tmp_path
):
    import threading

    from graph.errors import StoreUnavailable

    load_dataset(FIXTURES / "tiny", empty_store)
    clock = Clock()
    source = CoalitionData(store_config, check_every=30, max_age=600, clock=clock)
    release, asked = threading.Event(), threading.Event()
    looks = []
    real = CoalitionData._read_version

    def slow(store):
        looks.append(threading.current_thread().name)
        asked.set()
        release.wait(30)
        return real(store)

    try:
        first = source.snapshot()
        monkeypatch.setattr(CoalitionData, "_read_version", staticmethod(slow))
        member_id = next(iter(first.coalition.member_groups()))
        assert erase_member(empty_store, [member_id], home=tmp_path) == 1
        clock.now += 60
        # A page gets the data at hand at once; the store is asked in the background...
        assert source.snapshot(wait=2) is first
        assert asked.wait(10) and looks == ["dashboard-check"]
        # ...one look at a time: pages asking meanwhile start none.
        assert source.snapshot(wait=2) is first and len(looks) == 1
        release.set()
        # The look found the change: the store is read again, and pages get the new data.
        for _ in range(400):
            second = source.snapshot(wait=2)
            if second is not first:
                break
            threading.Event().wait(0.05)
        assert second.coalition.member_count == first.coalition.member_count - 1

        # A look that cannot reach the store: the next page asks again itself, and says why.
        def down(store):
            raise StoreUnavailable("The graph store is unavailable: test")

        monkeypatch.setattr(CoalitionData, "_read_version", staticmethod(down))
        clock.now += 60
        assert source.snapshot(wait=2) is second  # the look in the background fails...
        for _ in range(400):
            if source._check_failed:
                break
            threading.Event().wait(0.05)
        clock.now += 1
        with pytest.raises(StoreUnavailable, match="unavailable: test"):
            source.snapshot(wait=2)  # ...so this page looks itself, and says why
        monkeypatch.setattr(CoalitionData, "_read_version", staticmethod(real))
        assert source.snapshot(wait=2) is second  # back: the same data, nothing changed
    finally:
        release.set()
        source.close()


# -- the cache over an in-memory coalition ----------------------------------------------------
def test_data_source_caches_per_window(coalition):
    source = CoalitionData.from_coalition(coalition)
    snap = source.snapshot()
    assert source.snapshot() is snap
    assert snap.report is snap.report
    assert snap.graph is snap.report.graph
    windowed = source.snapshot(None, "2019-12-31")
    assert windowed is not snap
    assert windowed.until == "2019-12-31"
    assert windowed.member_total == 8  # m11 joined in 2020
    assert source.snapshot(until="2019-12-31T00:00:00") is windowed
    assert snap.group_counts["g1"] == {"members": 6, "actions": 2, "resources": 0}


def test_data_source_rejects_bad_windows(coalition):
    source = CoalitionData.from_coalition(coalition)
    with pytest.raises(UsageError, match="after"):
        source.snapshot("2022-01-01", "2021-01-01")
    with pytest.raises(UsageError, match="not a date"):
        source.snapshot("soon")


def test_data_source_lru_is_bounded(coalition):
    source = CoalitionData.from_coalition(coalition, max_windows=2)
    first = source.snapshot("2019-01-01")
    source.snapshot("2020-01-01")
    source.snapshot("2021-01-01")
    assert source.snapshot("2019-01-01") is not first


def test_an_empty_dataset_is_a_clear_message():
    from dashboard.data import EmptyDataset
    from graph.coalition import Coalition

    with pytest.raises(EmptyDataset, match="no groups to show. Load a dataset"):
        CoalitionData.from_coalition(Coalition()).snapshot()
