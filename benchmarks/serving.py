"""Serving the dashboard (or a folder) on a free local port in a background thread.

For the browser tests, the dashboard benchmark, the screenshots and the plotly
bundle check: each starts a server on 127.0.0.1, gets its URL, and stops it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def in_thread(server) -> Iterator[str]:
    """Run ``server`` (werkzeug's or ``http.server``'s, on 127.0.0.1) until the block ends.

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
    """A threaded WSGI server for ``app`` on a free port of 127.0.0.1 (not started)."""
    from werkzeug.serving import make_server

    return make_server("127.0.0.1", 0, app, threaded=True)
