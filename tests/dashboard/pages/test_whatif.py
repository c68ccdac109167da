"""The whatif page (``dashboard.pages.whatif``): its callbacks over the small coalition."""

from __future__ import annotations

from ..test_app import module
from ..util import texts


def test_what_if_page_says_what_changes(app):
    """The what-if page says what changes."""
    with app.server.test_request_context():
        result, ranking, search = module("whatif").render(["g3"], None, None)
        words = texts(result)
        assert "Leaving: Rainbow Bridge" in words
        assert words[words.index("Groups") + 1 : words.index("Groups") + 3] == ["6", "5"]
        assert search == "?remove=g3"
