"""Locking the dashboard down: where it may listen, who may see it, what it answers.

- :func:`check_bind` refuses any address but the loopback unless users are
  configured.
- Users live in a file of ``user:hash`` lines (:func:`load_users`), the hashes
  made by :func:`hash_password` (``coalition dashboard-passwd USER``);
  :class:`HashedBasicAuth` (dash-auth's ``BasicAuth``) then guards every route.
- :func:`lock_down` turns Dash's debug mode, dev tools and MCP server off
  whatever the environment says, caps request bodies, refuses malformed
  callback requests before Dash parses them, and adds the security headers
  (a content security policy the app satisfies, no framing, no sniffing).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import os
import re
import secrets
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dash
import dash_auth
import flask
from werkzeug.security import check_password_hash, generate_password_hash

from graph.errors import UsageError

__all__ = [
    "AUTH_FILE_ENV",
    "USERS_KEY",
    "MAX_BODY_BYTES",
    "DEV_TOOLS_OFF",
    "SECURITY_HEADERS",
    "HashedBasicAuth",
    "is_loopback",
    "check_bind",
    "hash_password",
    "user_line",
    "auth_file",
    "load_users",
    "content_security_policy",
    "lock_down",
]

log = logging.getLogger(__name__)

#: Environment variable naming the users file (``--auth-file`` wins).
AUTH_FILE_ENV = "COALITION_DASHBOARD_AUTH_FILE"
#: The largest request body accepted (callback requests are a few kB).
MAX_BODY_BYTES = 1_000_000
#: Limits on a callback request's JSON: values in all, nesting, one string's length.
MAX_JSON_VALUES = 10_000
MAX_JSON_DEPTH = 24
MAX_JSON_STRING = 20_000
#: Where the users an app was built with are kept (``app.server.config``).
USERS_KEY = "COALITION_USERS"
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

#: Hash methods werkzeug writes; anything else in a users file is refused.
_HASH = re.compile(r"^(scrypt|pbkdf2)(:[A-Za-z0-9:]+)?\$[^$\s]+\$[0-9a-f]+$")
_USER = re.compile(r"^[A-Za-z0-9._@+-]{1,64}$")
MIN_PASSWORD = 10


# -- where to listen -----------------------------------------------------------------------
def is_loopback(host: str) -> bool:
    """Whether ``host`` is an address of this machine only (127.0.0.0/8, ::1, localhost).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0")
    (True, True, False)
    """
    name = (host or "").strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, users: Mapping[str, str] | None) -> None:
    """Refuse to listen on ``host`` when that would show the coalition to others unguarded.

    The loopback is always allowed. Any other address (``0.0.0.0``, a LAN
    address, a host name) needs ``users``: a non-empty mapping of user names to
    password hashes.

    Raises
    ------
    graph.errors.UsageError
        If ``host`` is not the loopback and no users are configured.
    """
    if is_loopback(host) or users:
        return
    raise UsageError(
        f"refusing to listen on {host!r} without authentication: the dashboard shows a "
        "coalition's sensitive data. Either keep it on 127.0.0.1 (and reach it through an "
        "SSH tunnel), or give it users: create a file of `user:hash` lines with "
        "`coalition dashboard-passwd USER >> users.txt` and pass `--auth-file users.txt` "
        f"(or set {AUTH_FILE_ENV}); put TLS in front of it (a reverse proxy)"
    )


# -- users -----------------------------------------------------------------------------------
def hash_password(password: str) -> str:
    """A salted, slow hash of ``password`` (werkzeug's scrypt) for a users file.

    Raises
    ------
    graph.errors.UsageError
        If the password is shorter than 10 characters.
    """
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password must be at least {MIN_PASSWORD} characters long")
    return generate_password_hash(password)


def user_line(user: str, password: str) -> str:
    """One line of a users file: ``user:hash``.

    Raises
    ------
    graph.errors.UsageError
        For a user name outside ``[A-Za-z0-9._@+-]{1,64}`` or a short password.
    """
    if not _USER.match(user or ""):
        raise UsageError(
            f"user name {user!r} must be 1 to 64 letters, digits or . _ @ + - (no colon)"
        )
    return f"{user}:{hash_password(password)}"


def auth_file(path: str | os.PathLike | None = None) -> Path | None:
    """The users file: ``path``, else ``$COALITION_DASHBOARD_AUTH_FILE``, else None."""
    chosen = path or os.environ.get(AUTH_FILE_ENV) or None
    return Path(chosen) if chosen else None


def load_users(path: str | os.PathLike) -> dict[str, str]:
    """Read a users file: one ``user:hash`` per line; blank lines and ``#`` comments skipped.

    Raises
    ------
    graph.errors.UsageError
        If the file cannot be read, holds no user, or a line is not a user
        name and a werkzeug password hash (a plain password is refused).
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the users file {path}: {exc}") from None
    users: dict[str, str] = {}
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        user, sep, hashed = line.partition(":")
        where = f"{path}, line {number}"
        if not sep or not _USER.match(user):
            raise UsageError(f"{where}: expected `user:hash` with a user name of letters/digits")
        if not _HASH.match(hashed):
            raise UsageError(
                f"{where}: the password of {user!r} is not a password hash; make the line "
                f"with `coalition dashboard-passwd {user}`"
            )
        if user in users:
            raise UsageError(f"{where}: user {user!r} is listed twice")
        users[user] = hashed
    if not users:
        raise UsageError(f"the users file {path} lists no user")
    if os.name == "posix" and path.stat().st_mode & 0o022:
        log.warning("the users file %s can be changed by other users of this machine", path)
    return users


class HashedBasicAuth(dash_auth.BasicAuth):
    """dash-auth's HTTP Basic authentication over password hashes, on every route.

    Parameters
    ----------
    app : dash.Dash
    users : mapping
        User name → werkzeug password hash (see :func:`load_users`).

    Notes
    -----
    No route is public: pages, ``_dash-*`` endpoints, component bundles and
    assets all need a user. Checking a scrypt hash takes about 0.1 s, and a
    browser sends the password with every request, so a password once
    checked is remembered (as an HMAC under a key of this process, never in
    clear) for the life of the process. Unknown users cost a hash check too,
    so timing does not tell which user names exist. A malformed
    ``Authorization`` header is simply not authorised.
    """

    def __init__(self, app: dash.Dash, users: Mapping[str, str]):
        if not users:
            raise UsageError("authentication needs at least one user")
        self._hashes = dict(users)
        self._decoy = generate_password_hash(secrets.token_urlsafe(16))
        self._key = secrets.token_bytes(32)
        self._known: set[bytes] = set()
        self._known_lock = threading.Lock()
        super().__init__(app, auth_func=self.check)

    def check(self, user: str, password: str) -> bool:
        """Whether ``password`` is ``user``'s."""
        token = hmac.new(
            self._key, f"{user}\0{password}".encode("utf-8", "surrogatepass"), hashlib.sha256
        ).digest()
        with self._known_lock:
            if token in self._known:
                return True
        hashed = self._hashes.get(user)
        ok = check_password_hash(hashed or self._decoy, password) and hashed is not None
        if ok:
            with self._known_lock:
                if len(self._known) > 4096:
                    self._known.clear()
                self._known.add(token)
        else:
            log.warning("refused a sign-in (user name %d characters long)", len(user))
        return ok

    def is_authorized(self) -> bool:
        auth = flask.request.authorization
        if auth is None or auth.type != "basic" or not auth.username or auth.password is None:
            return False
        return self.check(auth.username, auth.password)

    def login_request(self) -> flask.Response:
        return flask.Response(
            "Sign in to see the Coalition Graph Explorer.\n",
            status=401,
            mimetype="text/plain",
            headers={"WWW-Authenticate": 'Basic realm="Coalition Graph Explorer", charset="UTF-8"'},
        )


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
