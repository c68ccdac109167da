"""Dashboard benchmark: every page's first render and its interactions, in a real browser.

Reproduce with::

    .venv/bin/python benchmarks/bench_dashboard.py                 # 10,000 groups and the sample
    .venv/bin/python benchmarks/bench_dashboard.py --append docs/benchmarks.md

It generates the 10,000-group dataset (``loaders.generate.generate(groups=10000,
members=100000, seed=7)``) and loads it and ``sample_data/`` into an embedded
store of its own (``--home``, a temporary ``COALITION_HOME`` by default, its
store stopped at the end), serves the dashboard in this process (the production
server, waitress, in a thread, as the tests do) with ``create_app(..., warm=True)``,
waits until the data are warm, and drives Debian's Chromium through Playwright:

- **first render**: for each page, in a fresh browser context (nothing
  cached), the time from the start of the navigation to the page's main
  content being visible (the network drawn, the grid's rows, the chart's
  bars...), over ``--reps`` repetitions;
- **interactions**: about twenty per interactive page — filters, clicks on
  nodes, cells and bars, sorting and filtering the grid — each timed from the
  action to the updated content.

Targets (DESIGN: issue 5): each page's first render under 3 s once the server
is warm; interactions under 1 s at the 95th percentile. Prints a Markdown
section; ``--append FILE`` appends it to the end of that file (it never
rewrites the file; it refuses if a "## Dashboard" section is already there).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from benchmarks.serving import in_thread, wsgi_server  # noqa: E402
from graph.schema import GROUP, MARK  # noqa: E402

COMMAND = ".venv/bin/python benchmarks/bench_dashboard.py"
SECTION = "## Dashboard"
FIRST_RENDER_TARGET = 3.0
INTERACTION_TARGET = 1.0
TIMEOUT_MS = 120_000
ACTION_TIMEOUT_MS = 30_000

log = logging.getLogger("bench_dashboard")


# -- the data -------------------------------------------------------------------------------
#: The groups the product wrote (a database loaded before it marked its data has none).
MARKED_GROUPS = f"MATCH (g:{GROUP}) WHERE g.{MARK} IS NOT NULL RETURN count(g) AS n"


def prepare(home: Path, groups: int, members: int, seed: int, skip_big: bool) -> dict[str, object]:
    """Load the sample and the generated dataset into databases of their own; their configs."""
    from graph.store import StoreConfig, open_store
    from loaders.generate import generate
    from loaders.load import load_dataset

    configs = {"sample": StoreConfig(home=str(home), database="bench_sample")}
    datasets = {"sample": ROOT / "sample_data"}
    if not skip_big:
        folder = home / f"generated-{groups}-{members}-{seed}"
        if not (folder / "groups.csv").exists():
            log.info("generating %s groups, %s members (seed %s)", groups, members, seed)
            generate(folder, groups=groups, members=members, seed=seed)
        key = f"{groups:,} groups"
        configs[key] = StoreConfig(home=str(home), database=f"bench_{groups}_{members}_{seed}")
        datasets[key] = folder
    for key, config in configs.items():
        expected = sum(1 for _ in open(datasets[key] / "groups.csv", encoding="utf-8")) - 1
        with open_store(config) as store:
            have = store.run(MARKED_GROUPS)[0]["n"]
            if have != expected:
                log.info("loading %s into the embedded store (%s)", key, config.database)
                start = time.perf_counter()
                # adopt: a database loaded before the product marked its data
                load_dataset(datasets[key], store, adopt=True)
                log.info("loaded %s in %.0f s", key, time.perf_counter() - start)
    return configs


@contextlib.contextmanager
def serve(config) -> Iterator[tuple[str, object]]:
    """The dashboard over ``config``, warming, on a free local port: (url, data source)."""
    from dashboard.app import create_app
    from dashboard.data import DATA_KEY

    app = create_app(config, warm=True)
    source = app.server.config[DATA_KEY]
    try:
        with in_thread(wsgi_server(app.server)) as url:
            yield url, source
    finally:
        source.close()


def wait_warm(source, timeout: float = 600) -> float:
    """Seconds until every derived value of the whole-coalition window is ready."""
    from dashboard.data import Snapshot

    start = time.perf_counter()
    snap = source.snapshot()
    for name in Snapshot.DERIVED:
        snap.get(name, wait=timeout)
    return time.perf_counter() - start


# -- measuring --------------------------------------------------------------------------------
@dataclass
class Timings:
    first: dict[str, list[float]] = field(default_factory=dict)
    actions: dict[str, list[float]] = field(default_factory=dict)
    labels: dict[str, list[str]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    warm: float = 0.0
    groups: int = 0
    ties: int = 0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


#: page -> (path, JavaScript condition meaning "its main content is visible")
def page_checks(sample: dict) -> dict[str, tuple[str, str]]:
    drawn = (
        "(() => { const s = document.querySelector('#network-status [data-nodes]');"
        " const el = document.getElementById('network-graph');"
        " return s && el && el._cyreg && el._cyreg.cy.nodes().length === Number(s.dataset.nodes)"
        " && el.offsetParent !== null; })()"
    )
    return {
        "Overview": (
            "/",
            "!!document.querySelector('.kpi-value') && "
            "!!document.querySelector('#overview-bridges table')",
        ),
        "Network": ("/network", drawn),
        "Movements": (
            "/movements",
            "!!document.querySelector('#movements-heatmap .heatmaplayer')"
            " && !!document.querySelector('#movements-ei table')",
        ),
        "Brokers": ("/brokers", "!!document.querySelector('#brokers-grid .ag-row')"),
        "Timeline": ("/timeline", "!!document.querySelector('#timeline-chart .barlayer .point')"),
        "Paths": (
            f"/paths?a={sample['a']}&b={sample['b']}",
            "!!document.querySelector('.path-summary, #paths-result .notice-info')",
        ),
        "What if": (
            f"/whatif?remove={sample['remove']}",
            "!!document.querySelector('.whatif-removed') && "
            "!!document.querySelector('#whatif-ranking table')",
        ),
        "Solidarity": (
            "/solidarity",
            "!!document.querySelector('#solidarity-chart .heatmaplayer')"
            " && !!document.querySelector('#solidarity-pairs table')",
        ),
        "Bridges": (
            "/bridges",
            "!!document.querySelector('#bridges-fragile li.bridge-link, #bridges-fragile p')"
            " && !!document.querySelector('#bridges-introductions li, #bridges-introductions p')",
        ),
    }


def first_renders(browser, url: str, checks: dict, reps: int, timings: Timings) -> None:
    for rep in range(reps):
        for name, (path, ready) in checks.items():
            context = browser.new_context(viewport={"width": 1500, "height": 1000})
            page = context.new_page()
            try:
                start = time.perf_counter()
                page.goto(url + path, wait_until="commit")
                page.wait_for_function(as_function(ready), timeout=TIMEOUT_MS)
                took = time.perf_counter() - start
                timings.first.setdefault(name, []).append(took)
                log.info("first render %-10s rep %d: %.2f s", name, rep + 1, took)
            except Exception as exc:
                timings.failures.append(f"first render of {name}: {exc}")
                log.warning("first render of %s failed: %s", name, exc)
            finally:
                context.close()


def as_function(condition: str) -> str:
    """A JavaScript condition as a function (the page's CSP forbids evaluating expressions)."""
    return condition if condition.lstrip().startswith("() =>") else f"() => ({condition})"


def timed(
    page, timings: Timings, page_name: str, label: str, act: Callable[[], None], done
) -> None:
    """Run ``act`` and wait for ``done`` (a JS condition or a callable); record the time."""
    start = time.perf_counter()
    try:
        act()
        if callable(done):
            done()
        else:
            page.wait_for_function(as_function(done), timeout=ACTION_TIMEOUT_MS)
        took = time.perf_counter() - start
        timings.actions.setdefault(page_name, []).append(took)
        timings.labels.setdefault(page_name, []).append(label)
        log.info("%-10s %-40s %.3f s", page_name, label, took)
    except Exception as exc:
        timings.failures.append(f"{page_name}: {label}: {exc}".splitlines()[0])
        log.warning("%s: %s failed: %s", page_name, label, exc)


def status_changed(page, before: str) -> str:
    return (
        "(() => { const s = document.querySelector('#network-status [data-nodes]');"
        " const el = document.getElementById('network-graph');"
        f" return s && s.parentElement.innerText !== {before!r}"
        " && el._cyreg.cy.nodes().length === Number(s.dataset.nodes); })()"
    )


def status_text(page) -> str:
    return page.inner_text("#network-status")


def network_interactions(page, url: str, timings: Timings, sample: dict) -> None:
    page.goto(url + "/network")
    page.wait_for_function(as_function(page_checks(sample)["Network"][1]), timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")  # the page has finished loading: a person acts now

    def change(label: str, act: Callable[[], None]) -> None:
        before = status_text(page)
        timed(page, timings, "Network", label, act, status_changed(page, before))

    def min_weight(w: int) -> Callable[[], None]:
        def act():
            page.fill("#network-min-weight", str(w))
            page.press("#network-min-weight", "Enter")

        return act

    for w in (2, 3, 5, 8, 1):
        change(f"minimum weight {w}", min_weight(w))
    for tie in ("shared members", "shared resources"):
        change(f"untick {tie}", lambda tie=tie: page.get_by_label(tie).uncheck())
        change(f"tick {tie}", lambda tie=tie: page.get_by_label(tie).check())
    change(
        "search",
        lambda: (
            page.fill("#network-search", sample["word"]),
            page.press("#network-search", "Enter"),
        ),
    )
    change(
        "clear the search",
        lambda: (page.fill("#network-search", ""), page.press("#network-search", "Enter")),
    )
    for i in range(4):
        target = page.evaluate(
            """(i) => { const cy = document.getElementById('network-graph')._cyreg.cy;
              const nodes = cy.nodes().sort((a, b) => b.data('size') - a.data('size'));
              const n = nodes[i * 7]; const box = cy.container().getBoundingClientRect();
              const p = n.renderedPosition();
              return {name: n.data('name'), x: box.left + p.x, y: box.top + p.y}; }""",
            i,
        )
        timed(
            page,
            timings,
            "Network",
            "click a group: its panel",
            lambda t=target: page.mouse.click(t["x"], t["y"]),
            "(() => { const t = document.querySelector('.detail-title');"
            " return t && !document.querySelector('#network-detail .notice-pending')"
            " && t.innerText.length > 0 && t.dataset.seen !== '1'; })()",
        )
        page.evaluate(
            "() => { const t = document.querySelector('.detail-title');"
            " if (t) t.dataset.seen = '1'; }"
        )
    if not page.is_disabled("#network-ego-button"):
        change("focus on the group (ego view)", lambda: page.click("#network-ego-button"))
        change("2 hops", lambda: page.get_by_label("2 hops").check())
        change("whole network", lambda: page.click("#network-clear-focus"))
    change("movements as nodes", lambda: page.get_by_label("Movements as nodes").check())
    change("groups", lambda: page.get_by_label("Groups", exact=True).check())
    timed(
        page,
        timings,
        "Network",
        "all groups as points",
        lambda: page.get_by_label("All groups as points").check(),
        "(() => { const s = document.querySelector('#network-status [data-view=\"points\"]');"
        " const gd = document.querySelector('#network-points .js-plotly-plot');"
        " if (!s || !gd || !gd._fullData || !gd.querySelector('.gl-canvas-context')) return false;"
        " return gd._fullData.filter(t => t.type === 'scattergl' && t.mode === 'markers'"
        " && t.name !== 'matches').reduce((n, t) => n + t.x.length, 0)"
        " >= Number(s.dataset.groups); })()",
    )


def movements_interactions(page, url: str, timings: Timings, sample: dict) -> None:
    page.goto(url + "/movements")
    page.wait_for_function(as_function(page_checks(sample)["Movements"][1]), timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")  # the page has finished loading: a person acts now
    click_cells(page, timings, "Movements", "#movements-heatmap", ".pair-groups", "its groups")
    heading = "document.querySelector('#movements-heatmap').innerText.includes({!r})"
    ties = ("Shared members", "Joint actions", "Shared resources", "Ties (pairs of tied groups)")
    for label in ties:
        expected = "Ties (pairs" if label.startswith("Ties") else label + " between movements"
        timed(
            page,
            timings,
            "Movements",
            f"tie type: {label}",
            lambda label=label: page.get_by_label(label).check(),
            heading.format(expected),
        )


def click_cells(
    page, timings: Timings, name: str, chart: str, block: str, what: str, upper: bool = True
) -> None:
    """Click 14 cells of a heatmap spread over it, each timed until ``block`` is new."""
    n = page.evaluate(
        f"() => document.querySelector('{chart} .js-plotly-plot')._fullLayout.xaxis._categories"
        ".length"
    )
    cells = [(i, j) for i in range(n) for j in range(i if upper else 0, n)]
    cells = cells[:: max(1, len(cells) // 14)]
    for k, (i, j) in enumerate(cells[:14]):
        spot = page.evaluate(
            """([row, column, chart]) => {
              const gd = document.querySelector(chart + ' .js-plotly-plot');
              const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
              const box = gd.getBoundingClientRect();
              return {x: box.left + xa._offset + xa.c2p(column),
                      y: box.top + ya._offset + ya.c2p(row)}; }""",
            [i, j, chart],
        )
        page.evaluate(
            f"() => document.querySelectorAll('{block}').forEach(e => e.dataset.seen = '1')"
        )
        timed(
            page,
            timings,
            name,
            f"click cell {k + 1}: {what}",
            lambda s=spot: page.mouse.click(s["x"], s["y"]),
            f"(() => {{ const b = document.querySelector('{block}');"
            " return b && b.dataset.seen !== '1'; })()",
        )


def solidarity_interactions(page, url: str, timings: Timings, sample: dict) -> None:
    """Cells of the from × to matrix (the actions behind a flow), then a movement filter."""
    page.goto(url + "/solidarity")
    page.wait_for_function(as_function(page_checks(sample)["Solidarity"][1]), timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    click_cells(
        page,
        timings,
        "Solidarity",
        "#solidarity-chart",
        ".flow-items",
        "what is behind it",
        upper=False,
    )
    before = page.inner_text("#solidarity-headline")
    page.click("#solidarity-movements")
    option = page.get_by_role("option").first
    option.wait_for(timeout=ACTION_TIMEOUT_MS)
    timed(
        page,
        timings,
        "Solidarity",
        "filter: one movement",
        option.click,
        lambda: page.wait_for_function(
            "(before) => document.querySelector('#solidarity-headline').innerText !== before"
            " && location.search.includes('movements=')",
            arg=before,
            timeout=ACTION_TIMEOUT_MS,
        ),
    )
    page.keyboard.press("Escape")


def bridges_interactions(page, url: str, timings: Timings, sample: dict) -> None:
    """Movement filters (each one movement, then back to all) and a new date window."""
    page.goto(url + "/bridges")
    page.wait_for_function(as_function(page_checks(sample)["Bridges"][1]), timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    for k in range(3):
        before = page.inner_text("#bridges-headline")
        page.click("#bridges-movements")
        option = page.get_by_role("option").nth(k)
        option.wait_for(timeout=ACTION_TIMEOUT_MS)
        timed(
            page,
            timings,
            "Bridges",
            f"filter: movement {k + 1}",
            option.click,
            lambda before=before: page.wait_for_function(
                "(before) => document.querySelector('#bridges-headline').innerText !== before",
                arg=before,
                timeout=ACTION_TIMEOUT_MS,
            ),
        )
        page.keyboard.press("Escape")
        page.goto(url + "/bridges")
        page.wait_for_function(as_function(page_checks(sample)["Bridges"][1]), timeout=TIMEOUT_MS)


def brokers_interactions(page, url: str, timings: Timings, sample: dict) -> None:
    page.goto(url + "/brokers")
    page.wait_for_function(as_function(page_checks(sample)["Brokers"][1]), timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")  # the page has finished loading: a person acts now
    page.evaluate("async () => { window.__grid = await dash_ag_grid.getApiAsync('brokers-grid'); }")
    # The first row's group as drawn (the pinned name column is always in the page), once
    # the grid's first row is that of its model: the table shows the new order.
    first_cell = (
        "() => { const row = window.__grid.getDisplayedRowAtIndex(0);"
        " const c = document.querySelector('#brokers-grid .ag-pinned-left-cols-container"
        ' .ag-row[row-index="0"] [col-id="name"]\');'
        " return row && c && c.innerText === String(row.data.name) ? row.data.group_id : null; }"
    )
    for column in (
        "degree",
        "strength",
        "participation",
        "pagerank",
        "constraint",
        "betweenness",
        "ei_index",
        "eigenvector",
    ):
        page.evaluate(
            "async (c) => (await dash_ag_grid.getApiAsync('brokers-grid')).ensureColumnVisible(c)",
            column,
        )
        header = page.locator(
            f"#brokers-grid .ag-header-cell[col-id='{column}'] .ag-header-cell-label"
        )
        header.wait_for()
        timed(
            page,
            timings,
            "Brokers",
            f"sort by {column}",
            header.click,
            # sorted by this column, and the first row drawn is the first of that order
            "(() => { const h = document.querySelector("
            f"'#brokers-grid .ag-header-cell[col-id=\"{column}\"]');"
            " const sort = h && h.getAttribute('aria-sort');"
            f" return sort && sort !== 'none' && ({first_cell})() !== null; }})()",
        )
    page.evaluate("() => window.__grid.ensureColumnVisible('group_id')")
    name_filter = page.locator("#brokers-grid .ag-floating-filter[col-id='group_id'] input")
    name_filter.wait_for()
    for term in sample["filters"]:
        timed(
            page,
            timings,
            "Brokers",
            f"filter ids: {term!r}",
            lambda t=term: name_filter.fill(t),
            "(() => { const rows = document.querySelectorAll("
            "'#brokers-grid .ag-center-cols-container .ag-row [col-id=\"group_id\"]');"
            f" const n = window.__grid.getDisplayedRowCount(); return n > 0 && rows.length"
            f" === Math.min(n, 25) && [...rows].every(r => r.innerText.includes({term!r})); }})()",
        )
    name_filter.fill("")
    for _ in range(3):

        def download():
            with page.expect_download() as info:
                page.click("#brokers-download")
            info.value.path()

        timed(page, timings, "Brokers", "download the CSV", download, lambda: None)


def timeline_interactions(page, url: str, timings: Timings, sample: dict) -> None:
    page.goto(url + "/timeline")
    page.wait_for_function(as_function(page_checks(sample)["Timeline"][1]), timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")  # the page has finished loading: a person acts now
    for period in ("Quarter", "Month", "Year"):
        timed(
            page,
            timings,
            "Timeline",
            f"per {period.lower()}",
            lambda p=period: page.get_by_label(p).check(),
            f"document.querySelector('#timeline-chart').innerText.includes('per {period.lower()}')",
        )
    bars = page.locator("#timeline-chart .cartesianlayer .barlayer .trace:first-child .point")
    seen: set[int] = set()
    for k in range(12):
        boxes = [bars.nth(i).bounding_box() for i in range(bars.count())]
        usable = [i for i, b in enumerate(boxes) if b and b["height"] > 4 and i not in seen]
        if not usable:
            break
        index = usable[(k * 5) % len(usable)]
        seen.add(index)
        box = boxes[index]
        page.evaluate(
            "() => document.querySelectorAll('.period-actions').forEach(e => e.dataset.seen = '1')"
        )
        timed(
            page,
            timings,
            "Timeline",
            f"click bar {index}: its actions",
            lambda b=box: page.mouse.click(b["x"] + b["width"] / 2, b["y"] + b["height"] / 2),
            "(() => { const b = document.querySelector('.period-actions');"
            " return b && b.dataset.seen !== '1'; })()",
        )
    for label in ("1 y", "3 y", "5 y", "all"):
        before = page.evaluate(
            "() => JSON.stringify(document.querySelector("
            "'#timeline-chart .js-plotly-plot')._fullLayout.xaxis.range)"
        )
        timed(
            page,
            timings,
            "Timeline",
            f"range selector {label}",
            lambda lab=label: page.click(f"#timeline-chart .rangeselector .button >> text={lab}"),
            "JSON.stringify(document.querySelector('#timeline-chart .js-plotly-plot')"
            f"._fullLayout.xaxis.range) !== {before!r}",
        )


def whatif_interactions(page, url: str, timings: Timings, sample: dict) -> None:
    page.goto(url + "/whatif")
    page.wait_for_selector("#whatif-ranking table", timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    links = page.locator("#whatif-ranking tbody tr a")
    ranked = min(10, links.count())
    for k in range(ranked):
        name = links.nth(k).inner_text()
        timed(
            page,
            timings,
            "What if",
            f"remove ranked group {k + 1}",
            lambda k=k: page.locator("#whatif-ranking tbody tr a").nth(k).click(),
            f"(() => {{ const r = document.querySelector('.whatif-removed');"
            f" return r && r.innerText === {('Leaving: ' + name)!r}; }})()",
        )
    # ...then more groups leave, chosen in the dropdown (searched by id), one at a time.
    for gid in sample["leaving"][: max(4, 12 - ranked)]:
        option = searched_option(page, "#whatif-remove", gid)
        timed(
            page,
            timings,
            "What if",
            f"{gid} leaves too",
            option.click,
            f"(() => {{ const r = document.querySelector('.whatif-removed');"
            f" return r && location.search.includes({gid!r}); }})()",
        )
        page.keyboard.press("Escape")


def searched_option(page, dropdown: str, gid: str):
    """Open a group dropdown, search it for ``gid`` and wait for that group's option."""
    page.click(dropdown)
    page.locator(".dash-dropdown-content .dash-dropdown-search").fill(gid)
    option = page.get_by_role("option", name=f"({gid})", exact=False).first
    option.wait_for(timeout=ACTION_TIMEOUT_MS)
    return option


def window_interactions(page, url: str, timings: Timings, sample: dict) -> None:
    """A new date window on the network page: the graph of that window is built on demand."""
    page.goto(url + "/network")
    page.wait_for_function(as_function(page_checks(sample)["Network"][1]), timeout=TIMEOUT_MS)
    page.wait_for_load_state("networkidle")
    for since in sample["windows"]:
        before = status_text(page)
        timed(
            page,
            timings,
            "Network, new date window",
            f"since {since}",
            lambda since=since: (
                page.fill("#network-since", since),
                page.press("#network-since", "Enter"),
            ),
            "(() => { const s = document.querySelector('#network-status [data-nodes]');"
            " const el = document.getElementById('network-graph');"
            f" return s && s.parentElement.innerText !== {before!r}"
            " && el._cyreg.cy.nodes().length === Number(s.dataset.nodes); })()",
        )


def paths_interactions(page, url: str, timings: Timings, sample: dict) -> None:
    page.goto(url + f"/paths?a={sample['a']}")
    page.wait_for_selector("#paths-result p", timeout=TIMEOUT_MS)
    for b in sample["targets"]:
        option = searched_option(page, "#paths-target", b)
        timed(
            page,
            timings,
            "Paths",
            f"choose {b}: the paths",
            option.click,
            f"(() => {{ const s = document.querySelector('.path-summary, #paths-result .notice');"
            f" return s && location.search.includes({('b=' + b)!r}); }})()",
        )


def measure(url: str, source, chromium: str, reps: int, skip_interactions: bool) -> Timings:
    from playwright.sync_api import sync_playwright

    timings = Timings()
    timings.warm = wait_warm(source)
    snap = source.snapshot()
    G = snap.graph
    timings.groups, timings.ties = G.number_of_nodes(), G.number_of_edges()
    sample = choose(snap)
    log.info("warm after %.1f s: %s groups, %s ties", timings.warm, timings.groups, timings.ties)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            first_renders(browser, url, page_checks(sample), reps, timings)
            if not skip_interactions:
                context = browser.new_context(
                    viewport={"width": 1500, "height": 1000}, accept_downloads=True
                )
                page = context.new_page()
                page.set_default_timeout(TIMEOUT_MS)
                for run in (
                    network_interactions,
                    movements_interactions,
                    brokers_interactions,
                    timeline_interactions,
                    paths_interactions,
                    whatif_interactions,
                    window_interactions,
                    solidarity_interactions,
                    bridges_interactions,
                ):
                    try:
                        run(page, url, timings, sample)
                    except Exception as exc:
                        timings.failures.append(f"{run.__name__}: {exc}".splitlines()[0])
                        log.warning("%s failed: %s", run.__name__, exc)
                context.close()
        finally:
            browser.close()
    return timings


def choose(snap) -> dict:
    """Groups to use in the measurements, picked from the data (stable from run to run)."""
    import networkx as nx

    G = snap.graph
    by_degree = sorted(G, key=lambda g: (-G.degree(g), str(g)))
    a = by_degree[len(by_degree) // 2]
    far = nx.single_source_shortest_path_length(G, a)
    ends = sorted(far, key=lambda g: (-far[g], str(g)))
    targets = [ends[k * 3] for k in range(8)]
    starts = sorted(
        a.get("start_date") for a in snap.coalition.actions.values() if a.get("start_date")
    )
    windows = [starts[len(starts) * k // 4][:10] for k in (1, 2, 3)]
    names = [str(snap.group_names[g]) for g in by_degree[:50]]
    word = max(
        {w for n in names for w in n.split() if len(w) > 4} or {"a"},
        key=lambda w: (sum(w.casefold() in n.casefold() for n in names), w),
    )
    ids = sorted(G, key=str)
    return {
        "a": a,
        "b": ends[0],
        "remove": by_degree[0],
        "targets": targets,
        "leaving": [by_degree[k * 53 % len(by_degree)] for k in range(1, 12)],
        "windows": windows,
        "word": word,
        "filters": [str(ids[len(ids) // 3])[:-1], str(ids[-1])[:-2], str(ids[1])],
    }


# -- reporting --------------------------------------------------------------------------------
def markdown(results: dict[str, Timings], options) -> str:
    when = dt.date.today().isoformat()
    cpus = os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    lines = [
        SECTION,
        "",
        f"Measured {when} on this machine: {cpus} CPUs ({platform.machine()}, Python "
        f"{platform.python_version()}, Linux {platform.release()}), Debian's Chromium "
        f"headless through Playwright. Load average at the end: {load}; other engineers' "
        "work shared the two cores, so single times vary.",
        "",
        "Reproduce with:",
        "",
        "```",
        COMMAND + (f" --reps {options.reps}" if options.reps != 3 else ""),
        "```",
        "",
        "The dashboard is served in the benchmark's process (waitress, threaded) over an "
        "embedded store of its own, built with `create_app(..., warm=True)`; timing starts "
        "once its data are warm. *First render*: a fresh browser context per repetition "
        "(nothing cached), from the start of navigation to the page's main content visible "
        "(network drawn, grid rows, chart bars...). *Interactions*: filter changes, clicks "
        "on nodes, matrix cells and bars, grid sorting and filtering, CSV downloads, "
        "what-if removals and new paths, each from the action to the updated content. "
        "*New date window*: a date typed into the network page's *Since*; the coalition "
        "graph of that window is built then (`graph.projection.coalition_ties`, then the "
        "network index; not cached beforehand), and after 2 s the page says so and fills "
        "in by itself. "
        f"Targets: first render under {FIRST_RENDER_TARGET:.0f} s, interactions under "
        f"{INTERACTION_TARGET:.0f} s at the 95th percentile.",
        "",
        "| dataset | page | first render median | first render max | under 3 s | "
        "interactions | median | p95 | p95 under 1 s |",
        "|---|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for dataset, t in results.items():
        for page in dict.fromkeys([*t.first, *t.actions]):
            first = t.first.get(page, [])
            actions = t.actions.get(page, [])
            row = [dataset, page]
            if first:
                row += [
                    f"{statistics.median(first):.2f} s",
                    f"{max(first):.2f} s",
                    "yes" if max(first) < FIRST_RENDER_TARGET else "**no**",
                ]
            else:
                row += ["", "", ""]
            if actions:
                p95 = percentile(actions, 0.95)
                row += [
                    str(len(actions)),
                    f"{statistics.median(actions):.2f} s",
                    f"{p95:.2f} s",
                    "yes" if p95 < INTERACTION_TARGET else "**no**",
                ]
            else:
                row += ["", "", "", ""]
            lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    for dataset, t in results.items():
        lines.append(
            f"- {dataset}: {t.groups:,} groups, {t.ties:,} ties; the data were warm "
            f"{t.warm:.1f} s after the server started (reading the store, the graph, "
            "the network index and the whole metric suite, in the background)."
        )
        for page, values in t.actions.items():
            worst = max(range(len(values)), key=values.__getitem__)
            if values[worst] >= INTERACTION_TARGET:
                lines.append(
                    f"  - {page}: slowest interaction “{t.labels[page][worst]}”, "
                    f"{values[worst]:.2f} s."
                )
        for failure in t.failures:
            lines.append(f"  - failed: {failure}")
    lines.append("")
    return "\n".join(lines)


def append_section(path: Path, text: str) -> None:
    """Append ``text`` to the end of ``path``; refuse if the section is already there."""
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    if any(line.strip() == SECTION for line in existing.splitlines()):
        raise SystemExit(f"{path} already has a {SECTION!r} section; remove it first")
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(("\n" if existing and not existing.endswith("\n\n") else "") + text)


@contextlib.contextmanager
def bench_home(home: str | None, name: str) -> Iterator[Path]:
    """The ``COALITION_HOME`` of a benchmark: ``home`` (kept) or a temporary one
    (removed at the end); ``NEO4J_URI`` is set aside, and the embedded store
    started there is stopped at the end."""
    temporary = home is None
    path = Path(home or tempfile.mkdtemp(prefix=f"coalition-bench-{name}-"))
    os.environ["COALITION_HOME"] = str(path)
    os.environ.pop("NEO4J_URI", None)
    from graph.store.embedded import EmbeddedStore

    try:
        yield path
    finally:
        EmbeddedStore(path).stop()
        if temporary:
            shutil.rmtree(path, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reps", type=int, default=3, help="First renders per page.")
    parser.add_argument("--home", help="COALITION_HOME to use (kept); a temporary one if not.")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--sample-only", action="store_true", help="Skip the generated dataset.")
    parser.add_argument("--skip-interactions", action="store_true")
    parser.add_argument("--append", metavar="FILE", help="Append the section to FILE.")
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    with bench_home(options.home, "dashboard") as home:
        configs = prepare(home, options.groups, options.members, options.seed, options.sample_only)
        results: dict[str, Timings] = {}
        for key in configs:
            log.info("measuring %s", key)
            with serve(configs[key]) as (url, source):
                results[key] = measure(
                    url, source, options.chromium, options.reps, options.skip_interactions
                )
        text = markdown(dict(reversed(list(results.items()))), options)
        print(text)
        if options.append:
            append_section(Path(options.append), text)


if __name__ == "__main__":
    main()
