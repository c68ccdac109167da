"""How movements look: a colour-blind-safe palette, shapes, the network's stylesheet, a legend."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from dash import html

__all__ = [
    "OKABE_ITO",
    "SHAPES",
    "NO_MOVEMENT",
    "SYMBOLS",
    "movement_styles",
    "network_stylesheet",
    "legend",
]


#: Okabe & Ito (2008), a palette that colour-blind readers can tell apart.
OKABE_ITO: tuple[str, ...] = (
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#009E73",  # bluish green
    "#F0E442",  # yellow
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#000000",  # black
)


#: After eight movements the colours repeat with another shape.
SHAPES: tuple[str, ...] = ("ellipse", "round-rectangle", "triangle", "diamond", "hexagon", "star")


NO_MOVEMENT: dict[str, str] = {"color": "#BBBBBB", "shape": "ellipse"}

#: Cytoscape shapes and the Plotly marker symbols that look like them.
SYMBOLS = {
    "ellipse": "circle",
    "round-rectangle": "square",
    "triangle": "triangle-up",
    "diamond": "diamond",
    "hexagon": "hexagon",
    "star": "star",
}


def movement_styles(movement_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """Colour and shape per movement: Okabe–Ito colours, then the next shape.

    >>> movement_styles(["b", "a"])["a"]
    {'color': '#E69F00', 'shape': 'ellipse'}
    """
    out = {}
    for i, mid in enumerate(sorted(set(movement_ids))):
        out[mid] = {
            "color": OKABE_ITO[i % len(OKABE_ITO)],
            "shape": SHAPES[(i // len(OKABE_ITO)) % len(SHAPES)],
        }
    return out


def network_stylesheet() -> list[dict]:
    """The Cytoscape stylesheet of the network view."""
    return [
        {
            "selector": "node",
            "style": {
                "background-color": "data(color)",
                "shape": "data(shape)",
                "width": "data(size)",
                "height": "data(size)",
                "label": "data(label)",
                "border-width": 1,
                "border-color": "#3a3a3a",
                "font-size": 20,
                "min-zoomed-font-size": 7,
                "font-family": "system-ui, sans-serif",
                "color": "#1f1f1f",
                "text-valign": "bottom",
                "text-margin-y": 3,
                "text-outline-color": "#ffffff",
                "text-outline-width": 3,
                "text-max-width": "260px",
                "text-wrap": "ellipsis",
            },
        },
        {
            "selector": "edge",
            "style": {
                "width": "data(width)",
                "line-color": "#9aa3ad",
                "opacity": 0.45,
                "curve-style": "haystack",
            },
        },
        {"selector": "edge.cross", "style": {"line-color": "#5b6570", "opacity": 0.55}},
        {"selector": "node.dim", "style": {"opacity": 0.2}},
        {"selector": "node.match", "style": {"border-width": 3, "border-color": "#000000"}},
        {
            "selector": "node.focus",
            "style": {"border-width": 4, "border-color": "#000000", "font-weight": "bold"},
        },
        {
            "selector": "node.movement",
            "style": {
                "text-wrap": "wrap",
                "text-max-width": "320px",
                "font-size": 22,
                "text-valign": "bottom",
                "text-margin-y": 6,
            },
        },
        {
            "selector": "edge.movement-tie",
            "style": {
                "label": "data(label)",
                "font-size": 18,
                "color": "#1f1f1f",
                "text-outline-color": "#ffffff",
                "text-outline-width": 3,
                "curve-style": "straight",
                "opacity": 0.7,
            },
        },
        {
            "selector": "node.picked",
            "style": {
                "border-width": 4,
                "border-color": "#000000",
                "font-weight": "bold",
                "z-index": 10,
            },
        },
        {
            "selector": "node:selected",
            "style": {
                "border-width": 4,
                "border-color": "#000000",
                "label": "data(name)",
                "font-weight": "bold",
                "z-index": 10,
            },
        },
    ]


def legend(
    styles: Mapping[str, Mapping[str, str]],
    movement_names: Mapping[str, str],
    counts: Mapping[str, int] | None = None,
) -> html.Ul:
    """The colour key of the network: one item per movement, with its group count."""
    items = []
    for mid, style in styles.items():
        shape = style["shape"]
        label = movement_names.get(mid, mid)
        if counts is not None:
            label = f"{label} ({counts.get(mid, 0)})"
        items.append(
            html.Li(
                [
                    html.Span(
                        className=f"swatch swatch-{shape}",
                        style={"backgroundColor": style["color"]},
                        title=shape,
                    ),
                    html.Span(label),
                ],
                className="legend-item",
            )
        )
    return html.Ul(items, className="legend", **{"aria-label": "Movement colours"})
