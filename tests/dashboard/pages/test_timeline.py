"""The timeline page (``dashboard.pages.timeline``): its callbacks over the small coalition."""

from __future__ import annotations

from ..test_app import module
from ..util import texts


def test_timeline_page_draws_the_chart_and_lists_a_period(app):
    """The timeline page draws the chart and lists a period."""
    with app.server.test_request_context():
        timeline = module("timeline")
        figure, status, _options, listing, selected, search = timeline.render(
            "year", [], None, None
        )
        assert "2 joint actions, 1 of them across movements (50%)." in texts(status)
        assert figure.layout.xaxis.rangeselector.buttons and selected is None
        *_rest, listing, selected, search = timeline.render(
            "year", [], None, None, None, None, "2021"
        )
        assert selected == "2021" and search == "?sel=2021"
        assert "Kitchen" in texts(listing) and "March" not in texts(listing)
