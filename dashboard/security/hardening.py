"""What the dashboard answers: debug and dev tools off, request checks, security headers.

:func:`lock_down` turns Dash's debug mode, dev tools and MCP server off
whatever the environment says, caps request bodies, refuses malformed
callback requests before Dash parses them, and adds the security headers (a
content security policy the app satisfies, no framing, no sniffing).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import dash
import flask

from dashboard.security.auth import USERS_KEY, HashedBasicAuth
from graph.errors import UsageError

__all__ = [
    "MAX_BODY_BYTES",
    "DEV_TOOLS_OFF",
    "SECURITY_HEADERS",
    "content_security_policy",
    "lock_down",
]

#: The largest request body accepted (callback requests are a few kB).
MAX_BODY_BYTES = 1_000_000
#: Limits on a callback request's JSON: values in all, nesting, one string's length.
MAX_JSON_VALUES = 10_000
MAX_JSON_DEPTH = 24
MAX_JSON_STRING = 20_000

#: The callback endpoint Dash posts to.
CALLBACK_PATH = "/_dash-update-component"

#: Every development feature of Dash, off; passed explicitly so that no
#: ``DASH_*`` environment variable can switch one on.
DEV_TOOLS_OFF: dict[str, Any] = {
    "dev_tools_ui": False,
    "dev_tools_props_check": False,
    "dev_tools_serve_dev_bundles": False,
    "dev_tools_hot_reload": False,
    "dev_tools_hot_reload_interval": 3,
    "dev_tools_hot_reload_watch_interval": 0.5,
    "dev_tools_hot_reload_max_retry": 8,
    "dev_tools_silence_routes_logging": False,
    "dev_tools_disable_version_check": True,
    "dev_tools_prune_errors": True,
    "dev_tools_validate_callbacks": False,
}

#: Headers on every response (the content security policy is added per app).
SECURITY_HEADERS: dict[str, str] = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


# -- headers ---------------------------------------------------------------------------------
def content_security_policy(app: dash.Dash) -> str:
    """A content security policy that this Dash app satisfies.

    Scripts: the app's own files plus Dash's inline scripts by their hashes
    (``app.csp_hashes()``), so no other inline script and no ``eval`` run.
    Styles may be inline: Plotly, AG Grid and Cytoscape set element styles.
    Nothing is loaded from another site, and no site may frame the pages.
    """
    scripts = " ".join(["'self'", *app.csp_hashes()])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


# -- the whole lock-down ---------------------------------------------------------------------
def lock_down(app: dash.Dash, *, users: Mapping[str, str] | None = None) -> None:
    """Make ``app`` safe to serve, whatever the environment says.

    - Flask debug off and exceptions never propagated to the server; Dash's
      dev tools off (:data:`DEV_TOOLS_OFF`); the hot-reload and MCP routes
      absent (the app must be built with ``enable_mcp=False``).
    - Request bodies over :data:`MAX_BODY_BYTES` get 413; callback requests
      that are not a JSON object of Dash's shape within the limits, name no
      callback of this app, or come from another site, get 4xx with a one-line
      reason, before Dash or dash-auth parse them.
    - With ``users``, every route needs one of them (:class:`HashedBasicAuth`).
    - Every response carries :data:`SECURITY_HEADERS` and the content
      security policy; pages and callback answers are not cached.
    """
    if getattr(app, "_enable_mcp", False):
        raise UsageError("the dashboard must not enable Dash's MCP server")
    server = app.server
    server.debug = False
    server.config["PROPAGATE_EXCEPTIONS"] = False
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.enable_dev_tools(debug=False, **DEV_TOOLS_OFF)

    @server.before_request
    def _refuse_bad_callbacks():
        path = flask.request.path
        if path == "/_reload-hash":
            return _refusal(404, "not found")
        if path != CALLBACK_PATH:
            return None
        return _check_callback_request(app)

    if users:
        HashedBasicAuth(app, users)
        server.config[USERS_KEY] = dict(users)

    @server.after_request
    def _headers(response: flask.Response) -> flask.Response:
        for key, value in SECURITY_HEADERS.items():
            response.headers.setdefault(key, value)
        response.headers.setdefault("Content-Security-Policy", content_security_policy(app))
        if response.mimetype in ("text/html", "application/json"):
            response.headers["Cache-Control"] = "no-store"
        return response


def _refusal(status: int, reason: str) -> flask.Response:
    return flask.Response(reason + "\n", status=status, mimetype="text/plain")


def _check_callback_request(app: dash.Dash) -> flask.Response | None:
    request = flask.request
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None and site not in ("same-origin", "none"):
        return _refusal(403, "callback requests must come from the dashboard's own pages")
    if request.method != "POST":
        return None
    if request.mimetype != "application/json":
        return _refusal(415, "a callback request must be JSON")
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        body = None
    if not isinstance(body, dict):
        return _refusal(400, "a callback request must be a JSON object")
    problem = _json_problem(body)
    if problem:
        return _refusal(400, problem)
    output = body.get("output")
    if not isinstance(output, str) or output not in app.callback_map:
        return _refusal(400, "no such callback")
    for key in ("inputs", "state"):
        items = body.get(key, [])
        if not isinstance(items, list) or not all(_is_input(i) for i in items):
            return _refusal(400, f"malformed callback {key}")
    if not isinstance(body.get("outputs"), dict | list):
        return _refusal(400, "malformed callback outputs")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        return _refusal(400, "malformed callback changedPropIds")
    return None


#: Properties of a ``dcc.Location``: Dash's page router expects text there.
_URL_PROPERTIES = frozenset({"pathname", "search", "hash", "href"})


def _is_input(item: Any) -> bool:
    if isinstance(item, list):  # a pattern-matching input: a list of inputs
        return all(_is_input(i) for i in item)
    if not (
        isinstance(item, dict)
        and isinstance(item.get("id"), str | dict)
        and isinstance(item.get("property"), str)
    ):
        return False
    value = item.get("value")
    return item["property"] not in _URL_PROPERTIES or value is None or isinstance(value, str)


def _json_problem(body: Any) -> str | None:
    """Why a parsed JSON value is too big to handle, or None."""
    stack = [(body, 0)]
    seen = 0
    while stack:
        value, depth = stack.pop()
        seen += 1
        if seen > MAX_JSON_VALUES:
            return f"the request holds more than {MAX_JSON_VALUES:,} values"
        if depth > MAX_JSON_DEPTH:
            return "the request is nested too deeply"
        if isinstance(value, str):
            if len(value) > MAX_JSON_STRING:
                return f"the request holds a text longer than {MAX_JSON_STRING:,} characters"
        elif isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
            stack.extend((k, depth + 1) for k in value)
        elif isinstance(value, list):
            if len(value) > MAX_JSON_VALUES:
                return f"the request holds a list of more than {MAX_JSON_VALUES:,} values"
            stack.extend((v, depth + 1) for v in value)
    return None
