"""The paths page's view: how two groups are connected, hop by hop, with the kinds of tie."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from dash import html

from dashboard.views.tables import notice
from dashboard.views.text import tie_summary
from graph.privacy import SUPPRESS_BELOW

__all__ = ["path_list"]


def path_list(
    paths: Sequence[Sequence[Mapping[str, Any]]],
    names: Mapping[str, str],
    *,
    threshold: int = SUPPRESS_BELOW,
) -> html.Div:
    """How two groups are connected: each shortest path, hop by hop, with its tie types."""
    if not paths:
        return notice("These two groups are not connected in this window.", kind="info")
    if paths == [[]]:
        return notice("Pick two different groups.", kind="info")
    hops = len(paths[0])
    blocks = []
    for i, path in enumerate(paths, start=1):
        steps = []
        for hop in path:
            steps.append(
                html.Li(
                    [
                        html.Span(names.get(hop["from"], hop["from"]), className="hop-from"),
                        html.Span(" → ", className="hop-arrow"),
                        html.Span(names.get(hop["to"], hop["to"]), className="hop-to"),
                        html.Div(tie_summary(hop, threshold), className="hop-ties muted"),
                    ],
                    className="hop",
                )
            )
        blocks.append(
            html.Section(
                [html.H4(f"Path {i}"), html.Ol(steps, className="hops")], className="path card"
            )
        )
    summary = (
        f"{len(paths)} shortest path{'s' if len(paths) != 1 else ''} of "
        f"{hops} hop{'s' if hops != 1 else ''}"
    )
    return html.Div([html.P(summary, className="path-summary"), *blocks])
