"""Exact k* for a chosen set of rows, each against all n samples.

The approximate engine uses it for the samples its neighbour lists cannot
decide (censored: no foreign sample among the K neighbours). The same scheme as
the exact engine (float32 products with a rigorous rounding bound, the rest
settled in float64 by :mod:`.settle`), but row by row instead of symmetric
tiles: cost ``len(rows) * n * d`` multiply-adds, memory one chunk of rows x n.
"""

from __future__ import annotations

import numpy as np

from .._device import full_precision_matmul, work_budget
from ._cost import GEMM_RATE
from .settle import (
    centred_float32,
    nearest_foreign,
    rounding_bound,
    settled_counts,
    squared_norms64,
    sure_and_unsure,
)

INF = float("inf")


def rows_seconds(n_rows: int, n: int, d: int) -> float:
    """Estimated time of :func:`exact_rows` (products at GEMM speed, plus the scans)."""
    return 3.0 * n_rows * n * d * 2.0 / GEMM_RATE


def exact_rows(problem, rows: np.ndarray):
    """Exact (k, intruder, squared d_foreign) of `rows`, equal to the exact engine's.

    Parameters
    ----------
    problem : Problem
    rows : int ndarray of shape (m,)
        Sample indices.

    Returns
    -------
    k : int64 ndarray of shape (m,)
    intruder : int64 ndarray of shape (m,)
    sqdist : float64 ndarray of shape (m,)
    """
    import torch

    rows = np.asarray(rows, dtype=np.int64)
    n, d, dev = problem.n, problem.d, problem.device
    ref = problem.metric.reference
    ident = np.arange(n)
    w_np, slack = centred_float32(ref, ident)
    sq64 = squared_norms64(w_np)
    w = torch.from_numpy(w_np).to(dev)
    sq = torch.from_numpy(sq64.astype(np.float32)).to(dev)
    margin = torch.from_numpy(2 * rounding_bound(np.sqrt(sq64), slack, d)).to(
        device=dev, dtype=torch.float32
    )
    codes = torch.from_numpy(problem.codes).to(dev)
    k = np.empty(len(rows), dtype=np.int64)
    intruder = np.empty(len(rows), dtype=np.int64)
    sqdist = np.empty(len(rows))
    chunk = int(max(1, min(len(rows), work_budget(dev) // (16 * n))))
    with torch.inference_mode(), full_precision_matmul():
        for c0 in range(0, len(rows), chunk):
            part = rows[c0 : c0 + chunk]
            r = torch.from_numpy(part).to(dev)
            s = torch.addmm(sq[None, :], w[r], w.T, beta=1.0, alpha=-2.0)
            s[torch.arange(len(part), device=dev), r] = INF  # p itself
            foreign = codes[r, None] != codes[None, :]
            f_tilde = s.masked_fill(~foreign, INF).min(dim=1).values
            m = margin[r]
            cand = torch.nonzero(foreign & (s <= (f_tilde + m)[:, None])).cpu().numpy()
            nearest, intr = nearest_foreign(ref, ident, part, cand)
            sure, unsure = sure_and_unsure(s.masked_fill_(foreign, INF), f_tilde, m)
            pairs = torch.nonzero(unsure).cpu().numpy()
            k[c0 : c0 + len(part)] = (
                1 + sure.cpu().numpy() + settled_counts(ref, part, ident, pairs, nearest)
            )
            intruder[c0 : c0 + len(part)] = intr
            sqdist[c0 : c0 + len(part)] = nearest
    return k, intruder, sqdist
