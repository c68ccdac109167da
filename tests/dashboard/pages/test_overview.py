"""The overview page (``dashboard.pages.overview``): its callbacks over the small coalition."""

from __future__ import annotations

from ..test_app import module
from ..util import texts


def test_overview_renders_its_cards_from_the_data_source(app):
    """The overview renders its cards from the data source."""
    with app.server.test_request_context():
        content, search = module("overview").render(None, None)
        words = texts(content)
        assert "Top bridging groups" in words and "Links between movements" in words
        assert search == ""
