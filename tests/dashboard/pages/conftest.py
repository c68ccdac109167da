"""Fixtures of the page tests: an app over the small coalition, warmed, and a page's module."""

from __future__ import annotations

import pytest

from dashboard.data import CoalitionData

from ..test_app import make_app
from ..util import warmed


@pytest.fixture
def app(coalition):
    return make_app(data=warmed(CoalitionData.from_coalition(coalition)))
