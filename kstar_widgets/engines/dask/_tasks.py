"""What the workers run: the validation pass, the row blocks, the pair products and the bands.

Every function here reads its inputs from its arguments and the feature source,
returns numpy arrays, and reuses the in-process engine's pieces
(:class:`~.._band.RunningTop`, :func:`~.._band.count_band`, :mod:`~..settle`), so
the result equals :class:`~..exact.ExactEngine`'s sample for sample.
"""

from __future__ import annotations

import numpy as np

from ...utils._device import full_precision_matmul
from ...utils._validation import row_norms64
from .._band import RunningTop, count_band
from .._components import BandComponents
from ..settle import (
    ReferenceRows,
    centre_rows,
    centring_slack,
    float32_margins,
    squared_norms64,
)

INF = float("inf")


def _array(src):
    """The rows of a source as an indexable array (a scattered numpy array arrives as itself)."""
    return src if isinstance(src, np.ndarray) else src.open()


def hold(value):
    """A task whose result is its argument: data the client sends lives in the graph, so
    the scheduler recomputes it when the workers holding it die (a scattered future is
    lost for good)."""
    return value


def shared_vectors(small, codes, order, norms, mean, scale, d):
    """The O(n) vectors every pair and band task reads, from the prepared blocks' norms
    (small: (|w|^2, |r|) per block, sorted order): codes, order, float32 |w|^2 and their
    rounding margins, cosine norms, mean and scale."""
    sq64 = np.concatenate([s[0] for s in small])
    slack = centring_slack(np.concatenate([s[1] for s in small]), mean)
    sq, margin = float32_margins(sq64, slack, d)
    return {
        "codes": codes, "order": order, "sq": sq, "margin": margin,
        "norms": norms, "mean": mean, "scale": scale,
    }  # fmt: skip


def _torch():
    """torch on one thread per task: the worker's threads are its parallelism."""
    import torch

    if torch.get_num_threads() != 1:
        torch.set_num_threads(1)
    return torch


def stats_chunk(src, c0, c1, cosine):
    """Checks and sums of input rows c0..c1: non-finite rows, norms (cosine), sums of the compared rows."""
    x = np.asarray(_array(src)[c0:c1])
    finite = np.isfinite(x).all(axis=1)
    bad = np.flatnonzero(~finite)
    out = {"n_bad": int(bad.size), "first_bad": (bad[:5] + c0).tolist()}
    if bad.size:
        return out
    out["max_abs"] = float(np.abs(x).max())
    r = x.astype(np.float64)
    if cosine:
        norms = row_norms64(x)
        out["norms"] = norms
        zero = np.flatnonzero(norms == 0)
        out["n_zero"], out["first_zero"] = int(zero.size), (zero[:5] + c0).tolist()
        if zero.size:
            return out
        r = r / norms[:, None]
    out["sum"] = r.sum(axis=0)
    out["sum_sq"] = float((r * r).sum())
    return out


def prepare_block(src, idx, mean, norms, scale=1.0):
    """Rows idx (input order) centred in float64, rounded to float32, as the local engine does
    (Euclidean rows times ``scale``, :func:`..settle.exact_scale`).

    Returns (w float32 (m, d), |w|^2 float64 (m,), |r| float64 (m,)).
    """
    w, raw_norm = centre_rows(ReferenceRows(_array(src), norms, scale).rows(idx), mean)
    return w, squared_norms64(w), raw_norm


def norms_of(prepared):
    """The small part of a prepared block, for the client: (|w|^2, |r|)."""
    return prepared[1], prepared[2]


def pair_block(a, b, glob, ra, rb):
    """Foreign candidates between sorted row blocks ra = (a0, a1) < rb, both ways.

    One product ``W_a W_b^T``; returns the 4 smallest foreign values of S and their
    sorted columns, for a's rows (columns in b) and for b's rows (columns in a).
    """
    torch = _torch()
    (a0, a1), (b0, b1) = ra, rb
    wa, wb = torch.from_numpy(a[0]), torch.from_numpy(b[0])
    sq = torch.from_numpy(glob["sq"])
    codes = glob["codes"]
    with torch.inference_mode(), full_precision_matmul():
        g = wa @ wb.T
        s = torch.add(sq[b0:b1], g, alpha=-2.0)
        same = None
        if codes[a1 - 1] == codes[b0]:  # a concept cut between the blocks: not foreign
            same = torch.from_numpy(codes[a0:a1, None] == codes[None, b0:b1])
            s.masked_fill_(same, INF)
        top_a = RunningTop(a1 - a0, "cpu")
        top_a.offer(0, a1 - a0, s, b0)
        del s
        t = g.mul_(-2.0).add_(sq[a0:a1, None])  # the local engine's transposed pass
        if same is not None:
            t.masked_fill_(same, INF)
        top_b = RunningTop(b1 - b0, "cpu")
        top_b.offer(0, b1 - b0, t, a0, dim=0)
    return (
        (top_a.values.numpy(), top_a.cols.numpy()),
        (top_b.values.numpy(), top_b.cols.numpy()),
    )


def band_block(src, glob, own, band_parts, tops, rows, lo, hi, islands=False):
    """k*, intruder and its distance for sorted rows r0..r1, with the local engine's count_band.

    own: the block's prepared rows; band_parts: prepared blocks covering columns lo..hi
    (the block's concepts) as (block, start); tops: (values, cols) lists from the pair tasks.
    islands: also merge the pairs count_band decides (the local engine's edges of these
    rows) over the band's columns, and return them as a spanning forest.
    Returns (k, intruder (input index), intruder squared distance, rows settled in float64,
    forest): forest is None, or ((a, b) sorted sample pairs, at most hi - lo of them,
    all inside lo..hi; merging seconds).
    """
    torch = _torch()
    r0, r1 = rows
    arr = _array(src)
    ref = ReferenceRows(arr, glob["norms"], glob["scale"])
    best = RunningTop(r1, "cpu")  # rows before r0 stay unused
    if tops:
        parts = [res[side] for res, side in tops]
        values = torch.from_numpy(np.concatenate([v for v, _ in parts], axis=1))
        cols = torch.from_numpy(np.concatenate([c for _, c in parts], axis=1))
        v, pick = torch.topk(values, min(RunningTop.WIDTH, values.shape[1]), dim=1, largest=False)
        best.values[r0:r1, : v.shape[1]] = v
        best.cols[r0:r1, : v.shape[1]] = torch.gather(cols, 1, pick)
    space = _BandSpace(glob, ref, own[0], r0, arr)
    sq = torch.from_numpy(glob["sq"])
    w_band = np.concatenate([p[0][s0 - b0 : s1 - b0] for p, (b0, s0, s1) in band_parts])
    with torch.inference_mode(), full_precision_matmul():
        band = torch.add(
            sq[lo:hi], torch.from_numpy(own[0]) @ torch.from_numpy(w_band).T, alpha=-2.0
        )
        comps = BandComponents(hi - lo, offset=lo) if islands else None
        k, intr_sorted, settled = count_band(band, r0, r1, lo, space, best, comps)
    order = glob["order"]
    p, q = order[r0:r1], order[intr_sorted]
    forest = None if comps is None else (comps.forest(), comps.seconds)
    return k, q, ref.pair_sqdist(p, q), settled, forest


class _BandSpace:
    """What count_band reads of the local engine's space, for one band task.

    Full rows (crowded rows only: at least 4 foreign values within rounding of
    d_foreign) are recomputed from the source, chunk by chunk.
    """

    def __init__(self, glob, ref, w_own, r0, arr):
        import torch

        self.codes = torch.from_numpy(glob["codes"])
        self.margin = torch.from_numpy(glob["margin"])
        self.order, self.ref = glob["order"], ref
        self._glob, self._w_own, self._r0 = glob, w_own, r0

    def foreign_rows(self, rows):
        import torch

        order, mean, sq = self._glob["order"], self._glob["mean"], self._glob["sq"]
        w_rows = torch.from_numpy(self._w_own[rows.numpy() - self._r0])
        out = torch.empty((len(rows), len(order)))
        for c0 in range(0, len(order), 8192):
            c1 = min(len(order), c0 + 8192)
            w = torch.from_numpy(centre_rows(self.ref.rows(order[c0:c1]), mean)[0])
            torch.addmm(
                torch.from_numpy(sq[c0:c1])[None, :],
                w_rows,
                w.T,
                beta=1.0,
                alpha=-2.0,
                out=out[:, c0:c1],
            )
        return out.masked_fill_(self.codes[rows, None] == self.codes[None, :], INF)
