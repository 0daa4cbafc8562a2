"""Exact k*: blocked float32 products, borderline cases settled in float64.

For a sample p of concept c (METHOD.md)

    k*_p = 1 + #{q != p : label(q) = c and d(p, q) < d_foreign(p)}

so no sort is needed, only the nearest foreign distance and a count.

Samples are ordered by concept and cut into row blocks of whole concepts. Squared
distances come from float32 products, ``S[p, q] = |w_q|^2 - 2 w_p.w_q``
(``|w_p|^2`` is constant along a row and dropped). The distance matrix is
symmetric, so each product ``W_I W_J^T`` of two blocks is computed once: block I
multiplies only the columns from its own concepts onward. Its rows take their
foreign candidates from those columns; the later rows take theirs from the same
product, transposed. Running top-2 foreign values per row collect the rest. When
block I's turn comes its rows have seen every column, so its concept band
(the same-concept columns) is counted at once. About half the flops of the full
matrix.

A rigorous rounding bound ``e_p`` says which comparisons float32 cannot settle;
those few are recomputed in float64 exactly as the brute-force reference does,
``sum((r_q - r_p)**2)``, so ties (integer pixels, duplicate images) follow the
rule "the other concept wins a tie". Memory: O(n*d + block*n); the n x n matrix
is never built.
"""

from __future__ import annotations

import numpy as np

from ._device import full_precision_matmul, work_budget
from ._float64 import (
    ReferenceRows,
    centred_float32,
    nearest_foreign,
    rounding_bound,
    squared_norms64,
)
from ._progress import progress_bar

INF = float("inf")


def exact_kstar(features, codes, *, norms=None, device, progress=True):
    """Exact k* for every sample.

    Parameters
    ----------
    features : ndarray of shape (n_samples, n_features), float32 or float64
    codes : int ndarray of shape (n_samples,), concept index of each sample
    norms : float64 ndarray of shape (n_samples,) or None
        Row norms for cosine (rows are compared as unit vectors); None for Euclidean.
    device : torch.device

    Returns
    -------
    k : int64 ndarray (n_samples,)
    intruder : int64 ndarray (n_samples,), index of a nearest other-concept sample
    intruder_sqdist : float64 ndarray (n_samples,), its squared distance (float64)
    n_resolved : int, rows whose borderline comparisons went to float64
    """
    import torch

    n, d = features.shape
    ref = ReferenceRows(features, norms)
    order = np.argsort(codes, kind="stable")
    sc = codes[order]
    n_concepts = int(sc[-1]) + 1
    starts = np.searchsorted(sc, np.arange(n_concepts), side="left")
    ends = np.searchsorted(sc, np.arange(n_concepts), side="right")

    w_np, slack = centred_float32(ref, order)
    sq64 = squared_norms64(w_np)  # on the host: MPS has no float64
    space = _Space(
        w=torch.from_numpy(w_np).to(device),
        sq=torch.from_numpy(sq64.astype(np.float32)).to(device),
        codes=torch.from_numpy(sc).to(device),
        margin=torch.from_numpy(2 * rounding_bound(np.sqrt(sq64), slack, d)).to(
            device=device, dtype=torch.float32
        ),
        ref=ref,
        order=order,
    )
    best = _RunningTop(n, device)
    block = _block_rows(n, int((ends - starts).max()), device)

    # reused for every block: fresh pages for each product cost ~10% on CPU
    buffers = torch.empty((2, block * n), device=device)
    k = np.empty(n, dtype=np.int64)
    intr = np.empty(n, dtype=np.int64)
    n_resolved = 0
    bar = progress_bar(total=n, desc="exact k*", unit="sample", enable=progress)
    with torch.inference_mode(), full_precision_matmul():
        for r0, r1 in _blocks(ends, block):
            lo, hi = int(starts[sc[r0]]), int(ends[sc[r1 - 1]])
            shape = (r1 - r0, n - lo)  # rows r0..r1 x columns lo..n
            g = torch.mm(space.w[r0:r1], space.w[lo:].T, out=_view(buffers[0], shape))
            s = torch.add(space.sq[lo:], g, alpha=-2.0, out=_view(buffers[1], shape))
            band = s[:, : hi - lo].clone()  # the block's concepts: counted below
            if r1 < n:
                shared = max(int(starts[sc[r1 - 1]]), r0) - r0, int(ends[sc[r1 - 1]]) - r1
                _later_columns(s[:, r1 - lo :], g[:, r1 - lo :], r0, r1, shared, space, best)
            del g, s
            k[r0:r1], intr[r0:r1], settled = _count_band(band, r0, r1, lo, space, best)
            n_resolved += settled
            bar.update(r1 - r0)
    bar.close()

    k_orig = np.empty(n, dtype=np.int64)
    k_orig[order] = k
    intr_orig = np.empty(n, dtype=np.int64)
    intr_orig[order] = order[intr]
    d_intr = ref.pair_sqdist(np.arange(n), intr_orig)
    return k_orig, intr_orig, d_intr, n_resolved


class _Space:
    """The sorted float32 rows on the device and what the blocks need besides."""

    def __init__(self, *, w, sq, codes, margin, ref, order):
        self.w, self.sq, self.codes, self.margin = w, sq, codes, margin
        self.ref, self.order = ref, order

    def foreign_rows(self, rows):
        """Full rows of S for sorted rows `rows`, same-concept columns (self too) set to inf."""
        import torch

        s = torch.addmm(self.sq[None, :], self.w[rows], self.w.T, beta=1.0, alpha=-2.0)
        return s.masked_fill_(self.codes[rows, None] == self.codes[None, :], INF)


class _RunningTop:
    """The WIDTH smallest foreign values seen so far per row, and their columns.

    Four, not two: a row whose nearest foreign candidates are too close for
    float32 to order is settled in float64 from these, and needs its full row
    recomputed only when all four are that close (duplicates, integer pixels).
    """

    WIDTH = 4

    def __init__(self, n, device):
        import torch

        self.values = torch.full((n, self.WIDTH), INF, device=device)
        self.cols = torch.zeros((n, self.WIDTH), dtype=torch.long, device=device)

    def offer(self, r0, r1, x, offset, dim=1):
        """Merge the smallest entries of x (rows r0..r1 along dim 0, or along dim 1
        when dim=0), whose columns start at `offset`."""
        import torch

        x = x if dim == 1 else x.T
        m = min(self.WIDTH, x.shape[1])
        v, c = torch.topk(x, m, dim=1, largest=False)
        v = torch.cat([self.values[r0:r1], v], dim=1)
        c = torch.cat([self.cols[r0:r1], c + offset], dim=1)
        v, pick = torch.topk(v, self.WIDTH, dim=1, largest=False)
        self.values[r0:r1] = v
        self.cols[r0:r1] = torch.gather(c, 1, pick)


def _view(flat, shape):
    return flat[: shape[0] * shape[1]].view(shape)


def _block_rows(n, max_concept, device):
    """Rows per block: the product, its transpose pass and the band fit the work budget."""
    band_guess = min(n, 2 * max_concept)
    block = int(work_budget(device) // (12 * n + 13 * band_guess))
    # Below ~256 rows the product loses efficiency; wide blocks make the band
    # (computed for both triangles) a larger share.
    return int(min(max(block, 16), max(256, -(-n // 16)), 8192, n))


def _blocks(ends, block):
    """Row ranges of at most `block` rows made of whole concepts (a concept larger
    than `block` is cut in pieces), so the same-concept band stays narrow."""
    r0 = r1 = 0
    for hi in ends.tolist():
        if hi - r0 > block and r1 > r0:
            yield r0, r1
            r0 = r1
        while hi - r0 > block:
            yield r0, r0 + block
            r0 += block
        r1 = hi
    if r1 > r0:
        yield r0, r1


def _later_columns(s, g, r0, r1, shared, space, best):
    """Foreign candidates between block rows r0..r1 and every later row, both ways.

    s: S for the block's rows over columns r1..n; g: the plain products there,
    overwritten with S for the later rows over the block's columns. `shared`: the
    block rows (from its start) and later columns (up to) of a concept cut at r1;
    those pairs are same-concept, not foreign.
    """
    rows_from, cols_to = shared
    if cols_to > 0:
        s[rows_from:, :cols_to] = INF
    best.offer(r0, r1, s, r1)
    t = g.mul_(-2.0).add_(space.sq[r0:r1, None])  # exact scaling, one rounding, as s
    if cols_to > 0:
        t[rows_from:, :cols_to] = INF
    best.offer(r1, len(best.values), t, r0, dim=0)


def _count_band(band, r0, r1, lo, space, best):
    """k* and intruder (sorted column) for block rows r0..r1; rows settled in float64.

    band: S for those rows over columns lo.. of their concepts. Foreign columns
    inside the block go to `best` here; by now it holds every other column.
    """
    import torch

    nb = r1 - r0
    rows = torch.arange(nb, device=band.device)
    band[rows, rows + (r0 - lo)] = INF  # p itself is neither foreign nor counted
    same = space.codes[r0:r1, None] == space.codes[None, lo : lo + band.shape[1]]
    block = slice(r0 - lo, r1 - lo)
    best.offer(r0, r1, band[:, block].masked_fill(same[:, block], INF), r0)
    same_band = band.masked_fill_(~same, INF)
    f_tilde, second = best.values[r0:r1, 0], best.values[r0:r1, 1]
    intruder = best.cols[r0:r1, 0]
    margin = space.margin[r0:r1]
    sure, unsure = sure_and_unsure(same_band, f_tilde, margin)
    # Settle in float64 the rows with a same-concept sample within rounding of
    # d_foreign, and those with a second foreign candidate that close (their
    # intruder, and d_foreign itself, need exact distances).
    thr = f_tilde + margin
    many = second <= thr
    settle = torch.nonzero(unsure.any(dim=1) | many).flatten()
    k = (1 + sure).cpu().numpy()
    intr = intruder.cpu().numpy()
    if len(settle) == 0:
        return k, intr, 0
    slot = torch.full((nb,), -1, dtype=torch.long, device=band.device)
    slot[settle] = torch.arange(len(settle), device=band.device)
    # foreign candidates within rounding of d_foreign: from the running list, or
    # from the full row when every entry of the list is that close
    full = best.values[r0 + settle, -1] <= thr[settle]
    crowded, listed = settle[full], settle[~full]
    near = torch.nonzero(best.values[r0 + listed] <= thr[listed, None])
    cand = [
        torch.stack([slot[listed[near[:, 0]]], best.cols[r0 + listed[near[:, 0]], near[:, 1]]], 1)
    ]
    for m0 in range(0, len(crowded), nb):  # a block's worth of full rows at a time
        part = crowded[m0 : m0 + nb]
        near = torch.nonzero(space.foreign_rows(r0 + part) <= thr[part, None])
        near[:, 0] = slot[part[near[:, 0]]]
        cand.append(near)
    uns = torch.nonzero(unsure)  # every unsure row is in settle
    uns[:, 0] = slot[uns[:, 0]]
    uns[:, 1] += lo
    p_sorted = r0 + settle.cpu().numpy()
    order = space.order
    nearest, intr[p_sorted - r0] = nearest_foreign(
        space.ref, order, p_sorted, torch.cat(cand).cpu().numpy()
    )
    k[p_sorted - r0] += settled_counts(
        space.ref, order[p_sorted], order, uns.cpu().numpy(), nearest
    )
    return k, intr, len(p_sorted)


def sure_and_unsure(s, centre, margin):
    """Per row, entries of s surely below `centre`, counted, and those float32 cannot place.

    Returns (count (m,), unsure (m, w) bool): unsure entries lie within `margin`
    of the row's centre; the float64 reference decides them.
    """
    below = s < (centre - margin)[:, None]
    unsure = (s <= (centre + margin)[:, None]) ^ below  # below implies <=
    return below.sum(dim=1), unsure


def settled_counts(ref, p, cols, pairs, thr64):
    """Per row r: #{unsure (r, j) in pairs with float64 d(p[r], cols[j])^2 < thr64[r]}."""
    if len(pairs) == 0:
        return np.zeros(len(p), dtype=np.int64)
    closer = ref.pair_sqdist(p[pairs[:, 0]], cols[pairs[:, 1]]) < thr64[pairs[:, 0]]
    return np.bincount(pairs[:, 0], weights=closer, minlength=len(p)).astype(np.int64)
