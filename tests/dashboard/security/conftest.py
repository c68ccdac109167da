"""Fixtures of the security tests: an app over the small coalition, its client, its callbacks."""

from __future__ import annotations

import pytest

from dashboard.data import CoalitionData

from ..test_app import make_app
from ..util import warmed


@pytest.fixture
def app(coalition):
    return make_app(data=warmed(CoalitionData.from_coalition(coalition)))


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture
def deps(client):
    return client.get("/_dash-dependencies").get_json()
