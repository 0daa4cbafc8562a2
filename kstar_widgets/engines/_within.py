"""Count same-concept samples closer than a given distance, exactly (approx verification)."""

from __future__ import annotations

import numpy as np

from ..utils._device import full_precision_matmul, work_budget
from .settle import (
    U32,
    ReferenceRows,
    below_and_unsure,
    centred_float32,
    rounding_bound,
    settled_closer,
    squared_norms64,
)


def count_closer_within(
    ref: ReferenceRows, members: np.ndarray, thr: np.ndarray, *, device, islands=None
) -> np.ndarray:
    """For each p in members: #{q in members, q != p : d64(p, q) < thr[p]} (squared, float64).

    The same float32-then-float64 scheme as the exact engine, restricted to one concept.
    islands: a :class:`._components.BandComponents` over the members (local indices)
    that gets the pairs counted, or None.
    """
    import torch

    m = len(members)
    if m < 2:
        return np.zeros(m, dtype=np.int64)
    norms = None if ref.norms is None else ref.norms[members]
    sub = ReferenceRows(ref.features[members], norms, ref.scale)
    w_np, slack = centred_float32(sub, np.arange(m))
    w = torch.from_numpy(w_np).to(device)
    sq64 = squared_norms64(w_np)
    sq = torch.from_numpy(sq64.astype(np.float32)).to(device)
    t64 = thr - sq64  # threshold in the units of S = |w_q|^2 - 2 w_p.w_q
    e = rounding_bound(np.sqrt(sq64), slack, w_np.shape[1])
    e = e + 2 * U32 * np.abs(np.where(np.isfinite(t64), t64, 0))
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
            below, unsure = below_and_unsure(s, t[r0:r1], e_t[r0:r1])
            cnt = below.sum(dim=1).cpu().numpy()
            if islands is not None:
                islands.add_mask(below, r0, 0)
            p = np.arange(r0, r1)
            uns = torch.nonzero(unsure).cpu().numpy()
            closer = settled_closer(sub, p, np.arange(m), uns, thr[p])
            cnt += np.bincount(uns[:, 0], weights=closer, minlength=r1 - r0).astype(np.int64)
            if islands is not None and closer.any():
                islands.add_pairs(r0 + uns[closer, 0], uns[closer, 1], 0, m)
            counts[r0:r1] = cnt
    return counts
