"""Notices, tables and dropdown options (``dashboard.views.tables``)."""

from __future__ import annotations

from dash import html

from dashboard.views.tables import choice_options, notice, search_options

from ..util import EVIL


def test_notice_is_text():
    box = notice(EVIL)
    assert isinstance(box, html.Div)
    assert box.children == EVIL
    assert box.role == "alert"


def test_choice_options_sort_by_name():
    options = choice_options({"b": "alpha", "a": "Beta"})
    assert options == [
        {"label": "alpha (b)", "value": "b"},
        {"label": "Beta (a)", "value": "a"},
    ]
    assert choice_options({"x": "X"}, with_id=False) == [{"label": "X", "value": "x"}]


def test_search_options_stay_light_for_many_groups():
    names = {f"g{i:05d}": f"Group {i}" for i in range(1000)}
    assert len(search_options({"a": "A"}, "zzz")) == 1  # few groups: all of them
    first = search_options(names, "", most=50)
    assert len(first) == 50 and first[0]["value"] == "g00000"
    found = search_options(names, "group 99", keep=["g00005"], most=50)
    assert found[0]["value"] == "g00005"  # the chosen value stays an option
    assert {o["value"] for o in found[1:]} == {"g00099"} | {f"g0099{i}" for i in range(10)}
    assert search_options(names, "G00123")[0]["value"] == "g00123"
