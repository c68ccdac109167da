"""The dashboard shell: :func:`create_app` builds the Dash app, :func:`run` serves it.

The pages live in ``dashboard/pages/`` (one module each, registered with
``dash.register_page``); the shell adds the navigation bar, built from
``dash.page_registry``, around ``dash.page_container``. Importing this module
does no work; the store is first touched by the first page that needs data.
"""

from __future__ import annotations

import logging
from pathlib import Path

import dash
from dash import Input, Output, dcc, html

from dashboard import ids
from dashboard.data import DATA_KEY, SUPPRESS_BELOW, CoalitionData
from graph.store import StoreConfig

__all__ = ["create_app", "run", "TITLE"]

log = logging.getLogger(__name__)

TITLE = "Coalition Graph Explorer"
HERE = Path(__file__).resolve().parent

#: Headers that keep the pages out of frames and other sites' referrers.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def create_app(
    config: StoreConfig | None = None,
    *,
    data: CoalitionData | None = None,
    suppress_below: int = SUPPRESS_BELOW,
) -> dash.Dash:
    """Build the multi-page dashboard.

    Parameters
    ----------
    config : StoreConfig, optional
        The graph store; the environment's (``NEO4J_*`` / ``COALITION_HOME``)
        when None. Nothing is read until a page asks for data.
    data : CoalitionData, optional
        A ready data source instead (for example over an in-memory coalition).
    suppress_below : int
        Member counts under this are shown as ``"<N"``.

    Notes
    -----
    The data source is kept in ``app.server.config[DATA_KEY]``. The page
    modules are imported by Dash here, and their ``dash.callback``\\ s are
    attached to the app at its first request; build one app per process, or
    serve each app before building the next.
    """
    app = dash.Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        title=TITLE,
        update_title=None,
        serve_locally=True,
        suppress_callback_exceptions=False,
    )
    app.server.config[DATA_KEY] = data or CoalitionData(config, suppress_below=suppress_below)

    @app.server.after_request
    def _headers(response):
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        return response

    app.layout = html.Div(
        [
            dcc.Location(id=ids.SHELL_URL, refresh=False),
            html.A("Skip to content", href="#main", className="skip-link"),
            html.Header(
                [
                    dcc.Link(TITLE, href="/", className="brand"),
                    html.Nav(navbar("/"), id=ids.NAVBAR, **{"aria-label": "Pages"}),
                ],
                className="topbar",
            ),
            html.Main(dash.page_container, id="main", className="main"),
            html.Footer(
                "Members are shown only as counts; counts under "
                f"{suppress_below} read “<{suppress_below}”.",
                className="footer",
            ),
        ],
        className="shell",
    )

    @app.callback(Output(ids.NAVBAR, "children"), Input(ids.SHELL_URL, "pathname"))
    def _highlight(pathname):
        return navbar(pathname or "/")

    return app


def navbar(pathname: str) -> list:
    """Links to the registered pages (but those with ``nav=False``), in ``order``.

    The link to the current page is marked ``active``.
    """
    pages = sorted(
        (p for p in dash.page_registry.values() if p.get("nav", True)),
        key=lambda p: (p.get("order", 99), p["path"]),
    )
    links = []
    for page in pages:
        current = page["path"] == pathname
        links.append(
            dcc.Link(
                page["name"],
                href=page["path"],
                className="nav-link active" if current else "nav-link",
            )
        )
    return links


def run(app: dash.Dash, host: str = "127.0.0.1", port: int = 8050) -> None:
    """Serve the app (debug off) until interrupted."""
    app.run(host=host, port=port, debug=False)
