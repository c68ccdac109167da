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

# Re-exported, as networkx's bipartite/__init__.py does: the public names of both modules.
from dashboard.security import auth, hardening
from dashboard.security.auth import *  # noqa: F403
from dashboard.security.hardening import *  # noqa: F403

__all__ = [*auth.__all__, *hardening.__all__]
