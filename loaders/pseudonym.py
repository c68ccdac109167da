"""Keyed pseudonyms for member ids (HMAC-SHA256).

The key comes from ``COALITION_PSEUDONYM_KEY`` or from a key file outside the
store (``$COALITION_HOME/pseudonym.key``), created on first use with mode
0600. The same key always gives the same pseudonym, so re-loads line up.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

__all__ = ["pseudonym_key", "existing_pseudonym_key", "pseudonymize", "PREFIX"]

PREFIX = "p_"


def pseudonym_key(home: str | os.PathLike | None = None) -> bytes:
    """The pseudonym key: from the environment, or the key file (made if missing)."""
    env = os.environ.get("COALITION_PSEUDONYM_KEY")
    if env:
        return env.encode()
    base = Path(home or os.environ.get("COALITION_HOME", ".coalition")).resolve()
    base.mkdir(parents=True, exist_ok=True)
    path = base / "pseudonym.key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    os.chmod(path, 0o600)
    return path.read_text().strip().encode()


def existing_pseudonym_key(home: str | os.PathLike | None = None) -> bytes | None:
    """The pseudonym key if one is configured or was created; never creates one."""
    env = os.environ.get("COALITION_PSEUDONYM_KEY")
    if env:
        return env.encode()
    path = Path(home or os.environ.get("COALITION_HOME", ".coalition")).resolve() / "pseudonym.key"
    return path.read_text().strip().encode() if path.exists() else None


def pseudonymize(member_id: str, key: bytes) -> str:
    """The keyed pseudonym of one member id.

    >>> pseudonymize("M001", b"k") == pseudonymize("M001", b"k")
    True
    >>> pseudonymize("M001", b"k").startswith("p_")
    True
    """
    digest = hmac.new(key, member_id.encode(), hashlib.sha256).hexdigest()
    return PREFIX + digest[:32]
