"""URL and input parsing (``dashboard.params``): lenient for links, strict for callbacks."""

from __future__ import annotations

import pytest

from dashboard import params
from graph.errors import UsageError
from graph.schema import TIE_BY_SHORT

from .util import EVIL


# -- the URL -----------------------------------------------------------------------------------
def test_query_string_is_canonical_and_drops_defaults():
    qs = params.query_string(
        {"movements": ["blm", "queer"], "min_weight": 1, "q": "", "since": None, "x": "a b&c"},
        {"min_weight": 1},
    )
    assert qs == "?movements=blm,queer&x=a+b%26c"
    assert params.query_string({}) == ""
    assert params.href("/paths", a="g 1", b=None) == "/paths?a=g+1"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, []), ("a,b", ["a", "b"]), (["a", "b,a"], ["a", "b"]), (" a , ,b ", ["a", "b"])],
)
def test_split_list(value, expected):
    assert params.split_list(value) == expected


def test_split_list_keeps_at_most_max_items():
    assert len(params.split_list(",".join(str(i) for i in range(2000)))) == params.MAX_ITEMS


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, 1), ("", 1), ("3", 3), ("2.5", 2.5), ("x", 1), ("-4", 1), (["2", "7"], 7), ("nan", 1)],
)
def test_parse_number(value, expected):
    assert params.parse_number(value, 1, lo=1) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, None), ("", None), ("2021-03-04", "2021-03-04"), ("2021-03-04T00:00:00", "2021-03-04")],
)
def test_parse_date(value, expected):
    assert params.parse_date(value) == expected


def test_parse_date_rejects_garbage():
    with pytest.raises(UsageError, match="not a date"):
        params.parse_date("last tuesday", name="since")


def test_url_choice_takes_the_last_value_if_offered():
    assert params.url_choice(["a", "b"], ("a", "b"), "a") == "b"
    assert params.url_choice(EVIL, ("a", "b"), "a") == "a"
    assert params.url_choice(None, ("a", "b"), "b") == "b"


def test_tie_types_in_the_url_use_the_schema_short_names():
    assert list(TIE_BY_SHORT) == ["members", "actions", "resources"]
    assert params.url_ties(None) == ["members", "actions", "resources"]
    assert params.url_ties("resources,evil,members") == ["resources", "members"]
    assert params.url_ties("none") == []
    assert params.ties_param(["resources", "members", "actions"]) is None
    assert params.ties_param([]) == "none"
    assert params.ties_param(["members", "actions"]) == ["members", "actions"]


def test_with_params_changes_and_removes_keys():
    assert params.with_params("?movements=blm&group=g1", {"group": None}) == "?movements=blm"
    assert params.with_params(None, {"group": "g2"}) == "?group=g2"
    assert params.with_params("?view=points", {"view": None, "movements": "x"}) == "?movements=x"


# -- a callback's arguments ----------------------------------------------------------------------
def test_text_accepts_text_and_none_only():
    assert params.text(None, "search") == ""
    assert params.text(EVIL, "search") == EVIL
    with pytest.raises(UsageError, match="Search must be text"):
        params.text(["x"], "search")
    with pytest.raises(UsageError, match="longer than"):
        params.text("x" * (params.MAX_TEXT + 1), "search")


def test_optional_id():
    assert params.optional_id("", "focus") is None
    assert params.optional_id("g1", "focus") == "g1"
    with pytest.raises(UsageError):
        params.optional_id({"id": "g1"}, "focus")


def test_id_list_drops_repeats_and_refuses_what_no_control_sends():
    assert params.id_list(None, "movements") == []
    assert params.id_list(["b", "a", "b"], "movements") == ["b", "a"]
    for bad in ("a,b", [1], [""], ["x" * (params.MAX_TEXT + 1)], [None]):
        with pytest.raises(UsageError):
            params.id_list(bad, "movements")
    with pytest.raises(UsageError, match="more than 2"):
        params.id_list(["a", "b", "c"], "cell", max_items=2)


def test_choice_and_choices_take_only_what_is_offered():
    assert params.choice(None, ("a", "b"), "view", default="a") == "a"
    assert params.choice("b", ("a", "b"), "view") == "b"
    assert params.choice(2, (1, 2), "hops") == 2
    for bad in ("c", True, ["a"], 1.5):
        with pytest.raises(UsageError, match="not one of the choices"):
            params.choice(bad, ("a", "b"), "view")
    assert params.choices(["b", "a"], ("a", "b", "c"), "ties") == ["a", "b"]
    assert params.choices(None, ("a",), "ties") == []
    with pytest.raises(UsageError):
        params.choices("a", ("a", "b"), "ties")
    with pytest.raises(UsageError):
        params.choices(["a", "a", "a"], ("a", "b"), "ties")


@pytest.mark.parametrize(
    ("value", "expected"), [(None, 1), ("", 1), (3, 3), ("3", 3), (2.5, 2.5), (-7, 1), (1e12, 1e9)]
)
def test_number_is_clamped(value, expected):
    assert params.number(value, "minimum", default=1, lo=1) == expected


@pytest.mark.parametrize("value", [True, "x", [1], float("nan"), float("inf"), {"a": 1}])
def test_number_refuses_what_is_not_a_finite_number(value):
    with pytest.raises(UsageError):
        params.number(value, "minimum", default=1, lo=1)


def test_date_and_window():
    assert params.date("2021-03-04T00:00:00", "since") == "2021-03-04"
    assert params.date("", "since") is None
    assert params.window("2020-01-01", None) == ("2020-01-01", None)
    for bad in (5, "x" * 41, "yesterday"):
        with pytest.raises(UsageError):
            params.window(bad, None)


def test_clicks_and_selections():
    assert params.node_id({"id": "g1"}) == "g1"
    assert params.tapped({"id": "g1"}) == ("group", "g1")
    assert params.tapped({"kind": "movement", "movement_id": "blm"}) == ("movement", "blm")
    assert params.tapped(None) is None
    assert params.clicked_point({"points": [{"customdata": "g2"}]}) == "g2"
    assert params.clicked_cell({"points": [{"y": "A", "x": "B"}]}) == ("A", "B")
    assert params.clicked_cell({"points": [{"y": "", "x": "B"}]}) is None
    assert params.selection({"kind": "group", "id": "g1"}) == ("group", "g1")
    assert params.selection(None) is None
    for call, bad in [
        (params.tapped, "g1"),
        (params.clicked_point, {"points": "x"}),
        (params.clicked_cell, {"points": []}),
        (params.selection, {"kind": "member", "id": "m1"}),
    ]:
        with pytest.raises(UsageError):
            call(bad)
