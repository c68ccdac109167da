"""The dashboard in a real headless Chromium, served from the real embedded store.

Each test loads a page, waits for its content (never a fixed sleep), checks
what is shown against the sample dataset, and ends with no browser console
errors and no uncaught page errors.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import socket
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import networkx as nx
import pytest

from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS
from benchmarks.serving import in_thread, wsgi_server

from .util import slow_reports

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000


@contextmanager
def serve(app, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve a Dash app on a free port of 127.0.0.1 in a background thread; yield its URL."""
    with in_thread(wsgi_server(app.server)) as url:
        # The first request attaches the pages' callbacks to this app; make it
        # now, before any other app is built in this process.
        request = urllib.request.Request(url + "/_dash-dependencies", headers=headers or {})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
        yield url


@pytest.fixture(scope="module")
def sample_coalition(sample_store):
    from graph.read import read_coalition

    return read_coalition(sample_store)


@pytest.fixture(scope="module")
def base_url(sample_store, sample_config):
    from dashboard.app import create_app
    from dashboard.data import DATA_KEY

    app = create_app(sample_config, warm=True)
    with serve(app) as url:
        yield url
    app.server.config[DATA_KEY].close()


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


#: Records every content-security-policy violation of a page in ``window.__csp``.
CSP_WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


class Page:
    """A Playwright page that records console errors, uncaught exceptions and CSP violations.

    Every document it opens must carry the dashboard's content security
    policy, so "clean" also means the app satisfies its own policy.
    """

    def __init__(self, page, base_url: str):
        self.page = page
        self.base_url = base_url
        self.errors: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("response", self._response)
        page.add_init_script(CSP_WATCH)
        page.set_default_timeout(TIMEOUT_MS)

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console error: {message.text}")

    def _response(self, response) -> None:
        if response.request.resource_type == "document" and response.status == 200:
            policy = response.headers.get("content-security-policy", "")
            if "frame-ancestors 'none'" not in policy or "script-src 'self'" not in policy:
                self.errors.append(f"no content security policy on {response.url}")

    def open(self, path: str):
        return self.page.goto(self.base_url + path)

    def assert_clean(self) -> None:
        violations = self.page.evaluate("() => window.__csp || []")
        assert violations == []
        assert self.errors == []


@pytest.fixture(scope="module")
def context(browser):
    """One browser context for the sample's tests: its HTTP cache spares reloading the bundles."""
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    yield context
    context.close()


@pytest.fixture
def page(context, base_url):
    tab = context.new_page()
    try:
        yield Page(tab, base_url)
    finally:
        tab.close()


def _no_member_ids(html: str, coalition) -> None:
    member_ids = {m for m, *_ in coalition.memberships}
    found = set(re.findall(r"M\d{4,}", html)) & member_ids
    assert not found, f"member ids on the page: {sorted(found)[:5]}"


# -- pages -----------------------------------------------------------------------------------
def test_overview_figures_link_to_the_pages_that_explain_them(page, sample_coalition):
    page.open("/")
    page.page.wait_for_selector(".kpi-value")
    cards = page.page.locator(".kpi")
    kpis = {}
    for i in range(cards.count()):
        value, label, *_ = cards.nth(i).inner_text().split("\n")
        kpis[label] = (value, cards.nth(i).get_attribute("href"))
    assert kpis["Movements"] == (str(len(sample_coalition.movements)), "/movements")
    assert kpis["Groups"] == (f"{len(sample_coalition.groups):,}", "/network")
    assert kpis["Members"] == (f"{sample_coalition.member_count:,}", "/brokers")
    assert kpis["Joint actions"][1] == "/timeline"
    assert kpis["Shared resources"][1] == "/network?ties=resources"
    assert kpis["Cross-movement ties"][0].endswith("%")
    assert kpis["Cross-movement ties"][1] == "/movements"
    assert kpis["Support returned"][0].endswith("%")
    assert kpis["Support returned"][1].startswith("/solidarity?cell=")
    bridges = page.page.wait_for_selector("#overview-bridges tbody tr")
    assert page.page.locator("#overview-bridges tbody tr").count() == 8
    assert bridges.query_selector("a").get_attribute("href").startswith("/network?focus=")
    # The navbar is built from the page registry, the current page marked.
    nav = page.page.locator("#navbar .nav-link")
    assert nav.all_inner_texts() == [
        "Overview",
        "Network",
        "Movements",
        "Brokers",
        "Timeline",
        "Paths",
        "What if",
        "Solidarity",
        "Trends",
        "Bridges",
    ]
    assert page.page.locator("#navbar .nav-link.active").inner_text() == "Overview"
    _no_member_ids(page.page.content(), sample_coalition)

    # A cell of the small matrix opens the movements page with that cell's groups.
    a, b = sorted(sample_coalition.movements)[:2]
    page.page.click(f"#overview-matrix a[href='/movements?cell={a},{b}']")
    page.page.wait_for_url(re.compile(rf"/movements\?cell={a},{b}$"))
    listing = page.page.wait_for_selector(".pair-groups h2").inner_text()
    names = sample_coalition.movements
    assert listing == f"{names[a]['name']} × {names[b]['name']}: ties"
    # ...and a headline figure its page.
    page.page.go_back()
    page.page.click(".kpi[href='/timeline']")
    page.page.wait_for_selector("#timeline-chart .barlayer")
    page.assert_clean()


def _network_counts(page) -> tuple[int, int]:
    status = page.page.locator("#network-status [data-nodes]")
    return int(status.get_attribute("data-nodes")), int(status.get_attribute("data-edges"))


def _selected(page) -> tuple[int, int]:
    status = page.page.locator("#network-status [data-groups]")
    return int(status.get_attribute("data-groups")), int(status.get_attribute("data-ties"))


def _cy(page, script: str):
    return page.page.evaluate(
        "(script) => { const cy = document.getElementById('network-graph')._cyreg.cy;"
        " return new Function('cy', script)(cy); }",
        script,
    )


def _wait_for_nodes(page, n: int) -> None:
    page.page.wait_for_function(
        "(n) => { const s = document.querySelector('#network-status [data-nodes]');"
        " const el = document.getElementById('network-graph');"
        " return s && Number(s.dataset.nodes) === n && el && el._cyreg"
        " && el._cyreg.cy.nodes().length === n; }",
        arg=n,
    )


def _wait_for_status(page, condition: str, arg=None) -> None:
    """Wait until ``condition`` (JS over ``d``, the status line's data attributes) holds."""
    page.page.wait_for_function(
        "(arg) => { const s = document.querySelector('#network-status [data-nodes]');"
        f" if (!s) return false; const d = s.dataset; return {condition}; }}",
        arg=arg,
    )


def test_network_filters_change_the_graph_and_live_in_the_url(page, sample_coalition):
    from graph.projection import coalition_graph

    page.open("/network")
    total = len(sample_coalition.groups)
    ties = coalition_graph(sample_coalition).number_of_edges()
    _wait_for_nodes(page, total)
    nodes, edges = _network_counts(page)
    assert _selected(page) == (total, ties)
    assert _cy(page, "return cy.edges().length") == edges
    # The sample has more than 1,500 groups and ties: the page says so and draws fewer.
    assert nodes + edges <= 1500 < total + ties
    note = page.page.inner_text("#network-note")
    assert "Too many to draw one by one" in note and "Movements as nodes" in note
    # A colour-blind-safe legend: one Okabe–Ito colour per movement, with group counts.
    legend = page.page.locator(".legend-item")
    assert legend.count() == len(sample_coalition.movements)
    colours = page.page.eval_on_selector_all(
        ".legend-item .swatch", "els => els.map(e => getComputedStyle(e).backgroundColor)"
    )
    assert len(set(colours)) == len(sample_coalition.movements)

    # Choose one movement in the dropdown: fewer groups.
    movement = sorted(sample_coalition.movements)[0]
    name = sample_coalition.movements[movement]["name"]
    expected = sum(1 for g in sample_coalition.groups.values() if movement in g["movements"])
    assert 0 < expected < total
    page.page.click("#network-movements")
    page.page.get_by_role("option", name=name, exact=True).click()
    page.page.keyboard.press("Escape")
    _wait_for_nodes(page, expected)
    page.page.wait_for_url(re.compile(rf"movements={movement}"))

    # Raise the minimum weight: fewer ties, same groups.
    _, before = _selected(page)
    page.page.fill("#network-min-weight", "3")
    page.page.press("#network-min-weight", "Enter")
    page.page.wait_for_url(re.compile(r"min_weight=3"))
    _wait_for_status(page, "Number(d.ties) < arg", before)

    # Tie types: joint actions only.
    _, before = _selected(page)
    page.page.get_by_label("shared members").uncheck()
    page.page.get_by_label("shared resources").uncheck()
    page.page.wait_for_url(re.compile(r"ties=actions"))
    _wait_for_status(page, "Number(d.ties) < arg", before)

    # A date window: fewer ties still.
    _, before = _selected(page)
    page.page.click("#network-since")
    page.page.keyboard.type("2023-01-01")
    page.page.keyboard.press("Enter")
    page.page.wait_for_url(re.compile(r"since=2023-01-01"))
    _wait_for_status(page, "Number(d.ties) < arg", before)
    shown = _network_counts(page)

    # The link restores the view.
    page.page.reload()
    _wait_for_nodes(page, expected)
    assert _network_counts(page) == shown
    assert page.page.input_value("#network-min-weight") == "3"
    assert page.page.input_value("#network-since") == "2023-01-01"
    assert not page.page.get_by_label("shared members").is_checked()
    assert page.page.get_by_label("joint actions").is_checked()
    page.assert_clean()


def _click_roomiest_node(page) -> dict:
    # The node with most room around it, so a click cannot hit a neighbour.
    target = _cy(
        page,
        """
        const nodes = cy.nodes(); let best = null, room = -Infinity;
        nodes.forEach(n => {
          const p = n.renderedPosition(); let gap = Infinity;
          nodes.forEach(m => { if (m === n) return; const q = m.renderedPosition();
            gap = Math.min(gap, Math.hypot(p.x - q.x, p.y - q.y) - m.renderedWidth() / 2); });
          if (gap > room) { room = gap; best = n; }
        });
        const box = cy.container().getBoundingClientRect(); const p = best.renderedPosition();
        return {id: best.id(), name: best.data('name'), kind: best.data('kind') || 'group',
                movement: best.data('movement_id'), x: box.left + p.x, y: box.top + p.y};
        """,
    )
    page.page.mouse.click(target["x"], target["y"])
    return target


def test_network_click_opens_the_panel_and_the_ego_view(page, sample_coalition):
    from graph.projection import coalition_graph

    page.open("/network")
    _wait_for_nodes(page, len(sample_coalition.groups))
    assert page.page.is_disabled("#network-ego-button")
    target = _click_roomiest_node(page)
    title = page.page.wait_for_selector(".detail-title")
    assert title.inner_text() == target["name"]
    panel = page.page.inner_text("#network-detail")
    for heading in ("Movements", "In this window", "Metrics", "Strongest ties", "Joint actions"):
        assert heading in panel
    assert "Members" in panel and "Betweenness" in panel
    group = sample_coalition.groups[target["id"]]
    assert sample_coalition.movements[group["movements"][0]]["name"] + " (primary)" in panel
    joint = [
        aid
        for aid in {a for g, a, *_ in sample_coalition.participations if g == target["id"]}
        if sum(1 for _g, a, *_ in sample_coalition.participations if a == aid) >= 2
    ]
    items = page.page.locator(".detail-actions-list li").count()
    assert items == min(6, len(joint)) and items > 0
    page.page.wait_for_url(re.compile(rf"group={target['id']}"))

    # The panel is in the link too.
    page.page.reload()
    assert page.page.wait_for_selector(".detail-title").inner_text() == target["name"]

    page.page.click("#network-ego-button")
    G = coalition_graph(sample_coalition)
    _wait_for_nodes(page, 1 + G.degree(target["id"]))
    page.page.wait_for_url(re.compile(rf"focus={target['id']}"))
    assert "around " + target["name"] in page.page.inner_text("#network-status")
    page.page.get_by_label("2 hops").check()
    two_hops = len(nx.single_source_shortest_path_length(G, target["id"], cutoff=2))
    _wait_for_status(page, "Number(d.groups) === arg", two_hops)
    page.page.wait_for_url(re.compile(r"hops=2"))
    page.page.click("#network-clear-focus")
    _wait_for_nodes(page, len(sample_coalition.groups))
    page.assert_clean()


def test_network_search_highlights(page, sample_coalition):
    gid, group = sorted(sample_coalition.groups.items())[0]
    word = group["name"].split()[0]
    page.open("/network?q=" + word)
    page.page.wait_for_selector("#network-status [data-nodes]")
    page.page.wait_for_function(
        "() => document.getElementById('network-graph')._cyreg.cy.nodes('.match').length > 0"
    )
    matches = _cy(page, "return cy.nodes('.match').map(n => n.id())")
    assert gid in matches
    assert f"match “{word}”" in page.page.inner_text("#network-status")
    assert page.page.input_value("#network-search") == word
    page.assert_clean()


#: Groups drawn by the points view: the markers of its WebGL traces (JavaScript).
POINTS_DRAWN = (
    "(() => { const gd = document.querySelector('#network-points .js-plotly-plot');"
    " if (!gd || !gd._fullData || !gd.querySelector('.gl-canvas-context')) return -1;"
    " return gd._fullData.filter(t => t.type === 'scattergl' && t.mode === 'markers'"
    " && t.name !== 'matches').reduce((n, t) => n + t.x.length, 0); })()"
)


def test_network_movement_and_points_views(page, sample_coalition):
    page.open("/network")
    _wait_for_nodes(page, len(sample_coalition.groups))
    page.page.get_by_label("Movements as nodes").check()
    _wait_for_nodes(page, len(sample_coalition.movements))
    page.page.wait_for_url(re.compile(r"view=movements"))
    assert page.page.inner_text("#network-note") == ""
    # A movement node opens the movement's panel, which leads to its groups.
    target = _click_roomiest_node(page)
    assert target["kind"] == "movement"
    title = page.page.wait_for_selector(".movement-detail .detail-title").inner_text()
    assert title == sample_coalition.movements[target["movement"]]["name"]
    assert "E–I index" in page.page.inner_text("#network-detail")
    page.page.click("text=Show its groups →")
    expected = sum(
        1 for g in sample_coalition.groups.values() if target["movement"] in g["movements"]
    )
    _wait_for_nodes(page, expected)
    assert page.page.get_by_label("Groups", exact=True).is_checked()

    # Every group as a point; a click on one opens its panel.
    page.page.get_by_label("All groups as points").check()
    page.page.wait_for_url(re.compile(r"view=points"))
    page.page.wait_for_function(f"() => ({POINTS_DRAWN}) === {expected}")
    assert page.page.is_hidden("#network-graph")
    # Drawn with WebGL, under the CSP (assert_clean below), not as SVG points.
    assert page.page.locator("#network-points .gl-canvas-context").count() == 1
    assert page.page.locator("#network-points .scatterlayer .point").count() == 0
    assert page.page.locator("#network-points .no-webgl").count() == 0
    spot = page.page.evaluate(
        """() => {
          const gd = document.querySelector('#network-points .js-plotly-plot');
          const trace = gd._fullData.filter(t => t.mode === 'markers').pop();
          const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
          const box = gd.getBoundingClientRect();
          return {x: box.left + xa._offset + xa.c2p(trace.x[0]),
                  y: box.top + ya._offset + ya.c2p(trace.y[0]), id: trace.customdata[0]};
        }"""
    )
    page.page.mouse.move(spot["x"], spot["y"])
    page.page.mouse.click(spot["x"], spot["y"])
    name = page.page.wait_for_selector(".detail-title").inner_text()
    assert name in {g["name"] for g in sample_coalition.groups.values()}
    page.page.wait_for_url(re.compile(r"group="))
    page.assert_clean()


def _click_heatmap_cell(page, row: int, column: int, chart: str = "#movements-heatmap") -> None:
    """Click the centre of a cell of a heatmap, as a person would."""
    spot = page.page.evaluate(
        """([row, column, chart]) => {
          const gd = document.querySelector(chart + ' .js-plotly-plot');
          const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
          const box = gd.getBoundingClientRect();
          return {x: box.left + xa._offset + xa.c2p(column), y: box.top + ya._offset + ya.c2p(row)};
        }""",
        [row, column, chart],
    )
    page.page.mouse.click(spot["x"], spot["y"])


def test_movements_matrix_cells_and_ei(page, sample_coalition):
    from graph.projection import coalition_graph

    page.open("/movements")
    page.page.wait_for_selector("#movements-heatmap .heatmaplayer")
    text = page.page.inner_text("#movements-heatmap")
    assert "Ties (pairs of tied groups) between movements" in text
    for movement in sample_coalition.movements.values():
        assert movement["name"] in text
    rows = page.page.locator("#movements-ei tbody tr")
    assert rows.count() == len(sample_coalition.movements)
    values = [
        float(v) for v in page.page.locator("#movements-ei tbody td:last-child").all_inner_texts()
    ]
    assert values == sorted(values, reverse=True) and all(-1 <= v <= 1 for v in values)

    # Clicking a cell lists the groups that make those links.
    ids = sorted(sample_coalition.movements)
    a, b = ids[0], ids[2]
    _click_heatmap_cell(page, 0, 2)
    page.page.wait_for_url(re.compile(rf"cell={a},{b}"))
    block = page.page.wait_for_selector(".pair-groups")
    G = coalition_graph(sample_coalition)
    primary = {g: d["movements"][0] for g, d in sample_coalition.groups.items()}
    pair_ties = [(u, v) for u, v in G.edges if {primary[u], primary[v]} == {a, b}]
    assert block.get_attribute("data-ties") == str(len(pair_ties))
    listed = page.page.locator(".pair-groups li a").all_inner_texts()
    makers = {x for e in pair_ties for x in e}
    assert set(listed) == {sample_coalition.groups[g]["name"] for g in makers}

    page.page.get_by_label("Shared members").check()
    page.page.wait_for_function(
        "() => document.querySelector('#movements-heatmap').innerText"
        ".includes('Shared members between movements')"
    )
    page.page.wait_for_url(re.compile(r"tie=shared_members"))
    page.page.wait_for_function(
        "() => document.querySelector('.pair-groups h2').innerText.includes('shared members')"
    )

    # A date window, typed into the picker, changes the counts and the URL.
    before = page.page.inner_text("#movements-heatmap")
    page.page.click("#movements-since")
    page.page.keyboard.type("2024-01-01")
    page.page.keyboard.press("Enter")
    page.page.wait_for_url(re.compile(r"since=2024-01-01"))
    page.page.wait_for_function(
        "(before) => document.querySelector('#movements-heatmap').innerText !== before",
        arg=before,
    )
    page.page.reload()
    page.page.wait_for_selector("#movements-heatmap .heatmaplayer")
    assert page.page.input_value("#movements-since") == "2024-01-01"
    assert page.page.get_by_label("Shared members").is_checked()
    assert (
        page.page.wait_for_selector(".pair-groups h2")
        .inner_text()
        .startswith(sample_coalition.movements[a]["name"] + " × ")
    )
    page.assert_clean()


def test_brokers_table_and_csv(page, sample_coalition, tmp_path):
    page.open("/brokers")
    page.page.wait_for_selector("#brokers-grid .ag-row")
    assert f"of {len(sample_coalition.groups)}" in page.page.inner_text(
        "#brokers-grid .ag-paging-panel"
    )
    headers = page.page.locator("#brokers-grid .ag-header-cell-text").all_inner_texts()
    assert "Betweenness" in headers and "Members" in headers

    with page.page.expect_download() as info:
        page.page.click("#brokers-download")
    path = tmp_path / "all.csv"
    info.value.save_as(path)
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert len(rows) == len(sample_coalition.groups)
    assert {r["Id"] for r in rows} == set(sample_coalition.groups)
    assert all(r["Members"] for r in rows)

    # Sorted by betweenness, brokers first.
    betweenness = [float(r["Betweenness"]) for r in rows]
    assert betweenness == sorted(betweenness, reverse=True)

    # Bridging members: counts per pair of movements, never names.
    bridging = page.page.wait_for_selector("#brokers-bridging table")
    counts = page.page.locator("#brokers-bridging tbody td:last-child").all_inner_texts()
    assert counts and all(re.fullmatch(r"<5|[\d,]+", c) for c in counts)
    assert "Members in groups of both" in bridging.inner_text()

    # Cells a spreadsheet would run as a formula are exported inert: =, +, -, @, tab, CR.
    formulas = ["=1+1", "+1+1", "-1+1", "@SUM(A1)", "\t=1+1", "\r=1+1", '=HYPERLINK("x")']
    page.page.evaluate(
        "async (names) => { const api = await dash_ag_grid.getApiAsync('brokers-grid');"
        " names.forEach((n, i) => api.getDisplayedRowAtIndex(i).setDataValue('name', n)); }",
        formulas,
    )
    with page.page.expect_download() as info:
        page.page.click("#brokers-download")
    info.value.save_as(tmp_path / "formula.csv")
    text = (tmp_path / "formula.csv").read_bytes().decode("utf-8-sig")  # keep the CR
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["Group"] for r in rows[: len(formulas)]] == ["'" + f for f in formulas]
    # Numbers (a negative E–I index, say) stay numbers.
    assert any(r["E–I index"].startswith("-") for r in rows[len(formulas) :])
    page.page.reload()
    page.page.wait_for_selector("#brokers-grid .ag-row")

    # Filter the table: the CSV holds what is shown.
    gid, group = sorted(sample_coalition.groups.items())[0]
    page.page.locator("#brokers-grid .ag-floating-filter input").nth(1).fill(gid)
    page.page.wait_for_function(
        "() => document.querySelectorAll('#brokers-grid .ag-center-cols-container .ag-row')"
        ".length === 1"
    )
    with page.page.expect_download() as info:
        page.page.click("#brokers-download")
    info.value.save_as(tmp_path / "one.csv")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "one.csv").read_text("utf-8-sig"))))
    assert [r["Group"] for r in rows] == [group["name"]]
    _no_member_ids(page.page.content(), sample_coalition)
    page.assert_clean()


def _click_bar(page, index: int) -> None:
    bars = "#timeline-chart .cartesianlayer .barlayer .trace:first-child .point"
    box = page.page.locator(bars).nth(index)
    spot = box.bounding_box()
    page.page.mouse.click(spot["x"] + spot["width"] / 2, spot["y"] + spot["height"] / 2)


def test_timeline_range_and_period_selection(page, sample_coalition):
    page.open("/timeline")
    page.page.wait_for_selector("#timeline-chart .barlayer")
    status = page.page.inner_text("#timeline-status")
    assert re.search(r"\d+ joint actions, \d+ of them across movements", status)
    years = sorted(
        {
            a["start_date"][:4]
            for aid, a in sample_coalition.actions.items()
            if sum(1 for _g, x, *_ in sample_coalition.participations if x == aid) >= 2
        }
    )
    # Clicking a bar lists that period's joint actions.
    _click_bar(page, 1)
    page.page.wait_for_url(re.compile(rf"sel={years[1]}"))
    listing = page.page.wait_for_selector(f".period-actions[data-period='{years[1]}']")
    count = int(listing.get_attribute("data-count"))
    assert page.page.locator(".period-actions tbody tr").count() == min(100, count) > 0
    dates = page.page.locator(".period-actions tbody td:first-child").all_inner_texts()
    assert all(d.startswith(years[1]) for d in dates) and dates == sorted(dates)

    # The range selector zooms in on the last three years.
    start = (
        "() => document.querySelector('#timeline-chart .js-plotly-plot')._fullLayout.xaxis.range[0]"
    )
    whole = page.page.evaluate(start)
    page.page.click("#timeline-chart .rangeselector .button >> text=3 y")
    page.page.wait_for_function(f"(whole) => ({start})() > whole", arg=whole)
    page.page.get_by_label("Quarter").check()
    page.page.wait_for_url(re.compile(r"period=quarter"))
    page.page.wait_for_function(
        "() => document.querySelector('#timeline-chart').innerText.includes('per quarter')"
    )
    assert "sel=" not in page.page.url  # a year is not a quarter
    page.assert_clean()


def _choose(page, dropdown: str, text: str, option: str) -> None:
    """Search a dropdown (its options come from the server) and pick ``option``."""
    page.page.click(dropdown)
    # With a value chosen, the open menu focuses that option: type into its search box.
    page.page.locator(".dash-dropdown-content .dash-dropdown-search").fill(text)
    page.page.get_by_role("option", name=option, exact=True).click()


def test_paths_between_two_groups(page, sample_coalition):
    from graph.projection import coalition_graph

    G = coalition_graph(sample_coalition)
    source = sorted(G)[0]
    distances = nx.single_source_shortest_path_length(G, source)
    target = sorted(g for g, d in distances.items() if d == max(distances.values()))[0]
    hops = distances[target]
    assert hops >= 2
    name = {g: d["name"] for g, d in sample_coalition.groups.items()}
    page.open("/paths")
    page.page.wait_for_selector("#paths-result p")
    _choose(page, "#paths-source", name[source], f"{name[source]} ({source})")
    _choose(page, "#paths-target", target, f"{name[target]} ({target})")
    summary = page.page.wait_for_selector(".path-summary").inner_text()
    expected = len(list(nx.all_shortest_paths(G, source, target)))
    assert summary == (
        f"{min(10, expected)} shortest path{'s' * (min(10, expected) != 1)} of {hops} hops"
    )
    first = page.page.locator(".path").first
    assert first.locator(".hop").count() == hops
    assert first.locator(".hop-from").first.inner_text() == name[source]
    assert first.locator(".hop-to").last.inner_text() == name[target]
    assert re.search(r"shared members|joint action|shared resource", first.inner_text())
    page.page.wait_for_url(re.compile(rf"a={source}&b={target}"))
    page.assert_clean()


def test_whatif_removal_changes_the_figures(page, sample_coalition):
    from graph.projection import coalition_graph

    G = coalition_graph(sample_coalition)
    page.open("/whatif")
    page.page.wait_for_selector("#whatif-ranking table")
    ranked = page.page.locator("#whatif-ranking tbody tr a")
    assert ranked.count() == 10
    first = ranked.first.inner_text()
    gid = next(g for g, d in sample_coalition.groups.items() if d["name"] == first)
    ranked.first.click()
    page.page.wait_for_url(re.compile(rf"remove={gid}"))
    page.page.wait_for_selector(".whatif-removed")
    assert first in page.page.inner_text(".whatif-removed")
    figures = {
        row[0]: row[1:]
        for row in (
            r.split("\t") for r in page.page.locator("#whatif-result tbody tr").all_inner_texts()
        )
    }
    assert figures["Groups"] == [f"{len(G)}", f"{len(G) - 1}"]
    assert figures["Ties"] == [
        f"{G.number_of_edges():,}",
        f"{G.number_of_edges() - G.degree(gid):,}",
    ]
    assert "Fragmentation" in figures and "Connected components" in figures

    # Two more groups leave, chosen in the dropdown: the figures change again.
    others = [g for g in sorted(G, key=lambda g: -G.degree(g)) if g != gid][:2]
    for other in others:
        name = sample_coalition.groups[other]["name"]
        _choose(page, "#whatif-remove", name, f"{name} ({other})")
        page.page.keyboard.press("Escape")
        page.page.wait_for_url(re.compile(other))
    H = G.copy()
    H.remove_nodes_from([gid, *others])
    page.page.wait_for_function(
        "(n) => document.querySelector('#whatif-result tbody').innerText.includes(n)",
        arg=f"{H.number_of_edges():,}",
    )
    page.assert_clean()


def test_a_shared_link_restores_every_filter(page, sample_coalition):
    from graph.projection import coalition_graph

    G = coalition_graph(sample_coalition)
    gid = max(G, key=G.degree)
    movement = sample_coalition.groups[gid]["movements"][0]
    page.open(
        f"/network?movements={movement}&ties=members,actions&min_weight=2&since=2019-01-01"
        f"&q=a&size=betweenness&focus={gid}&hops=2&view=groups&group={gid}"
    )
    page.page.wait_for_selector("#network-status [data-nodes]")
    assert page.page.wait_for_selector(".detail-title").inner_text() == G.nodes[gid]["name"]
    assert page.page.input_value("#network-min-weight") == "2"
    assert page.page.input_value("#network-since") == "2019-01-01"
    assert page.page.input_value("#network-search") == "a"
    assert not page.page.get_by_label("shared resources").is_checked()
    assert page.page.get_by_label("2 hops").is_checked()
    assert "Betweenness" in page.page.inner_text(".controls-side")
    status = page.page.inner_text("#network-status")
    assert "around " + G.nodes[gid]["name"] + " (2 hops)" in status
    # The canonical link is what the page writes back: the same filters.
    for part in ("ties=members,actions", "min_weight=2", "size=betweenness", f"group={gid}"):
        assert part in page.page.url

    page.open("/timeline?period=month&sel=2021-03")
    page.page.wait_for_selector(".period-actions[data-period='2021-03']")
    assert page.page.get_by_label("Month").is_checked()
    page.assert_clean()


def test_solidarity_flows_reciprocity_and_what_is_behind_a_flow(page, sample_coalition):
    page.open("/solidarity")
    from dashboard.model.solidarity import flow_items, solidarity_of
    from dashboard.views.text import percent

    expected = solidarity_of(sample_coalition)
    page.page.wait_for_selector("#solidarity-chart .heatmaplayer")
    text = page.page.inner_text("#solidarity-chart")
    assert "rows give, columns receive" in text
    for movement in sample_coalition.movements.values():
        assert movement["name"] in text
    headline = page.page.inner_text("#solidarity-headline")
    assert percent(expected.reciprocity) in headline
    rows = page.page.locator("#solidarity-pairs tbody tr")
    assert rows.count() == len(expected.pairs)
    shown = [
        float(v)
        for v in page.page.locator("#solidarity-pairs tbody td:nth-child(4)").all_inner_texts()
    ]
    assert shown == sorted(shown)  # the most one-sided first

    # Clicking the largest flow between two movements lists the actions and resources behind it.
    ids = sorted(sample_coalition.movements)
    flow = max(
        (f for f in expected.flows if f["movement_from"] != f["movement_to"]),
        key=lambda f: f["total"],
    )
    a, b = flow["movement_from"], flow["movement_to"]
    _click_heatmap_cell(page, ids.index(a), ids.index(b), "#solidarity-chart")
    page.page.wait_for_url(re.compile(rf"cell={a},{b}"))
    block = page.page.wait_for_selector(".flow-items")
    items = flow_items(expected, sample_coalition, a, b)
    assert block.get_attribute("data-items") == str(len(items))
    assert sum(item["events"] for item in items) == flow["total"]
    assert items[0]["name"] in block.inner_text()
    _no_member_ids(page.page.content(), sample_coalition)

    # A movement filter and a window go in the URL and survive a reload.
    page.open(f"/solidarity?movements={a}&since=2022-01-01&cell={a},{b}")
    page.page.wait_for_selector(".flow-items")
    assert page.page.input_value("#solidarity-since") == "2022-01-01"
    page.assert_clean()


def test_hostile_names_render_as_text(browser, base_url, store_config, dataset):
    """Names that would run script as HTML show as those characters; no dialog ever opens."""
    from dataclasses import replace

    from dashboard.app import create_app
    from dashboard.data import DATA_KEY
    from graph.store import open_store
    from loaders.load import load_dataset

    script, image = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"
    folder = dataset("tiny")
    groups = (folder / "groups.csv").read_text()
    groups = groups.replace("Northside Defenders", script).replace("Justice Kitchen", image)
    (folder / "groups.csv").write_text(groups)
    movements = (folder / "movements.csv").read_text().replace("Queer Liberation", image)
    (folder / "movements.csv").write_text(movements)
    actions = (folder / "actions.csv").read_text().replace("March for Justice", script)
    (folder / "actions.csv").write_text(actions)
    config = replace(store_config, database="hostile") if store_config.embedded else store_config
    if not store_config.embedded:
        pytest.skip("loads a dataset of its own")
    with open_store(config) as store:
        store.run("MATCH (n) DETACH DELETE n")
        load_dataset(folder, store)
    app = create_app(config)
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    dialogs: list[str] = []
    try:
        with serve(app) as url:
            page = Page(context.new_page(), url)
            page.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.open("/brokers")
            page.page.wait_for_selector("#brokers-grid .ag-row")
            grid = page.page.inner_text("#brokers-grid")
            assert script in grid and image in grid
            page.open("/network?group=g1&q=onerror")
            assert page.page.wait_for_selector(".detail-title").inner_text() == script
            assert "1 match “onerror”" in page.page.inner_text("#network-status")
            assert _cy(page, "return cy.getElementById('g2').data('name')") == image
            assert f"{image} (" in page.page.inner_text("#network-legend")
            page.open("/network?view=points")
            page.page.wait_for_function(f"() => ({POINTS_DRAWN}) > 0")
            page.open("/movements?cell=blm,queer")
            page.page.wait_for_selector(".pair-groups")
            page.page.wait_for_selector("#movements-heatmap .heatmaplayer")
            assert image in page.page.inner_text("#movements-heatmap")
            assert f"Black Lives Matter × {image}: ties" in page.page.inner_text(".pair-groups")
            assert f"{image} · 1 tie" in page.page.inner_text(".pair-groups")
            page.open("/solidarity?cell=queer,labour")
            items = page.page.wait_for_selector(".flow-items").inner_text()
            assert items.startswith(f"{image} → Labour")
            page.page.wait_for_selector("#solidarity-chart .heatmaplayer")
            assert image in page.page.inner_text("#solidarity-chart")
            page.open("/solidarity?cell=blm,blm")  # g2 (an image tag) showed up for g1 (a script)
            items = page.page.wait_for_selector(".flow-items").inner_text()
            assert f"{image} showed up" in items and f"{script} organised" in items
            page.open("/timeline?sel=2016")
            assert script in page.page.wait_for_selector(".period-actions").inner_text()
            page.open("/paths?a=g1&b=g2")
            assert script in page.page.wait_for_selector(".path-summary + .path").inner_text()
            page.open("/whatif?remove=g1,g2")
            removed = page.page.wait_for_selector(".whatif-removed").inner_text()
            assert removed == f"Leaving: {script}; {image}"
            page.open("/")
            page.page.wait_for_selector("#overview-bridges table")
            # Nothing was parsed as markup: no such element exists anywhere.
            for path in ("/", "/network", "/brokers", "/solidarity"):
                page.open(path)
                page.page.wait_for_selector("#main h1")
                assert page.page.locator("#main img[src='x'], #main script").count() == 0
            assert dialogs == []
            page.assert_clean()
    finally:
        context.close()
        app.server.config[DATA_KEY].close()


def test_unavailable_store_is_a_message_not_a_blank_page(browser, base_url):
    # base_url first: the sample app is served (and has its callbacks) before this one is built.
    from dashboard.app import create_app
    from graph.store import StoreConfig

    with socket.socket() as s:  # a port where nothing listens
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = create_app(StoreConfig(uri=f"bolt://127.0.0.1:{port}", username="u", password="secret"))
    context = browser.new_context()
    try:
        with serve(app) as url:
            page = Page(context.new_page(), url)
            page.open("/")
            notice = page.page.wait_for_selector(".notice-error")
            assert notice.inner_text().startswith("The graph store is unavailable: ")
            assert "secret" not in notice.inner_text()
            page.open("/network")
            status = page.page.wait_for_selector("#network-status .notice-error")
            assert status.inner_text().startswith("The graph store is unavailable: ")
            page.assert_clean()
    finally:
        context.close()


def test_an_empty_dataset_is_a_message_on_every_page(browser, base_url, store_config):
    from dataclasses import replace

    from dashboard.app import create_app
    from dashboard.data import DATA_KEY
    from graph.store import open_store

    if not store_config.embedded:
        pytest.skip("needs a database of its own")
    config = replace(store_config, database="empty")
    with open_store(config) as store:
        store.run("MATCH (n) DETACH DELETE n")
    app = create_app(config)
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        with serve(app) as url:
            page = Page(context.new_page(), url)
            # (every page's callbacks say the same: see test_app)
            for path, where in (
                ("/", "#overview-content"),
                ("/network", "#network-status"),
                ("/brokers", "#brokers-status"),
            ):
                page.open(path)
                notice = page.page.wait_for_selector(f"{where} .notice").inner_text()
                assert notice.startswith("The store holds no coalition yet"), path
                assert "coalition load" in notice
            page.assert_clean()
    finally:
        context.close()
        app.server.config[DATA_KEY].close()


def test_pages_say_what_is_still_being_computed_and_fill_in(
    browser, base_url, coalition, monkeypatch
):
    """Slow metrics never hold a page: it says so, shows what it can, and fills in by itself."""

    from dashboard.app import create_app
    from dashboard.data import CoalitionData

    release = threading.Event()
    slow_reports(monkeypatch, release, at_most=60)
    app = create_app(data=CoalitionData.from_coalition(coalition, wait=0.3), warm=True)
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        with serve(app) as url:
            page = Page(context.new_page(), url)
            page.open("/")
            page.page.wait_for_selector(".kpi-value")  # the counts do not wait for the metrics
            pending = page.page.wait_for_selector("#overview-bridges .notice-pending")
            assert "Computing the metrics of 6 groups" in pending.inner_text()
            page.open("/brokers")
            page.page.wait_for_selector("#brokers-status .notice-pending")
            page.page.wait_for_selector("#brokers-bridging table")  # needs no metrics
            release.set()
            page.page.wait_for_selector("#brokers-grid .ag-row")  # no reload: by itself
            assert page.page.locator("#brokers-status .notice-pending").count() == 0
            page.assert_clean()
    finally:
        release.set()
        context.close()


# -- locked down -------------------------------------------------------------------------------
def test_signed_in_dashboard_ignores_a_stray_environment(
    browser, base_url, sample_config, monkeypatch
):
    """Every page needs a user; with one, pages work, satisfy the CSP, and show no dev tools."""
    from dashboard.app import create_app
    from dashboard.data import DATA_KEY

    from .util import PASSWORD, STRAY_ENVIRONMENT, USERS, basic

    for key, value in STRAY_ENVIRONMENT.items():
        monkeypatch.setenv(key, value)
    app = create_app(sample_config, users=USERS)
    anonymous = browser.new_context()
    signed = browser.new_context(
        viewport={"width": 1500, "height": 1000},
        http_credentials={"username": "alice", "password": PASSWORD},
    )
    try:
        with serve(app, headers=basic("alice", PASSWORD)) as url:
            for path in ("/network", "/_dash-layout", "/assets/style.css"):
                refused = anonymous.request.get(url + path)
                assert refused.status == 401, path
                assert refused.headers["www-authenticate"].startswith("Basic ")

            page = Page(signed.new_page(), url)
            assert page.open("/").status == 200
            page.page.wait_for_selector(".kpi-value")
            page.open("/network")
            page.page.wait_for_selector("#network-status [data-nodes]")
            page.open("/brokers")
            page.page.wait_for_selector("#brokers-grid .ag-row")
            assert page.page.locator(".dash-debug-menu, .dash-debug-menu__outer").count() == 0
            mcp = {"jsonrpc": "2.0", "id": 1, "method": "tools/list"}
            for path in ("/_mcp", "/mcp"):
                assert signed.request.post(url + path, data=mcp).status in (404, 405), path
            assert signed.request.get(url + "/_reload-hash").status == 404
            page.assert_clean()
    finally:
        anonymous.close()
        signed.close()
        app.server.config[DATA_KEY].close()


# -- faults survived ---------------------------------------------------------------------------
@pytest.mark.store
def test_the_dashboard_survives_the_store_stopping_and_starting(browser, base_url, tmp_path):
    """Stopped: a clear message on every page. Started again (on new ports): data, by itself."""
    import os

    if os.environ.get("NEO4J_URI"):
        pytest.skip("stops and starts an embedded store of its own")
    from dashboard.app import create_app
    from dashboard.data import DATA_KEY
    from graph.store import StoreConfig, open_store
    from graph.store.embedded import EmbeddedStore
    from loaders.load import load_dataset

    from ..conftest import FIXTURES

    home = tmp_path / "home"
    embedded = EmbeddedStore(home, heap="512m")
    embedded.ensure_running()
    config = StoreConfig(home=str(home))
    with open_store(config) as store:
        load_dataset(FIXTURES / "tiny", store)
    # check_every=0: the store is asked on every request, so the test needs no waiting.
    app = create_app(config, check_every=0)
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    try:
        with serve(app) as url:
            page = Page(context.new_page(), url)
            page.open("/")
            page.page.wait_for_selector(".kpi-value")
            before = page.page.inner_text(".kpis")

            assert embedded.stop()
            page.page.reload()
            notice = page.page.wait_for_selector(".notice-error").inner_text()
            assert notice.startswith("The graph store is unavailable: ")
            assert "reconnects by itself" in notice and "not running" in notice
            page.open("/network")
            status = page.page.wait_for_selector("#network-status .notice-error").inner_text()
            assert status.startswith("The graph store is unavailable: ")
            # The dashboard does not start a store someone stopped.
            assert not embedded.status().running

            embedded.ensure_running()  # new free ports, written to store.json
            page.page.reload()
            page.page.wait_for_selector("#network-status [data-nodes]")
            assert int(page.page.get_attribute("#network-status [data-nodes]", "data-nodes")) == 7
            page.open("/")
            page.page.wait_for_selector(".kpi-value")
            assert page.page.inner_text(".kpis") == before
            page.assert_clean()
    finally:
        context.close()
        app.server.config[DATA_KEY].close()
        embedded.stop()
