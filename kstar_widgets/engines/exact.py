"""Exact k*: blocked float32 products, borderline cases settled in float64.

For a sample p of concept c (docs/method.md)

    k*_p = 1 + #{q != p : label(q) = c and d(p, q) < d_foreign(p)}

so no sort is needed, only the nearest foreign distance and a count.

Samples are ordered by concept and cut into row blocks of whole concepts. Squared
distances come from float32 products, ``S[p, q] = |w_q|^2 - 2 w_p.w_q``
(``|w_p|^2`` is constant along a row and dropped). The distance matrix is
symmetric, so each product ``W_I W_J^T`` of two blocks is computed once: block I
multiplies only the columns from its own concepts onward. Its rows take their
foreign candidates from those columns; the later rows take theirs from the same
product, transposed. A running list of the 4 smallest foreign values per row
collects them (:class:`._band.RunningTop`). When block I's turn comes its rows
have seen every column, so its concept band (the same-concept columns) is
counted at once. About half the flops of the full matrix.

A rigorous rounding bound ``e_p`` says which comparisons float32 cannot settle;
those few are recomputed in float64 exactly as the brute-force reference does,
``sum((r_q - r_p)**2)``, so ties (integer pixels, duplicate images) follow the
rule "the other concept wins a tie". Memory: O(n*d + block*n); the n x n matrix
is never built.
"""

from __future__ import annotations

import time

import numpy as np

from ..utils._device import full_precision_matmul, work_budget
from ..utils._progress import progress_bar
from ._band import RunningTop, count_band, later_columns
from ._base import Engine, EngineResult, Problem
from ._components import BandComponents
from ._cost import exact_seconds, settling_seconds
from ._layout import Layout
from .settle import float32_rows

INF = float("inf")


class ExactEngine(Engine):
    """Exact k* in this process (CPU, or a CUDA/MPS GPU through torch).

    Equal to a float64 brute force sample for sample, ties and duplicates
    included; memory O(n*d + block*n).

    Parameters
    ----------
    block_rows : int, optional
        Rows per block; default from ``work_budget`` (small blocks cut concepts
        across blocks, which the result does not depend on).
    work_budget : int, optional
        Bytes one block's products may take; default a share of the device's free memory.
    torch_merge : bool, default=False
        Merge the islands' edges with torch ops on the CPU too (the accelerator path);
        by default numpy merges them on the host, which is faster there.

    Examples
    --------
    >>> import numpy as np
    >>> from kstar_widgets.engines import ExactEngine, build_problem
    >>> problem, _ = build_problem(np.arange(8.0)[:, None], [0, 0, 1, 1, 0, 0, 1, 1], device="cpu")
    >>> ExactEngine(block_rows=2).run(problem, progress=False).k.tolist()
    [2, 1, 1, 1, 1, 1, 1, 2]
    """

    name = "exact"
    exact = True

    def __init__(self, *, block_rows=None, work_budget=None, torch_merge=False):
        self.block_rows = block_rows
        self.work_budget = work_budget
        self.torch_merge = torch_merge

    def estimate_seconds(self, problem: Problem) -> float:
        """The blocked products, plus the float64 settling that duplicates and ties need."""
        return exact_seconds(problem) + settling_seconds(problem)

    def run(self, problem: Problem, *, progress: bool = True) -> EngineResult:
        t0 = time.perf_counter()
        n, d = problem.features.shape
        # a bar only where the wait is noticeable (about half a second or more)
        show = progress and n * n * d > 5e10
        k, intruder, sqd, n_resolved, island, t_islands = exact_kstar(
            problem, progress=show, block_rows=self.block_rows, work_budget=self.work_budget,
            torch_merge=self.torch_merge,
        )  # fmt: skip
        info = {"rows_settled_in_float64": n_resolved}
        timings = {"exact": time.perf_counter() - t0}
        if island is not None:
            info["islands_approximate"] = False
            timings["islands"] = t_islands  # spent inside the exact pass, part of its time
        return EngineResult(
            k=k,
            censored=np.zeros(n, dtype=bool),
            intruder=intruder,
            intruder_sqdist=sqd,
            timings=timings,
            info=info,
            island=island,
        )


def exact_kstar(
    problem: Problem, *, progress=True, block_rows=None, work_budget=None, torch_merge=False
):
    """Exact k* for every sample of `problem` (block sizes as in :class:`ExactEngine`).

    Returns
    -------
    k : int64 ndarray of shape (n_samples,)
    intruder : int64 ndarray of shape (n_samples,)
        Index of a nearest other-concept sample.
    intruder_sqdist : float64 ndarray of shape (n_samples,)
        Its squared float64 distance.
    n_resolved : int
        Rows whose borderline comparisons went to float64.
    island : int64 ndarray of shape (n_samples,) or None
        Raw island id (a member's index) per sample; None if ``problem.islands`` is False.
    islands_seconds : float
        Wall time of the islands' merging inside the pass.
    """
    n = problem.n
    layout = Layout(problem.codes)
    space = _Space.build(problem, layout)
    islands = BandComponents(n, host_numpy=not torch_merge) if problem.islands else None
    if block_rows is None:
        block_rows = _block_rows(n, layout.largest, problem.device, work_budget)
    bar = progress_bar(total=n, desc="exact k*", unit="sample", enable=progress)
    k, intr, n_resolved = _scan(space, layout, layout.blocks(block_rows), islands, bar)
    bar.close()
    intr_orig = layout.to_input_ids(intr)
    d_intr = space.ref.pair_sqdist(np.arange(n), intr_orig)
    island = None if islands is None else layout.to_input_ids(islands.label)
    return (
        layout.to_input(k),
        intr_orig,
        d_intr,
        n_resolved,
        island,
        getattr(islands, "seconds", 0.0),
    )


def _scan(space, layout, blocks, islands, bar):
    """Every block's products, foreign candidates and band: sorted (k, intruder) and rows settled."""
    import torch

    n = len(layout.order)
    best = RunningTop(n, space.w.device)
    # reused for every block: fresh pages for each product cost ~10% on CPU
    buffers = torch.empty((2, max(r1 - r0 for r0, r1 in blocks) * n), device=space.w.device)
    k = np.empty(n, dtype=np.int64)
    intr = np.empty(n, dtype=np.int64)
    n_resolved = 0
    with torch.inference_mode(), full_precision_matmul():
        for r0, r1 in blocks:
            lo, hi = layout.window(r0, r1)
            shape = (r1 - r0, n - lo)  # rows r0..r1 x columns lo..n
            g = torch.mm(space.w[r0:r1], space.w[lo:].T, out=_view(buffers[0], shape))
            s = torch.add(space.sq[lo:], g, alpha=-2.0, out=_view(buffers[1], shape))
            band = s[:, : hi - lo].clone()  # the block's concepts: counted below
            if r1 < n:
                last = layout.codes[r1 - 1]  # a concept cut at r1 shares these pairs
                shared = max(int(layout.starts[last]), r0) - r0, int(layout.ends[last]) - r1
                later_columns(s[:, r1 - lo :], g[:, r1 - lo :], r0, r1, shared, space, best)
            del g, s
            k[r0:r1], intr[r0:r1], settled = count_band(band, r0, r1, lo, space, best, islands)
            n_resolved += settled
            bar.update(r1 - r0)
    return k, intr, n_resolved


class _Space:
    """The sorted float32 rows on the device and what the blocks need besides."""

    def __init__(self, *, w, sq, codes, margin, ref, order):
        self.w, self.sq, self.codes, self.margin = w, sq, codes, margin
        self.ref, self.order = ref, order

    @classmethod
    def build(cls, problem: Problem, layout: Layout) -> _Space:
        """The problem's rows in the layout's order, centred, float32, on its device."""
        import torch

        ref, device = problem.metric.reference, problem.device
        w, sq, margin = float32_rows(ref, layout.order)  # |w|^2 on the host: MPS has no float64
        return cls(
            w=torch.from_numpy(w).to(device),
            sq=torch.from_numpy(sq).to(device),
            codes=torch.from_numpy(layout.codes).to(device),
            margin=torch.from_numpy(margin).to(device),
            ref=ref,
            order=layout.order,
        )

    def foreign_rows(self, rows):
        """Full rows of S for sorted rows `rows`, same-concept columns (self too) set to inf."""
        import torch

        s = torch.addmm(self.sq[None, :], self.w[rows], self.w.T, beta=1.0, alpha=-2.0)
        return s.masked_fill_(self.codes[rows, None] == self.codes[None, :], INF)


def _view(flat, shape):
    return flat[: shape[0] * shape[1]].view(shape)


def _block_rows(n, max_concept, device, budget=None):
    """Rows per block: the product, its transpose pass and the band fit the work budget."""
    band_guess = min(n, 2 * max_concept)
    budget = work_budget(device) if budget is None else budget
    block = int(budget // (12 * n + 13 * band_guess))
    # Below ~256 rows the product loses efficiency; wide blocks make the band
    # (computed for both triangles) a larger share.
    return int(min(max(block, 16), max(256, -(-n // 16)), 8192, n))
