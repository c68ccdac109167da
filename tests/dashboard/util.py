"""Helpers of the dashboard tests."""

from __future__ import annotations

import base64
import http.client
import itertools
import json as _json
import random
import urllib.parse
from typing import Any

import networkx as nx
from werkzeug.security import generate_password_hash

#: A name that would run script if it were ever treated as HTML.
EVIL = "<img src=x onerror=alert(1)>"

#: The password of the one user of the signed-in tests.
PASSWORD = "correct horse battery"
USERS = {"alice": generate_password_hash(PASSWORD)}


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


#: Every setting a stray environment could use to switch a development feature on.
STRAY_ENVIRONMENT = {
    "DASH_DEBUG": "true",
    "DASH_UI": "true",
    "DASH_PROPS_CHECK": "true",
    "DASH_SERVE_DEV_BUNDLES": "true",
    "DASH_HOT_RELOAD": "true",
    "DASH_HOT_RELOAD_INTERVAL": "0.1",
    "DASH_PRUNE_ERRORS": "false",
    "DASH_MCP_ENABLED": "true",
    "DASH_MCP_PATH": "mcp",
    "DASH_SUPPRESS_CALLBACK_EXCEPTIONS": "true",
    "DASH_ASSETS_EXTERNAL_PATH": "https://cdn.example.org/",
    "DASH_INCLUDE_ASSETS_FILES": "false",
    "DASH_COMPRESS": "true",
    "FLASK_DEBUG": "1",
    "HOST": "0.0.0.0",
    "PORT": "80",
}


NAMES = {"blm": "Black Lives Matter", "queer": "Queer Liberation", "labour": "Labour"}


def warmed(source):
    """``source`` with its whole-coalition window computed: pages answer at once, never pending."""
    source.snapshot().warm()
    return source


def texts(component) -> list[str]:
    """Every string child in a Dash component tree."""
    out: list[str] = []

    def visit(node):
        if isinstance(node, str):
            out.append(node)
        elif isinstance(node, list | tuple):
            for child in node:
                visit(child)
        elif hasattr(node, "children"):
            visit(node.children)

    visit(component)
    return out


def walk(node):
    """Every component in a Dash component tree."""
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, list | tuple):
        for child in children:
            yield from walk(child)
    elif children is not None and not isinstance(children, str):
        yield from walk(children)


def callback_body(dependencies: list[dict], output: str, values: list) -> dict:
    """The JSON body the browser would post to ``/_dash-update-component``.

    ``output`` is the start of a callback's output key without dots (say
    ``"network-graph.elements"``); ``values`` are its inputs' values, in
    order. Inputs left out are None; a pattern-matching input (a pending
    message's timer) matches no component, as when the data are ready.
    """
    dep = next(d for d in dependencies if d["output"].strip(".").startswith(output))
    keys = dep["output"].strip(".").split("...")
    outputs = [{"id": k.split(".")[0], "property": k.split(".")[1]} for k in keys]
    plain = [i for i in dep["inputs"] if not i["id"].startswith("{")]
    assert len(values) <= len(plain), "more values than the callback has inputs"
    given = dict(zip((i["id"] + "." + i["property"] for i in plain), values, strict=False))
    return {
        "output": dep["output"],
        "outputs": outputs if dep["output"].startswith("..") else outputs[0],
        "inputs": [
            []
            if i["id"].startswith("{")
            else {
                "id": i["id"],
                "property": i["property"],
                "value": given.get(i["id"] + "." + i["property"]),
            }
            for i in dep["inputs"]
        ],
        "state": [{"id": s["id"], "property": s["property"], "value": None} for s in dep["state"]],
        "changedPropIds": [f"{dep['inputs'][0]['id']}.{dep['inputs'][0]['property']}"],
    }


def random_coalition_graph(n: int = 60, p: float = 0.12, seed: int = 3) -> nx.Graph:
    """A coalition-like graph: random counts per tie type, movements, a few isolated groups."""
    rng = random.Random(seed)
    movements = ["blm", "queer", "labour", "climate"]
    G = nx.Graph()
    for i in range(n):
        chosen = rng.sample(movements, rng.choice([1, 1, 2]))
        G.add_node(f"g{i:03d}", name=f"Group {i}", movements=chosen, primary_movement=chosen[0])
    for a, b in itertools.combinations(sorted(G), 2):
        if rng.random() < p:
            m, x, r = rng.choice([0, 1, 5, 8]), rng.choice([0, 1, 2]), rng.choice([0, 0, 1])
            if m + x + r:
                G.add_edge(
                    a, b, shared_members=m, joint_actions=x, shared_resources=r, weight=m + x + r
                )
    return G


def slow_reports(monkeypatch, release, *, at_most: float) -> None:
    """Every snapshot's metric report waits for ``release`` (an Event), ``at_most`` seconds."""
    from dashboard.model.snapshot import Snapshot

    compute = Snapshot._compute_report

    def slow_report(self):
        release.wait(at_most)
        return compute(self)

    monkeypatch.setattr(Snapshot, "_compute_report", slow_report)


class HttpClient:
    """Requests over HTTP to a running server, with the test client's interface the tests use.

    ``get(path, headers=...)`` and ``post(path, json=..., data=..., content_type=...,
    headers=...)`` answer a :class:`HttpAnswer`; so a test written for Flask's
    test client runs against the production server too.
    """

    def __init__(self, url: str):
        self.url = url
        parsed = urllib.parse.urlsplit(url)
        self.host, self.port = parsed.hostname, parsed.port

    def get(self, path: str, headers: dict | None = None) -> HttpAnswer:
        return self.request("GET", path, headers=headers)

    def post(
        self,
        path: str,
        *,
        json: Any = None,
        data: bytes | str | None = None,
        content_type: str | None = None,
        headers: dict | None = None,
    ) -> HttpAnswer:
        if json is not None:
            data = _json.dumps(json)
            content_type = content_type or "application/json"
        return self.request("POST", path, body=data, content_type=content_type, headers=headers)

    def request(self, method, path, *, body=None, content_type=None, headers=None) -> HttpAnswer:
        all_headers = dict(headers or {})
        if content_type:
            all_headers["Content-Type"] = content_type
        if isinstance(body, str):
            body = body.encode()
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            try:
                connection.request(method, path, body=body, headers=all_headers)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the server answered (413) before reading the whole body
            response = connection.getresponse()
            return HttpAnswer(response.status, response.headers, response.read())
        finally:
            connection.close()


class HttpAnswer:
    """An HTTP answer with the parts of a werkzeug test response the tests read."""

    def __init__(self, status: int, headers, body: bytes):
        self.status_code = status
        self.headers = headers
        self.data = body
        self.text = body.decode("utf-8", "replace")

    def get_json(self) -> Any:
        return _json.loads(self.text)
