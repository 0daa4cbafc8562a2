"""What the islands section receives: one concept's islands in every result (numpy, no UI).

The overview payload carries only per-concept island figures (count, largest
island's share); the members of a concept's islands travel when that concept is
selected (``concept_islands``), so the page's first payload does not grow with the
number of samples. The saved report has no kernel to ask, so it embeds every
concept's (``island_bank``). The page decides what to show (rows, top intruding
concepts, texts); this module only measures.
"""

from __future__ import annotations

import numpy as np

from ._payload import to_buffer

THUMBS_PER_ISLAND = 3  # thumbnails sent per island row
ROWS = 12  # island rows the page lists (it says how many more there are)


class IslandIndex:
    """A result's samples ordered by concept, island, then index: slices per concept."""

    def __init__(self, result):
        self.result = result
        n, nc = result.n_samples, len(result.concepts)
        self.order = np.lexsort((np.arange(n), result.island, result.codes))
        self.starts = np.searchsorted(result.codes[self.order], np.arange(nc + 1))

    def members(self, code: int) -> np.ndarray:
        """Samples of concept ``code``, island 0 first, by index within an island."""
        return self.order[self.starts[code] : self.starts[code + 1]]

    def concept(self, code: int) -> dict:
        """``sizes`` (n_islands,), ``members`` (n_c,) and ``between`` counts of concept ``code``.

        ``between`` lists every (island, intruding concept, count) with count > 0:
        how many of the island's members have their first foreign neighbour in that
        concept, sorted by island, then count (largest first), then concept code.
        """
        r = self.result
        members = self.members(code)
        island = r.island[members]
        intruder = r.intruder[members]
        known = intruder >= 0  # an approximate result's censored samples have none
        nc = len(r.concepts)
        key = island[known] * nc + r.codes[intruder[known]]
        keys, counts = np.unique(key, return_counts=True)
        isl, other = keys // nc, keys % nc
        o = np.lexsort((other, -counts, isl))
        return {
            "sizes": to_buffer(np.bincount(island), np.int32),
            "members": to_buffer(members, np.int32),
            "between": {
                "island": to_buffer(isl[o], np.int32),
                "concept": to_buffer(other[o], np.int32),
                "count": to_buffer(counts[o], np.int32),
            },
        }

    def thumbnail_ids(self, code: int, *, rows=ROWS, per=THUMBS_PER_ISLAND) -> np.ndarray:
        """The first ``per`` members of each of the first ``rows`` islands of concept ``code``."""
        members = self.members(code)
        island = self.result.island[members]
        starts = np.searchsorted(island, np.arange(min(rows, int(island[-1]) + 1)))
        return np.concatenate([members[s : s + per][island[s : s + per] == i] for i, s in
                               enumerate(starts)])  # fmt: skip


def island_indexes(results: dict) -> list:
    """One IslandIndex per result (None for a result computed with ``islands=False``)."""
    return [None if r.island is None else IslandIndex(r) for r in results.values()]


def concept_islands(indexes: list, code: int) -> dict:
    """``{"code", "results"}``: concept ``code``'s islands in each result (None: not computed)."""
    if code < 0:
        return {"code": -1, "results": []}
    return {"code": int(code), "results": [None if x is None else x.concept(code) for x in indexes]}


def island_bank(results: dict) -> dict:
    """Every concept's ``concept_islands``, keyed by its code as a string (the saved report)."""
    indexes = island_indexes(results)
    n = len(next(iter(results.values())).concepts)
    if all(x is None for x in indexes):
        return {}
    return {str(code): concept_islands(indexes, code) for code in range(n)}
