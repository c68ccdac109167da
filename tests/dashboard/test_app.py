"""The app shell (``dashboard.app``): pages, navbar, layouts, errors as messages (no browser)."""

from __future__ import annotations

import sys

import dash
import pytest
from dash import html

from dashboard.app import create_app, navbar
from dashboard.data import DATA_KEY, CoalitionData
from graph.store import StoreConfig

from .util import EVIL, warmed

PAGES = [
    "/",
    "/network",
    "/movements",
    "/brokers",
    "/timeline",
    "/paths",
    "/whatif",
    "/solidarity",
    "/trends",
    "/bridges",
]


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
    assert not source._connection.connected and source._full is None


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
