"""The solidarity page (``dashboard.pages.solidarity``): its callback over the small coalition.

By hand from the fixture: a1, g3 (queer) shows up for g1 (blm); a2, g2 (blm)
for g1 (blm); a3 has no one showing up; r1, g4 (queer) provides for g5
(labour); r2 has no recipient. So queer → blm 1, blm → blm 1, queer → labour
1, nothing comes back: reciprocity 0.
"""

from __future__ import annotations

import plotly.graph_objects as go

from ..test_app import module
from ..util import EVIL, texts


def words(component) -> str:
    return " ".join(texts(component))


def cells(figure) -> dict[tuple[str, str], float]:
    """(from, to) label -> events, read off the heatmap."""
    heatmap = figure.data[0]
    labels = list(heatmap.y)
    return {(labels[i], labels[j]): v for i, row in enumerate(heatmap.z) for j, v in enumerate(row)}


def render(*args, **kwargs):
    """The callback's outputs, its figure (a dict, or no_update) read as a plotly figure."""
    figure, *rest = module("solidarity").render(*args, **kwargs)
    return (go.Figure(figure) if isinstance(figure, dict) else figure, *rest)


def test_the_matrix_reads_from_rows_to_columns(app):
    with app.server.test_request_context():
        figure, status, headline, pairs, givers, receivers, items, options, cell, search = render(
            None, None, None
        )
    assert figure.data[0].type == "heatmap" and status is None and cell is None and search == ""
    z = cells(figure)
    blm, queer = "Black Lives Matter", "Queer Liberation"
    assert z[(queer, blm)] == 1 and z[(blm, queer)] == 0 and z[(blm, blm)] == 1
    assert sum(z.values()) == 3
    said = words(headline)
    assert "0.0%" in said and "2 show-ups and 1 resource support" in said
    assert "one way" in said
    table = words(pairs)
    assert table.count("one way:") == 2 and table.count("one-way  ") == 2  # and flagged
    assert "Rainbow Bridge" in words(givers) and "Trans Care Network" in words(givers)
    assert "Northside Defenders" in words(receivers)
    assert "Click a cell" in words(items)
    assert {o["value"] for o in options} == {"blm", "queer", "labour"}


def test_a_click_lists_what_is_behind_the_flow_and_goes_in_the_url(app):
    click = {"points": [{"y": "Queer Liberation", "x": "Black Lives Matter"}]}
    with app.server.test_request_context():
        *_, items, _options, cell, search = render(None, None, None, click)
    assert cell == ["queer", "blm"] and search == "?cell=queer,blm"
    listed = words(items)
    assert "March" in listed and "2019-05-01" in listed
    assert "Rainbow Bridge showed up" in listed and "Northside Defenders organised" in listed


def test_a_resource_flow_to_a_hostile_name_stays_text(app):
    labour = EVIL  # the fixture's labour movement is named with markup
    click = {
        "points": [{"y": "Queer Liberation", "x": labour.replace("<", "&lt;").replace(">", "&gt;")}]
    }
    with app.server.test_request_context():
        figure, *_rest, items, _options, cell, _search = render(None, None, None, click)
    assert cell == ["queer", "labour"]
    assert "Hall" in words(items) and f"{EVIL} received" in words(items)
    assert EVIL not in figure.data[0].x  # escaped for plotly, which reads some HTML
    # the clicked cell is outlined: row queer (index 2 of blm, labour, queer), column labour (1)
    (shape,) = figure.layout.shapes
    assert (shape.type, shape.x0, shape.x1, shape.y0, shape.y1) == ("rect", 0.5, 1.5, 1.5, 2.5)
    with app.server.test_request_context():
        plain, *_rest = render(None, None, None)
    assert plain.layout.shapes == ()  # no cell chosen: nothing outlined


def test_movements_and_window_filter_the_flows(app):
    with app.server.test_request_context():
        figure, *_rest, search = render(["labour", "queer"], None, None)
        assert search == "?movements=labour,queer"
        assert sum(sum(row) for row in figure.data[0].z) == 1  # only g4 -> g5 remains
        figure, *_rest = render(None, "2020-01-01", None)
        labels = list(figure.data[0].y)
        z = {
            (labels[i], labels[j]): v
            for i, row in enumerate(figure.data[0].z)
            for j, v in enumerate(row)
        }
        assert z[("Queer Liberation", "Black Lives Matter")] == 0  # a1 (2019) is out
