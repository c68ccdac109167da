"""Fixtures of the security tests: an app over the small coalition, its client, its callbacks.

Every test of a client runs twice: through Flask's test client (in process)
and over HTTP through the production server that ``coalition dashboard`` runs.
"""

from __future__ import annotations

import pytest

from benchmarks.serving import in_thread, wsgi_server
from dashboard.data import CoalitionData

from ..test_app import make_app
from ..util import HttpClient, warmed

#: The two ways a request reaches the app.
CLIENTS = ["in process", "production server"]


def client_of(app, how: str):
    """A context manager giving a client of ``app``, in process or through the production server."""
    import contextlib

    if how == "in process":
        return contextlib.nullcontext(app.server.test_client())

    @contextlib.contextmanager
    def served():
        with in_thread(wsgi_server(app.server)) as url:
            yield HttpClient(url)

    return served()


@pytest.fixture
def app(coalition):
    return make_app(data=warmed(CoalitionData.from_coalition(coalition)))


@pytest.fixture(params=CLIENTS)
def client(app, request):
    with client_of(app, request.param) as client:
        yield client


@pytest.fixture
def deps(client):
    return client.get("/_dash-dependencies").get_json()
