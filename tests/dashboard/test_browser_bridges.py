"""The bridges page and the image downloads in a real headless Chromium (the sample dataset).

The fixtures are those of :mod:`tests.dashboard.test_browser`: the sample served
from the real embedded store, a Playwright page recording console errors and
content-security-policy violations.
"""

from __future__ import annotations

import re

import pytest

from . import test_browser as _shared
from .test_browser import Page, serve

# The sample app, the browser and its page: the fixtures of test_browser, shared.
sample_coalition = _shared.sample_coalition
base_url = _shared.base_url
browser = _shared.browser
context = _shared.context
page = _shared.page

pytestmark = pytest.mark.browser


def test_bridges_fragile_links_distances_introductions_and_links(page, sample_coalition):
    from graph.bridges import compute_bridges

    expected = compute_bridges(sample_coalition)
    tied = [r for r in expected.links if r["ties"]]
    untied = [r for r in expected.links if not r["ties"]]
    page.open("/bridges")
    page.page.wait_for_selector("#bridges-fragile li.bridge-link")
    items = page.page.locator("#bridges-fragile li.bridge-link")
    assert items.count() == len(tied)
    # the most fragile first: the one link a single group holds
    (fragile,) = [r for r in tied if r["cut_size"] == 1]
    (critical,) = fragile["critical_groups"].split(";")
    names = {m: v["name"] for m, v in sample_coalition.movements.items()}
    group = sample_coalition.groups[critical]["name"]
    first = items.first.inner_text()
    assert first.startswith(
        f"{names[fragile['movement_a']]} and {names[fragile['movement_b']]} are linked only "
        f"through {group}"
    )
    assert page.page.locator("#bridges-apart tbody tr").count() == len(untied)
    assert f"{untied[0]['distance']} hops" in page.page.inner_text("#bridges-apart")
    pairs = page.page.locator("#bridges-introductions .introduction-pair")
    assert pairs.count() == len(
        {(r["movement_a"], r["movement_b"]) for r in expected.introductions}
    )
    top = expected.introductions[0]
    suggestion = page.page.locator("#bridges-introductions li.introduction").first.inner_text()
    a, b = (sample_coalition.groups[g]["name"] for g in (top["group_a"], top["group_b"]))
    assert suggestion.startswith(f"{a} and {b}: both work with ")

    # the critical group opens its panel on /network, and /whatif without it
    items.first.get_by_role("link", name=group).click()
    page.page.wait_for_url(re.compile(rf"/network\?group={critical}"))
    assert page.page.wait_for_selector(".detail-title").inner_text() == group
    page.page.go_back()
    page.page.wait_for_selector("#bridges-fragile li.bridge-link")
    page.page.locator("#bridges-fragile li.bridge-link").first.get_by_role(
        "link", name="what if it leaves"
    ).click()
    page.page.wait_for_url(re.compile(rf"/whatif\?remove={critical}"))
    assert page.page.wait_for_selector(".whatif-removed").inner_text() == f"Leaving: {group}"

    # filters live in the URL and survive a reload
    movement = fragile["movement_a"]
    page.open(f"/bridges?movements={movement}&since=2022-01-01")
    page.page.wait_for_selector("#bridges-headline p")
    assert page.page.input_value("#bridges-since") == "2022-01-01"
    assert (
        page.page.locator("#bridges-headline p")
        .inner_text()
        .startswith(f"{len(names) - 1} pairs of movements")
    )
    page.page.wait_for_url(re.compile(rf"movements={movement}&since=2022-01-01"))
    page.assert_clean()


def test_bridges_shows_hostile_names_as_text(browser, base_url, store_config, dataset, tmp_path):
    """A group named with markup is shown as those characters on /bridges; no dialog opens."""
    from dataclasses import replace

    from dashboard.app import create_app
    from dashboard.data import DATA_KEY
    from graph.store import open_store
    from loaders.load import load_dataset

    script, image = "<script>alert(1)</script>", "<img src=x onerror=alert(1)>"
    folder = dataset("tiny")
    groups = (folder / "groups.csv").read_text()
    groups = groups.replace("Justice Kitchen", image).replace("Warehouse Workers United", script)
    (folder / "groups.csv").write_text(groups)
    if not store_config.embedded:
        pytest.skip("loads a dataset of its own")
    config = replace(store_config, database="hostilebridges")
    with open_store(config) as store:
        store.run("MATCH (n) DETACH DELETE n")
        load_dataset(folder, store)
    app = create_app(config)
    hostile = browser.new_context(viewport={"width": 1500, "height": 1000}, accept_downloads=True)
    dialogs: list[str] = []
    try:
        with serve(app) as url:
            page = Page(hostile.new_page(), url)
            page.page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.open("/bridges")
            page.page.wait_for_selector("#bridges-fragile li.bridge-link")
            # tiny: the single tie g2-g3 links blm and queer; g5 carries both labour-queer ties
            fragile = page.page.inner_text("#bridges-fragile")
            assert f"linked only through the tie between {image} (what if it leaves)" in fragile
            assert f"Labour and Queer Liberation are linked only through {script}" in fragile
            assert f"{image} and {script}: both work with" in page.page.inner_text(
                "#bridges-introductions"
            )
            assert page.page.locator("#main img[src='x'], #main script").count() == 0
            # the brief of the same coalition up to 2020: the names are text there too (and
            # g2, the image, falls among the brokers from 2019 to 2020)
            page.open("/?until=2020-12-31")
            page.page.wait_for_selector(".kpi-value")
            with page.page.expect_download() as info:
                page.page.click("#overview-brief")
            brief = tmp_path / "brief.html"
            info.value.save_as(brief)
            page.assert_clean()
            # (a file has no headers: its policy is the brief's own meta element)
            page.page.goto(brief.as_uri())
            said = page.page.inner_text("body")
            assert f"Labour and Queer Liberation are linked only through {script}" in said
            assert f"{image} (Black Lives Matter) and" in said
            assert f"Falling broker: {image}, betweenness rank 2 in the period before" in said
            assert page.page.locator("img, script").count() == 0
            assert page.page.evaluate("() => window.__csp") == []
            assert dialogs == []
    finally:
        hostile.close()
        app.server.config[DATA_KEY].close()


#: The network drawn: as many nodes in Cytoscape as the status line announces.
DRAWN = (
    "() => { const s = document.querySelector('#network-status [data-nodes]');"
    " const el = document.getElementById('network-graph');"
    " return s && el && el._cyreg && el._cyreg.cy.nodes().length === Number(s.dataset.nodes)"
    " && el._cyreg.cy.nodes().length > 0; }"
)
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _download(page, click, tmp_path):
    with page.page.expect_download() as info:
        click()
    download = info.value
    assert download.failure() is None
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    return download.suggested_filename, path.read_bytes()


def _camera(page, chart: str):
    """Click the "Download plot as a PNG" button of a Plotly chart's mode bar."""
    page.page.hover(f"{chart} .js-plotly-plot")
    page.page.click(f'{chart} .modebar-btn[data-title="Download plot as a PNG"]')


def test_pictures_download_named_by_view_and_window(page, sample_coalition, tmp_path):
    page.open("/network?since=2019-01-01")
    page.page.wait_for_function(DRAWN)
    name, png = _download(page, lambda: page.page.click("#network-save-png"), tmp_path)
    assert name == "coalition-network-since-2019-01-01.png"
    assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000
    name, svg = _download(page, lambda: page.page.click("#network-save-svg"), tmp_path)
    assert name == "coalition-network-since-2019-01-01.svg"
    text = svg.decode("utf-8")
    assert "<svg" in text[:500] and text.rstrip().endswith("</svg>")
    assert text.count("<path") + text.count("<circle") + text.count("<ellipse") > 50

    # the movements drawn as nodes: the same buttons, another name
    page.open("/network?view=movements&until=2022-12-31")
    page.page.wait_for_function(DRAWN)
    name, png = _download(page, lambda: page.page.click("#network-save-png"), tmp_path)
    assert name == "coalition-movement-network-until-2022-12-31.png"
    assert png.startswith(PNG_SIGNATURE) and len(png) > 1_000

    # Plotly views: the points view and the movement matrix, PNG from the mode bar
    page.open("/network?view=points")
    page.page.wait_for_selector("#network-points .js-plotly-plot .gl-canvas-context")
    name, png = _download(page, lambda: _camera(page, "#network-points"), tmp_path)
    assert name == "coalition-network-points-all-dates.png"
    assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000
    page.open("/movements?tie=shared_members&since=2020-01-01&until=2021-12-31")
    page.page.wait_for_selector("#movements-heatmap .heatmaplayer")
    name, png = _download(page, lambda: _camera(page, "#movements-heatmap"), tmp_path)
    assert name == "coalition-movement-matrix-shared-members-2020-01-01-to-2021-12-31.png"
    assert png.startswith(PNG_SIGNATURE) and len(png) > 10_000
    page.assert_clean()


# -- the brief -------------------------------------------------------------------------------
#: Width of the printable area of A4 (210 mm) and Letter (8.5 in) with the brief's 15 mm
#: margins, in CSS pixels (96 per inch).
PRINTABLE_PX = {"A4": round((210 - 30) / 25.4 * 96), "Letter": round((8.5 - 30 / 25.4) * 96)}

#: Every table's right edge inside the page, and no horizontal overflow anywhere.
NOTHING_CUT_OFF = """() => {
  const width = document.documentElement.clientWidth;
  const tables = [...document.querySelectorAll('table, figure, li')];
  return document.documentElement.scrollWidth <= width
    && tables.every(t => t.getBoundingClientRect().right <= width + 0.5
                         && t.scrollWidth <= t.clientWidth + 1);
}"""


def test_the_brief_is_self_contained_and_prints(browser, sample_coalition, tmp_path):
    from graph.brief import brief_for, write_brief

    path = write_brief(brief_for(sample_coalition), tmp_path / "brief.html")
    text = path.read_text(encoding="utf-8")
    member_ids = {m for m, *_ in sample_coalition.memberships}
    assert not set(re.findall(r"M\d{4,}", text)) & member_ids
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    asked: list[str] = []

    def block(route):  # every request but the file itself is refused
        if route.request.url != path.as_uri():
            asked.append(route.request.url)
            return route.abort()
        return route.continue_()

    try:
        context.route("**/*", block)
        tab = context.new_page()
        errors: list[str] = []
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("requestfailed", lambda r: errors.append(f"failed: {r.url}"))
        tab.goto(path.as_uri())
        tab.wait_for_selector("h1")
        assert tab.locator("figure svg circle").count() == len(
            {g["movements"][0] for g in sample_coalition.groups.values() if g["movements"]}
        )
        assert tab.locator("h2").count() == 8
        assert "linked only through" in tab.inner_text("body")
        assert asked == [] and errors == []
        tab.emulate_media(media="print")
        for paper, width in PRINTABLE_PX.items():
            tab.set_viewport_size({"width": width, "height": 900})
            assert tab.evaluate(NOTHING_CUT_OFF), paper
            pdf = tab.pdf(format=paper, print_background=True)
            pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
            assert pdf.startswith(b"%PDF") and pages >= 1, paper
        assert asked == []
    finally:
        context.close()


def test_download_brief_from_the_overview(page, sample_coalition, tmp_path):
    import html

    from graph.brief import brief_for

    page.open("/?since=2021-01-01")
    page.page.wait_for_selector(".kpi-value")
    name, data = _download(page, lambda: page.page.click("#overview-brief"), tmp_path)
    assert name == "coalition-brief-since-2021-01-01.html"
    text = data.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Since 2021-01-01" in text
    # what changed since the previous period: the same sentences as `coalition brief`'s
    (changed,) = [
        s
        for s in brief_for(sample_coalition.window(since="2021-01-01")).sections
        if s.title == "What changed since the previous period"
    ]
    assert changed.sentences[0].startswith("Comparing the ")
    assert all(html.escape(s) in text for s in changed.sentences)
    page.assert_clean()
