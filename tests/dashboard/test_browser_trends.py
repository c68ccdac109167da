"""The trends page in a real headless Chromium, served from the real embedded store.

As :mod:`tests.dashboard.test_browser` (whose fixtures it uses): load the page,
wait for its content, check it against the library's own measure of the
sample dataset, end with no console errors.
"""

from __future__ import annotations

import re

import pytest

from graph.metrics.trends import links_at_risk, trends

from . import test_browser

# The browser tests' fixtures (a server over the sample store, Chromium, a clean page).
base_url = test_browser.base_url
browser = test_browser.browser
context = test_browser.context
page = test_browser.page
sample_coalition = test_browser.sample_coalition
_no_member_ids = test_browser._no_member_ids

pytestmark = pytest.mark.browser


def _pairs_in_order(result) -> list[tuple[str, str]]:
    """The heatmap's rows, as the page orders them: most ties in all first."""
    totals: dict[tuple[str, str], int] = {}
    for row in result.movement_pairs:
        if row["movement_a"] != row["movement_b"]:
            pair = (row["movement_a"], row["movement_b"])
            totals[pair] = totals.get(pair, 0) + row["ties"]
    return sorted(totals, key=lambda p: (-totals[p], p))


def _click_cell(page, row: int, column: int) -> None:
    """Scroll the heatmap's cell into view and click its centre, as a person would."""
    spot = page.page.evaluate(
        """([row, column]) => {
          const gd = document.querySelector('#trends-pairs .js-plotly-plot');
          const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
          const top = gd.getBoundingClientRect().top + ya._offset + ya.c2p(row);
          window.scrollBy(0, top - window.innerHeight / 2);
          const box = gd.getBoundingClientRect();
          return {x: box.left + xa._offset + xa.c2p(column), y: box.top + ya._offset + ya.c2p(row)};
        }""",
        [row, column],
    )
    page.page.mouse.click(spot["x"], spot["y"])


def test_trends_page_measures_every_period_and_lists_a_cell(page, sample_coalition):
    expected = trends(sample_coalition, every="year")
    page.open("/trends")
    # the first visit may say how far the measuring got; the page then fills in by itself
    status = page.page.wait_for_selector("#trends-status [data-periods]")
    assert status.get_attribute("data-periods") == str(len(expected.periods))
    first, last = expected.periods[0][0], expected.periods[-1][1]
    assert f"from {first} to {last}" in status.inner_text()
    for chart in ("#trends-sizes .scatterlayer", "#trends-shares .scatterlayer"):
        page.page.wait_for_selector(chart)
    page.page.wait_for_selector("#trends-pairs .heatmaplayer")
    page.page.wait_for_selector("#trends-brokers .scatterlayer .trace")
    page.page.wait_for_selector("#trends-changes .barlayer")
    assert "Ties across movements" in page.page.inner_text("#trends-shares")
    risk = page.page.wait_for_selector(".links-at-risk")
    assert risk.get_attribute("data-count") == str(len(links_at_risk(expected.movement_pairs)))

    # Clicking the busiest cell lists the ties behind it, and the URL keeps it.
    pairs = _pairs_in_order(expected)
    starts = [s for s, _ in expected.periods]
    best = max(
        (r for r in expected.movement_pairs if r["movement_a"] != r["movement_b"]),
        key=lambda r: (r["ties"], r["period_start"]),
    )
    pair = (best["movement_a"], best["movement_b"])
    _click_cell(page, pairs.index(pair), starts.index(best["period_start"]))
    cell = f"{best['period_start']},{pair[0]},{pair[1]}"
    page.page.wait_for_url(re.compile(f"cell={cell}"))
    listing = page.page.wait_for_selector(".trend-cell")
    assert listing.get_attribute("data-count") == str(best["ties"])
    assert listing.get_attribute("data-period") == best["period_start"]
    _no_member_ids(page.page.content(), sample_coalition)

    # A shared link restores the cell.
    page.open(f"/trends?cell={cell}")
    listing = page.page.wait_for_selector(".trend-cell")
    assert listing.get_attribute("data-count") == str(best["ties"])
    page.assert_clean()


def test_quarters_and_a_span_live_in_the_url(page, sample_coalition):
    expected = trends(sample_coalition, every="quarter", since="2022-01-01")
    page.open("/trends?since=2022-01-01")
    page.page.wait_for_selector("#trends-status [data-periods]")
    page.page.get_by_label("Quarter").check()
    page.page.wait_for_url(re.compile(r"every=quarter"))
    page.page.wait_for_selector(f"#trends-status [data-periods='{len(expected.periods)}']")
    assert "since=2022-01-01" in page.page.url
    # the chart of ties follows the library's count, period by period
    ties = page.page.evaluate(
        "() => document.querySelector('#trends-sizes .js-plotly-plot').data[1].y"
    )
    assert ties == [row["ties"] for row in expected.summary]
    page.assert_clean()


def test_the_timeline_links_here(page):
    page.open("/timeline?period=quarter")
    page.page.click("#timeline-trends")
    page.page.wait_for_url(re.compile(r"/trends\?every=quarter"))
    page.page.wait_for_selector("#trends-status [data-periods]")
    page.assert_clean()
