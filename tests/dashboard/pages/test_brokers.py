"""The brokers page (``dashboard.pages.brokers``): its callbacks over the small coalition."""

from __future__ import annotations

from ..test_app import module
from ..util import texts


def test_brokers_page_fills_the_grid_and_the_bridging_table(app):
    """The brokers page fills the grid and the bridging table."""
    with app.server.test_request_context():
        rows, _note, _search = module("brokers").render(None, None)
        assert len(rows) == 6
        bridging = module("brokers").bridging(None, None)
        assert "Members in groups of both" in texts(bridging)
