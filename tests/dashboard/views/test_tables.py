"""Notices, tables and dropdown options (``dashboard.views.tables``)."""

from __future__ import annotations

from dash import html

from dashboard.views.tables import NameSearch, choice_options, notice, search_options

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


def _options_by_brute_force(names, term, keep, most):
    """The rule of search_options, spelled out: chosen first, then the first matches; by name."""
    text = term.strip().casefold()
    kept = sorted({k for k in keep if k in names}, key=lambda k: (names[k].casefold(), k))
    found = [
        k for k in names if k not in kept and (text in names[k].casefold() or text in k.casefold())
    ]
    found.sort(key=lambda k: (names[k].casefold(), k))
    return [{"label": f"{names[k]} ({k})", "value": k} for k in kept] + [
        {"label": f"{names[k]} ({k})", "value": k} for k in found[:most]
    ]


def test_a_name_search_made_once_answers_as_a_search_from_scratch():
    # Names that sort differently by case, repeated names, ids matching the term.
    words = ["Rain", "rain", "Tenants", "tenants union", "Ränt", "Ω", "group rain"]
    names = {f"g{i:03d}": f"{words[i % len(words)]} {i % 13}" for i in range(300)}
    search = NameSearch(names)
    for term in ["", "rain", "RAIN", " g01", "ä", "union 1", "zzz", "g2"]:
        for keep in ([], ["g005"], ["g299", "g001", "missing"]):
            expected = _options_by_brute_force(names, term, keep, most=40)
            assert search_options(names, term, keep=keep, most=40, search=search) == expected
            assert search_options(names, term, keep=keep, most=40) == expected
