"""Approximate k* built for what k* needs: d_foreign and an exact same-concept count.

A pynndescent kNN graph (budget K) gives, around each concept, the foreign rows
its members' lists reach. For each concept small enough to count exactly
(``verify``, n_c^2 <= ``VERIFY_MAX_PAIRS``), every member's d_foreign is its
exact minimum over the concept's **pool**: those graph rows, then whole concepts
nearest in expectation, up to ``pool_rows`` rows (:mod:`._foreign`; float32
products, near-ties settled in float64 as the exact engine does). k* = 1 + the
number of same-concept samples closer than that, counted exactly over the whole
concept (:mod:`._within`). Every pool row is a real foreign sample, so this k* is
never below the exact one: it errs only upwards, where the pool misses a sample's
true nearest foreign neighbour.

Concepts too large to count exactly read k* off the lists as before: the first
foreign entry gives d_foreign, a list without one censors k* (only known to
exceed K) unless it holds the whole concept; censored samples are computed
exactly, row against all samples, when that is cheap next to the graph.

Every result carries an **audit**: exact k* (the exact engine's, float64-settled)
of ``audit_rows`` seeded random rows, in ``result.info["audit"]``
(docs/method.md, "Approximate engine").

Islands come from the same pairs k* counts: in verified concepts every
same-concept pair closer than the sample's d_foreign; elsewhere the list entries
closer than it (all entries where the list has no foreign one). Where d_foreign
is exact the islands are the exact ones (docs/method.md, "Islands").
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from ._base import Engine, EngineResult, Problem
from ._cost import graph_seconds, verify_seconds
from ._foreign import POOL_ROWS
from ._graph import drop_self, is_compiled, knn_graph
from ._lists import VERIFY_MAX_PAIRS, list_islands, read_kstar
from ._rows import exact_rows, rows_seconds

AUDIT_ROWS = 300  # rows of every approximate result checked exactly (about 2 s at 100k x 512)

__all__ = [
    "AUDIT_ROWS",
    "POOL_ROWS",
    "VERIFY_MAX_PAIRS",
    "ApproxEngine",
    "default_n_neighbors",
    "list_islands",
    "read_kstar",
]


def default_n_neighbors(sizes: np.ndarray, n_samples: int) -> int:
    """Budget K: 1.5 x the largest concept size, kept within [15, 50].

    The lists no longer have to reach past a concept to find its foreign samples
    (each verified concept searches a pool of foreign rows, :mod:`._foreign`); they
    give the pool the foreign rows around the concept. On islands-2 of
    benchmarks/bench_approx_quality.py (seed 0), 99.53% of k* were exact at K=30 and
    99.93% at K=50; the graph's time grows with K.
    """
    return int(min(n_samples - 1, max(15, min(int(np.ceil(1.5 * sizes.max())), 50))))


class ApproxEngine(Engine):
    """Approximate k* in this process: a pynndescent graph, exact same-concept verification.

    Parameters
    ----------
    verify : bool, default=True
        Count same-concept samples exactly in concepts with n_c^2 <= ``verify_max_pairs``.
    resolve_censored : bool, default=True
        Compute censored samples (no foreign sample among their K neighbours) exactly,
        row against all samples, when that costs at most half the graph's time (or
        5 s); otherwise they stay censored and are reported (:func:`censored_to_resolve`).
    verify_max_pairs : int, optional
        Largest n_c^2 of a verified concept; default ``VERIFY_MAX_PAIRS`` (about a second here).
    pool_rows : int, default=POOL_ROWS
        The budget of the d_foreign search: foreign rows each verified concept's members
        are compared with exactly (the graph's foreign rows around the concept, then
        whole concepts nearest in expectation; :mod:`._foreign`). Larger is slower and
        misses fewer nearest foreign samples.
    audit_rows : int, default=AUDIT_ROWS
        Rows drawn at random (seeded by ``random_state``, 0 when None) whose k* is also
        computed exactly, row against all samples: ``result.info["audit"]`` (0: none).
    """

    name = "approx"
    exact = False

    def __init__(
        self, *, verify=True, resolve_censored=True, verify_max_pairs=None,
        pool_rows=POOL_ROWS, audit_rows=AUDIT_ROWS,
    ):  # fmt: skip
        self.verify = verify
        self.resolve_censored = resolve_censored
        self.verify_max_pairs = verify_max_pairs
        self.pool_rows = pool_rows
        self.audit_rows = audit_rows

    @property
    def max_pairs(self) -> float:
        """The verification's limit on n_c^2 (-1: no concept is verified)."""
        if not self.verify:
            return -1
        return VERIFY_MAX_PAIRS if self.verify_max_pairs is None else self.verify_max_pairs

    def estimate_seconds(self, problem: Problem) -> float:
        """The graph (plus numba's one-off compilation), the pools, the counts and the audit."""
        t = graph_seconds(problem, problem.n_neighbors, is_compiled())
        if self.verify:
            t += verify_seconds(problem, self.max_pairs, self.pool_rows)
        return t + rows_seconds(min(self.audit_rows, problem.n), problem.n, problem.d)

    def run(self, problem: Problem, *, progress: bool = True) -> EngineResult:
        n, d = problem.features.shape
        indices, distances, t_graph = knn_graph(
            problem.metric.reference.rows32(),
            problem.n_neighbors,
            random_state=problem.random_state,
            progress=progress,
        )
        t0 = time.perf_counter()
        out = read_lists(
            problem, indices, distances, self, t_graph,
            cost=lambda m: rows_seconds(m, n, d), resolve=lambda rows: exact_rows(problem, rows),
        )  # fmt: skip
        t_read = time.perf_counter() - t0
        t0 = time.perf_counter()
        audit = audit_sample(problem, out.k, self.audit_rows, lambda r: exact_rows(problem, r)[0])
        timings = {"graph": t_graph, "read": t_read, "audit": time.perf_counter() - t0}
        return out.result(problem, timings, **audit)


def audit_sample(problem: Problem, k, n_rows, exact_k) -> dict:
    """``{"audit": ...}``: exact k* of ``n_rows`` seeded random rows next to the engine's.

    exact_k(rows) gives the exact engine's k* of sample indices ``rows`` (float64-settled).
    The seed is ``problem.random_state`` (0 when None), so a run's audit can be repeated.
    Holds plain numbers and lists only (a result's info is saved as JSON); the share's
    interval and what it implies for Γ' are added where the result is assembled
    (:mod:`kstar_widgets.stats._audit`). ``{}`` when n_rows is 0.
    """
    m = int(min(n_rows, problem.n))
    if m <= 0:
        return {}
    seed = 0 if problem.random_state is None else problem.random_state
    rows = np.sort(np.random.default_rng(seed).choice(problem.n, m, replace=False))
    t0 = time.perf_counter()
    k_exact = np.asarray(exact_k(rows), dtype=np.int64)
    diff = k[rows] - k_exact
    return {
        "audit": {
            "rows": m,
            "seed": int(seed),
            "exact": int(np.count_nonzero(diff == 0)),
            "over": int(np.count_nonzero(diff > 0)),
            "under": int(np.count_nonzero(diff < 0)),
            "mean_overestimate": float(np.clip(diff, 0, None).mean()),
            "max_overestimate": int(max(diff.max(), 0)),
            "seconds": time.perf_counter() - t0,
            "sample": rows.tolist(),
            "k_exact": k_exact.tolist(),
        }
    }


def censored_to_resolve(censored, seconds, t_graph, enabled=True) -> np.ndarray:
    """The rule every approximate engine applies: the censored samples to compute exactly.

    All of them when ``enabled`` and their estimated cost ``seconds(m)`` (m samples) is
    at most half the graph's time ``t_graph``, or 5 s; otherwise none (they stay censored).
    """
    rows = np.flatnonzero(censored)
    if enabled and seconds(len(rows)) <= max(5, t_graph / 2):
        return rows
    return rows[:0]


@dataclass
class ListReading:
    """k* read off neighbour lists by :func:`read_lists`, ready for an EngineResult."""

    k: np.ndarray
    censored: np.ndarray
    intruder: np.ndarray
    d_foreign: np.ndarray
    island: np.ndarray | None
    info: dict
    resolve_seconds: float

    def result(self, problem: Problem, timings: dict, **info) -> EngineResult:
        """The EngineResult, with the engine's timings and extra info."""
        return EngineResult(
            k=self.k,
            censored=self.censored,
            intruder=self.intruder,
            intruder_sqdist=self.d_foreign,
            n_neighbors=problem.n_neighbors,
            timings=timings,
            info={**self.info, **info},
            island=self.island,
        )


def read_lists(problem: Problem, indices, distances, engine, t_graph, *, cost, resolve):
    """k* from kNN lists (n, K + 1) that may hold each sample itself, as every approximate
    engine reads them: self dropped, verification, censored samples resolved under
    :func:`censored_to_resolve` (``cost(m)``: its estimate, ``resolve(rows)``: exact
    (k, intruder, squared d_foreign)), then the islands from the final d_foreign."""
    idx, dist = drop_self(indices, distances, problem.n_neighbors)
    k, censored, intruder, d_foreign, verified, joined = read_kstar(
        problem, idx, dist, engine.verify, engine.max_pairs, engine.pool_rows
    )
    t0 = time.perf_counter()
    resolved = censored_to_resolve(censored, cost, t_graph, engine.resolve_censored)
    if len(resolved):
        k[resolved], intruder[resolved], d_foreign[resolved] = resolve(resolved)
        censored[resolved] = False
    t_resolve = time.perf_counter() - t0
    info = {
        "graph_neighbors": idx.shape[1],
        "verified_share": float(verified.mean()),
        "censored_resolved_exactly": len(resolved),
    }
    island = None
    if problem.islands:  # after every change to d_foreign: its edges follow it
        island = list_islands(problem, idx, dist, d_foreign, verified, joined)
        info["islands_approximate"] = True
    return ListReading(k, censored, intruder, d_foreign, island, info, t_resolve)
