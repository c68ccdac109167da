"""The trends page (``dashboard.pages.trends``): its callback over the small coalition."""

from __future__ import annotations

import pytest

from dashboard import ids
from dashboard.data import CoalitionData
from dashboard.model.snapshot import Pending

from ..test_app import module
from ..util import texts as _texts


def texts(component) -> str:
    return " ".join(_texts(component))


def test_trends_page_draws_every_view_and_lists_a_cell(app):
    with app.server.test_request_context():
        trends = module("trends")
        status, sizes, shares, heatmap, listing, risk, brokers, changes, cell, search = (
            trends.render("year", None, None)
        )
        # the small coalition's dates run from 2018-01-01 to 2021-07-01 (a3)
        assert "4 periods (year) from 2018-01-01 to 2021-07-01: 2 ties gained and 2 lost" in (
            texts(status)
        )
        assert list(sizes.data[1].x) == ["2018-01-01", "2019-01-01", "2020-01-01", "2021-01-01"]
        # ties: g1-g2 and g2-g3 throughout, g4-g5 (r1, undated) throughout; a1 ties g1-g3 in
        # 2019, m11 ties g3-g4 in 2020
        assert list(sizes.data[1].y) == [3, 4, 4, 3]
        assert [t.name for t in shares.data][0] == "Ties across movements"
        assert heatmap.data[0].customdata[0][1] == "2019-01-01,blm,queer"
        assert cell is None and search == ""
        assert "Click a cell" in texts(listing)
        # blm-queer: g2-g3 throughout (g3's primary is queer), g1-g3 in 2019
        *_rest, cell, search = trends.render(
            "year",
            None,
            None,
            None,
            {"points": [{"customdata": "2019-01-01,blm,queer"}]},
        )
        assert cell == ["2019-01-01", "blm", "queer"]
        assert search == "?cell=2019-01-01,blm,queer"


def test_trends_cell_lists_the_groups_behind_it(app):
    with app.server.test_request_context():
        trends = module("trends")
        out = trends.render("year", None, None, "g3", None, None, ["2019-01-01", "blm", "queer"])
        listing, brokers, search = out[4], out[6], out[9]
        text = texts(listing)
        assert "2 direct ties" in text
        assert "Northside Defenders" in text and "Justice Kitchen" in text
        assert "Rainbow Bridge" in text
        assert "<5 shared members" in text  # m10 alone: a count, banded
        assert "g3" in [t.name for t in brokers.data] or "Rainbow Bridge" in [
            t.name for t in brokers.data
        ]
        assert search == "?group=g3&cell=2019-01-01,blm,queer"


def test_a_forged_cell_is_a_message(app):
    with app.server.test_request_context():
        trends = module("trends")
        out = trends.render("year", None, None, None, {"points": [{"customdata": "x"}]})
        assert "must carry its period" in texts(out[0])


def test_the_first_visit_says_how_far_it_got(coalition):
    """Measuring runs in the background: a page that cannot wait hears how far it got, and
    the result is kept for the next visit."""
    source = CoalitionData.from_coalition(coalition)
    with pytest.raises(
        Pending, match="Measuring the coalition month by month: .*This page fills in"
    ):
        source.trends("month", wait=0)  # 43 monthly periods take longer than no time at all
    result = source.trends("month", wait=60)
    assert result.periods[0] == ("2018-01-01", "2018-01-31") and len(result.periods) == 43
    assert source.trends("month", wait=0) is result  # kept: no second measuring


def test_page_ids_are_registered():
    assert ids.TRENDS_URL == "trends-url"
