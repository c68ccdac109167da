"""The movement matrix and E–I indices (``dashboard.views.movements``)."""

from __future__ import annotations

import plotly.io as pio
import pytest

from dashboard.model.movements import movement_ei
from dashboard.model.network import NetworkIndex
from dashboard.views.movements import ei_table, matrix_figure

from ..util import NAMES


def test_matrix_figure_symmetric_and_suppressed():
    matrix = [
        {"movement_a": "blm", "movement_b": "blm", "shared_members": 6, "ties": 1},
        {"movement_a": "blm", "movement_b": "queer", "shared_members": 2, "ties": 3},
        {"movement_a": "labour", "movement_b": "queer", "shared_members": 0, "ties": 1},
    ]
    names = {"blm": "BLM", "queer": "<i>Queer</i>", "labour": "Labour"}
    fig = matrix_figure(matrix, names, tie="shared_members", threshold=5)
    heat = fig.data[0]
    # sorted ids: blm, labour, queer
    assert list(heat.x) == ["BLM", "Labour", "&lt;i&gt;Queer&lt;/i&gt;"]
    assert heat.text[0][2] == heat.text[2][0] == "<5"
    assert heat.z[0][2] == heat.z[2][0] == 2.5  # not the true 2
    assert heat.text[0][0] == "6"
    assert heat.text[1][2] == "0"
    ties = matrix_figure(matrix, names, tie="ties").data[0]
    assert ties.z[0][2] == 3 and ties.text[0][2] == "3"
    with pytest.raises(ValueError):
        matrix_figure(matrix, names, tie="nope")
    pio.to_json(fig)  # serialisable


def test_matrix_labels_stay_distinct():
    fig = matrix_figure([], {"a": "Same", "b": "Same"})
    assert list(fig.data[0].x) == ["Same (a)", "Same (b)"]


def test_ei_table_orders_outward_first(graph):

    table = ei_table(movement_ei(NetworkIndex(graph)), NAMES)
    body = table.children[-1].children
    assert [row.children[0].children for row in body] == [
        "Labour",
        "Queer Liberation",
        "Black Lives Matter",
    ]
    assert body[0].children[-1].children == "1.00"
