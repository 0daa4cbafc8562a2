"""Islands inside the engines: connected components of each concept's k* graph.

For a concept c, G_c joins p and q (same concept) when d(p, q) < d_foreign(p) or
d(q, p) < d_foreign(q): exactly the same-concept pairs k* counts (docs/method.md,
"Islands of a concept"). The engines meet these pairs while counting k*; nothing
here stores them all (a concept of 4,000 samples can have millions).

- :class:`BandComponents` (exact engine): a label per sample, merged block by block.
  A block's edges are read from its boolean "closer than d_foreign" mask, a chunk of
  rows at a time; pairs whose labels already agree are dropped on the device before
  anything is copied, and the rest are merged through a small graph of labels.
- :func:`components` (approximate engine): one pass over an edge list.

Raw ids only; the numbering "0 = the largest island" is done once, in
``kstar_widgets.stats._islands``.
"""

from __future__ import annotations

import time

import numpy as np

# entries of a block's mask looked at per merge: the first chunk of a block, and at most
# (which bounds the edges copied at once)
FIRST, CHUNK = 1 << 12, 1 << 18


class BandComponents:
    """Labels of n samples (in the exact engine's concept order), merged as edges arrive.

    Invariant: ``label[x - offset]`` is a sample of x's current component, the same for
    all of it. Components never leave a concept, and a concept's samples are contiguous,
    so a merge over the columns ``lo..hi`` of a block's band touches only those labels.
    ``offset``: the first sample held (a Dask band task holds only its band's columns,
    ``offset .. offset + n``). Memory: n labels plus one chunk of edges. ``seconds``:
    wall time spent merging. ``host_numpy``: masks on the CPU go through numpy (torch's
    CPU ops on these small chunks ran 15-25x slower than numpy's when the cores were
    shared, threads waiting on each other); False sends them down the accelerator path.
    """

    def __init__(self, n: int, offset: int = 0, *, host_numpy: bool = True):
        self.offset = offset
        self.host_numpy = host_numpy
        self.label = np.arange(offset, offset + n, dtype=np.int64)
        self.seconds = 0.0

    def add_mask(self, mask, r0: int, lo: int) -> None:
        """Merge the edges (r0 + i, lo + j) where the torch bool mask (rows, width) is True.

        Rows go in chunks that start small and double: the first rows of a concept
        merge most of it, after which few of its pairs still join two labels.
        """
        t0 = time.perf_counter()
        nb, width = mask.shape
        host = mask.device.type == "cpu" and self.host_numpy
        m = mask.numpy() if host else mask
        lab = self._window(lo, width)
        step, most = max(1, FIRST // width), max(1, CHUNK // width)
        c0 = 0
        while c0 < nb:
            c1 = min(nb, c0 + step)
            if host:
                a, b = _live_pairs(lab, m[c0:c1], r0 - lo + c0)
            else:
                a, b = _live_pairs_torch(lab, m[c0:c1], r0 - lo + c0)
            if len(a):
                self._merge(a, b, lo, width)
            c0, step = c1, min(2 * step, most)
        self.seconds += time.perf_counter() - t0

    def add_pairs(self, rows: np.ndarray, cols: np.ndarray, lo: int, width: int) -> None:
        """Merge the edges (rows[i], cols[i]), all inside lo .. lo + width."""
        t0 = time.perf_counter()
        a, b = self.label[rows - self.offset], self.label[cols - self.offset]
        keep = a != b
        if keep.any():
            self._merge(a[keep], b[keep], lo, width)
        self.seconds += time.perf_counter() - t0

    def _merge(self, a, b, lo, width):
        """Join the components labelled a[i] and b[i] (labels inside lo .. lo + width)."""
        n_comp, comp = _graph_components(width, a - lo, b - lo)
        rep = np.empty(n_comp, dtype=np.int64)
        rep[comp] = np.arange(width)  # any label of the merged component represents it
        window = self._window(lo, width)
        window[:] = lo + rep[comp[window - lo]]

    def _window(self, lo, width):
        """The labels of samples lo .. lo + width (a view)."""
        return self.label[lo - self.offset : lo - self.offset + width]

    def forest(self):
        """The components as edges (sample, its label), one per sample not its own label.

        A spanning forest of what was merged (at most n - 1 edges): merging these
        elsewhere gives the same components as merging every edge seen here.
        """
        moved = np.flatnonzero(self.label != np.arange(self.offset, self.offset + len(self.label)))
        return moved + self.offset, self.label[moved]


def _live_pairs(lab, mask, first_row):
    """Label pairs (row's, column's) of the mask's edges whose labels differ (numpy)."""
    rows = lab[first_row : first_row + len(mask)]
    live = rows[:, None] != lab[None, :]  # an edge inside one component changes nothing
    live &= mask
    i, j = np.nonzero(live)
    return rows[i], lab[j]


def _live_pairs_torch(lab, mask, first_row):
    """As :func:`_live_pairs`, for a mask on an accelerator (only the pairs are copied)."""
    import torch

    lab_t = torch.from_numpy(lab).to(mask.device)
    rows = lab_t[first_row : first_row + len(mask)]
    live = rows[:, None] != lab_t[None, :]
    live &= mask
    i, j = torch.nonzero(live, as_tuple=True)
    return rows[i].cpu().numpy(), lab_t[j].cpu().numpy()


def components(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Component id (a member's index) of each of n nodes joined by edges (rows[i], cols[i])."""
    n_comp, comp = _graph_components(n, rows, cols)
    rep = np.empty(n_comp, dtype=np.int64)
    rep[comp] = np.arange(n)
    return rep[comp]


def spanning_pairs(nodes: np.ndarray, rows: np.ndarray, cols: np.ndarray):
    """Edges (local indices into `nodes`) reduced to one per node: (nodes, a member of its component).

    Keeps connectivity with at most len(nodes) edges instead of all of them.
    """
    comp = components(len(nodes), rows, cols)
    return nodes, nodes[comp]


def _graph_components(n, rows, cols):
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    g = coo_matrix((np.ones(len(rows), dtype=bool), (rows, cols)), shape=(n, n))
    return connected_components(g, directed=False)
