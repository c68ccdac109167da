"""Who may see the dashboard, and where it may listen.

- :func:`check_bind` refuses any address but the loopback unless users are
  configured.
- Users live in a file of ``user:hash`` lines (:func:`load_users`), the hashes
  made by :func:`hash_password` (``coalition dashboard-passwd USER``);
  :class:`HashedBasicAuth` (dash-auth's ``BasicAuth``) then guards every route.
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

import dash
import dash_auth
import flask
from werkzeug.security import check_password_hash, generate_password_hash

from graph.errors import UsageError

__all__ = [
    "AUTH_FILE_ENV",
    "USERS_KEY",
    "MIN_PASSWORD",
    "HashedBasicAuth",
    "is_loopback",
    "check_bind",
    "hash_password",
    "user_line",
    "auth_file",
    "load_users",
]

log = logging.getLogger(__name__)

#: Environment variable naming the users file (``--auth-file`` wins).
AUTH_FILE_ENV = "COALITION_DASHBOARD_AUTH_FILE"


#: Where the users an app was built with are kept (``app.server.config``).
USERS_KEY = "COALITION_USERS"

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
