"""A date window's derived data, computed once in the background (``dashboard.model.snapshot``)."""

from __future__ import annotations

import pytest

from dashboard.data import CoalitionData


def test_slow_values_make_a_view_pending_not_wait(coalition, monkeypatch):
    import threading

    from dashboard.model.snapshot import Pending, Snapshot

    release = threading.Event()
    compute = Snapshot._compute_report

    def slow_report(self):
        release.wait(10)
        return compute(self)

    monkeypatch.setattr(Snapshot, "_compute_report", slow_report)
    snap = CoalitionData.from_coalition(coalition).snapshot()
    assert snap.get("index", wait=5) is snap.index  # quick values do not wait for the report
    with pytest.raises(Pending, match=r"Computing the metrics of 6 groups and 5 ties \(started"):
        snap.get("report", wait=0.05)
    assert not snap.ready("report")
    release.set()
    assert snap.get("metrics", wait=5)["g1"]["degree"] == 2
    assert snap.ready("report")


def test_warm_computes_everything_in_the_background(coalition):
    from dashboard.model.snapshot import Snapshot

    source = CoalitionData.from_coalition(coalition)
    source.warm().join(30)
    snap = source.snapshot()
    assert all(snap.ready(name) for name in Snapshot.DERIVED)


@pytest.mark.parametrize("first", ["matrix", "group_counts", "bridging_members"])
def test_a_quick_value_asked_first_does_not_deadlock(coalition, first):
    # The matrix waits for the graph, whose thread needs the snapshot's lock.
    import threading

    from dashboard.model.snapshot import Snapshot

    snap = Snapshot(coalition)
    done = {}
    worker = threading.Thread(target=lambda: done.update(value=getattr(snap, first)), daemon=True)
    worker.start()
    worker.join(30)
    assert not worker.is_alive(), f"{first} never came back"
    assert done["value"] is getattr(snap, first)
    assert snap.matrix and snap.get("index", wait=5) is snap.index
