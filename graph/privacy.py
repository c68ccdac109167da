"""Every privacy rule, in one place: small counts, pseudonyms, erasure.

The CLI, the dashboard and library callers all obey these:

* **Small counts.** A member count from 1 to ``SUPPRESS_BELOW - 1`` is shown
  as ``"<5"`` (:func:`count_text`), and nothing beside it may give the hidden
  number away: :func:`band_ties` makes such a count 1 before anything is
  measured or drawn from it.
* **Pseudonyms.** ``--pseudonymize`` replaces member ids with a keyed
  HMAC-SHA256 pseudonym (:func:`pseudonymize`) before anything reaches the
  store. The key comes from ``COALITION_PSEUDONYM_KEY`` or from a key file
  outside the store (``$COALITION_HOME/pseudonym.key``), created on first use
  with mode 0600. The same key always gives the same pseudonym, so re-loads
  line up.
* **The key never changes silently.** The store keeps the key's fingerprint
  (:func:`key_fingerprint`, never the key) and where it was kept; a
  pseudonymised load or an erasure with another key refuses and names the
  ``COALITION_HOME`` (or variable) that holds the matching one
  (:func:`check_pseudonym_key`), since a new key would store every member a
  second time under new pseudonyms.
* **Erasure.** :func:`erase_member` removes a person from the store and from
  every member table the product wrote, by their original id, also when the
  store holds only their pseudonym.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import logging
import os
import secrets
import shutil
import socket
import time
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from graph.errors import LoadInProgress, PseudonymKeyMismatch
from graph.store import Store, coalition_home, cypher, ledger_home

if TYPE_CHECKING:
    from graph.projection import Ties

__all__ = [
    "SUPPRESS_BELOW",
    "count_text",
    "band_ties",
    "PSEUDONYM_PREFIX",
    "pseudonym_key",
    "existing_pseudonym_key",
    "pseudonymize",
    "key_fingerprint",
    "pseudonym_key_source",
    "check_pseudonym_key",
    "record_pseudonym_key",
    "erase_member",
]

log = logging.getLogger(__name__)

#: Member counts under this are shown as "<5" (``coalition dashboard --suppress-below``).
SUPPRESS_BELOW = 5
#: The least threshold that hides anything: a count of 1 is the one count "<2" can be.
SUPPRESS_MIN = 2

PSEUDONYM_PREFIX = "p_"
_KEY_FILE = "pseudonym.key"
_KEY_VARIABLE = "COALITION_PSEUDONYM_KEY"
#: The fixed text whose HMAC under the key is the key's fingerprint.
_FINGERPRINT_TEXT = b"coalition-graph-explorer pseudonym key fingerprint"


# -- small counts ------------------------------------------------------------------------
def count_text(n: int | None, threshold: int = SUPPRESS_BELOW) -> str:
    """A member count as shown: ``"<5"`` for 1 to ``threshold - 1``, else the number.

    Zero stays ``"0"`` (it says nothing about anyone).

    >>> count_text(3), count_text(0), count_text(1234)
    ('<5', '0', '1,234')
    """
    if n is None:
        return ""
    n = int(n)
    if 0 < n < threshold:
        return f"<{threshold}"
    return f"{n:,}"


def band_ties(ties: Ties, threshold: int = SUPPRESS_BELOW, *, weight: float = 1.0) -> Ties:
    """Make the ties safe to measure and draw: shared-member counts under ``threshold`` become 1.

    A count shown as ``"<5"`` must not be recoverable from anything else on
    the page: not from the minimum-weight filter (stepping it would reveal
    the exact count), line widths, the order of a group's strongest ties, nor
    from weighted metrics such as strength, which add the counts up. So a tie's
    ``shared_members`` from 1 to ``threshold - 1`` is replaced by 1 — the
    least it can be, and all that "<5" says — before anything is computed
    from it, and its ``weight`` (with ``weight`` per shared member) follows.
    Counts of 0 and from ``threshold`` up are kept. Returns a new ``Ties``.

    >>> from graph.projection import Ties
    >>> t = Ties(["a", "b"], [{}, {}], np.array([0]), np.array([1]), np.array([[3, 2, 0]]),
    ...          np.array([5.0]))
    >>> banded = band_ties(t)
    >>> int(banded.counts[0, 0]), float(banded.weight[0]), int(t.counts[0, 0])
    (1, 3.0, 3)
    """
    members = ties.counts[:, 0]
    low = (members > 0) & (members < threshold)
    counts = ties.counts.copy()
    counts[low, 0] = 1
    banded_weight = ties.weight - np.where(low, (members - 1) * weight, 0)
    return replace(ties, counts=counts, weight=banded_weight)


# -- pseudonyms --------------------------------------------------------------------------
def pseudonym_key(home: str | os.PathLike | None = None) -> bytes:
    """The pseudonym key: from the environment, or the key file (made if missing)."""
    env = os.environ.get(_KEY_VARIABLE)
    if env:
        return env.encode()
    base = coalition_home(home)
    base.mkdir(parents=True, exist_ok=True)
    path = base / _KEY_FILE
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    os.chmod(path, 0o600)
    return path.read_text().strip().encode()


def existing_pseudonym_key(home: str | os.PathLike | None = None) -> bytes | None:
    """The pseudonym key if one is configured or was created; never creates one."""
    env = os.environ.get(_KEY_VARIABLE)
    if env:
        return env.encode()
    path = coalition_home(home) / _KEY_FILE
    return path.read_text().strip().encode() if path.exists() else None


def pseudonymize(member_id: str, key: bytes) -> str:
    """The keyed pseudonym of one member id.

    >>> pseudonymize("M001", b"k") == pseudonymize("M001", b"k")
    True
    >>> pseudonymize("M001", b"k").startswith("p_")
    True
    >>> pseudonymize("M001", b"other") == pseudonymize("M001", b"k")
    False
    """
    digest = hmac.new(key, member_id.encode(), hashlib.sha256).hexdigest()
    return PSEUDONYM_PREFIX + digest[:32]


def key_fingerprint(key: bytes) -> str:
    """A fingerprint of the pseudonym key: HMAC-SHA256 of a fixed text under the key.

    Equal for equal keys and different otherwise; it gives the key away no
    more than a pseudonym does (both are HMACs under it), so the store may
    keep it.

    >>> key_fingerprint(b"k") == key_fingerprint(b"k") != key_fingerprint(b"other")
    True
    >>> b"k" in key_fingerprint(b"k").encode(), len(key_fingerprint(b"k"))
    (False, 64)
    """
    return hmac.new(key, _FINGERPRINT_TEXT, hashlib.sha256).hexdigest()


def pseudonym_key_source(home: str | os.PathLike | None = None) -> str:
    """Where :func:`pseudonym_key` takes the key from, in words (no secret): the
    ``COALITION_PSEUDONYM_KEY`` variable, or the ``COALITION_HOME`` of the key file,
    with the host's name."""
    if os.environ.get(_KEY_VARIABLE):
        return f"the {_KEY_VARIABLE} variable on {socket.gethostname()}"
    return f"COALITION_HOME={coalition_home(home)} on {socket.gethostname()}"


def check_pseudonym_key(
    store: Store,
    key: bytes | None,
    *,
    home: str | os.PathLike | None = None,
    doing: str = "load",
) -> None:
    """Refuse if the store's pseudonyms were made with another key than ``key``.

    Parameters
    ----------
    store : graph.store.Store
        An open store.
    key : bytes or None
        The key at hand (None: there is none here).
    home : path, optional
        The ``COALITION_HOME`` the key was looked for in, for the message.
    doing : {"load", "erase"}
        What would go wrong, for the message.

    Raises
    ------
    graph.errors.PseudonymKeyMismatch
        If the store records a key and ``key`` is not that key. The message
        says which ``COALITION_HOME`` (or variable) held the matching key.

    Notes
    -----
    A store that records no key (never loaded with ``--pseudonymize``)
    accepts any key.
    """
    rows = store.read(cypher.READ_PSEUDONYM_KEY)
    recorded = rows[0]["fingerprint"] if rows else None
    if recorded is None:
        return
    if key is not None and hmac.compare_digest(recorded, key_fingerprint(key)):
        return
    source = rows[0]["source"] or "a place this store does not record"
    here = (
        f"the one of {pseudonym_key_source(home)}"
        if key is not None
        else f"none: there is no key in {pseudonym_key_source(home)}"
    )
    harm = (
        "every member would be stored a second time under a new pseudonym"
        if doing == "load"
        else "a pseudonymised person could not be found, so nothing of theirs would be erased"
    )
    raise PseudonymKeyMismatch(
        f"the store's members were pseudonymised with the key of {source}; the key here is "
        f"{here}, and {harm}. Run the command with that key: set COALITION_HOME to the folder "
        f"named (or copy its {_KEY_FILE} into this COALITION_HOME), or set {_KEY_VARIABLE} "
        "to the matching key. Nothing was written."
    )


def record_pseudonym_key(
    store: Store, token: str, key: bytes, *, home: str | os.PathLike | None = None
) -> None:
    """Record ``key``'s fingerprint and whereabouts on the store's load state.

    Called by a pseudonymised load that holds the load claim ``token``, before
    its first write. Raises :class:`~graph.errors.PseudonymKeyMismatch` if the
    store meanwhile records another key.
    """
    rows = store.run(
        cypher.RECORD_PSEUDONYM_KEY,
        token=token,
        fingerprint=key_fingerprint(key),
        source=pseudonym_key_source(home),
    )
    if not rows:
        check_pseudonym_key(store, key, home=home)
        raise LoadInProgress("another load took over the store; this load stopped")


# -- erasure -----------------------------------------------------------------------------
def erase_member(
    store: Store, member_ids: str | Iterable[str], *, home: str | os.PathLike | None = None
) -> int:
    """Erase people: their member nodes (and relationships), and their rows in written files.

    Parameters
    ----------
    store : graph.store.Store
        An open store.
    member_ids : str or iterable of str
        The people's ids as the data steward knows them. Where a pseudonym key
        exists (the store was loaded with ``--pseudonymize``) their pseudonyms
        are erased too, since that is all the store knows them by.
    home : path, optional
        The project data directory (``$COALITION_HOME``): rows of these people
        are removed from every ``member_metrics`` file under it, and the key
        is looked for there.

    Returns
    -------
    int
        The number of member nodes erased.

    Raises
    ------
    graph.errors.PseudonymKeyMismatch
        If the store's pseudonyms were made with another key than the one
        found (or none is found): the person could not be found by it.

    Notes
    -----
    In the embedded store the member key index is rebuilt, so its files keep
    no copy of an erased id. A real Neo4j manages its own store files.
    """
    ids = [member_ids] if isinstance(member_ids, str) else list(member_ids)
    key_home = home if home is not None else store.config.home
    key = existing_pseudonym_key(key_home)
    check_pseudonym_key(store, key, home=key_home, doing="erase")
    if key is not None:
        ids += [pseudonymize(m, key) for m in ids]
    ids = list(dict.fromkeys(ids))
    erased = store.run(cypher.ERASE_MEMBERS, ids=ids)[0]["erased"]
    # the last load's ledger lists the erased keys, and no longer describes the store
    store.run(cypher.TOUCH_LOAD_STATE, now=time.time())
    shutil.rmtree(ledger_home(home if home is not None else store.config.home), ignore_errors=True)
    if erased and store.config.embedded:
        # ArcadeDB keeps a deleted key in its index pages until they are
        # compacted; rebuilding the member key index drops it for good.
        store.run(cypher.DROP_MEMBER_KEY)
        store.run(cypher.CREATE_MEMBER_KEY)
    base = coalition_home(home if home is not None else store.config.home)
    for path in base.rglob("member_metrics.*"):
        _scrub(path, set(ids))
    log.info("erased %d member node(s)", erased)
    return erased


def _scrub(path: Path, ids: set[str]) -> None:
    if path.suffix == ".csv":
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
            fields = rows[0].keys() if rows else None
        if fields is None:
            return
        kept = [r for r in rows if r.get("member_id") not in ids]
        with open(path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(fields))
            writer.writeheader()
            writer.writerows(kept)
    elif path.suffix == ".json":
        rows = json.loads(path.read_text(encoding="utf-8"))
        kept = [r for r in rows if r.get("member_id") not in ids]
        path.write_text(json.dumps(kept, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    elif path.suffix == ".parquet":
        import pandas as pd

        frame = pd.read_parquet(path)
        frame[~frame["member_id"].isin(ids)].to_parquet(path, index=False)
