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
from ._progress import progress_bar

_U32 = 2.0**-24
_U64 = 2.0**-53


class ReferenceRows:
    """The float64 vectors the reference compares: raw rows, or unit rows for cosine."""

    def __init__(self, features: np.ndarray, norms: np.ndarray | None = None):
        self.features = features
        self.norms = norms

    def rows(self, idx) -> np.ndarray:
        r = self.features[idx].astype(np.float64)
        if self.norms is not None:
            r = r / self.norms[idx, None]
        return r

    def sqdist(self, i: int, js: np.ndarray) -> np.ndarray:
        """Float64 squared distances from row i to rows js, as the reference computes them."""
        return ((self.rows(js) - self.rows(i)) ** 2).sum(axis=1)

    def pair_sqdist(self, i: np.ndarray, j: np.ndarray, chunk: int = 16384) -> np.ndarray:
        out = np.empty(len(i))
        for s in range(0, len(i), chunk):
            out[s : s + chunk] = ((self.rows(j[s : s + chunk]) - self.rows(i[s : s + chunk])) ** 2).sum(1)
        return out


def _centred_float32(ref: ReferenceRows, order: np.ndarray, chunk: int = 8192):
    """Rows in concept order, centred in float64 and rounded to float32.

    Centring keeps |w|^2 small next to the distances, which keeps the rounding
    band narrow (ReLU features sit far from the origin).
    Returns (w, slack): slack bounds the float64 centring error per row.
    """
    n, d = ref.features.shape
    mean = np.zeros(d)
    for s in range(0, n, chunk):
        mean += ref.rows(np.arange(s, min(n, s + chunk))).sum(axis=0)
    mean /= n
    w = np.empty((n, d), dtype=np.float32)
    raw_norm = np.empty(n)
    for s in range(0, n, chunk):
        r = ref.rows(order[s : s + chunk])
        raw_norm[s : s + chunk] = np.linalg.norm(r, axis=1)
        w[s : s + chunk] = r - mean
    slack = 4 * _U64 * (raw_norm + np.linalg.norm(mean))
    return w, slack


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

    w_np, slack = _centred_float32(ref, order)
    w = torch.from_numpy(w_np).to(device)
    sq = torch.linalg.vector_norm(w.double(), dim=1).pow(2).to(torch.float32)
    a = torch.sqrt(sq.double()).cpu().numpy()
    # |S~ - S| <= c1 (a_p + a_max)^2 + centring slack: float32 rounding of the
    # input (4u), of |w_q|^2 (gamma_d) and of the product (3 gamma_{d+2}),
    # plus the float64 reference's own rounding.
    c1 = 1.05 * ((3 * (d + 2) + 12) * _U32 + 4 * (d + 2) * _U64)
    e_all = c1 * (a + a.max()) ** 2 + 2 * (slack + slack.max()) * (a + a.max()) + 1e-300
    e_all_t = torch.from_numpy(2 * e_all).to(device=device, dtype=torch.float32)

    max_nc = int((ends - starts).max())
    band_guess = min(n, 2 * max_nc)
    block = int(work_budget(device) // (4 * n + 13 * band_guess))
    block = int(min(max(block, 16), 8192, n))

    k = np.empty(n, dtype=np.int64)
    intr = np.empty(n, dtype=np.int64)
    sc_t = torch.from_numpy(sc).to(device)
    inf = float("inf")
    n_resolved = 0
    bar = progress_bar(total=n, desc="exact k*", unit="sample", enable=progress)
    with torch.inference_mode(), full_precision_matmul():
        for r0 in range(0, n, block):
            r1 = min(n, r0 + block)
            lo, hi = int(starts[sc[r0]]), int(ends[sc[r1 - 1]])
            s = torch.addmm(sq[None, :], w[r0:r1], w.T, beta=1.0, alpha=-2.0)
            band = s[:, lo:hi].clone()
            s[:, lo:hi] = inf
            rows = torch.arange(r1 - r0, device=device)
            band[rows, rows + (r0 - lo)] = inf  # p itself is neither foreign nor counted
            same = sc_t[r0:r1, None] == sc_t[None, lo:hi]
            foreign_band = band.masked_fill(same, inf)
            same_band = band.masked_fill_(~same, inf)
            f_out, i_out = s.min(dim=1)
            f_in, i_in = foreign_band.min(dim=1)
            use_in = f_in < f_out
            f_tilde = torch.where(use_in, f_in, f_out)
            intruder = torch.where(use_in, i_in + lo, i_out)
            margin = e_all_t[r0:r1]
            below = same_band < (f_tilde - margin)[:, None]
            sure = below.sum(dim=1)
            unsure = (same_band <= (f_tilde + margin)[:, None]) & ~below
            amb_rows = torch.nonzero(unsure.any(dim=1)).flatten().cpu().tolist()
            k_blk = (1 + sure).cpu().numpy()
            intr_blk = intruder.cpu().numpy()
            for i in amb_rows:
                thr = f_tilde[i] + margin[i]
                foreign = torch.cat(
                    [torch.nonzero(s[i] <= thr).flatten(), torch.nonzero(foreign_band[i] <= thr).flatten() + lo]
                )
                k_blk[i], intr_blk[i] = _resolve_row(
                    ref,
                    order,
                    r0 + i,
                    foreign.cpu().numpy(),
                    torch.nonzero(unsure[i]).flatten().cpu().numpy() + lo,
                    int(sure[i]),
                )
            n_resolved += len(amb_rows)
            k[r0:r1] = k_blk
            intr[r0:r1] = intr_blk
            bar.update(r1 - r0)
            del s, same, same_band, foreign_band, below, unsure
    bar.close()

    k_orig = np.empty(n, dtype=np.int64)
    k_orig[order] = k
    intr_orig = np.empty(n, dtype=np.int64)
    intr_orig[order] = order[intr]
    d_intr = ref.pair_sqdist(np.arange(n), intr_orig)
    return k_orig, intr_orig, d_intr, n_resolved


def _resolve_row(ref, order, p, foreign, unsure, n_sure):
    """Settle one row in float64: exact nearest foreign distance, then count the unsure."""
    d_foreign = ref.sqdist(order[p], order[foreign])
    nearest = d_foreign.min()
    ties = foreign[d_foreign == nearest]
    intruder = ties[np.argmin(order[ties])]  # ties go to the lowest sample index
    n_closer = int((ref.sqdist(order[p], order[unsure]) < nearest).sum())
    return 1 + n_sure + n_closer, intruder


def count_closer_within(ref: ReferenceRows, members: np.ndarray, thr: np.ndarray, *, device) -> np.ndarray:
    """For each p in members: #{q in members, q != p : d64(p, q) < thr[p]} (squared, float64).

    The same float32-then-float64 scheme as exact_kstar, restricted to one concept.
    """
    import torch

    m = len(members)
    if m < 2:
        return np.zeros(m, dtype=np.int64)
    r = ref.rows(members)
    w64 = r - r.mean(axis=0)
    w = torch.from_numpy(w64.astype(np.float32)).to(device)
    sq64 = (w.double() ** 2).sum(1)
    sq = sq64.float()
    a = torch.sqrt(sq64).cpu().numpy()
    d = r.shape[1]
    c1 = 1.05 * ((3 * (d + 2) + 12) * _U32 + 4 * (d + 2) * _U64)
    slack = 4 * _U64 * (np.linalg.norm(r, axis=1) + np.abs(r.mean(axis=0)).sum())
    t64 = thr - sq64.cpu().numpy()  # threshold in the units of S = |w_q|^2 - 2 w_p.w_q
    e = c1 * (a + a.max()) ** 2 + 2 * (slack + slack.max()) * (a + a.max()) + 2 * _U32 * np.abs(t64)
    t = torch.from_numpy(t64).to(device=device, dtype=torch.float32)
    e_t = torch.from_numpy(2 * e).to(device=device, dtype=torch.float32)
    counts = np.empty(m, dtype=np.int64)
    block = int(min(max(work_budget(device) // (12 * m), 16), m))
    with torch.inference_mode(), full_precision_matmul():
        for r0 in range(0, m, block):
            r1 = min(m, r0 + block)
            s = torch.addmm(sq[None, :], w[r0:r1], w.T, beta=1.0, alpha=-2.0)
            rows = torch.arange(r1 - r0, device=device)
            s[rows, rows + r0] = float("inf")
            lo_t, hi_t = (t[r0:r1] - e_t[r0:r1])[:, None], (t[r0:r1] + e_t[r0:r1])[:, None]
            below = s < lo_t
            cnt = below.sum(dim=1).cpu().numpy()
            unsure = (s <= hi_t) & ~below
            for i in torch.nonzero(unsure.any(dim=1)).flatten().cpu().tolist():
                js = torch.nonzero(unsure[i]).flatten().cpu().numpy()
                cnt[i] += int((ref.sqdist(members[r0 + i], members[js]) < thr[r0 + i]).sum())
            counts[r0:r1] = cnt
    return counts
