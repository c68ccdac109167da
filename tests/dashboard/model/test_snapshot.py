"""A date window's derived data, computed once in the background (``dashboard.model.snapshot``)."""

from __future__ import annotations

import pytest

from dashboard.data import CoalitionData

from ..util import slow_reports


def test_slow_values_make_a_view_pending_not_wait(coalition, monkeypatch):
    import threading

    from dashboard.model.snapshot import Pending

    release = threading.Event()
    slow_reports(monkeypatch, release, at_most=10)
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


def test_the_report_uses_the_library_betweenness_thresholds(coalition, monkeypatch):
    """No threshold of the dashboard's own: exact up to graph.metrics.EXACT_MAX, as the CLI."""
    import inspect

    from dashboard.model import snapshot
    from graph import metrics
    from graph.report import compute_report

    calls = []

    def spy(*args, **kwargs):
        calls.append(kwargs)
        return compute_report(*args, **kwargs)

    monkeypatch.setattr(snapshot, "compute_report", spy)
    report = snapshot.Snapshot(coalition).report
    assert calls and not {"exact_max", "samples"} & set(calls[0])
    defaults = inspect.signature(compute_report).parameters
    assert defaults["exact_max"].default == metrics.EXACT_MAX
    assert defaults["samples"].default == metrics.DEFAULT_SAMPLES
    assert report.summary["betweenness_mode"] == "exact"
    from dashboard import data

    assert not hasattr(snapshot, "EXACT_MAX") and not hasattr(data, "EXACT_MAX")
