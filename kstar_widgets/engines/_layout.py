"""The exact engines' block layout: samples sorted by concept, cut into row blocks of whole concepts.

The in-process engine and its Dask twin cut the same blocks (:meth:`Layout.blocks`), read
the same concept windows (:meth:`Layout.window`) and put the sorted results back in input
order the same way (:meth:`Layout.to_input`, :meth:`Layout.to_input_ids`), so their results
agree sample for sample.
"""

from __future__ import annotations

import numpy as np


class Layout:
    """Samples in concept order.

    Attributes
    ----------
    order : int64 ndarray of shape (n_samples,)
        Input index of each sorted position (a stable sort of the codes).
    codes : int64 ndarray of shape (n_samples,)
        Concept code of each sorted position.
    starts, ends : int64 ndarrays of shape (n_concepts,)
        The sorted positions each concept spans, ``starts[c] .. ends[c]``.

    Examples
    --------
    >>> import numpy as np
    >>> layout = Layout(np.array([1, 0, 1, 0, 0]))
    >>> layout.order.tolist(), layout.blocks(2)
    ([1, 3, 4, 0, 2], [(0, 2), (2, 3), (3, 5)])
    """

    def __init__(self, codes: np.ndarray):
        self.order = np.argsort(codes, kind="stable")
        self.codes = codes[self.order]
        concepts = np.arange(int(self.codes[-1]) + 1)
        self.starts = np.searchsorted(self.codes, concepts, side="left")
        self.ends = np.searchsorted(self.codes, concepts, side="right")

    @property
    def largest(self) -> int:
        """Samples in the largest concept."""
        return int((self.ends - self.starts).max())

    def blocks(self, block: int) -> list[tuple[int, int]]:
        """Row ranges of at most `block` rows made of whole concepts (a concept larger
        than `block` is cut in pieces), so the same-concept band stays narrow."""
        out, r0, r1 = [], 0, 0
        for hi in self.ends.tolist():
            if hi - r0 > block and r1 > r0:
                out.append((r0, r1))
                r0 = r1
            while hi - r0 > block:
                out.append((r0, r0 + block))
                r0 += block
            r1 = hi
        if r1 > r0:
            out.append((r0, r1))
        return out

    def window(self, r0: int, r1: int) -> tuple[int, int]:
        """The columns lo..hi of the concepts of sorted rows r0..r1 (their band)."""
        return int(self.starts[self.codes[r0]]), int(self.ends[self.codes[r1 - 1]])

    def to_input(self, values: np.ndarray) -> np.ndarray:
        """Per-sample values from sorted order back to input order."""
        out = np.empty_like(values)
        out[self.order] = values
        return out

    def to_input_ids(self, ids: np.ndarray) -> np.ndarray:
        """Sorted positions that name samples (intruders, island labels) as input indices, in input order."""
        return self.to_input(self.order[ids])
