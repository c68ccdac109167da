"""Numbers and words as shown (``dashboard.views.text``)."""

from __future__ import annotations

import pytest

from dashboard.data import CoalitionData
from dashboard.views.text import number_text, plotly_text, problem, tie_summary
from graph.errors import StoreUnavailable
from graph.store import StoreConfig


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, ""), (float("nan"), ""), (True, "yes"), (3, "3"), (0.12345, "0.123"), ("x", "x")],
)
def test_number_text(value, expected):
    assert number_text(value) == expected


def test_plotly_text_escapes_markup():
    assert plotly_text("<b>A & B</b>") == "&lt;b&gt;A &amp; B&lt;/b&gt;"


def test_tie_summary():
    edge = {"shared_members": 2, "joint_actions": 1, "shared_resources": 3}
    assert tie_summary(edge) == "<5 shared members · 1 joint action · 3 shared resources"
    assert tie_summary({"shared_members": 0}) == "no ties"


def test_unreachable_store_is_a_clear_message():
    source = CoalitionData(StoreConfig(uri="bolt://127.0.0.1:9", username="x", password="y"))
    with pytest.raises(StoreUnavailable) as info:
        source.snapshot()
    message = problem(info.value)
    assert message.startswith("The graph store is unavailable: ")
    assert "y" not in message.split(": ", 1)[1].split()  # never the password
    assert problem(ValueError("boom")).startswith("Something went wrong")
