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


def test_the_overview_shows_how_much_support_is_returned_and_links_to_solidarity(app):
    """Nothing comes back across movements in the small coalition: 0%. Of the two one-way
    pairs (queer -> blm, queer -> labour), blm and queer sorts first and links to its flow."""
    with app.server.test_request_context():
        content, _search = module("overview").render(None, None)
    kpis = {link.children[1].children: link for link in content[0].children}
    support = kpis["Support returned"]
    assert support.children[0].children == "0.0%"
    assert support.children[2].children.startswith(
        "most one-sided: one way: Queer Liberation → Black Lives Matter"
    )
    assert support.href == "/solidarity?cell=queer,blm"
