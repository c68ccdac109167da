"""The paths page (``dashboard.pages.paths``): its callbacks over the small coalition."""

from __future__ import annotations

from ..test_app import module
from ..util import texts


def test_paths_page_lists_the_shortest_paths(app):
    """The paths page lists the shortest paths."""
    with app.server.test_request_context():
        result, search = module("paths").render("g2", "g4", None, None)
        assert "1 shortest path of 2 hops" in texts(result)
        assert search == "?a=g2&b=g4"
