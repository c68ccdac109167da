"""Check a plotly.js bundle under a strict Content-Security-Policy in headless Chromium.

Usage::

    python benchmarks/plotly_bundle_check.py dashboard/assets/vendor/plotly-coalition-4.1.1.min.js
    python benchmarks/plotly_bundle_check.py BUNDLE --json out.json --screenshot shot.png

Serves a small page from 127.0.0.1 with ``Content-Security-Policy: script-src 'self'`` (no
'unsafe-eval', no 'unsafe-inline'; every script is a separate file) that loads BUNDLE and
plots a 10,000-point ``scattergl`` (zoomed in and out, plus a few smaller scattergl variants:
lines with fill and error bars, text, a selection), a ``bar``, a ``heatmap`` and an SVG
``scatter``. It passes when

* every trace type of plotly's cartesian partial bundle and ``scattergl`` is registered,
* no ``securitypolicyviolation`` event fired and the browser logged no error,
* each scattergl plot is really drawn by WebGL: the full trace type is ``scattergl``, the
  subplot has its regl ``_scene``, no ``.no-webgl`` message is shown and the WebGL canvas
  holds painted pixels,
* the bar, heatmap and scatter plots drew their SVG shapes.

It then times ``Plotly.newPlot`` into a fresh div (call to promise resolved, and to the next
painted frame) of N points as ``scattergl`` and as SVG ``scatter``, median of ``--runs``
each (with a ``--settle-ms`` pause after each), and likewise ``Plotly.react`` with new y
values on a plot already drawn.

Exit status: 0 when all checks pass, 1 when any check fails (a bundle whose scattergl needs
eval fails here), 2 when WebGL is not available in the browser at all, so nothing could be
checked. Uses Debian's Chromium (``--chromium``) through Playwright.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import functools
import http.server
import json
import statistics
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.serving import in_thread  # noqa: E402

CSP = "script-src 'self'"
#: Headless Chromium renders WebGL with ANGLE on SwiftShader (software). Chromium 156 does so
#: without flags (Playwright adds --enable-unsafe-swiftshader anyway); these ask for it
#: explicitly and keep it allowed where Chromium would otherwise refuse the software fallback.
#: --use-gl=swiftshader without --enable-unsafe-swiftshader leaves Chromium 156 with no WebGL.
GL_ARGS = ["--use-angle=swiftshader", "--enable-unsafe-swiftshader"]
BASE_ARGS = ["--headless", "--no-sandbox", "--disable-quic", "--no-first-run"]
#: Registered by plotly.js' lib/index-cartesian.js (scatter is in the core), plus scattergl.
EXPECTED_TRACES = [
    "scatter",
    "bar",
    "box",
    "heatmap",
    "histogram",
    "histogram2d",
    "histogram2dcontour",
    "contour",
    "scatterternary",
    "violin",
    "image",
    "pie",
    "scattergl",
]

INDEX_HTML = """<!doctype html>
<html><head><meta charset="utf-8"><title>plotly bundle CSP check</title>
<link rel="icon" href="data:,">
<script src="listen.js"></script>
<style>.plot{width:520px;height:340px;display:inline-block;vertical-align:top}</style>
</head><body>
<div id="checks"></div>
<div id="timing"></div>
<script src="plotly.js"></script>
<script src="check.js"></script>
</body></html>
"""

#: Loaded before the bundle, so a violation while the bundle initialises is recorded too.
LISTEN_JS = """
window.__check = {violations: [], errors: [], results: {}, timings: {}, done: false};
document.addEventListener('securitypolicyviolation', function (e) {
  window.__check.violations.push({directive: e.violatedDirective, blocked: e.blockedURI,
    source: e.sourceFile, line: e.lineNumber, sample: e.sample});
});
window.addEventListener('error', function (e) {
  window.__check.errors.push(String(e.message || e));
});
window.addEventListener('unhandledrejection', function (e) {
  var reason = e.reason && (e.reason.stack || e.reason);
  window.__check.errors.push('unhandled rejection: ' + String(reason));
});
"""

CHECK_JS = r"""
(function () {
  var C = window.__check;
  var P = window.__params;
  var N = P.points, RUNS = P.runs;

  function frame() {
    return new Promise(function (r) {
      requestAnimationFrame(function () { requestAnimationFrame(r); });
    });
  }
  function sleep(ms) { return new Promise(function (r) { setTimeout(r, ms); }); }
  function div(parent) {
    var d = document.createElement('div');
    d.className = 'plot';
    document.getElementById(parent).appendChild(d);
    return d;
  }
  // deterministic data
  var seed = 12345;
  function rnd() { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; }
  var xs = [], ys = [], cs = [];
  for (var i = 0; i < N; i++) { xs.push(rnd() * 100); ys.push(rnd() * 100); cs.push(rnd()); }
  var layout = {margin: {l: 40, r: 10, t: 30, b: 30}, showlegend: false};
  function titled(t) { return Object.assign({}, layout, {title: {text: t}}); }

  function webglInfo() {
    var gl = document.createElement('canvas').getContext('webgl');
    if (!gl) return null;
    var d = gl.getExtension('WEBGL_debug_renderer_info');
    return {version: gl.getParameter(gl.VERSION),
            renderer: gl.getParameter(d ? d.UNMASKED_RENDERER_WEBGL : gl.RENDERER)};
  }
  function paintedPixels(canvas) {
    if (!canvas || !canvas.width || !canvas.height) return 0;
    var c = document.createElement('canvas');
    c.width = canvas.width; c.height = canvas.height;
    var ctx = c.getContext('2d');
    ctx.drawImage(canvas, 0, 0);
    var px = ctx.getImageData(0, 0, c.width, c.height).data, n = 0;
    for (var k = 3; k < px.length; k += 4) if (px[k] > 0) n++;
    return n;
  }
  function glState(gd) {
    var sp = gd._fullLayout && gd._fullLayout._plots && gd._fullLayout._plots.xy;
    var canvas = gd.querySelector('.gl-canvas-context');
    return {
      fullType: gd._fullData && gd._fullData[0] && gd._fullData[0].type,
      hasScene: !!(sp && sp._scene),
      hasCanvas: !!canvas,
      canvasSize: canvas ? [canvas.width, canvas.height] : null,
      noWebglShown: !!gd.querySelector('.no-webgl'),
      paintedPixels: paintedPixels(canvas)
    };
  }
  function svgState(gd, selector) {
    return {fullType: gd._fullData && gd._fullData[0] && gd._fullData[0].type,
            shapes: gd.querySelectorAll(selector).length};
  }
  async function run(name, fn) {
    try { C.results[name] = await fn(); }
    catch (e) { C.results[name] = {error: String(e && (e.stack || e))}; }
  }

  async function main() {
    C.webgl = webglInfo();
    if (!window.Plotly) { C.errors.push('window.Plotly is not defined'); return; }
    C.plotlyVersion = Plotly.version;
    try { C.traces = Object.keys(Plotly.PlotSchema.get().traces).sort(); }
    catch (e) { C.errors.push('PlotSchema: ' + e); C.traces = []; }

    await run('scattergl_markers', async function () {
      var gd = div('checks');
      await Plotly.newPlot(gd, [{type: 'scattergl', mode: 'markers', x: xs, y: ys,
        marker: {color: cs, colorscale: 'Viridis', size: 4}}], titled('scattergl ' + N));
      // zoom in and back out: redraws through the same regl commands with new ranges
      await Plotly.relayout(gd, {'xaxis.range': [10, 50], 'yaxis.range': [10, 50]});
      await Plotly.relayout(gd, {'xaxis.autorange': true, 'yaxis.autorange': true});
      await frame();
      return Object.assign({points: gd._fullData[0]._length}, glState(gd));
    });
    await run('scattergl_lines_errorbars', async function () {
      var gd = div('checks');
      var x = [], y = [], e = [];
      for (var i = 0; i < 200; i++) { x.push(i); y.push(Math.sin(i / 10) * 10); e.push(1); }
      await Plotly.newPlot(gd, [{type: 'scattergl', mode: 'lines+markers', x: x, y: y,
        error_y: {type: 'data', array: e}, fill: 'tozeroy'}], titled('scattergl lines'));
      await frame();
      return glState(gd);
    });
    await run('scattergl_text_selection', async function () {
      var gd = div('checks');
      await Plotly.newPlot(gd, [{type: 'scattergl', mode: 'markers+text', x: [1, 2, 3, 4],
        y: [3, 1, 4, 2], text: ['a', 'b', 'c', 'd'], textposition: 'top center',
        marker: {size: 12}}], titled('scattergl text'));
      await Plotly.restyle(gd, {selectedpoints: [[0, 2]]});
      await frame();
      return glState(gd);
    });
    await run('bar', async function () {
      var gd = div('checks');
      await Plotly.newPlot(gd, [{type: 'bar', x: ['a', 'b', 'c'], y: [3, 1, 2]}], titled('bar'));
      return svgState(gd, '.bars .point path');
    });
    await run('heatmap', async function () {
      var gd = div('checks');
      await Plotly.newPlot(gd, [{type: 'heatmap', z: [[1, 2, 3], [3, 2, 1], [2, 3, 1]]}],
        titled('heatmap'));
      return svgState(gd, '.hm image');
    });
    await run('scatter', async function () {
      var gd = div('checks');
      await Plotly.newPlot(gd, [{type: 'scatter', mode: 'lines+markers', x: [1, 2, 3],
        y: [2, 3, 1]}], titled('scatter'));
      return svgState(gd, '.scatterlayer .point');
    });

    // timings: alternate the two kinds so drift hits both alike
    var kinds = {scattergl: [], scatter: []};
    for (var r = 0; r < RUNS; r++) {
      for (var kind in kinds) {
        var gd = div('timing');
        var t0 = performance.now();
        await Plotly.newPlot(gd, [{type: kind, mode: 'markers', x: xs, y: ys,
          marker: {size: 4}}], titled(kind + ' timing'));
        var t1 = performance.now();
        await frame();
        var t2 = performance.now();
        var ok = gd._fullData[0].type === kind && !gd.querySelector('.no-webgl');
        kinds[kind].push({resolved_ms: t1 - t0, painted_ms: t2 - t0, ok: ok});
        Plotly.purge(gd);
        gd.remove();
        // let the browser release the purged plot (its WebGL context above all: a new
        // context made right after one was lost is much slower to set up)
        await sleep(P.settleMs);
      }
    }
    C.timings = kinds;

    // updates: Plotly.react with new y values on a plot that is already drawn (what
    // dcc.Graph does when a callback returns a new figure)
    var updates = {scattergl: [], scatter: []};
    for (var kind2 in updates) {
      var gd2 = div('timing');
      await Plotly.newPlot(gd2, [{type: kind2, mode: 'markers', x: xs, y: ys, marker: {size: 4}}],
        titled(kind2 + ' update'));
      for (var u = 0; u < RUNS; u++) {
        var y2 = ys.map(function (v) { return (v + 7 * (u + 1)) % 100; });
        var s0 = performance.now();
        await Plotly.react(gd2, [{type: kind2, mode: 'markers', x: xs, y: y2, marker: {size: 4}}],
          titled(kind2 + ' update'));
        var s1 = performance.now();
        await frame();
        var s2 = performance.now();
        updates[kind2].push({resolved_ms: s1 - s0, painted_ms: s2 - s0,
          ok: gd2._fullData[0].type === kind2 && !gd2.querySelector('.no-webgl')});
      }
      Plotly.purge(gd2);
      gd2.remove();
    }
    C.updates = updates;
  }

  main().catch(function (e) { C.errors.push('main: ' + String(e && (e.stack || e))); })
    .then(function () { C.done = true; document.documentElement.dataset.checkDone = '1'; });
})();
"""


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", self.server.csp)  # type: ignore[attr-defined]
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@contextlib.contextmanager
def serve(folder: Path, csp: str) -> Iterator[str]:
    handler = functools.partial(_Handler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.csp = csp  # type: ignore[attr-defined]
    with in_thread(server) as url:
        yield url + "/"


def write_page(folder: Path, bundle: Path, points: int, runs: int, settle_ms: int) -> None:
    (folder / "index.html").write_text(INDEX_HTML)
    (folder / "listen.js").write_text(LISTEN_JS)
    params = json.dumps({"points": points, "runs": runs, "settleMs": settle_ms})
    (folder / "check.js").write_text(f"window.__params = {params};\n{CHECK_JS}")
    (folder / "plotly.js").write_bytes(bundle.read_bytes())


def run_page(
    url: str, chromium: str, args: list[str], screenshot: Path | None, timeout_s: float
) -> dict:
    from playwright.sync_api import sync_playwright

    console: list[dict] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=args)
        try:
            page = browser.new_page(viewport={"width": 1700, "height": 1000})
            page.on("console", lambda m: console.append({"type": m.type, "text": m.text}))
            page.on("pageerror", lambda e: console.append({"type": "pageerror", "text": str(e)}))
            page.goto(url, wait_until="load")
            # wait_for_function would eval its predicate in the page, which the CSP refuses
            # (and reports as a violation): wait for the attribute check.js sets instead.
            page.wait_for_selector(
                "html[data-check-done]", state="attached", timeout=timeout_s * 1000
            )
            state = page.evaluate("() => window.__check")
            if screenshot:
                page.screenshot(path=str(screenshot), full_page=True)
        finally:
            browser.close()
    state["console"] = console
    return state


def evaluate(state: dict) -> tuple[list[str], dict]:
    """Failed checks (empty when all pass) and a summary of the timings."""
    failures: list[str] = []
    if not state.get("webgl"):
        failures.append("WebGL is not available in this browser")
    missing = [t for t in EXPECTED_TRACES if t not in state.get("traces", [])]
    if missing:
        failures.append("trace types not registered: " + ", ".join(missing))
    for v in state.get("violations", []):
        failures.append(f"CSP violation: {v}")
    for e in state.get("errors", []):
        failures.append(f"page error: {e}")
    for m in state.get("console", []):
        if m["type"] in ("error", "pageerror"):
            failures.append(f"console {m['type']}: {m['text']}")
    results = state.get("results", {})
    for name in ("scattergl_markers", "scattergl_lines_errorbars", "scattergl_text_selection"):
        r = results.get(name) or {"error": "did not run"}
        if "error" in r:
            failures.append(f"{name}: {r['error']}")
            continue
        if r.get("fullType") != "scattergl":
            failures.append(f"{name}: full trace type is {r.get('fullType')!r}, not scattergl")
        if not r.get("hasScene"):
            failures.append(f"{name}: no regl _scene on the subplot")
        if not r.get("hasCanvas"):
            failures.append(f"{name}: no .gl-canvas-context canvas")
        if r.get("noWebglShown"):
            failures.append(f"{name}: plotly shows its .no-webgl message")
        if not r.get("paintedPixels"):
            failures.append(f"{name}: the WebGL canvas has no painted pixel")
    for name, kind in (("bar", "bar"), ("heatmap", "heatmap"), ("scatter", "scatter")):
        r = results.get(name) or {"error": "did not run"}
        if "error" in r:
            failures.append(f"{name}: {r['error']}")
        elif r.get("fullType") != kind or not r.get("shapes"):
            failures.append(f"{name}: not drawn ({r})")
    timing: dict[str, dict] = {}
    for phase, key in (("newPlot", "timings"), ("react", "updates")):
        for kind, runs in (state.get(key) or {}).items():
            if not runs:
                continue
            if not all(x["ok"] for x in runs):
                failures.append(f"{phase} runs of {kind} did not plot as {kind}")
            timing[f"{phase} {kind}"] = {
                "median_resolved_ms": round(statistics.median(x["resolved_ms"] for x in runs), 1),
                "median_painted_ms": round(statistics.median(x["painted_ms"] for x in runs), 1),
                "runs_resolved_ms": [round(x["resolved_ms"], 1) for x in runs],
            }
    if not timing:
        failures.append("no timing ran")
    return failures, timing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("bundle", type=Path, help="the plotly.js bundle to check")
    parser.add_argument("--points", type=int, default=10_000, help="points of the big plots")
    parser.add_argument("--runs", type=int, default=5, help="timed plots of each kind")
    parser.add_argument(
        "--settle-ms",
        type=int,
        default=500,
        help="pause after each timed newPlot (purge and context release)",
    )
    parser.add_argument("--csp", default=CSP, help="Content-Security-Policy header to serve")
    parser.add_argument("--chromium", default="/usr/bin/chromium", help="Chromium executable")
    parser.add_argument(
        "--chromium-arg",
        action="append",
        default=None,
        metavar="ARG",
        help=f"extra Chromium switch, repeatable (default: {' '.join(GL_ARGS)})",
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds for the page")
    parser.add_argument("--json", type=Path, help="write the full result here")
    parser.add_argument("--screenshot", type=Path, help="write a full-page PNG here")
    args = parser.parse_args(argv)

    if not args.bundle.is_file():
        parser.error(f"no such file: {args.bundle}")
    chromium_args = BASE_ARGS + (GL_ARGS if args.chromium_arg is None else args.chromium_arg)
    with tempfile.TemporaryDirectory(prefix="plotly-csp-") as tmp:
        folder = Path(tmp)
        write_page(folder, args.bundle, args.points, args.runs, args.settle_ms)
        with serve(folder, args.csp) as url:
            state = run_page(url, args.chromium, chromium_args, args.screenshot, args.timeout)
    state["points"] = args.points
    failures, timing = evaluate(state)

    print(
        f"bundle: {args.bundle} ({args.bundle.stat().st_size:,} bytes), "
        f"plotly.js {state.get('plotlyVersion')}"
    )
    print(f"CSP: {args.csp}")
    print(f"chromium switches: {' '.join(chromium_args)}")
    print(f"WebGL: {state.get('webgl')}")
    print(f"traces: {', '.join(state.get('traces', []))}")
    for name, r in state.get("results", {}).items():
        print(f"  {name}: {r}")
    for what, t in timing.items():
        phase, kind = what.split()
        print(
            f"{phase} {args.points} points as {kind}: median {t['median_resolved_ms']} ms to "
            f"promise resolved, {t['median_painted_ms']} ms to next frame "
            f"(runs to resolved: {t['runs_resolved_ms']})"
        )
    if args.json:
        args.json.write_text(
            json.dumps({"state": state, "timing": timing, "failures": failures}, indent=2)
        )
    if failures:
        print(f"FAIL: {len(failures)} check(s) failed")
        for f, n in collections.Counter(failures).items():
            print("  - " + f[:400] + (f"  (x{n})" if n > 1 else ""))
        return 2 if not state.get("webgl") else 1
    print("PASS: scattergl (WebGL) and the cartesian traces work under the CSP")
    return 0


if __name__ == "__main__":
    sys.exit(main())
