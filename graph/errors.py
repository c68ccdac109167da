"""One exception hierarchy for the whole product.

The command line turns a :class:`CoalitionError` into one clear message and a
non-zero exit status; anything else is a bug and keeps its traceback.
"""

from __future__ import annotations

__all__ = [
    "CoalitionError",
    "StoreError",
    "StoreUnavailable",
    "StoreAuthError",
    "UnknownDatabase",
    "NotFound",
    "UsageError",
    "LoadInProgress",
    "IncompleteLoad",
    "PseudonymKeyMismatch",
    "ForeignData",
    "UnmarkedStore",
]


class CoalitionError(Exception):
    """Base class of every error a user can cause or fix."""


class UsageError(CoalitionError):
    """A command or function was called with options that make no sense."""


class NotFound(CoalitionError):
    """Something asked for by id (a group, a member) does not exist."""


class StoreError(CoalitionError):
    """The graph store could not be used."""


class StoreUnavailable(StoreError):
    """The store could not be reached or started."""


class StoreAuthError(StoreError):
    """The store refused the user name or password."""


class UnknownDatabase(StoreError):
    """The store has no database of the configured name."""


class LoadInProgress(StoreError):
    """Another load is writing to the store right now."""


class IncompleteLoad(StoreError):
    """A load stopped part-way; re-running it completes the store."""


class PseudonymKeyMismatch(CoalitionError):
    """The store's members were pseudonymised with another key than the one at hand."""


class ForeignData(StoreError):
    """The database holds nodes with the product's labels that the product did not write."""


class UnmarkedStore(StoreError):
    """The store was loaded by a version of the product that did not mark its data."""
