"""Shared controls and callback factories (``dashboard.components``)."""

from __future__ import annotations

import sys

import pytest
from dash import dcc, html

from dashboard import components, ids
from dashboard.data import CoalitionData
from graph.errors import UsageError

from .test_app import make_app
from .util import EVIL, texts, warmed

SEARCHES = {
    "network": ("focus_options", ids.NETWORK_FOCUS),
    "paths": ("source_options", ids.PATHS_SOURCE),
    "whatif": ("options", ids.WHATIF_REMOVE),
    "trends": ("group_options", ids.TRENDS_GROUP),
}


@pytest.fixture
def app(coalition):
    return make_app(data=warmed(CoalitionData.from_coalition(coalition)))


def test_one_group_search_factory_serves_network_paths_whatif_and_trends(app):
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    searches = [d for d in deps if d["output"].endswith(".options") and d["inputs"]]
    searched = {
        d["output"].split(".")[0] for d in searches if d["inputs"][0]["property"] == "search_value"
    }
    assert searched == {
        ids.NETWORK_FOCUS,
        ids.PATHS_SOURCE,
        ids.PATHS_TARGET,
        ids.WHATIF_REMOVE,
        ids.TRENDS_GROUP,
    }
    for dep in searches:
        if dep["inputs"][0]["property"] == "search_value":
            assert [i["property"] for i in dep["inputs"][1:3]] == ["date", "date"]
            assert [s["property"] for s in dep["state"]] == ["value"]


def test_group_options_search_by_name_and_keep_the_chosen(app):
    with app.server.test_request_context():
        everyone = components.group_options("", None, None, None)
        assert len(everyone) == 6
        assert {o["value"] for o in components.group_options("rain", None, None, "g1")} >= {"g3"}
        kept = components.group_options("", None, None, ["g2", "g5"], multi=True)
        assert {o["value"] for o in kept} >= {"g2", "g5"}
        assert any(o["label"].startswith(EVIL) for o in everyone)  # text, never markup
        with pytest.raises(UsageError):
            components.group_options(["x"], None, None, None)
        with pytest.raises(UsageError):
            components.group_options("", None, None, "g1", multi=True)


def test_each_page_keeps_its_search_callback_under_its_own_name(app):
    with app.server.test_request_context():
        for page, (name, _id) in SEARCHES.items():
            search = getattr(sys.modules[f"dashboard.pages.{page}"], name)
            assert len(search("", None, None)) == 6, page
        paths = sys.modules["dashboard.pages.paths"]
        assert paths.target_options("Kitchen", None, None) == paths.source_options(
            "Kitchen", None, None
        )
        # A malformed value is a message, not an error page: the options stay as they are.
        from dash import no_update

        assert paths.source_options(["x"], None, None) is no_update


def test_layout_pieces():
    shell = components.page("some-url", "Title", "Intro", html.P("body"), stores=[dcc.Store("s")])
    assert isinstance(shell.children[0], dcc.Location) and shell.children[0].id == "some-url"
    assert isinstance(shell.children[1], dcc.Store)
    assert texts(shell)[:3] == ["Title", "Intro", "body"]
    assert components.controls(html.P("x")).className == "controls controls-inline"
    assert components.controls(wide=True).className.endswith("controls-wide")
    radios = components.radio_field("Per", "r", {"year": "Year", "month": "Month"}, "year")
    choice = radios.children[1]
    assert choice.options == [
        {"label": "Year", "value": "year"},
        {"label": "Month", "value": "month"},
    ]
    assert choice.value == "year" and choice.inline is True
    one = components.group_picker("From", "d", "g1").children[1]
    assert one.options == [{"label": "g1", "value": "g1"}] and one.value == "g1"
    assert components.group_picker("From", "d", None).children[1].options == []
    many = components.group_picker("Leaving", "d", ["g1", "g2"], multi=True).children[1]
    assert many.value == ["g1", "g2"] and many.multi is True
    movements = components.movement_picker("m", ["blm"]).children[1]
    assert movements.value == ["blm"] and movements.multi is True
    assert [i.component_property for i in components.window_inputs("a", "b")] == ["date", "date"]
