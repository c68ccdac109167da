"""Load held: concurrent users replaying real page visits against the production server.

Reproduce with::

    .venv/bin/python benchmarks/bench_load_held.py                # 10,000 groups, 20 users, 60 s
    .venv/bin/python benchmarks/bench_load_held.py --sample-only --duration 5   # smoke run

It loads the 10,000-group dataset (``loaders.generate.generate(groups=10000,
members=100000, seed=7)``, as ``bench_dashboard.py`` does, into an embedded
store of its own: ``--home``, a temporary ``COALITION_HOME`` by default, its
store stopped at the end) and then:

1. **serves** the dashboard as a team would: the real ``coalition dashboard``
   command in a process of its own (waitress, :mod:`dashboard.server`);
2. **captures** what real page visits send: Debian's Chromium (Playwright)
   opens each page once to warm it, then again while every request the page
   makes to the server is recorded (the page, ``/_dash-layout``,
   ``/_dash-dependencies`` and each ``/_dash-update-component`` callback with
   its JSON body; static files are left out, a browser caches them);
3. **holds the load**: ``--users`` threads, each with its own keep-alive
   connection, replay those visits one after another (each user starting at
   a different page) for ``--duration`` seconds, and every answer's time and
   status are recorded; an answer other than 200 or 204, or a failed
   connection, is an error;
4. does the same against Flask's development server (werkzeug, threaded) in a
   process of its own, the baseline measured in the same run.

Targets (issue 11): zero errors, p95 under 1 s, and at least 94 requests/s
(the development server's figure when the target was set). Prints a Markdown
section; the load generator shares the machine's cores with the server.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import http.client
import logging
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_dashboard import (  # noqa: E402
    TIMEOUT_MS,
    as_function,
    bench_home,
    choose,
    page_checks,
    percentile,
    prepare,
)
from benchmarks.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

COMMAND = ".venv/bin/python benchmarks/bench_load_held.py"
SECTION = "## Load held"
ERRORS_TARGET = 0
P95_TARGET = 1.0
RATE_TARGET = 94.0
#: Paths a browser fetches once and caches: not part of a replayed visit.
STATIC = ("/assets/", "/_dash-component-suites/", "/_favicon.ico")
#: In an answer whose data are still being computed (dashboard.components).
PENDING = b"notice-pending"

log = logging.getLogger("bench_load_held")


# -- serving --------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served(kind: str, home: Path, database: str) -> Iterator[str]:
    """The dashboard over ``database`` in a process of its own; yields its URL.

    ``kind`` is ``"production"`` (the ``coalition dashboard`` command) or
    ``"development"`` (Flask's development server, this script's ``--serve-dev``).
    """
    port = free_port()
    env = {**os.environ, "COALITION_HOME": str(home), "COALITION_DASHBOARD_AUTH_FILE": ""}
    env.pop("NEO4J_URI", None)
    if kind == "production":
        args = ["-m", "cli.main", "--database", database, "dashboard", "--port", str(port)]
    else:
        args = [__file__, "--serve-dev", "--database", database, "--port", str(port)]
    process = subprocess.Popen(
        [sys.executable, *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url + "/_dash-dependencies", timeout=30):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the {kind} server did not start") from None
                time.sleep(0.3)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve_dev(database: str, port: int) -> None:
    """Serve the dashboard with Flask's development server until SIGTERM (the baseline)."""
    from benchmarks.serving import dev_server
    from dashboard.app import create_app
    from graph.store import StoreConfig

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    app = create_app(StoreConfig.from_env(database=database), warm=True)
    server = dev_server(app.server, port)
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    server.serve_forever()


# -- capturing real visits --------------------------------------------------------------------
@dataclass(frozen=True)
class Request:
    method: str
    path: str
    body: bytes | None


def capture(url: str, checks: dict[str, tuple[str, str]], chromium: str) -> dict:
    """Each page's requests to the server during a visit: page name → [Request]."""
    from playwright.sync_api import sync_playwright

    visits: dict[str, list[Request]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            for name, (path, ready) in checks.items():
                for recording in (False, True):  # a first visit warms the page's data
                    context = browser.new_context(viewport={"width": 1500, "height": 1000})
                    page = context.new_page()
                    seen: list[Request] = []
                    if recording:
                        page.on("request", lambda r, seen=seen: seen.append(_recorded(r)))
                    page.goto(url + path)
                    page.wait_for_function(as_function(ready), timeout=TIMEOUT_MS)
                    page.wait_for_load_state("networkidle")
                    context.close()
                visits[name] = [r for r in seen if r and not r.path.startswith(STATIC)]
                log.info("%-10s %d requests a visit", name, len(visits[name]))
        finally:
            browser.close()
    return visits


def _recorded(request) -> Request | None:
    parts = urllib.parse.urlsplit(request.url)
    if parts.hostname != "127.0.0.1":
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return Request(request.method, path, request.post_data_buffer)


def wait_warm(url: str, visits: dict[str, list[Request]], timeout: float = 900) -> float:
    """Replay every visit until no answer says its data are still being computed; seconds."""
    parts = urllib.parse.urlsplit(url)
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        pending = False
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
        try:
            for request in (r for visit in visits.values() for r in visit):
                headers = {"Content-Type": "application/json"} if request.body else {}
                connection.request(request.method, request.path, request.body, headers)
                pending |= PENDING in connection.getresponse().read()
        finally:
            connection.close()
        if not pending:
            break
        time.sleep(1)
    return time.perf_counter() - start


# -- holding the load -------------------------------------------------------------------------
@dataclass
class Load:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def rate(self) -> float:
        return len(self.times) / self.seconds if self.seconds else 0.0


def hold(url: str, visits: dict[str, list[Request]], users: int, duration: float) -> Load:
    """``users`` threads replaying ``visits`` for ``duration`` seconds."""
    load = Load()
    order = list(visits.values())
    parts = urllib.parse.urlsplit(url)
    start = time.perf_counter()
    deadline = start + duration

    def user(number: int) -> None:
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        k = number
        try:
            while time.perf_counter() < deadline:
                for request in order[k % len(order)]:
                    if time.perf_counter() >= deadline:
                        break
                    connection = _replay(connection, request, load)
                k += 1
        finally:
            connection.close()

    threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 120)
    load.seconds = time.perf_counter() - start
    return load


def _replay(connection, request: Request, load: Load):
    headers = {"Content-Type": "application/json"} if request.body is not None else {}
    began = time.perf_counter()
    try:
        connection.request(request.method, request.path, body=request.body, headers=headers)
        answer = connection.getresponse()
        answer.read()
        took = time.perf_counter() - began
        with load.lock:
            load.times.append(took)
            if answer.status not in (200, 204):
                load.errors.append(f"{answer.status} {request.method} {request.path[:60]}")
    except (OSError, http.client.HTTPException) as exc:
        with load.lock:
            load.errors.append(f"{type(exc).__name__} {request.method} {request.path[:60]}")
        connection.close()
        connection = http.client.HTTPConnection(connection.host, connection.port, timeout=60)
    return connection


def meets_targets(load: Load) -> bool:
    """Zero errors, p95 under a second, at least the development server's 94 requests/s."""
    return (
        len(load.errors) <= ERRORS_TARGET
        and percentile(load.times, 0.95) < P95_TARGET
        and load.rate >= RATE_TARGET
    )


# -- reporting --------------------------------------------------------------------------------
def markdown(results: dict[str, Load], options, dataset: str, visits: dict, groups: int) -> str:
    when = dt.date.today().isoformat()
    load_avg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    production = results["production (waitress)"]
    baseline = results.get("development (werkzeug)")
    per_visit = ", ".join(f"{name} {len(r)}" for name, r in visits.items())
    flags = ""
    if options.sample_only:
        flags += " --sample-only"
    if options.duration != 60:
        flags += f" --duration {options.duration:g}"
    if options.users != 20:
        flags += f" --users {options.users}"
    lines = [
        SECTION,
        "",
        f"Measured {when} on this machine: {os.cpu_count()} CPUs ({platform.machine()}, "
        f"Python {platform.python_version()}). Load average at the end: {load_avg}; the load "
        "generator and other work shared the cores with the server.",
        "",
        "Reproduce with:",
        "",
        "```",
        COMMAND + flags,
        "```",
        "",
        f"{options.users} users, each with a keep-alive connection, replay for "
        f"{options.duration:g} s the requests real page visits make ({dataset}, {groups:,} "
        f"groups), captured from Chromium: requests per visit: {per_visit}. The server runs "
        "in a process of its own. Targets: zero errors, p95 under "
        f"{P95_TARGET:g} s, at least {RATE_TARGET:g} requests/s.",
        "",
        f"Callback answers are encoded by plotly's to_json_plotly with {json_engine()}.",
        "",
        "| server | requests | requests/s | median | p95 | max | errors | targets met |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, load in results.items():
        p95 = percentile(load.times, 0.95)
        if load is production:
            verdict = "yes" if meets_targets(load) else "**no**"
        else:
            verdict = "(baseline)"
        lines.append(
            f"| {name} | {len(load.times):,} | {load.rate:.1f} | "
            f"{percentile(load.times, 0.5):.3f} s | {p95:.3f} s | "
            f"{max(load.times, default=float('nan')):.2f} s | {len(load.errors)} | {verdict} |"
        )
    lines.append("")
    if baseline and baseline.rate:
        lines.append(
            f"- Production against development server, same run: "
            f"{production.rate / baseline.rate:.2f}× the requests/s, p95 "
            f"{percentile(production.times, 0.95):.3f} s against "
            f"{percentile(baseline.times, 0.95):.3f} s."
        )
    for name, load in results.items():
        for error in sorted(set(load.errors))[:10]:
            lines.append(f"- {name}: error {error} ({load.errors.count(error)}×)")
    lines.append("")
    return "\n".join(lines)


def json_engine() -> str:
    """The JSON encoder Dash's answers get (plotly picks orjson when it is installed)."""
    try:
        import orjson
    except ImportError:
        return "the standard library's json (orjson is not installed)"
    return f"orjson {orjson.__version__}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--groups", type=int, default=10_000)
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--users", type=int, default=20, help="Concurrent users.")
    parser.add_argument("--duration", type=float, default=60, help="Seconds of load per server.")
    parser.add_argument("--home", help="COALITION_HOME to use (kept); a temporary one if not.")
    parser.add_argument("--chromium", default=CHROMIUM)
    parser.add_argument("--sample-only", action="store_true", help="The sample dataset only.")
    parser.add_argument("--skip-baseline", action="store_true", help="No development server.")
    parser.add_argument("--serve-dev", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if options.serve_dev:
        serve_dev(options.database, options.port)
        return 0

    with bench_home(options.home, "load-held") as home:
        from dashboard.data import CoalitionData

        configs = prepare(home, options.groups, options.members, options.seed, options.sample_only)
        dataset, config = list(configs.items())[-1]
        source = CoalitionData(config)
        snap = source.snapshot()
        groups = snap.graph.number_of_nodes()
        checks = page_checks(choose(snap))
        source.close()
        del snap, source
        results: dict[str, Load] = {}
        with served("production", home, config.database) as url:
            log.info("capturing the page visits (%s)", dataset)
            visits = capture(url, checks, options.chromium)
            wait_warm(url, visits)
            log.info("production server: %d users for %g s", options.users, options.duration)
            results["production (waitress)"] = hold(url, visits, options.users, options.duration)
        if not options.skip_baseline:
            with served("development", home, config.database) as url:
                log.info("development server warm after %.0f s", wait_warm(url, visits))
                log.info("development server: %d users for %g s", options.users, options.duration)
                results["development (werkzeug)"] = hold(
                    url, visits, options.users, options.duration
                )
        print(markdown(results, options, dataset, visits, groups))
        met = meets_targets(results["production (waitress)"])
        print(
            f"targets: errors {ERRORS_TARGET}, p95 < {P95_TARGET:g} s, "
            f">= {RATE_TARGET:g} requests/s: {'met' if met else 'NOT met'}"
        )
        return 0


if __name__ == "__main__":
    sys.exit(main())
