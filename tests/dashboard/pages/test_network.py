"""The network page (``dashboard.pages.network``): its callbacks over the small coalition."""

from __future__ import annotations

import dash

from graph.schema import TIE_BY_SHORT

from ..test_app import module
from ..util import EVIL, texts


def test_network_page_draws_groups_movements_or_points_and_a_panel(app):
    """The network page draws groups, movements or points, and the detail panel."""
    with app.server.test_request_context():
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
            [], list(TIE_BY_SHORT), 1, None, None, "", "degree", None, 1, "movements"
        )
        assert {e["data"]["id"] for e in elements if "source" not in e["data"]} == {
            "movement:blm",
            "movement:queer",
            "movement:labour",
        }
        assert search == "?view=movements"
        elements, canvas, figure, points, *_rest = network.render(
            [], list(TIE_BY_SHORT), 1, None, None, "", "degree", None, 1, "points"
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


def test_focusing_a_group_makes_it_one_of_the_dropdown_options(app):
    """A dropdown keeps only a value among its options; with many groups it offers a few."""
    network = module("network")
    with app.server.test_request_context():
        value, options = network.set_focus(1, 0, {"kind": "group", "id": "g4"}, [])
        assert value == "g4" and options == [{"label": "Trans Care Network (g4)", "value": "g4"}]
        offered = [{"label": "Trans Care Network (g4)", "value": "g4"}]
        assert network.set_focus(1, 0, {"kind": "group", "id": "g4"}, offered)[1] is dash.no_update


def test_the_group_panel_says_what_the_group_gives_and_receives(app):
    """g3 (queer) showed up for g1 (blm) in a1; g1 received from g3 (across) and g2 (within)."""
    with app.server.test_request_context():
        network = module("network")
        g3 = texts(network.show_detail({"id": "g3"}, None, None, None)[0])
        g1 = texts(network.show_detail({"id": "g1"}, None, None, None)[0])

    def fact(words: list[str], label: str) -> str:
        return words[words.index(label) + 1]

    assert "Solidarity" in g3
    assert fact(g3, "Shows up for others") == "1"
    assert fact(g3, "Gives across movements · within its own") == "1 · 0"
    assert fact(g1, "Others show up for it") == "2"
    assert fact(g1, "Receives across movements · within its own") == "1 · 1"
