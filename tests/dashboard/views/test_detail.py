"""The network page's detail panel (``dashboard.views.detail``)."""

from __future__ import annotations

from dashboard.views.detail import group_detail, movement_detail
from graph.report import compute_report

from ..util import EVIL, NAMES, texts, walk


def test_group_detail_shows_counts_only(coalition, graph):
    report = compute_report(coalition, graph=graph)
    metrics = {row["group_id"]: row for row in report.groups}
    counts = {"members": 3, "actions": 2, "resources": 0}
    panel = group_detail(
        "g1",
        G=graph,
        group=coalition.groups["g1"],
        metrics=metrics["g1"],
        counts=counts,
        movement_names=NAMES,
        since="2020-01-01",
    )
    words = texts(panel)
    assert "Northside Defenders" in words
    assert "Black Lives Matter (primary)" in words
    assert "<5" in words  # 3 members
    assert "3" not in words
    assert any("6 shared members" in w for w in words)  # g1–g2 share 6
    links = [c.href for c in walk(panel) if getattr(c, "href", None)]
    assert "/paths?a=g1&since=2020-01-01" in links
    assert "/whatif?remove=g1&since=2020-01-01" in links


def test_data_text_stays_text(coalition, graph):
    """A group named like markup is a plain string child, never parsed."""
    panel = group_detail(
        "g5",
        G=graph,
        group=coalition.groups["g5"],
        metrics=None,
        counts={},
        movement_names={"labour": EVIL},
    )
    assert EVIL in texts(panel)
    assert EVIL + " (primary)" in texts(panel)


def test_group_detail_lists_joint_actions(coalition, graph):
    actions = [
        {"id": f"a{i}", "name": f"Action {i}", "start_date": f"20{10 + i}-01-01", "groups": 3}
        for i in range(9)
    ]
    panel = group_detail(
        "g1",
        G=graph,
        group=coalition.groups["g1"],
        metrics=None,
        counts={},
        movement_names=NAMES,
        actions=actions,
        metrics_note="Computing the metrics…",
    )
    words = texts(panel)
    assert "Action 0" in words and "Action 5" in words and "Action 6" not in words
    assert "…and 3 more. " in words
    assert "Computing the metrics…" in words and "Betweenness" not in words


def test_movement_detail():
    panel = movement_detail(
        "blm",
        entry={"groups": 2, "ties": {"internal": 1, "external": 2, "ei": 1 / 3}},
        movement_names=NAMES,
        link="/network?movements=blm",
    )
    words = texts(panel)
    assert "Black Lives Matter" in words and "0.33" in words
    assert [c.href for c in walk(panel) if getattr(c, "href", None)] == ["/network?movements=blm"]
