"""Approximate k* from a pynndescent kNN graph with a neighbour budget K.

For each sample the graph gives K approximate nearest neighbours. The first one
of another concept gives d_foreign (settled in float64). k* then needs the number
of same-concept samples closer than that: where a concept is small enough
(``verify``), it is counted exactly over the whole concept, which removes the
graph's misses on the same-concept side; elsewhere it is read off the list.
When none of the K neighbours is foreign, k* is censored (only known to exceed
K), unless the list already holds all n_c - 1 other samples of the concept, in
which case k* = n_c exactly; censored samples are then computed exactly, row
against all samples, when that is cheap next to the graph, and stay censored
(reported) otherwise (docs/method.md, "Approximate engine").

Islands come from the same pairs k* counts: a sample's same-concept list entries
closer than the list's d_foreign (all entries where the list has no foreign one),
and in verified concepts every same-concept sample closer than that. The graph is
a subgraph of the exact one, so its islands are at least as many, unless the list
misses a sample's true nearest foreign neighbour (docs/method.md, "Islands").
"""

from __future__ import annotations

import time

import numpy as np

from ._base import Engine, EngineResult, Problem
from ._components import BandComponents, components
from ._cost import graph_seconds, verify_seconds
from ._graph import drop_self, is_compiled, knn_graph
from ._rows import exact_rows, rows_seconds
from ._within import count_closer_within
from .settle import U32

# Verify a concept exactly while its n_c^2 pairs stay under this (about a second here).
VERIFY_MAX_PAIRS = 4_000_000


def default_n_neighbors(sizes: np.ndarray, n_samples: int) -> int:
    """Budget K: 1.5 x the largest concept size, kept within [15, 150].

    At least the largest concept, so that no sample of a concept up to 100 is
    censored; the extra half raises the graph's recall at the ranks that decide
    k* (measured in benchmarks/bench_approx_quality.py: on concepts of very
    different widths, 60 of 15,000 k* were wrong with K = n_c, 9 with 1.5 n_c).
    """
    return int(min(n_samples - 1, max(15, min(int(np.ceil(1.5 * sizes.max())), 150))))


class ApproxEngine(Engine):
    """Approximate k* in this process: a pynndescent graph, exact same-concept verification.

    Parameters
    ----------
    verify : bool, default=True
        Count same-concept samples exactly in concepts with n_c^2 <= ``VERIFY_MAX_PAIRS``.
    resolve_censored : bool, default=True
        Compute censored samples (no foreign sample among their K neighbours) exactly,
        row against all samples, when that costs at most half the graph's time (or
        5 s); otherwise they stay censored and are reported.
    """

    name = "approx"
    exact = False

    def __init__(self, *, verify: bool = True, resolve_censored: bool = True):
        self.verify = verify
        self.resolve_censored = resolve_censored

    def estimate_seconds(self, problem: Problem) -> float:
        """The graph (plus numba's one-off compilation) and the exact verification."""
        t = graph_seconds(problem, problem.n_neighbors, is_compiled())
        return t + (verify_seconds(problem, VERIFY_MAX_PAIRS) if self.verify else 0.0)

    def run(self, problem: Problem, *, progress: bool = True) -> EngineResult:
        n, d = problem.features.shape
        ref = problem.metric.reference
        x32 = np.empty((n, d), dtype=np.float32)
        for s in range(0, n, 16384):
            x32[s : s + 16384] = ref.rows(np.arange(s, min(n, s + 16384)))
        indices, distances, t_graph = knn_graph(
            x32, problem.n_neighbors, random_state=problem.random_state, progress=progress
        )
        del x32
        t0 = time.perf_counter()
        idx, dist = drop_self(indices, distances, problem.n_neighbors)
        k, censored, intruder, d_foreign, verified, joined = read_kstar(
            problem, idx, dist, self.verify
        )
        resolved = np.flatnonzero(censored)
        if not (self.resolve_censored and rows_seconds(len(resolved), n, d) <= max(5, t_graph / 2)):
            resolved = resolved[:0]
        if len(resolved):
            k[resolved], intruder[resolved], d_foreign[resolved] = exact_rows(problem, resolved)
            censored[resolved] = False
        info = {
            "graph_neighbors": idx.shape[1],
            "verified_share": float(verified.mean()),
            "censored_resolved_exactly": len(resolved),
        }
        island = None
        if problem.islands:  # after every change to d_foreign: its edges follow it
            island = list_islands(problem, idx, dist, d_foreign, verified, joined)
            info["islands_approximate"] = True
        return EngineResult(
            k=k,
            censored=censored,
            intruder=intruder,
            intruder_sqdist=d_foreign,
            n_neighbors=problem.n_neighbors,
            timings={"graph": t_graph, "read": time.perf_counter() - t0},
            info=info,
            island=island,
        )


def read_kstar(problem: Problem, idx, dist, verify=True):
    """k* from neighbour lists (n, K), nearest first, self excluded.

    Returns (k, censored, intruder, d_foreign, verified, joined): d_foreign squared
    float64, inf and intruder -1 where the list holds no foreign sample; joined, for
    :func:`list_islands`, the verified concepts' islands as pairs (member, member of
    its island), or None when ``problem.islands`` is False.
    """
    codes, sizes, ref = problem.codes, problem.sizes, problem.metric.reference
    n, kk = idx.shape
    same = codes[idx] == codes[:, None]
    has_foreign = ~same.all(axis=1)
    intruder, d_foreign = _nearest_foreign_in_list(ref, idx, dist, same, has_foreign)

    k = np.empty(n, dtype=np.int64)
    censored = np.zeros(n, dtype=bool)
    complete = ~has_foreign & (same.sum(axis=1) >= sizes[codes] - 1)
    k[complete] = sizes[codes[complete]]
    open_ = ~has_foreign & ~complete
    k[open_] = kk + 1
    censored[open_] = True

    verified = np.zeros(n, dtype=bool)
    joined = ([], []) if problem.islands else None
    if verify:
        for c in np.flatnonzero(sizes.astype(np.float64) ** 2 <= VERIFY_MAX_PAIRS):
            members = np.flatnonzero(codes == c)
            want = has_foreign[members]
            if not want.any():
                continue
            thr = np.where(want, d_foreign[members], -np.inf)
            comps = None if joined is None else BandComponents(len(members))
            counts = count_closer_within(ref, members, thr, device=problem.device, islands=comps)
            k[members[want]] = 1 + counts[want]
            verified[members[want]] = True
            if comps is not None:  # one pair per member keeps the concept's islands
                joined[0].append(members)
                joined[1].append(members[comps.label])
    rest = has_foreign & ~verified
    if rest.any():
        k[rest] = 1 + _closer_in_list(ref, idx, dist, same, d_foreign, rest).sum(axis=1)
    return k, censored, intruder, d_foreign, verified, joined


def list_islands(problem: Problem, idx, dist, d_foreign, verified, joined) -> np.ndarray:
    """Raw island ids (a member's index) from the pairs k* counts.

    Verified samples: their concept's exact pairs (``joined``, from :func:`read_kstar`).
    Other samples with a foreign entry: the same-concept entries closer than d_foreign.
    Samples without one (d_foreign inf): every entry of the list.
    """
    codes, ref = problem.codes, problem.metric.reference
    same = codes[idx] == codes[:, None]
    open_ = np.isinf(d_foreign)
    rows, cols = list(joined[0]), list(joined[1])
    rows.append(np.repeat(np.flatnonzero(open_), idx.shape[1]))
    cols.append(idx[open_].ravel())
    rest = ~open_ & ~verified
    if rest.any():
        r, j = np.nonzero(_closer_in_list(ref, idx, dist, same, d_foreign, rest))
        rows.append(np.flatnonzero(rest)[r])
        cols.append(idx[rows[-1], j])
    return components(len(idx), np.concatenate(rows), np.concatenate(cols))


def _float32_band(d2, d):
    """Width around a squared float32 distance within which float64 must decide."""
    return (2 * (d + 2) * U32 * 4) * d2 + 1e-30


def _nearest_foreign_in_list(ref, idx, dist, same, has_foreign):
    """The list's nearest foreign sample per row, settled in float64 among its near-ties."""
    n, d = len(idx), ref.features.shape[1]
    rows = np.arange(n)
    first = np.argmax(~same, axis=1)
    d_first = dist[rows, first].astype(np.float64) ** 2
    cand = (~same) & (
        dist.astype(np.float64) ** 2 <= (d_first + _float32_band(d_first, d))[:, None]
    )
    intruder = np.full(n, -1, dtype=np.int64)
    d_foreign = np.full(n, np.inf)
    simple = has_foreign & (cand.sum(axis=1) == 1)
    intruder[simple] = idx[simple, first[simple]]
    d_foreign[simple] = ref.pair_sqdist(np.flatnonzero(simple), intruder[simple])
    for p in np.flatnonzero(has_foreign & ~simple):
        js = idx[p, cand[p]]
        dj = ref.sqdist(p, js)
        best = dj.min()
        intruder[p] = js[dj == best].min()
        d_foreign[p] = best
    return intruder, d_foreign


def _closer_in_list(ref, idx, dist, same, d_foreign, rest):
    """Same-concept entries of the lists of `rest` closer than d_foreign (bool (m, K)),
    ties settled in float64."""
    d = ref.features.shape[1]
    sub_same = same[rest]
    d2 = dist[rest].astype(np.float64) ** 2
    dfr = d_foreign[rest][:, None]
    tol = _float32_band(dfr, d)
    closer = sub_same & (d2 < dfr - tol)
    unsure = sub_same & ~closer & (d2 <= dfr + tol)
    for r, p in enumerate(np.flatnonzero(rest)):
        if unsure[r].any():
            cols = np.flatnonzero(unsure[r])
            closer[r, cols] = ref.sqdist(p, idx[p, cols]) < d_foreign[p]
    return closer
