"""Joint actions over time (``dashboard.views.timeline``)."""

from __future__ import annotations

import pytest

from dashboard.views.timeline import period_actions, period_key, timeline_figure, timeline_rows

from ..util import NAMES, texts


def test_timeline_rows(coalition):
    rows = timeline_rows(coalition)
    assert rows == [
        {"period": "2019", "start": "2019-01-01", "within": 0, "across": 1},
        {"period": "2020", "start": "2020-01-01", "within": 0, "across": 0},
        {"period": "2021", "start": "2021-01-01", "within": 1, "across": 0},
    ]
    quarters = timeline_rows(coalition, period="quarter")
    assert [r["period"] for r in quarters][:3] == ["2019-Q2", "2019-Q3", "2019-Q4"]
    assert quarters[-1]["period"] == "2021-Q1"
    assert timeline_rows(coalition, movements=["queer"]) == [
        {"period": "2019", "start": "2019-01-01", "within": 0, "across": 1}
    ]
    assert timeline_rows(coalition, movements=["labour"]) == []
    months = timeline_rows(coalition, period="month")
    assert len(months) == 23  # 2019-05 .. 2021-03
    fig = timeline_figure(rows)
    assert [t.name for t in fig.data] == ["Within one movement", "Across movements"]


@pytest.mark.parametrize(
    ("value", "period", "expected"),
    [
        ("2021", "year", "2021"),
        ("2021-Q3", "quarter", "2021-Q3"),
        ("2021-Q5", "quarter", None),
        ("2021-07", "month", "2021-07"),
        ("2021-13", "month", None),
        ("2021", "month", None),
        ("<script>", "year", None),
        (None, "year", None),
    ],
)
def test_period_key(value, period, expected):
    assert period_key(value, period) == expected


def test_period_actions_lists_the_period(coalition):
    listing = period_actions(coalition, "2021", movement_names=NAMES)
    words = texts(listing)
    assert "Joint actions in 2021" in words and "Kitchen" in words
    assert "Solo" not in words  # one group only: not a joint action
    assert "within" in words and "Black Lives Matter" in words
    assert listing.to_plotly_json()["props"]["data-count"] == "1"
    quarter = period_actions(coalition, "2019-Q2", period="quarter")
    assert "March" in texts(quarter) and "across" in texts(quarter)
    assert "No joint actions in this period." in texts(period_actions(coalition, "2020"))


def test_timeline_figure_has_a_range_selector_and_marks_the_selection(coalition):
    rows = timeline_rows(coalition)
    figure = timeline_figure(rows, selected="2021")
    assert figure.layout.xaxis.type == "date" and figure.layout.xaxis.rangeslider.visible
    assert [b.label for b in figure.layout.xaxis.rangeselector.buttons][-1] == "all"
    assert list(figure.data[0].customdata) == ["2019", "2020", "2021"]
    assert list(figure.data[0].marker.line.width) == [0, 0, 2.5]


def test_timeline_status(coalition):
    from dashboard.views.timeline import timeline_status

    rows = timeline_rows(coalition, period="year")
    assert texts(timeline_status(rows)) == ["2 joint actions, 1 of them across movements (50%)."]
    assert texts(timeline_status([])) == ["No joint actions in this window."]
