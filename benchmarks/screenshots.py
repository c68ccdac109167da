"""Screenshots of the dashboard's pages and of the brief's first page, for the docs.

Usage::

    # against a dashboard that is already running
    python benchmarks/screenshots.py --url http://127.0.0.1:8050

    # or serve the configured store (NEO4J_* / COALITION_HOME) just for this
    COALITION_HOME=.coalition python benchmarks/screenshots.py

Writes ``docs/img/network.png``, ``docs/img/movements.png``,
``docs/img/solidarity.png``, ``docs/img/trends.png``, ``docs/img/bridges.png`` and
``docs/img/brief.png`` (the brief downloaded from the overview, its first page as
printed on A4). Uses Debian's
Chromium (``--chromium``) through Playwright; waits for each page's content,
never for a fixed time.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from benchmarks.serving import in_thread, wsgi_server  # noqa: E402

OUT = ROOT / "docs" / "img"
#: (file, path, selector that means "drawn"): the network with a group's panel open (ties of
#: weight 2 and more, few enough to draw them all), the matrix with a cell's groups listed.
SHOTS = (
    ("network.png", "/network?min_weight=2&group=G0005", ".detail-title"),
    ("movements.png", "/movements?cell=blm,housing", ".pair-groups"),
    ("solidarity.png", "/solidarity?cell=metoo,labour", ".flow-items"),
    ("trends.png", "/trends?cell=2025-01-01,blm,housing", ".trend-cell"),
    ("bridges.png", "/bridges?movements=queer", "#bridges-introductions li.introduction"),
)
#: The brief's first page: downloaded from the overview, shown at A4 width (96 px per inch).
BRIEF = ("brief.png", {"width": 794, "height": 1123})

log = logging.getLogger("screenshots")


@contextlib.contextmanager
def serve_configured_store() -> Iterator[str]:
    """Serve the dashboard of the configured store on a free local port."""

    from dashboard.app import create_app
    from graph.store import StoreConfig

    app = create_app(StoreConfig.from_env(), warm=True)
    with in_thread(wsgi_server(app.server)) as url:
        yield url


def take(url: str, out: Path, chromium: str, width: int, height: int) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": width, "height": height}, accept_downloads=True)
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(str(e)))
        for name, path, ready in SHOTS:
            page.goto(url.rstrip("/") + path, wait_until="networkidle")
            page.wait_for_selector(ready, timeout=120_000)
            if path.startswith("/network"):
                # Cytoscape has drawn when it reports as many nodes as the status line.
                page.wait_for_function(
                    "() => { const s = document.querySelector('#network-status [data-nodes]');"
                    " const el = document.getElementById('network-graph');"
                    " return el._cyreg && el._cyreg.cy.nodes().length"
                    " === Number(s.dataset.nodes); }"
                )
            page.wait_for_load_state("networkidle")
            target = out / name
            page.screenshot(path=str(target), full_page=True)
            written.append(target)
            log.info("wrote %s", target)
        written.append(brief_page(page, url, out))
        browser.close()
    if errors:
        raise SystemExit("browser errors: " + "; ".join(errors))
    return written


def brief_page(page, url: str, out: Path) -> Path:
    """Download the brief from the overview and take its first page as printed."""
    import tempfile

    page.goto(url.rstrip("/") + "/", wait_until="networkidle")
    page.wait_for_selector(".kpi-value", timeout=120_000)
    with page.expect_download(timeout=300_000) as info:
        page.click("#overview-brief")
    with tempfile.TemporaryDirectory() as folder:
        brief = Path(folder) / "brief.html"
        info.value.save_as(brief)
        name, viewport = BRIEF
        page.set_viewport_size(viewport)
        page.goto(brief.as_uri())
        page.emulate_media(media="print")
        target = out / name
        page.screenshot(path=str(target))
    log.info("wrote %s", target)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="a running dashboard; default: serve the configured store")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs")
    parser.add_argument("--chromium", default=CHROMIUM, help="Chromium executable")
    parser.add_argument("--width", type=int, default=1500)
    parser.add_argument("--height", type=int, default=1000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    if args.url:
        take(args.url, args.out, args.chromium, args.width, args.height)
    else:
        with serve_configured_store() as url:
            take(url, args.out, args.chromium, args.width, args.height)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
