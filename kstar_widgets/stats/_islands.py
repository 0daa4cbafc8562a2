"""Islands of each concept in a result: numbering and per-concept figures (docs/method.md).

The engines return raw island ids (any id shared by exactly the members of one
island within its concept). Here they get their public numbering, once, and the
concept table its three columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ISLAND_COLUMNS = ("islands", "largest_island_share", "singleton_share")


def number_islands(raw: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Island ids within each concept: 0 the largest, ties by the island's smallest sample index.

    Parameters
    ----------
    raw : int ndarray of shape (n_samples,)
        Any ids; two samples share an island when they share concept and raw id.
    codes : int ndarray of shape (n_samples,)
        Concept of each sample.

    Returns
    -------
    island : int64 ndarray of shape (n_samples,)
    """
    raw = np.asarray(raw, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    n = len(raw)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    o = np.lexsort((np.arange(n), raw, codes))  # by concept, island, then sample index
    cs, rs = codes[o], raw[o]
    new = np.r_[True, (cs[1:] != cs[:-1]) | (rs[1:] != rs[:-1])]
    starts = np.flatnonzero(new)
    size = np.diff(np.r_[starts, n])
    smallest = o[starts]  # the first of each island in this order is its smallest index
    concept = cs[starts]
    rank = np.lexsort((smallest, -size, concept))  # islands in their public order
    position = np.empty(len(starts), dtype=np.int64)
    position[rank] = np.arange(len(starts))
    first = np.searchsorted(concept[rank], concept, side="left")
    island_sorted = np.repeat(position - first, size)
    island = np.empty(n, dtype=np.int64)
    island[o] = island_sorted
    return island


def island_columns(island: np.ndarray, codes: np.ndarray, n_concepts: int) -> dict:
    """Per concept: ``islands`` (count), ``largest_island_share``, ``singleton_share``.

    island must be numbered by :func:`number_islands` (0 the largest).
    """
    n_c = np.bincount(codes, minlength=n_concepts)
    count = np.zeros(n_concepts, dtype=np.int64)
    np.maximum.at(count, codes, island + 1)
    offset = np.r_[0, np.cumsum(count)[:-1]]
    size = np.bincount(offset[codes] + island, minlength=int(count.sum()))
    alone = size[offset[codes] + island] == 1
    return {  # every concept has a sample, so island 0 exists and n_c > 0
        "islands": count,
        "largest_island_share": size[offset] / n_c,
        "singleton_share": np.bincount(codes, alone, minlength=n_concepts) / n_c,
    }


def with_island_columns(table: pd.DataFrame, island, codes) -> pd.DataFrame:
    """The concept table with the island columns added (unchanged when island is None)."""
    if island is None:
        return table
    cols = island_columns(island, codes, len(table))
    return table.assign(**{name: cols[name] for name in ISLAND_COLUMNS})
