"""The trends page's views (``dashboard.views.trends``), from a hand-built Trends."""

from __future__ import annotations

from dashboard.views.trends import (
    at_risk_list,
    cell_listing,
    changes_figure,
    pairs_heatmap,
    rank_figure,
)
from graph.metrics.trends import Trends

from ..util import texts


def _trends() -> Trends:
    periods = [("2020-01-01", "2020-12-31"), ("2021-01-01", "2021-12-31")]
    t = Trends(every="year", periods=periods)
    t.movement_pairs = [
        {"period_start": "2020-01-01", "movement_a": "a", "movement_b": "b", "ties": 3},
        {"period_start": "2020-01-01", "movement_a": "a", "movement_b": "a", "ties": 9},
        {"period_start": "2021-01-01", "movement_a": "a", "movement_b": "b", "ties": 1},
        {"period_start": "2021-01-01", "movement_a": "b", "movement_b": "c", "ties": 5},
    ]
    t.groups = [
        {"period_start": "2020-01-01", "group_id": "g1", "betweenness_rank": 1},
        {"period_start": "2020-01-01", "group_id": "g2", "betweenness_rank": 2},
        {"period_start": "2021-01-01", "group_id": "g2", "betweenness_rank": 1},
    ]
    t.changes = [
        {
            "period_start": "2021-01-01",
            "group_a": "g1",
            "group_b": "g3",
            "change": "lost",
            "cross_movement": True,
        },
        {
            "period_start": "2021-01-01",
            "group_a": "g2",
            "group_b": "g3",
            "change": "gained",
            "cross_movement": True,
        },
        {
            "period_start": "2021-01-01",
            "group_a": "g2",
            "group_b": "g4",
            "change": "gained",
            "cross_movement": False,
        },
    ]
    return t


NAMES = {"a": "A <b>", "b": "B", "c": "C"}


def test_heatmap_rows_most_ties_first_across_movements_only():
    fig = pairs_heatmap(_trends(), NAMES, cell=("2021-01-01", "b", "c"))
    heat = fig.data[0]
    # b–c has 5 ties in all, a–b 4; a–a (within one movement) is left out
    assert list(heat.y) == ["B – C", "A &lt;b&gt; – B"]
    assert [list(row) for row in heat.z] == [[0, 5], [3, 1]]
    assert heat.customdata[1][0] == "2020-01-01,a,b"
    (outline,) = fig.layout.shapes
    assert (outline.x0, outline.y0) == (0.5, -0.5)  # column 1, row 0


def test_changes_gained_up_lost_down_across_highlighted():
    fig = changes_figure(_trends())
    by_name = {bar.name: list(bar.y) for bar in fig.data}
    assert by_name["Gained across movements"] == [0, 1]
    assert by_name["Gained within a movement"] == [0, 1]
    assert by_name["Lost across movements"] == [0, -1]
    assert by_name["Lost within a movement"] == [0, 0]


def test_rank_lines_follow_the_latest_top_and_a_chosen_group():
    fig = rank_figure(_trends(), {"g1": "One", "g2": "Two"}, chosen=["g1"], top=1)
    assert [t.name for t in fig.data] == ["Two", "One"]
    assert list(fig.data[0].y) == [2, 1] and list(fig.data[1].y) == [1, None]
    assert fig.data[1].line.width == 4  # the chosen group stands out
    assert fig.layout.yaxis.autorange == "reversed"


def test_links_at_risk_link_to_the_cells():
    block = at_risk_list(_trends(), NAMES, query={"every": None})
    text = " ".join(texts(block))
    assert "A <b> – B" in text  # a name is text, never markup
    assert "one direct tie in 2021-01-01, 3 in 2020-01-01" in text
    assert block.to_plotly_json()["props"]["data-count"] == "1"
    links = [c for c in block.children[-1].children[0].children if hasattr(c, "href")]
    assert [link.href for link in links] == [
        "/trends?cell=2020-01-01,a,b",
        "/trends?cell=2021-01-01,a,b",
    ]


def test_cell_listing_bands_member_counts():
    ties = [
        {
            "group_a": "g1",
            "group_b": "g2",
            "shared_members": 2,
            "joint_actions": 1,
            "shared_resources": 0,
        }
    ]
    block = cell_listing(
        ties,
        ("2021-01-01", "2021-12-31"),
        "a",
        "b",
        group_names={"g1": "One"},
        movement_names=NAMES,
    )
    text = " ".join(texts(block))
    assert "2021-12-31: 1 direct tie" in text and "One" in text and "g2" in text
    assert "<5 shared members · 1 joint action" in text
