"""The page for an unknown address (Dash uses a page module of this name for 404s)."""

from __future__ import annotations

import dash
from dash import dcc, html

dash.register_page(
    __name__, path="/404", name="Not found", title="Not found · Coalition", nav=False
)


def layout(**_query):
    return html.Div(
        [
            html.H1("Page not found"),
            html.P(
                [
                    "There is no page at this address. ",
                    dcc.Link("Go to the overview", href="/"),
                    ".",
                ]
            ),
        ],
        className="page-header",
    )
