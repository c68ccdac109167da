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

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 60_000


@contextmanager
def serve(app, headers: dict[str, str] | None = None) -> Iterator[str]:
    """Serve a Dash app on a free port of 127.0.0.1 in a background thread; yield its URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        # The first request attaches the pages' callbacks to this app; make it
        # now, before any other app is built in this process.
        request = urllib.request.Request(url + "/_dash-dependencies", headers=headers or {})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200
        yield url
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture(scope="module")
def sample_coalition(sample_store):
    from graph.coalition import read_coalition

    return read_coalition(sample_store)


@pytest.fixture(scope="module")
def base_url(sample_store, sample_config):
    from dashboard.app import create_app
    from dashboard.data import DATA_KEY

    app = create_app(sample_config)
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


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    try:
        yield Page(context.new_page(), base_url)
    finally:
        context.close()


def _no_member_ids(html: str, coalition) -> None:
    member_ids = {m for m, *_ in coalition.memberships}
    found = set(re.findall(r"M\d{4,}", html)) & member_ids
    assert not found, f"member ids on the page: {sorted(found)[:5]}"


# -- pages -----------------------------------------------------------------------------------
def test_overview(page, sample_coalition):
    page.open("/")
    page.page.wait_for_selector(".kpi-value")
    kpis = {
        card.inner_text().split("\n")[1]: card.inner_text().split("\n")[0]
        for card in page.page.query_selector_all(".kpi")
    }
    assert kpis["Movements"] == str(len(sample_coalition.movements))
    assert kpis["Groups"] == f"{len(sample_coalition.groups):,}"
    assert kpis["Members"] == f"{sample_coalition.member_count:,}"
    bridges = page.page.locator("text=Top bridging groups").locator("..").locator("tbody tr")
    assert bridges.count() == 8
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
    ]
    assert page.page.locator("#navbar .nav-link.active").inner_text() == "Overview"
    _no_member_ids(page.page.content(), sample_coalition)
    page.assert_clean()


def _network_counts(page) -> tuple[int, int]:
    status = page.page.locator("#network-status [data-nodes]")
    return int(status.get_attribute("data-nodes")), int(status.get_attribute("data-edges"))


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


def test_network_filters_change_the_graph_and_live_in_the_url(page, sample_coalition):
    page.open("/network")
    page.page.wait_for_selector("#network-status [data-nodes]")
    total = len(sample_coalition.groups)
    _wait_for_nodes(page, total)
    nodes, edges = _network_counts(page)
    assert nodes == total and edges > 0
    assert _cy(page, "return cy.edges().length") == edges
    assert page.page.locator(".legend-item").count() == len(sample_coalition.movements)

    # Choose one movement in the dropdown: fewer groups.
    movement = sorted(sample_coalition.movements)[0]
    name = sample_coalition.movements[movement]["name"]
    expected = sum(1 for g in sample_coalition.groups.values() if movement in g["movements"])
    assert 0 < expected < total
    page.page.click(f"#{'network-movements'}")
    page.page.get_by_role("option", name=name, exact=True).click()
    page.page.keyboard.press("Escape")
    _wait_for_nodes(page, expected)
    page.page.wait_for_url(re.compile(rf"movements={movement}"))

    # Raise the minimum weight: fewer ties, same groups.
    _, before = _network_counts(page)
    page.page.fill("#network-min-weight", "3")
    page.page.press("#network-min-weight", "Enter")
    page.page.wait_for_url(re.compile(r"min_weight=3"))
    page.page.wait_for_function(
        "(n) => Number(document.querySelector('#network-status [data-nodes]').dataset.edges) < n",
        arg=before,
    )
    _, after = _network_counts(page)

    # The link restores the view.
    page.page.reload()
    _wait_for_nodes(page, expected)
    assert _network_counts(page) == (expected, after)
    assert page.page.input_value("#network-min-weight") == "3"
    page.assert_clean()


def test_network_click_opens_the_panel_and_the_ego_view(page, sample_coalition):
    from graph.coalition import coalition_graph

    page.open("/network")
    _wait_for_nodes(page, len(sample_coalition.groups))
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
        return {id: best.id(), name: best.data('name'), x: box.left + p.x, y: box.top + p.y};
        """,
    )
    assert page.page.is_disabled("#network-ego-button")
    page.page.mouse.click(target["x"], target["y"])
    title = page.page.wait_for_selector(".detail-title")
    assert title.inner_text() == target["name"]
    panel = page.page.inner_text("#network-detail")
    assert "Members" in panel and "Betweenness" in panel and "Strongest ties" in panel
    group = sample_coalition.groups[target["id"]]
    assert sample_coalition.movements[group["movements"][0]]["name"] + " (primary)" in panel

    page.page.click("#network-ego-button")
    G = coalition_graph(sample_coalition)
    _wait_for_nodes(page, 1 + G.degree(target["id"]))
    page.page.wait_for_url(re.compile(rf"focus={target['id']}"))
    assert "around " + target["name"] in page.page.inner_text("#network-status")
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


def test_movements(page, sample_coalition):
    page.open("/movements")
    page.page.wait_for_selector("#movements-heatmap .heatmaplayer")
    text = page.page.inner_text("#movements-heatmap")
    assert "Ties (pairs of tied groups) between movements" in text
    for movement in sample_coalition.movements.values():
        assert movement["name"] in text
    page.page.get_by_label("Shared members").check()
    page.page.wait_for_function(
        "() => document.querySelector('#movements-heatmap').innerText"
        ".includes('Shared members between movements')"
    )
    page.page.wait_for_url(re.compile(r"tie=shared_members"))

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


def test_timeline(page, sample_coalition):
    page.open("/timeline")
    page.page.wait_for_selector("#timeline-chart .barlayer")
    status = page.page.inner_text("#timeline-status")
    assert re.search(r"\d+ joint actions, \d+ of them across movements", status)
    page.page.get_by_label("Quarter").check()
    page.page.wait_for_url(re.compile(r"period=quarter"))
    page.page.wait_for_function(
        "() => document.querySelector('#timeline-chart').innerText.includes('per quarter')"
    )
    page.assert_clean()


def test_paths(page, sample_coalition):
    from graph.coalition import coalition_graph

    G = coalition_graph(sample_coalition)
    a, b = sorted(G)[0], sorted(G)[-1]
    page.open(f"/paths?a={a}&b={b}")
    page.page.wait_for_selector(".path-summary, #paths-result .notice")
    text = page.page.inner_text("#paths-result")
    if nx.has_path(G, a, b):
        hops = nx.shortest_path_length(G, a, b)
        assert f"of {hops} hop" in text
        assert (
            sample_coalition.groups[a]["name"] in text
            and sample_coalition.groups[b]["name"] in text
        )
    else:
        assert "not connected" in text
    page.assert_clean()


def test_whatif(page, sample_coalition):
    gid = sorted(sample_coalition.groups)[0]
    page.open(f"/whatif?remove={gid}")
    page.page.wait_for_selector(".whatif-removed")
    assert sample_coalition.groups[gid]["name"] in page.page.inner_text(".whatif-removed")
    assert "Fragmentation" in page.page.inner_text("#whatif-result")
    page.page.wait_for_selector("#whatif-ranking h2")
    page.assert_clean()


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


# -- locked down -------------------------------------------------------------------------------
def test_signed_in_dashboard_ignores_a_stray_environment(
    browser, base_url, sample_config, monkeypatch
):
    """Every page needs a user; with one, pages work, satisfy the CSP, and show no dev tools."""
    from dashboard.app import create_app
    from dashboard.data import DATA_KEY

    from .test_security import PASSWORD, STRAY_ENVIRONMENT, USERS, basic

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
    from graph.embedded import EmbeddedStore
    from graph.store import StoreConfig, open_store
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
