"""Exact k*: blocked float32 products, borderline cases settled in float64.

For a sample p of concept c (METHOD.md)

    k*_p = 1 + #{q != p : label(q) = c and d(p, q) < d_foreign(p)}

so no sort is needed, only the nearest foreign distance and a count. Samples
are ordered by concept, so the same-concept columns of a block of rows form one
narrow band; everything outside the band is foreign. Squared distances come from
one float32 product per block, ``S[p, q] = |w_q|^2 - 2 w_p.w_q`` (``|w_p|^2`` is
constant along a row and dropped). A rigorous rounding bound ``e_p`` says which
comparisons float32 cannot settle; those few are recomputed in float64 exactly as
the brute-force reference does, ``sum((r_q - r_p)**2)``, so ties (integer pixels,
duplicate images) follow the rule "the other concept wins a tie".
Memory: O(n*d + block*n); the n x n matrix is never built.
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
    w = torch.from_numpy(w_np).to(device)
    sq64 = squared_norms64(w_np)  # on the host: MPS has no float64
    sq = torch.from_numpy(sq64.astype(np.float32)).to(device)
    a = np.sqrt(sq64)
    e_all_t = torch.from_numpy(2 * rounding_bound(a, slack, d)).to(
        device=device, dtype=torch.float32
    )

    max_nc = int((ends - starts).max())
    band_guess = min(n, 2 * max_nc)
    block = int(work_budget(device) // (4 * n + 13 * band_guess))
    # Narrow blocks keep the same-concept band (block + ~2 concept sizes wide) a
    # small share of the columns; below ~256 rows the product loses efficiency.
    block = int(min(max(block, 16), max(256, -(-n // 16)), 8192, n))

    k = np.empty(n, dtype=np.int64)
    intr = np.empty(n, dtype=np.int64)
    sc_t = torch.from_numpy(sc).to(device)
    n_resolved = 0
    bar = progress_bar(total=n, desc="exact k*", unit="sample", enable=progress)
    with torch.inference_mode(), full_precision_matmul():
        for r0, r1 in _blocks(ends, block):
            lo, hi = int(starts[sc[r0]]), int(ends[sc[r1 - 1]])
            s = torch.addmm(sq[None, :], w[r0:r1], w.T, beta=1.0, alpha=-2.0)
            k[r0:r1], intr[r0:r1], settled = _block(s, r0, lo, hi, sc_t, e_all_t[r0:r1], ref, order)
            n_resolved += settled
            bar.update(r1 - r0)
            del s
    bar.close()

    k_orig = np.empty(n, dtype=np.int64)
    k_orig[order] = k
    intr_orig = np.empty(n, dtype=np.int64)
    intr_orig[order] = order[intr]
    d_intr = ref.pair_sqdist(np.arange(n), intr_orig)
    return k_orig, intr_orig, d_intr, n_resolved


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


def _smallest_two(x, offset=0):
    """The two smallest values per row and their column (+ offset); inf-padded."""
    import torch

    m = min(2, x.shape[1])
    v, i = torch.topk(x, m, dim=1, largest=False) if m else (x[:, :0], x[:, :0].long())
    if m < 2:
        pad = 2 - m
        v = torch.cat([v, v.new_full((len(x), pad), float("inf"))], dim=1)
        i = torch.cat([i, i.new_zeros((len(x), pad))], dim=1)
    return v, i + offset


def _block(s, r0, lo, hi, sc_t, margin, ref, order):
    """k* and nearest foreign column for rows r0.. of the block product s (modified in place).

    Columns [lo, hi) hold every concept of the block's rows (the band); the rest
    is foreign. Returns (k, intruder (sorted column), rows settled in float64).
    """
    import torch

    inf = float("inf")
    nb = len(s)
    band = s[:, lo:hi].clone()
    s[:, lo:hi] = inf
    rows = torch.arange(nb, device=s.device)
    band[rows, rows + (r0 - lo)] = inf  # p itself is neither foreign nor counted
    same = sc_t[r0 : r0 + nb, None] == sc_t[None, lo:hi]
    foreign_band = torch.where(same, inf, band)
    same_band = torch.where(same, band, inf)
    del band
    v_out, i_out = _smallest_two(s)
    v_in, i_in = _smallest_two(foreign_band, lo)
    v, pick = torch.topk(torch.cat([v_out, v_in], 1), 2, dim=1, largest=False)
    cols = torch.gather(torch.cat([i_out, i_in], 1), 1, pick)
    f_tilde, intruder = v[:, 0], cols[:, 0]
    below = same_band < (f_tilde - margin)[:, None]
    sure = below.sum(dim=1)
    unsure = (same_band <= (f_tilde + margin)[:, None]) ^ below  # below implies <=
    # Settle in float64 the rows with a same-concept sample within rounding of
    # d_foreign, and those with a second foreign candidate that close (their
    # intruder, and d_foreign itself, need exact distances).
    many = v[:, 1] <= f_tilde + margin
    settle = torch.nonzero(unsure.any(dim=1) | many).flatten()
    k = (1 + sure).cpu().numpy()
    intr = intruder.cpu().numpy()
    if len(settle) == 0:
        return k, intr, 0
    slot = torch.full((nb,), -1, dtype=torch.long, device=s.device)
    slot[settle] = torch.arange(len(settle), device=s.device)
    multi = settle[many[settle]]
    single = settle[~many[settle]]
    thr = (f_tilde + margin)[multi][:, None]
    out_c = torch.nonzero(s[multi] <= thr)
    in_c = torch.nonzero(foreign_band[multi] <= thr)
    out_c[:, 0], in_c[:, 0] = slot[multi[out_c[:, 0]]], slot[multi[in_c[:, 0]]]
    in_c[:, 1] += lo
    one = torch.stack([slot[single], intruder[single]], dim=1)
    uns = torch.nonzero(unsure)  # every unsure row is in settle
    uns[:, 0] = slot[uns[:, 0]]
    uns[:, 1] += lo
    settle_np = settle.cpu().numpy()
    cand = torch.cat([out_c, in_c, one]).cpu().numpy()
    uns = uns.cpu().numpy()
    nearest, intr_settled = nearest_foreign(ref, order, r0 + settle_np, cand)
    closer = (
        ref.pair_sqdist(order[r0 + settle_np[uns[:, 0]]], order[uns[:, 1]]) < nearest[uns[:, 0]]
    )
    k[settle_np] += np.bincount(uns[:, 0], weights=closer, minlength=len(settle_np)).astype(
        np.int64
    )
    intr[settle_np] = intr_settled
    return k, intr, len(settle_np)
