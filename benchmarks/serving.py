"""Serving the dashboard (or a folder) on a free local port in a background thread.

For the browser tests, the dashboard benchmarks, the screenshots and the plotly
bundle check: each starts a server on 127.0.0.1, gets its URL, and stops it.
The dashboard is served as ``coalition dashboard`` serves it, by the production
server (:class:`dashboard.server.Server`); :func:`dev_server` is Flask's
development server, kept only as the load benchmark's baseline.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def in_thread(server) -> Iterator[str]:
    """Run ``server`` (ours, werkzeug's or ``http.server``'s, on 127.0.0.1) until the block ends.

    Yields its base URL, without a trailing slash.
    """
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def wsgi_server(app):
    """The production server for WSGI ``app`` on a free port of 127.0.0.1 (not started)."""
    from dashboard.server import Server

    return Server(app, "127.0.0.1", 0)


def dev_server(app, port: int = 0):
    """Flask's (werkzeug's) threaded development server for ``app`` (not started)."""
    from werkzeug.serving import make_server

    return make_server("127.0.0.1", port, app, threaded=True)
