"""Locking the dashboard down: where it may listen, who may see it, what it answers.

:mod:`~dashboard.security.auth` holds the first two, :mod:`~dashboard.security.hardening`
the third; their public names are here too.

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

from dashboard.security.auth import (
    AUTH_FILE_ENV,
    MIN_PASSWORD,
    USERS_KEY,
    HashedBasicAuth,
    auth_file,
    check_bind,
    hash_password,
    is_loopback,
    load_users,
    user_line,
)
from dashboard.security.hardening import (
    DEV_TOOLS_OFF,
    MAX_BODY_BYTES,
    SECURITY_HEADERS,
    content_security_policy,
    lock_down,
)

__all__ = [
    "AUTH_FILE_ENV",
    "USERS_KEY",
    "MIN_PASSWORD",
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
