"""What the dashboard answers (``dashboard.security.hardening``): headers, forged requests."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import threading
import time

import pytest

from dashboard.app import run
from dashboard.data import CoalitionData
from dashboard.security.hardening import (
    MAX_BODY_BYTES,
)

from ..test_app import make_app
from ..util import STRAY_ENVIRONMENT, HttpClient, callback_body, warmed


# -- debug, dev tools and MCP stay off ---------------------------------------------------------
def _dash_config(html: str) -> dict:
    found = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>', html)
    assert found
    return json.loads(found.group(1))


def test_a_stray_environment_cannot_switch_debug_dev_tools_or_mcp_on(monkeypatch, coalition):
    for key, value in STRAY_ENVIRONMENT.items():
        monkeypatch.setenv(key, value)
    app = make_app(data=warmed(CoalitionData.from_coalition(coalition)))
    client = app.server.test_client()

    def check():
        html = client.get("/").text
        config = _dash_config(html)
        assert config["ui"] is False and config["props_check"] is False
        assert "hot_reload" not in config and "dev_tools" not in config
        assert config["suppress_callback_exceptions"] is False
        assert "cdn.example.org" not in html and '"/assets/style.css' in html
        assert app.server.debug is False
        assert not any("mcp" in str(rule) for rule in app.server.url_map.iter_rules())
        for path in ("/_mcp", "/mcp"):
            assert client.post(
                path, json={"jsonrpc": "2.0", "method": "tools/list"}
            ).status_code in (
                404,
                405,
            )
        assert client.get("/_reload-hash").status_code == 404

    check()
    # Serving: run() serves through the production server on the loopback (HOST is
    # ignored), and the same answers come over HTTP.
    import dashboard.app

    servers = []

    class Recorded(dashboard.app.Server):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            servers.append((args, self))

    monkeypatch.setattr(dashboard.app, "Server", Recorded)
    serving = threading.Thread(target=run, args=(app,), kwargs={"port": 0, "warm": False})
    serving.start()
    deadline = time.monotonic() + 30
    while not servers and time.monotonic() < deadline:
        time.sleep(0.05)
    ((args, server),) = servers
    assert args[1] == "127.0.0.1"
    try:
        client = HttpClient(server.url)
        check()
    finally:
        server.shutdown()
        serving.join(timeout=20)
    assert not serving.is_alive()
    tools = app._dev_tools
    assert not any(tools[k] for k in ("ui", "props_check", "serve_dev_bundles", "hot_reload"))
    client = app.server.test_client()
    check()


# -- headers -----------------------------------------------------------------------------------
def test_security_headers_and_a_policy_the_page_satisfies(client):
    response = client.get("/")
    headers = response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Cache-Control"] == "no-store"
    policy = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["default-src"] == "'self'"
    scripts = policy["script-src"].split()
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    # Every inline script on the page (not the JSON config, not in a comment) is allowed
    # by its hash, and nothing else inline is.
    html = re.sub(r"<!--.*?-->", "", response.text, flags=re.S)
    inline = [
        body
        for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
        if "src=" not in attrs and "application/json" not in attrs
    ]
    assert len(inline) >= 2
    for body in inline:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in scripts
    assert len([s for s in scripts if s.startswith("'sha256-")]) == len(inline)
    for path in ("/assets/style.css", "/_dash-layout"):
        assert client.get(path).headers["X-Content-Type-Options"] == "nosniff"


# -- forged callback requests ------------------------------------------------------------------
NETWORK = "network-graph.elements"
NETWORK_OK = [[], ["members"], 1, None, None, "", "degree", None, 1]


def _network(**changes):
    names = ["movements", "ties", "min_weight", "since", "until", "q", "size", "focus", "hops"]
    values = dict(zip(names, NETWORK_OK, strict=True))
    values.update(changes)
    return list(values.values())


# (callback output, input values, text the answer must hold)
REFUSED_ON_THE_PAGE = [
    (NETWORK, _network(focus="no-such-group"), "no group “no-such-group” in this window"),
    (NETWORK, _network(size="member_metrics"), "Size by 'member_metrics' is not one of the"),
    (NETWORK, _network(ties=["members", "friends"]), "Tie types 'friends' is not one of the"),
    (NETWORK, _network(ties=5), "Tie types must be a list of the choices offered"),
    (NETWORK, _network(hops=3), "Neighbourhood 3 is not one of the choices offered"),
    (NETWORK, _network(min_weight="heavy"), "Minimum tie weight must be a number"),
    (NETWORK, _network(min_weight=float("1e400")), "Minimum tie weight must be a finite"),
    (NETWORK, _network(since={"$gt": ""}), "Since must be a date (YYYY-MM-DD)"),
    (NETWORK, _network(since="2021-13-45"), "since '2021-13-45' is not a date"),
    (NETWORK, _network(q=["a"]), "Search must be text, not list"),
    (NETWORK, _network(q="x" * 5000), "Search is longer than 200 characters"),
    (NETWORK, _network(movements=[f"m{i}" for i in range(5000)]), "more than 500 values"),
    (NETWORK, _network(movements=[["nested"]]), "Movements must be a list of ids"),
    ("network-detail.children", [{"id": "nope"}, None, None], "That group is not in this window"),
    ("network-detail.children", [{"id": ["g1"]}, None, None], "node's id must be text"),
    ("network-detail.children", ["g1", None, None], "clicked node must be an object"),
    ("paths-result.children", ["g1", "nope", None, None], "No group “nope” in this window."),
    ("paths-result.children", [7, "g2", None, None], "From must be text, not int"),
    ("whatif-result.children", [["g1", "nope"], None, None], "Not groups of this window: “nope”"),
    ("whatif-result.children", ["g1", None, None], "Groups leaving must be a list, not str"),
    ("movements-heatmap.figure", ["members_by_name", None, None], "Tie type 'members_by_name'"),
    ("timeline-chart.figure", ["decade", [], None, None], "Period 'decade' is not one of"),
    ("overview-content.children", ["2022-01-01", "2021-01-01"], "after it ends"),
]


@pytest.mark.parametrize(
    "output, values, expected", REFUSED_ON_THE_PAGE, ids=[r[2][:40] for r in REFUSED_ON_THE_PAGE]
)
def test_forged_callback_values_get_a_message_on_the_page(client, deps, output, values, expected):
    start = time.perf_counter()
    answer = client.post("/_dash-update-component", json=callback_body(deps, output, values))
    assert time.perf_counter() - start < 2
    assert answer.status_code == 200
    text = json.loads(answer.text)
    assert expected in json.dumps(text, ensure_ascii=False)
    assert "Traceback" not in answer.text


def _post(client, body, **kwargs):
    if not isinstance(body, bytes | str):
        body = json.dumps(body)
    kwargs.setdefault("content_type", "application/json")
    start = time.perf_counter()
    answer = client.post("/_dash-update-component", data=body, **kwargs)
    assert time.perf_counter() - start < 2
    assert "Traceback" not in answer.text
    return answer


def test_malformed_callback_requests_are_refused_quickly(client, deps):
    ok = callback_body(deps, NETWORK, NETWORK_OK)
    assert _post(client, ok).status_code == 200

    assert _post(client, b"x" * (10 * 1024 * 1024)).status_code == 413
    assert _post(client, b"[" * (MAX_BODY_BYTES - 10)).status_code == 400
    assert _post(client, "{").status_code == 400
    assert _post(client, [1, 2, 3]).status_code == 400
    too_many = callback_body(deps, NETWORK, _network(movements=["m"] * 100_000))
    answer = _post(client, too_many)
    assert answer.status_code == 400 and "more than 10,000 values" in answer.text
    deep = callback_body(deps, NETWORK, _network(q=json.loads("[" * 100 + "]" * 100)))
    assert _post(client, deep).status_code == 400
    long_text = callback_body(deps, NETWORK, _network(q="x" * 100_000))
    assert _post(client, long_text).status_code == 400
    unknown = {**ok, "output": "members-table.data"}
    assert _post(client, unknown).text == "no such callback\n"
    assert _post(client, {**ok, "inputs": "all"}).status_code == 400
    assert _post(client, {**ok, "inputs": [{"value": 1}]}).status_code == 400
    assert _post(client, {**ok, "outputs": None}).status_code == 400
    assert _post(client, {**ok, "changedPropIds": [1]}).status_code == 400
    assert _post(client, ok, content_type="text/plain").status_code == 415
    cross_site = _post(client, ok, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross_site.status_code == 403
    assert _post(client, ok, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200


def test_a_forged_link_does_not_make_the_server_work_hard(client, deps):
    # The page router hands the query string to a page's layout.
    search = "?movements=" + ",".join(f"m{i}" for i in range(3000))
    body = callback_body(deps, "_pages_content.children", ["/network", search])
    answer = _post(client, body)
    assert answer.status_code == 200 and "network-graph" in answer.text
    body = callback_body(deps, "_pages_content.children", ["/network", search * 10])
    assert _post(client, body).status_code == 400
    body = callback_body(deps, "_pages_content.children", [{"a": 1}, None])
    assert _post(client, body).status_code == 400


def test_url_properties_must_be_text(client, deps):
    for value in (["/"], {"path": "/"}, 5):
        body = callback_body(deps, "navbar.children", [value])
        assert _post(client, body).status_code == 400
    answer = _post(client, callback_body(deps, "navbar.children", ["/brokers"]))
    assert answer.status_code == 200 and "nav-link active" in answer.text
