"""Exact k* for a chosen set of rows, each against all n samples.

The approximate engine uses it for the samples its neighbour lists cannot
decide (censored: no foreign sample among the K neighbours). The same scheme as
the exact engine (float32 products with a rigorous rounding bound, the rest
settled in float64 by :mod:`.settle`), but row by row instead of symmetric
tiles: cost ``len(rows) * n * d`` multiply-adds, memory one chunk of rows x n.
"""

from __future__ import annotations

import numpy as np

from ..utils._device import full_precision_matmul
from ..utils._device import work_budget as device_budget
from ._cost import flop_rate
from .settle import float32_rows, nearest_foreign, settled_counts, sure_and_unsure

INF = float("inf")


def rows_seconds(n_rows: int, n: int, d: int) -> float:
    """Estimated time of :func:`exact_rows` (products at GEMM speed, plus the scans)."""
    flops = 3.0 * n_rows * n * d * 2.0
    return flops / flop_rate(flops)


def exact_rows(problem, rows: np.ndarray, *, work_budget=None):
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

    work_budget: bytes a chunk of rows may take (default from the device's free memory).
    """
    import torch

    rows = np.asarray(rows, dtype=np.int64)
    n, dev = problem.n, problem.device
    ref = problem.metric.reference
    ident = np.arange(n)
    w, sq, margin = (torch.from_numpy(a).to(dev) for a in float32_rows(ref, ident))
    codes = torch.from_numpy(problem.codes).to(dev)
    k = np.empty(len(rows), dtype=np.int64)
    intruder = np.empty(len(rows), dtype=np.int64)
    sqdist = np.empty(len(rows))
    budget = device_budget(dev) if work_budget is None else work_budget
    chunk = int(max(1, min(len(rows), budget // (16 * n))))
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
