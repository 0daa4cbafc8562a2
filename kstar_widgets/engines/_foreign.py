"""d_foreign for a whole concept at once: its members against a pool of foreign candidates.

k* needs, per sample, the distance to its nearest sample of another concept
(d_foreign). A kNN list of fixed K is the wrong tool for it: a Clustered concept's
nearest foreign samples sit behind all n_c of its own. Here each concept gets a
**pool** of foreign rows, and every member's d_foreign is its exact minimum over the
pool (float32 products, near-ties settled in float64 as the exact engine does):

1. the graph's foreign rows around the concept, at most ``pool_rows``: each
   member's nearest foreign entry in its own list (always, so a member's d_foreign
   is never worse than its list's), then the other foreign rows linked to the
   concept (an entry in a member's list, or a row whose list holds a member), those
   linked most often first, and (one hop further, while there is room) the foreign
   entries of those rows' own lists;
2. whole concepts ranked by the expected squared distance of a member to them
   (``|mu_c - mu_c'|^2 + v_c'``, v: a concept's mean squared spread), added while
   the pool stays within ``pool_rows`` rows (the graph's rows count first);
3. then one step of graph search: the foreign entries in the lists of the members'
   nearest foreign rows found so far, not yet compared.

Every pool row is a real foreign sample, so the pool's d_foreign is never below
the true one, and k* (a count of same-concept samples closer than it) never below
exact k*: the error is one-sided, an overestimate where the pool misses the true
nearest foreign sample (docs/method.md, "Approximate engine").
"""

from __future__ import annotations

import numpy as np

from ..utils._device import full_precision_matmul, work_budget
from .settle import (
    ReferenceRows,
    centred_float32,
    float32_margins,
    nearest_foreign,
    squared_norms64,
)

TOP = 3  # concepts per member that vote for a concept's pool
POOL_ROWS = 4096  # default pool size per concept (graph rows first, then whole concepts)


class Pools:
    """Foreign candidate rows of every concept, from the graph's lists and concept centroids.

    Parameters
    ----------
    problem : Problem
    idx : int ndarray (n, K)
        The kNN lists, self excluded.
    pool_rows : int
        Whole concepts are added to a concept's pool while it stays within this many rows.
    """

    def __init__(self, problem, idx, pool_rows=POOL_ROWS):
        self.problem = problem
        self.idx = idx
        self.pool_rows = int(pool_rows)
        codes = problem.codes
        n, kk = idx.shape
        rows = np.repeat(np.arange(n), kk)
        cols = idx.ravel()
        foreign = codes[rows] != codes[cols]
        rows, cols = rows[foreign], cols[foreign]
        # concept -> candidate row, both directions of each foreign edge, and how often
        pc = np.concatenate([codes[rows], codes[cols]])
        pq = np.concatenate([cols, rows])
        self._pairs = _grouped_counts(pc, pq, int(codes.max()) + 1)
        self._ranked = None
        self._members = None

    def graph_rows(self, c: int, seeds=None) -> np.ndarray:
        """Foreign rows the graph links to concept c, at most ``pool_rows`` (sorted): the
        ``seeds`` (the members' nearest listed foreign rows) always, then those linked most
        often; while there is room, the foreign entries of their lists, most often met first."""
        starts, values, counts = self._pairs
        first, linked = values[starts[c] : starts[c + 1]], counts[starts[c] : starts[c + 1]]
        if len(first) > self.pool_rows:
            keep = np.zeros(len(first), dtype=bool)
            if seeds is not None and len(seeds):  # seeds are linked rows: found in `first`
                keep[np.searchsorted(first, seeds[seeds >= 0])] = True
            room = max(self.pool_rows - int(keep.sum()), 0)
            others = np.flatnonzero(~keep)
            keep[others[np.argsort(-linked[others], kind="stable")[:room]]] = True
            return first[keep]
        room = self.pool_rows - len(first)
        if len(first) == 0 or room <= 0:
            return first
        hop = self.idx[first].ravel()
        hop = hop[(self.problem.codes[hop] != c) & ~np.isin(hop, first)]
        rows, seen = _unique_counts(hop)
        if len(rows) > room:
            rows = rows[np.argsort(-seen, kind="stable")[:room]]
        return np.union1d(first, rows)

    def pool(self, c: int, members: np.ndarray, seeds=None) -> np.ndarray:
        """The pool of concept c: its graph rows, then whole concepts nearest in expectation."""
        own = self.graph_rows(c, seeds)
        room = self.pool_rows - len(own)
        if room <= 0:
            return own
        sizes = self.problem.sizes
        extra = []
        for c2 in self.ranked(c, members):
            if sizes[c2] > room:
                break
            extra.append(c2)
            room -= sizes[c2]
        if not extra:
            return own
        if self._members is None:
            order = np.argsort(self.problem.codes, kind="stable")
            self._members = np.split(order, np.cumsum(sizes)[:-1])
        return np.union1d(own, np.concatenate([self._members[c2] for c2 in extra]))

    def around(self, c: int, intruders: np.ndarray, pool: np.ndarray) -> np.ndarray:
        """One step of graph search from the members' nearest foreign rows: the foreign
        entries of those rows' lists not yet in the pool (at most ``pool_rows``, the
        most often met first)."""
        hop = self.idx[intruders[intruders >= 0]].ravel()
        hop = hop[(self.problem.codes[hop] != c) & ~np.isin(hop, pool)]
        rows, seen = _unique_counts(hop)
        if len(rows) > self.pool_rows:
            rows = np.sort(rows[np.argsort(-seen, kind="stable")[: self.pool_rows]])
        return rows

    def nearest(self, c: int, members: np.ndarray, *, device, seeds=None):
        """Exact squared d_foreign of the members over the pool, then over the rows
        :meth:`around` their nearest ones (the better of the two; ties: the lower index).
        ``seeds``: each member's nearest foreign entry in its list (-1: none), kept in the pool."""
        ref = self.problem.metric.reference
        pool = self.pool(c, members, seeds)
        d, i = nearest_in_pool(ref, members, pool, device=device)
        more = self.around(c, i, pool)
        if len(more):
            d2, i2 = nearest_in_pool(ref, members, more, device=device)
            better = (d2 < d) | ((d2 == d) & (i2 < i))
            d[better], i[better] = d2[better], i2[better]
        return d, i

    def ranked(self, c: int, members: np.ndarray) -> np.ndarray:
        """Other concepts, most often among a member's ``TOP`` nearest in expectation first.

        A member p's expected squared distance to concept c' is |p - mu_c'|^2 + v_c'
        (v: the concept's mean squared spread); ties in the count go to the smaller
        mean of that expectation over the members.
        """
        if self._ranked is None:
            self._ranked = _concept_moments(self.problem)
        mu, v = self._ranked
        rows = self.problem.metric.reference.rows(members)
        score = (mu * mu).sum(axis=1)[None, :] - 2 * rows @ mu.T + v[None, :]
        score[:, c] = np.inf
        top = np.argpartition(score, min(TOP, score.shape[1] - 1), axis=1)[:, :TOP]
        count = np.bincount(top.ravel(), minlength=len(mu))
        count[c] = -1
        order = np.lexsort((score.mean(axis=0), -count))
        return order[order != c]


def _unique_counts(a):
    """np.unique(a, return_counts=True) by one sort and a diff: on 10 million int64 here
    0.13 s, against 0.96 s for np.unique with counts and 12 s without (numpy 2.4 hashes)."""
    a = np.sort(a)
    start = np.flatnonzero(np.r_[True, a[1:] != a[:-1]]) if len(a) else np.zeros(0, np.int64)
    return a[start], np.diff(np.r_[start, len(a)])


def _grouped_counts(keys, values, n_keys):
    """(starts, values, counts): per key its sorted unique values and how often each
    occurs, in CSR form."""
    span = int(values.max(initial=0)) + 1
    code, counts = _unique_counts(keys.astype(np.int64) * span + values)
    k, v = code // span, code % span
    starts = np.searchsorted(k, np.arange(n_keys + 1))
    return starts, v, counts


def _concept_moments(problem, chunk=16384):
    """Per concept: the float64 centroid of the compared rows, and the mean squared spread."""
    ref, codes = problem.metric.reference, problem.codes
    n_c = problem.sizes.astype(np.float64)
    mu = np.zeros((len(n_c), problem.d))
    sq = np.zeros(len(n_c))
    for s in range(0, problem.n, chunk):
        r = ref.rows(np.arange(s, min(problem.n, s + chunk)))
        cc = codes[s : s + len(r)]
        np.add.at(mu, cc, r)
        sq += np.bincount(cc, (r * r).sum(axis=1), minlength=len(n_c))
    mu /= n_c[:, None]
    v = np.maximum(sq / n_c - (mu * mu).sum(axis=1), 0.0)
    return mu, v


def nearest_in_pool(ref: ReferenceRows, members, pool, *, device):
    """Per member: exact squared d_foreign over the pool and its row (lowest index on ties).

    float32 products of the centred rows decide outside a rigorous rounding bound;
    the candidates within it are recomputed in float64 as the brute force does
    (:func:`.settle.nearest_foreign`). Returns (sqdist float64 (m,), intruder int64 (m,)),
    inf and -1 where the pool is empty.
    """
    import torch

    m = len(members)
    if len(pool) == 0:
        return np.full(m, np.inf), np.full(m, -1, dtype=np.int64)
    both = np.concatenate([members, pool])
    norms = None if ref.norms is None else ref.norms[both]
    sub = ReferenceRows(ref.features[both], norms, ref.scale)
    w_np, slack = centred_float32(sub, np.arange(len(both)))
    sq_np, margin_np = float32_margins(squared_norms64(w_np), slack, w_np.shape[1])
    w = torch.from_numpy(w_np).to(device)
    sq = torch.from_numpy(sq_np[m:]).to(device)
    margin = torch.from_numpy(margin_np[:m]).to(device)
    wq = w[m:]
    nearest = np.empty(m)
    intruder = np.empty(m, dtype=np.int64)
    block = int(min(max(work_budget(device) // (8 * len(pool)), 16), m))
    with torch.inference_mode(), full_precision_matmul():
        for r0 in range(0, m, block):
            r1 = min(m, r0 + block)
            s = torch.addmm(sq[None, :], w[r0:r1], wq.T, beta=1.0, alpha=-2.0)
            f = s.min(dim=1).values
            cand = torch.nonzero(s <= (f + margin[r0:r1])[:, None]).cpu().numpy()
            cand[:, 1] += m  # columns of `both`
            d64, col = nearest_foreign(ref, both, np.arange(r0, r1), cand)
            nearest[r0:r1], intruder[r0:r1] = d64, both[col]
    return nearest, intruder
