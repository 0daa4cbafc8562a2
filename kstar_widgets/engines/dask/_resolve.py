"""Censored samples of the Dask approximate engine, resolved exactly by tasks.

The in-process engine resolves a sample whose K-list holds no foreign sample with
:func:`.._rows.exact_rows`, which holds every row in memory. Here the workers read
the rows from the source, a column chunk per task, so the client holds O(n)
numbers (codes) and a few per censored sample, never the features.

Two rounds, each a task per (group of censored rows, chunk of columns):

1. ``nearest``: float64 products give every distance within a rigorous bound
   ``tol`` of the reference's ``sum((r_q - r_p)**2)``; the foreign columns that
   could hold the minimum are recomputed exactly as the reference does. Per row:
   the smallest reference distance and its lowest column; the client keeps the
   best over chunks (ties: the lowest sample index, as every engine).
2. ``count``: same-concept columns (chunks holding none are skipped) closer than
   that d_foreign: the products decide outside ``tol``, the reference inside.

So k* = 1 + #{q != p of p's concept : d64(p, q) < d64_foreign(p)}, the intruder and
its distance equal :func:`.._rows.exact_rows`'s (and the exact engine's), ties and
duplicates included.
"""

from __future__ import annotations

import numpy as np

from ..settle import U64
from ._tasks import _array

ROWS, COLS = 1024, 8192  # a task's products: at most 64 MiB of float64


def _compared(src, idx, norms):
    """Float64 compared rows idx, as ReferenceRows gives them: unit rows for cosine (norms:
    the rows' norms), Euclidean rows times the problem's power of two (norms: that float)."""
    r = np.asarray(_array(src)[idx]).astype(np.float64)
    return r * norms if isinstance(norms, float) else r / norms[:, None]


def _products(src, rows, row_norms, c0, c1, col_norms):
    """Rows, columns, product distances (m, c1 - c0) and their bound against the reference."""
    r = _compared(src, rows, row_norms)
    c = _compared(src, slice(c0, c1), col_norms)
    sq_r, sq_c = np.einsum("ij,ij->i", r, r), np.einsum("ij,ij->i", c, c)
    dist = sq_r[:, None] + sq_c[None, :] - 2.0 * (r @ c.T)
    # product and reference each within (d + 4) u (|r_p| + |r_q|)^2 of the true value
    size = (np.sqrt(sq_r)[:, None] + np.sqrt(sq_c)[None, :]) ** 2
    tol = 4.0 * (r.shape[1] + 4) * U64 * size + 1e-300
    return r, c, dist, tol


def _reference(r, c, i, j):
    """The reference's squared distances of pairs (row i, column j)."""
    return ((c[j] - r[i]) ** 2).sum(axis=1)


def nearest_chunk(src, rows, row_codes, row_norms, c0, c1, col_codes, col_norms):
    """Worker side, round 1: per row, the smallest reference distance to a foreign column
    in c0..c1 and that column (lowest among ties); inf and -1 where the chunk has none."""
    r, c, dist, tol = _products(src, rows, row_norms, c0, c1, col_norms)
    foreign = row_codes[:, None] != col_codes[None, :]
    upper = np.where(foreign, dist + tol, np.inf).min(axis=1)
    i, j = np.nonzero(foreign & (dist - tol <= upper[:, None]))
    exact = _reference(r, c, i, j)
    best = np.full(len(rows), np.inf)
    col = np.full(len(rows), -1, dtype=np.int64)
    pick = np.lexsort((j, exact, i))  # per row: smallest distance, then lowest column
    first = pick[np.r_[True, i[pick][1:] != i[pick][:-1]]] if len(pick) else pick
    best[i[first]], col[i[first]] = exact[first], c0 + j[first]
    return best, col


def count_chunk(src, rows, row_codes, row_norms, thr, c0, c1, col_codes, col_norms):
    """Worker side, round 2: per row, same-concept columns q != p in c0..c1 with
    reference distance below thr (the row's float64 squared d_foreign)."""
    r, c, dist, tol = _products(src, rows, row_norms, c0, c1, col_norms)
    same = (row_codes[:, None] == col_codes[None, :]) & (rows[:, None] != np.arange(c0, c1))
    sure = same & (dist + tol < thr[:, None])
    i, j = np.nonzero(same & ~sure & (dist - tol < thr[:, None]))
    closer = _reference(r, c, i, j) < thr[i]
    return sure.sum(axis=1) + np.bincount(i[closer], minlength=len(rows))


def resolve_rows(client, src, problem, rows, run, *, rows_per_task=ROWS, cols_per_task=COLS):
    """Exact (k, intruder, squared d_foreign) of sample indices `rows`, as exact_rows gives them.

    src: what tasks read the rows from (a Source, or the scattered array); run: a key prefix;
    each task takes up to ``rows_per_task`` censored rows against ``cols_per_task`` columns.
    """
    n, codes, norms, scale = problem.n, problem.codes, problem.metric.norms, problem.metric.scale
    rows = np.asarray(rows, dtype=np.int64)
    groups = [rows[g : g + rows_per_task] for g in range(0, len(rows), rows_per_task)]
    chunks = [(c, min(n, c + cols_per_task)) for c in range(0, n, cols_per_task)]

    def part(idx):  # codes and cosine norms (or the scale) of some rows: only those travel
        return codes[idx], scale if norms is None else norms[idx]

    def submit(fn, name, a, g, extra, b, c0, c1):
        gc, gn = part(g)
        cc, cn = part(slice(c0, c1))
        key = f"kstar-censored-{name}-{run}-{a}-{b}"
        return client.submit(fn, src, g, gc, gn, *extra, c0, c1, cc, cn, key=key)

    nearest = [
        [submit(nearest_chunk, "nearest", a, g, (), b, *cols) for b, cols in enumerate(chunks)]
        for a, g in enumerate(groups)
    ]
    best, intruder = [], []
    for g, futures in zip(groups, nearest, strict=True):
        top = np.full(len(g), np.inf)
        col = np.full(len(g), -1, dtype=np.int64)
        for part_best, part_col in client.gather(futures):  # chunks in column order
            better = part_best < top  # strict: an earlier (lower) column keeps a tie
            top[better], col[better] = part_best[better], part_col[better]
        best.append(top)
        intruder.append(col)

    counts = []
    for a, g in enumerate(groups):
        wanted = np.unique(codes[g])
        counts.append(
            [
                submit(count_chunk, "count", a, g, (best[a],), b, c0, c1)
                for b, (c0, c1) in enumerate(chunks)
                if np.isin(codes[c0:c1], wanted).any()  # only chunks with samples of these concepts
            ]
        )
    k = [1 + sum(client.gather(futures)) for futures in counts]
    return np.concatenate(k), np.concatenate(intruder), np.concatenate(best)
