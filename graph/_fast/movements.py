"""Participation and E-I index: how each node's ties spread over movement codes."""

from __future__ import annotations

import logging

import numpy as np
import scipy as sp

from graph._fast.arrays import Arrays

log = logging.getLogger(__name__)


def participation(arrays: Arrays, codes: np.ndarray) -> np.ndarray:
    """Participation coefficient; NaN when a node's ties weigh 0 in total."""
    n = arrays.n
    A = arrays.matrix
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    per = sp.sparse.coo_array(
        (A.data, (rows, codes[A.indices])), shape=(n, int(codes.max(initial=-1)) + 1)
    ).tocsr()
    per.sum_duplicates()
    total = np.asarray(per.sum(axis=1)).ravel()
    per_rows = np.repeat(np.arange(n), np.diff(per.indptr))
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = per.data / total[per_rows]
        result = np.maximum(0.0, 1.0 - np.bincount(per_rows, shares**2, minlength=n))
    result[total == 0] = np.nan
    result[np.diff(A.indptr) == 0] = 0.0
    return result


def ei_index(arrays: Arrays, codes: np.ndarray) -> np.ndarray:
    """Krackhardt-Stern E-I index; NaN for a node without ties."""
    A = arrays.matrix
    n = arrays.n
    rows = np.repeat(np.arange(n), np.diff(A.indptr))
    internal = np.bincount(rows, codes[rows] == codes[A.indices], minlength=n)
    ties = np.diff(A.indptr)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (ties - 2 * internal) / ties


def shared_item_table(
    groups: np.ndarray, items: np.ndarray, code_of_group: np.ndarray, size: int
) -> np.ndarray:
    """Movement x movement counts of the items that link groups of both (upper triangle).

    Link ``k`` joins group ``groups[k]`` (in movement ``code_of_group[groups[k]]``,
    of ``size`` movements) to item ``items[k]``; a repeated link counts once. Cell
    ``(a, b)``, ``a < b``, counts the items linked to a group of ``a`` and one of
    ``b``; cell ``(a, a)`` those linked to two or more groups of ``a``.
    """
    table = np.zeros((size, size), dtype=np.int64)
    if not len(items):
        return table
    width = int(groups.max()) + 1
    pairs = np.unique(items.astype(np.int64) * width + groups)
    item, group = np.divmod(pairs, width)
    # per item and movement: how many of its groups are in that movement
    keys, per = np.unique(item * size + code_of_group[group], return_counts=True)
    item, code = np.divmod(keys, size)
    np.add.at(table, (code[per >= 2], code[per >= 2]), 1)
    # keys are sorted by item, then movement: pair each with the later ones of its item
    for step in range(1, size):
        same = item[step:] == item[:-step]
        np.add.at(table, (code[:-step][same], code[step:][same]), 1)
    return table
