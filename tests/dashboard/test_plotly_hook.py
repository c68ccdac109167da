"""Plots load our plotly.js build, through the hook on Dash's private ``_dashPlotlyJSURL``.

``dashboard/assets/plotlyBundle.js`` pins ``window._dashPlotlyJSURL`` to our
build (``assets/vendor/plotly-coalition-*.min.js``, the one that draws under the
content security policy). Dash's renderer sets that variable and dcc.Graph reads
it: both private, so these tests fail if the Dash we pin (constraints.txt)
stops doing so, instead of plots quietly loading Dash's own plotly.js.
"""

from __future__ import annotations

import re
from pathlib import Path

import dash
import pytest

# The browser fixtures, served over the sample dataset by the production server.
from .test_browser import base_url, browser, context, page, sample_coalition  # noqa: F401

VENDOR = Path(__file__).resolve().parents[2] / "dashboard" / "assets" / "vendor"
DASH = Path(dash.__file__).resolve().parent


def test_our_build_is_the_one_the_hook_names():
    (bundle,) = VENDOR.glob("plotly-coalition-*.min.js")
    hook = (VENDOR.parent / "plotlyBundle.js").read_text(encoding="utf-8")
    assert f'"/assets/vendor/{bundle.name}"' in hook


def test_the_pinned_dash_still_goes_through_the_variable():
    renderer = (DASH / "dash-renderer" / "build" / "dash_renderer.min.js").read_text()
    graph = (DASH / "dcc" / "dash_core_components.js").read_text()
    assert "window._dashPlotlyJSURL=" in renderer
    assert "r.src=window._dashPlotlyJSURL" in graph or "src=window._dashPlotlyJSURL" in graph


@pytest.mark.browser
def test_a_page_with_a_plot_loads_our_plotly_build_not_dashs(page):  # noqa: F811
    scripts: list[str] = []
    page.page.on(
        "request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None
    )
    page.open("/movements")
    page.page.wait_for_selector("#movements-heatmap .heatmaplayer")
    ours = [u for u in scripts if re.search(r"/assets/vendor/plotly-coalition-[\d.]+\.min\.js$", u)]
    dashs = [u for u in scripts if "plotly/package_data/plotly" in u]
    assert len(ours) == 1 and dashs == []
    assert page.page.evaluate("() => window._dashPlotlyJSURL") == ours[0]
    assert page.page.evaluate("() => typeof window.Plotly.react") == "function"
    page.assert_clean()
