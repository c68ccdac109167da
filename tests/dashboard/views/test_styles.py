"""Palette, shapes and legend (``dashboard.views.styles``)."""

from __future__ import annotations

from dashboard.views.styles import OKABE_ITO, legend, movement_styles

from ..util import NAMES, texts


def test_movement_styles_use_okabe_ito_then_shapes():
    styles = movement_styles([f"m{i:02d}" for i in range(10)])
    assert [styles[f"m{i:02d}"]["color"] for i in range(8)] == list(OKABE_ITO)
    assert {styles[f"m{i:02d}"]["shape"] for i in range(8)} == {"ellipse"}
    assert styles["m08"] == {"color": OKABE_ITO[0], "shape": "round-rectangle"}


def test_legend_lists_movements_with_counts():
    styles = movement_styles(NAMES)
    key = legend(styles, NAMES, {"blm": 3})
    assert "Black Lives Matter (3)" in texts(key)
    assert "Labour (0)" in texts(key)
