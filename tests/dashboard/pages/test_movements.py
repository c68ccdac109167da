"""The movements page (``dashboard.pages.movements``): its callbacks over the small coalition."""

from __future__ import annotations

from ..test_app import module
from ..util import texts


def test_movements_page_draws_the_matrix_and_lists_a_cells_group(app):
    """The movements page draws the matrix and lists a cell's groups."""
    with app.server.test_request_context():
        figure, status, ei, groups, cell, search = module("movements").render(
            "shared_members", None, None
        )
        assert figure.data[0].type == "heatmap" and status is None and groups is None
        assert search == "?tie=shared_members"
        assert "E–I index" in texts(ei)
        click = {"points": [{"y": "Black Lives Matter", "x": "Queer Liberation"}]}
        *_rest, groups, cell, search = module("movements").render("ties", None, None, click)
        assert cell == ["blm", "queer"] and search == "?cell=blm,queer"
        words = texts(groups)
        assert "Northside Defenders" in words and "Rainbow Bridge" in words
        assert "Justice Kitchen" in words  # g2–g3 share a member
