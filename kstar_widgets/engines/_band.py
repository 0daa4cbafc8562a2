"""The exact engine's per-block work: running foreign candidates and the concept band.

Rows are sorted by concept, so a block's same-concept columns form one narrow
band. Foreign candidates reach each row from every product it takes part in
(:class:`RunningTop`); when a block's turn comes, :func:`count_band` counts its
band against ``d_foreign`` and sends what float32 cannot settle to float64
(:mod:`.settle`).
"""

from __future__ import annotations

import numpy as np

from .settle import below_and_unsure, nearest_foreign, settled_closer

INF = float("inf")


class RunningTop:
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


def later_columns(s, g, r0, r1, shared, space, best):
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


def count_band(band, r0, r1, lo, space, best, islands=None):
    """k* and intruder (sorted column) for block rows r0..r1; rows settled in float64.

    band: S for those rows over columns lo.. of their concepts. Foreign columns
    inside the block go to `best` here; by now it holds every other column.
    islands: a :class:`._components.BandComponents` that gets the pairs counted
    (same concept, closer than d_foreign), or None.
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
    below, unsure = below_and_unsure(same_band, f_tilde, margin)
    sure = below.sum(dim=1)
    if islands is not None:
        islands.add_mask(below, r0, lo)
    del below
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
    p_sorted, closer, uns = _settle(settle, unsure, thr, r0, lo, space, best, intr)
    k[p_sorted - r0] += np.bincount(uns[:, 0], weights=closer, minlength=len(p_sorted)).astype(
        np.int64
    )
    if islands is not None and closer.any():
        islands.add_pairs(p_sorted[uns[closer, 0]], uns[closer, 1], lo, band.shape[1])
    return k, intr, len(p_sorted)


def _settle(settle, unsure, thr, r0, lo, space, best, intr):
    """Float64 decisions for the block rows `settle`: their intruders (written into intr)
    and, per unsure pair (row slot, sorted column), whether it is closer than d_foreign.

    Returns (sorted rows settled, closer bool (m,), unsure pairs (m, 2))."""
    import torch

    nb = len(intr)
    slot = torch.full((nb,), -1, dtype=torch.long, device=unsure.device)
    slot[settle] = torch.arange(len(settle), device=unsure.device)
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
    uns = uns.cpu().numpy()
    return p_sorted, settled_closer(space.ref, order[p_sorted], order, uns, nearest), uns
