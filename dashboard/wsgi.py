"""The WSGI entry point, for those who run their own server: ``dashboard.wsgi:application``.

``coalition dashboard`` serves the dashboard with the production server
(:mod:`dashboard.server`); to run it under a server of your own, point that
server at ``dashboard.wsgi:application``, in **one process** (the dashboard
caches the coalition and its metrics in its process), with threads::

    waitress-serve --listen 127.0.0.1:8050 --threads 8 dashboard.wsgi:application
    gunicorn --workers 1 --threads 8 --bind 127.0.0.1:8050 dashboard.wsgi:application

It is configured by the environment, as the command line is:

- ``NEO4J_URI``, ``NEO4J_USERNAME``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``:
  the store (with no ``NEO4J_URI``, the embedded store in ``COALITION_HOME``);
- ``COALITION_DASHBOARD_AUTH_FILE``: the users file (``coalition
  dashboard-passwd USER``); with it every route needs a user. Your server
  chooses where it listens, so the dashboard cannot refuse a public address
  as ``coalition dashboard`` does: give it users whenever it listens beyond
  the loopback (a warning is logged when there are none);
- ``COALITION_DASHBOARD_SUPPRESS_BELOW``: member counts under this are shown
  as ``"<N"`` (default 5, at least 2).

Importing this module does no work: the app is built at the first use of
``application``, and its data are read and computed in the background from
then on (as ``coalition dashboard`` does).
"""

from __future__ import annotations

import logging
import os
import threading
from typing import Any

from graph.errors import UsageError

__all__ = ["build", "SUPPRESS_BELOW_ENV"]  # and `application`, built at first use

log = logging.getLogger(__name__)

#: Environment variable: member counts under this are shown as "<N".
SUPPRESS_BELOW_ENV = "COALITION_DASHBOARD_SUPPRESS_BELOW"

_built: dict[str, Any] = {}
_building = threading.Lock()


def build(*, warm: bool = True):
    """The dashboard's WSGI application (a Flask app), configured from the environment.

    Parameters
    ----------
    warm : bool
        Start reading the store and computing the metrics in the background now.

    Returns
    -------
    flask.Flask
        The Dash app's server, locked down as :func:`dashboard.app.create_app` does.

    Raises
    ------
    graph.errors.UsageError
        For an unreadable users file or a bad ``COALITION_DASHBOARD_SUPPRESS_BELOW``.
    """
    from dashboard.app import create_app
    from dashboard.data import SUPPRESS_BELOW
    from dashboard.security import AUTH_FILE_ENV, load_users
    from graph.store import StoreConfig

    environ = os.environ
    path = environ.get(AUTH_FILE_ENV) or None
    users = load_users(path) if path else None
    if not users:
        log.warning(
            "the dashboard has no users file (%s): anyone who reaches the server sees the "
            "coalition; keep it on 127.0.0.1",
            AUTH_FILE_ENV,
        )
    suppress_below = _suppress_below(environ.get(SUPPRESS_BELOW_ENV), SUPPRESS_BELOW)
    config = StoreConfig.from_env()
    app = create_app(config, users=users, suppress_below=suppress_below, warm=warm)
    # The first request attaches the pages' callbacks to the app; make it now, in this thread.
    # (A refused request does too: no user is needed.)
    app.server.test_client().get("/_dash-dependencies")
    return app.server


def _suppress_below(text: str | None, default: int) -> int:
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 2:
        raise UsageError(f"{SUPPRESS_BELOW_ENV}={text!r} must be a whole number, at least 2")
    return value


def __getattr__(name: str):
    if name != "application":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    with _building:
        if "application" not in _built:
            _built["application"] = build()
        return _built["application"]
