"""The dashboard shell: :func:`create_app` builds the Dash app, :func:`run` serves it
(with the production server, :mod:`dashboard.server`).

The pages live in ``dashboard/pages/`` (one module each, registered with
``dash.register_page``); the shell adds the navigation bar, built from
``dash.page_registry``, around ``dash.page_container``. Importing this module
does no work; the store is first touched when :func:`run` warms the data
(or by the first page that needs data).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import dash
import dash_cytoscape as cyto
from dash import Input, Output, dcc, html

from dashboard import ids
from dashboard.data import DATA_KEY, SUPPRESS_BELOW, CoalitionData
from dashboard.security import USERS_KEY, check_bind, lock_down
from dashboard.server import THREADS, Server
from graph.errors import UsageError
from graph.store import StoreConfig

__all__ = ["create_app", "run", "TITLE"]

log = logging.getLogger(__name__)

TITLE = "Coalition Graph Explorer"
HERE = Path(__file__).resolve().parent


def create_app(
    config: StoreConfig | None = None,
    *,
    data: CoalitionData | None = None,
    suppress_below: int = SUPPRESS_BELOW,
    users: Mapping[str, str] | None = None,
    check_every: float = 30.0,
    warm: bool = False,
) -> dash.Dash:
    """Build the multi-page dashboard, locked down (see :func:`dashboard.security.lock_down`).

    Parameters
    ----------
    config : StoreConfig, optional
        The graph store; the environment's (``NEO4J_*`` / ``COALITION_HOME``)
        when None. Nothing is read until a page asks for data.
    data : CoalitionData, optional
        A ready data source instead (for example over an in-memory coalition).
    suppress_below : int
        Member counts under this are shown as ``"<N"``.
    users : mapping, optional
        User name → password hash (:func:`dashboard.security.load_users`):
        every route then needs one of them.
    check_every : float
        Seconds between two checks of the store for changes (or for its
        return after an outage).
    warm : bool
        Read the store and compute every view's data now, in a background
        thread (see :meth:`dashboard.data.CoalitionData.warm`), instead of
        at the first page that needs them. :func:`run` does this anyway.

    Notes
    -----
    The data source is kept in ``app.server.config[DATA_KEY]``. The page
    modules are imported by Dash here, and their ``dash.callback``\\ s are
    attached to the app at its first request; build one app per process, or
    serve each app before building the next.
    """
    # The network drawing saves as SVG through the cytoscape-svg extension, which only
    # dash-cytoscape's extra bundle holds (served from here like every other script).
    cyto.load_extra_layouts()
    app = dash.Dash(
        "dashboard",
        use_pages=True,
        pages_folder=str(HERE / "pages"),
        assets_folder=str(HERE / "assets"),
        title=TITLE,
        update_title=None,
        serve_locally=True,
        # Explicit values, so that no DASH_* environment variable changes them.
        suppress_callback_exceptions=False,
        include_assets_files=True,
        # Served when asked for, never loaded by every page (see assets/plotlyBundle.js).
        assets_path_ignore=["vendor"],
        assets_external_path="",
        compress=False,
        enable_mcp=False,
        websocket_callbacks=False,
    )
    source = data or CoalitionData(config, suppress_below=suppress_below, check_every=check_every)
    app.server.config[DATA_KEY] = source
    lock_down(app, users=users)
    threshold = source.suppress_below

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
                f"Members are shown only as counts; counts under {threshold} read “<{threshold}”.",
                className="footer",
            ),
        ],
        className="shell",
    )

    @app.callback(Output(ids.NAVBAR, "children"), Input(ids.SHELL_URL, "pathname"))
    def _highlight(pathname):
        return navbar(pathname if isinstance(pathname, str) else "/")

    if warm:
        source.warm()
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


def run(
    app: dash.Dash,
    host: str = "127.0.0.1",
    port: int = 8050,
    *,
    warm: bool = True,
    threads: int = THREADS,
) -> None:
    """Serve the app with the production server until SIGINT or SIGTERM, then return.

    The server is waitress (:class:`dashboard.server.Server`: one process,
    ``threads`` threads), never Flask's development server; debug, dev
    tools and reloader stay off (:func:`dashboard.security.lock_down`).
    Unless the app was built with ``users``, only the loopback is allowed
    (:func:`dashboard.security.check_bind`). With ``warm``, the store is read
    and the metrics computed in the background from the start, so the first
    visitor does not wait for them (pages say what is still being computed).
    A stop lets the requests being answered finish (a few seconds at most)
    and closes the store connection. Call it from the main thread: that is
    where the signals are caught.

    Raises
    ------
    graph.errors.UsageError
        For an address other than the loopback without users, or an address
        and port that cannot be listened on (say, in use).
    """
    check_bind(host, app.server.config.get(USERS_KEY))
    try:
        server = Server(app.server, host, port, threads=threads)
    except OSError as exc:
        raise UsageError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} (another program may "
            "be using that port: choose another with --port)"
        ) from None
    source = app.server.config[DATA_KEY]
    if warm:
        source.warm()
    try:
        server.serve_until_signalled()
    finally:
        source.close()
    log.info("the dashboard has stopped")
