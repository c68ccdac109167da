"""The app shell, page layouts and callbacks, over an in-memory coalition (no browser, no store)."""

from __future__ import annotations

import sys

import dash
import pytest
from dash import html

from dashboard.app import create_app, navbar
from dashboard.data import DATA_KEY, CoalitionData
from graph.schema import TIE_BY_SHORT
from graph.store import StoreConfig

from .util import EVIL, texts, warmed

PAGES = ["/", "/network", "/movements", "/brokers", "/timeline", "/paths", "/whatif"]


def make_app(**kwargs) -> dash.Dash:
    """Build an app and make its first request at once, as the browser tests' server does.

    Dash attaches the pages' ``dash.callback``\\ s to an app at its first
    request, so every app is primed before the next one is built.
    """
    app = create_app(**kwargs)
    assert app.server.test_client().get("/_dash-dependencies").status_code == 200
    return app


def module(name: str):
    return sys.modules[f"dashboard.pages.{name}"]


@pytest.fixture
def app(coalition):
    return make_app(data=warmed(CoalitionData.from_coalition(coalition)))


def test_shell_serves_every_page_with_security_headers(app):
    client = app.server.test_client()
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "Coalition Graph Explorer" in response.get_data(as_text=True)
    assert isinstance(app.server.config[DATA_KEY], CoalitionData)
    assert app.config.suppress_callback_exceptions is False


def test_navbar_comes_from_the_registry(app):
    links = navbar("/movements")
    assert [link.href for link in links] == PAGES
    assert [link.className for link in links].count("nav-link active") == 1
    assert links[2].className == "nav-link active"


def test_creating_the_app_reads_nothing():
    # An unreachable store: building and priming the app must not touch it.
    app = make_app(config=StoreConfig(uri="bolt://127.0.0.1:9"))
    source = app.server.config[DATA_KEY]
    assert source._store is None and source._full is None


@pytest.mark.parametrize(
    "query",
    [
        {},
        {
            "movements": ["blm", "nope"],
            "ties": "none",
            "min_weight": "abc",
            "since": "not a date",
            "until": ["2020-01-01", "2021-01-01"],
            "q": ["x", EVIL],
            "size": ["evil", "betweenness"],
            "focus": "nope",
            "hops": "7",
            "tie": ["a", "b"],
            "period": "decade",
            "a": "g1",
            "b": ["g2", "g4"],
            "remove": "g1,g2",
            "other": "ignored",
        },
    ],
)
def test_layouts_take_any_query(app, query):
    for page in dash.page_registry.values():
        layout = page["layout"](**query)
        assert isinstance(layout, html.Div), page["path"]


def test_callbacks_render_from_the_data_source(app):
    with app.server.test_request_context():
        content, search = module("overview").render(None, None)
        words = texts(content)
        assert "Top bridging groups" in words and "Links between movements" in words
        assert search == ""

        network = module("network")
        elements, canvas, _figure, points, status, _note, _legend, search = network.render(
            ["queer"], ["members", "actions"], 1, None, "2030-01-01", "", "betweenness", None, 1
        )
        nodes = [e for e in elements if "source" not in e["data"]]
        assert {e["data"]["id"] for e in nodes} == {"g3", "g4"}
        assert status.children.startswith("Showing 2 of 6 groups")
        assert canvas == {} and points == {"display": "none"}
        assert search == "?movements=queer&ties=members,actions&until=2030-01-01&size=betweenness"
        movement_options = network.options(None, None)
        # By name: the markup-like name of "labour" sorts first, as text.
        assert [o["value"] for o in movement_options] == ["labour", "blm", "queer"]
        assert movement_options[0]["label"] == EVIL
        assert len(network.focus_options("", None, None)) == 6

        # The movement view: one node per movement; the points view: a scatter.
        elements, *_rest, search = network.render(
            [], list(tuple(TIE_BY_SHORT)), 1, None, None, "", "degree", None, 1, "movements"
        )
        assert {e["data"]["id"] for e in elements if "source" not in e["data"]} == {
            "movement:blm",
            "movement:queer",
            "movement:labour",
        }
        assert search == "?view=movements"
        elements, canvas, figure, points, *_rest = network.render(
            [], list(tuple(TIE_BY_SHORT)), 1, None, None, "", "degree", None, 1, "points"
        )
        assert elements == [] and canvas == {"display": "none"} and points == {}
        assert {t.type for t in figure.data} == {"scattergl"}  # WebGL, CSP-safe bundle

        panel, disabled, stored, url = network.show_detail({"id": "g1"}, None, None, None)
        words = texts(panel)
        assert "Northside Defenders" in words and disabled is False
        assert "Joint actions" in words and "Kitchen" in words and "March" in words
        assert stored == {"kind": "group", "id": "g1"} and url == "?group=g1"
        panel, disabled, stored, url = network.show_detail(None, None, None, None)
        assert disabled is True and stored is None
        panel, disabled, stored, _url = network.show_detail(
            {"id": "movement:queer", "kind": "movement", "movement_id": "queer"}, None, None, None
        )
        assert "Queer Liberation" in texts(panel) and disabled is True
        assert stored == {"kind": "movement", "id": "queer"}

        figure, status, ei, groups, cell, search = module("movements").render(
            "shared_members", None, None
        )
        assert figure.data[0].type == "heatmap" and status is None and groups is None
        assert search == "?tie=shared_members"
        assert "E–I index" in texts(ei)
        click = {"points": [{"y": "Black Lives Matter", "x": "Queer Liberation"}]}
        *_rest, groups, cell, search = module("movements").render("ties", None, None, click)
        assert cell == ["blm", "queer"] and search == "?cell=blm,queer"
        words = texts(groups)
        assert "Northside Defenders" in words and "Rainbow Bridge" in words
        assert "Justice Kitchen" in words  # g2–g3 share a member

        rows, _note, _search = module("brokers").render(None, None)
        assert len(rows) == 6
        bridging = module("brokers").bridging(None, None)
        assert "Members in groups of both" in texts(bridging)

        result, search = module("paths").render("g2", "g4", None, None)
        assert "1 shortest path of 2 hops" in texts(result)
        assert search == "?a=g2&b=g4"

        result, ranking, search = module("whatif").render(["g3"], None, None)
        words = texts(result)
        assert "Leaving: Rainbow Bridge" in words
        assert words[words.index("Groups") + 1 : words.index("Groups") + 3] == ["6", "5"]
        assert search == "?remove=g3"

        timeline = module("timeline")
        figure, status, _options, listing, selected, search = timeline.render(
            "year", [], None, None
        )
        assert "2 joint actions, 1 of them across movements (50%)." in texts(status)
        assert figure.layout.xaxis.rangeselector.buttons and selected is None
        *_rest, listing, selected, search = timeline.render(
            "year", [], None, None, None, None, "2021"
        )
        assert selected == "2021" and search == "?sel=2021"
        assert "Kitchen" in texts(listing) and "March" not in texts(listing)


def test_errors_become_messages(app):
    with app.server.test_request_context():
        content, search = module("overview").render("2022-01-01", "2021-01-01")
        assert content.className == "notice notice-error"
        assert "after it ends" in content.children
        assert search is dash.no_update


def test_unavailable_store_message():
    app = make_app(config=StoreConfig(uri="bolt://127.0.0.1:9", username="u", password="pw"))
    with app.server.test_request_context():
        elements, _canvas, _figure, _points, status, *_rest = module("network").render(
            [], ["members"], 1, None, None, "", "degree", None, 1
        )
        assert elements == []
        assert status.children.startswith("The graph store is unavailable: ")
        assert "pw" not in status.children
        panel, disabled, *_rest = module("network").show_detail({"id": "g1"}, None, None, None)
        assert panel.children.startswith("The graph store is unavailable: ") and disabled


def test_an_empty_dataset_is_a_message_on_every_page(coalition):
    from graph.coalition import Coalition

    app = make_app(data=CoalitionData.from_coalition(Coalition()))
    with app.server.test_request_context():
        answers = [
            module("overview").render(None, None)[0],
            module("network").render([], ["members"], 1, None, None, "", "degree", None, 1)[4],
            module("network").show_detail({"id": "g1"}, None, None, None)[0],
            module("movements").render("ties", None, None)[1],
            module("brokers").render(None, None)[1],
            module("brokers").bridging(None, None),
            module("timeline").render("year", [], None, None)[1],
            module("paths").render("g1", "g2", None, None)[0],
            module("whatif").render(["g1"], None, None)[0],
        ]
    for answer in answers:
        assert answer.className == "notice notice-error"
        assert answer.children.startswith("The store holds no coalition yet")


def test_focusing_a_group_makes_it_one_of_the_dropdown_options(app):
    """A dropdown keeps only a value among its options; with many groups it offers a few."""
    network = module("network")
    with app.server.test_request_context():
        value, options = network.set_focus(1, 0, {"kind": "group", "id": "g4"}, [])
        assert value == "g4" and options == [{"label": "Trans Care Network (g4)", "value": "g4"}]
        offered = [{"label": "Trans Care Network (g4)", "value": "g4"}]
        assert network.set_focus(1, 0, {"kind": "group", "id": "g4"}, offered)[1] is dash.no_update
