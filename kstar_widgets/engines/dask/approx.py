"""Approximate k* on a Dask cluster: one pynndescent index per shard, every sample queried against every shard.

pynndescent has no distributed mode, so the samples are cut into shards (one per
worker, each larger than the budget K). ``build[s]`` indexes shard s; ``query[s, q]``
asks it for the K + 1 nearest rows of query chunk q; ``merge[q]`` keeps the K + 1
nearest of the shards' answers. The merged lists then go through the in-process
engine's :func:`..approx.read_kstar`: the same censoring, the same exact
same-concept verification and float64 settling, on the client (which reads the
rows it verifies from the source). Censored samples are then resolved exactly
when cheap, under the in-process engine's rule, by tasks that read the rows from
the source (:mod:`._resolve`); the islands follow the resolved d_foreign.
"""

from __future__ import annotations

import math
import time
import uuid

import numpy as np

from ..._progress import progress_bar
from .._base import Engine, EngineResult, Problem
from .._cost import graph_seconds
from .._graph import drop_self
from .._rows import rows_seconds
from ..approx import list_islands, read_kstar
from ._resolve import resolve_rows
from ._tasks import _array
from ._validate import source_arg

QUERY_ROWS = 8192


def _rows32(src, norms, a, b):
    """Float32 compared rows a..b (unit rows for cosine), as the local engine feeds pynndescent."""
    from ..settle import ReferenceRows

    return ReferenceRows(_array(src), norms).rows(np.arange(a, b)).astype(np.float32)


def build_index(src, norms, bounds, n_neighbors, seed):
    """Worker side: pynndescent's index of shard rows bounds = (a, b), ready to query."""
    from pynndescent import NNDescent

    a, b = bounds
    index = NNDescent(
        _rows32(src, norms, a, b),
        metric="euclidean",
        n_neighbors=min(n_neighbors + 1, b - a),
        random_state=seed,
        n_jobs=1,
        n_iters=max(10, round(np.log2(b - a))),
        delta=0.0005,
        max_candidates=min(64, n_neighbors + 1),
        low_memory=True,
        verbose=False,
    )
    index.prepare()
    return index, a, b - a


def query_shard(src, norms, built, rows, n_neighbors):
    """Worker side: the K + 1 nearest rows of shard `built` for input rows `rows` = (c0, c1)."""
    index, a, size = built
    k = min(n_neighbors + 1, size)
    idx, dist = index.query(_rows32(src, norms, *rows), k=k)
    return idx.astype(np.int64) + a, dist.astype(np.float32)


def merge_lists(parts, n_neighbors):
    """The K + 1 nearest of every shard's answers per row (ties: lower index first)."""
    idx = np.concatenate([p[0] for p in parts], axis=1)
    dist = np.concatenate([p[1] for p in parts], axis=1)
    order = np.lexsort((idx, dist), axis=1)[:, : n_neighbors + 1]
    return np.take_along_axis(idx, order, 1), np.take_along_axis(dist, order, 1)


class DaskApproxEngine(Engine):
    """Approximate k* with the kNN lists built on a Dask cluster, read as in-process.

    Parameters
    ----------
    client : distributed.Client
    verify : bool, default=True
        As :class:`..approx.ApproxEngine`.
    resolve_censored : bool, default=True
        As :class:`..approx.ApproxEngine`: censored samples are computed exactly (by
        tasks) when the in-process estimate of that, shared by the worker threads,
        is at most half the graph's time (or 5 s).
    """

    name = "approx"
    exact = False

    def __init__(self, client, *, verify: bool = True, resolve_censored: bool = True):
        self.client, self.verify = client, verify
        self.resolve_censored = resolve_censored

    def _shards(self, n, n_neighbors):
        workers = max(1, len(self.client.nthreads()))
        count = max(1, min(workers, n // max(4 * (n_neighbors + 1), 1)))
        edges = np.linspace(0, n, count + 1).astype(int)
        return list(zip(edges[:-1].tolist(), edges[1:].tolist(), strict=True))

    def estimate_seconds(self, problem: Problem) -> float:
        """Each worker builds one shard's graph and answers every sample's query (about as long)."""
        shards = self._shards(problem.n, problem.n_neighbors)
        per = graph_seconds(
            _Sub(problem, math.ceil(problem.n / len(shards))), problem.n_neighbors, True
        )
        return 2 * per

    def run(self, problem: Problem, *, progress: bool = True) -> EngineResult:
        t0 = time.perf_counter()
        client, n, kk = self.client, problem.n, problem.n_neighbors
        _, src = source_arg(problem, client)
        norms = problem.metric.norms
        seed = problem.random_state
        run = uuid.uuid4().hex[:8]
        shards = self._shards(n, kk)
        built = [
            client.submit(
                build_index,
                src,
                norms,
                s,
                kk,
                None if seed is None else seed + i,
                key=f"kstar-nnd-{run}-{i}",
            )
            for i, s in enumerate(shards)
        ]
        chunks = [(c, min(n, c + QUERY_ROWS)) for c in range(0, n, QUERY_ROWS)]
        merged = []
        for q, rows in enumerate(chunks):
            parts = [
                client.submit(
                    query_shard, src, norms, b, rows, kk, key=f"kstar-query-{run}-{i}-{q}"
                )
                for i, b in enumerate(built)
            ]
            merged.append(client.submit(merge_lists, parts, kk, key=f"kstar-merge-{run}-{q}"))
        bar = progress_bar(
            total=len(chunks), desc="kNN lists (dask)", unit="chunk", enable=progress
        )
        idx = np.empty((n, min(kk + 1, min(b - a for a, b in shards))), dtype=np.int64)
        dist = np.empty(idx.shape, dtype=np.float32)
        for (c0, c1), fut in zip(chunks, merged, strict=True):
            i_, d_ = fut.result()
            idx[c0:c1], dist[c0:c1] = i_[:, : idx.shape[1]], d_[:, : idx.shape[1]]
            bar.update()
        bar.close()
        t_graph = time.perf_counter() - t0
        t1 = time.perf_counter()
        idx, dist = drop_self(idx, dist, kk)
        k, censored, intruder, d_foreign, verified, joined = read_kstar(
            problem, idx, dist, self.verify
        )
        t2 = time.perf_counter()
        resolved = np.flatnonzero(censored)
        threads = max(1, sum(client.nthreads().values()))
        cost = 2 * rows_seconds(len(resolved), n, problem.d) / threads  # float64 products
        if not (self.resolve_censored and cost <= max(5, t_graph / 2)):
            resolved = resolved[:0]
        if len(resolved):
            k[resolved], intruder[resolved], d_foreign[resolved] = resolve_rows(
                client, src, problem, resolved, run
            )
            censored[resolved] = False
        t_resolve = time.perf_counter() - t2
        island = None
        if problem.islands:  # the merged lists give the same approximate islands as in process
            island = list_islands(problem, idx, dist, d_foreign, verified, joined)
        return EngineResult(
            k=k,
            censored=censored,
            intruder=intruder,
            intruder_sqdist=d_foreign,
            n_neighbors=kk,
            timings={
                "graph": t_graph,
                "read": time.perf_counter() - t1,
                "censored_resolved": t_resolve,
            },
            info={
                "graph_neighbors": idx.shape[1],
                "verified_share": float(verified.mean()),
                "censored_resolved_exactly": len(resolved),
                "backend": "dask",
                "dask_shards": len(shards),
                "dask_tasks": len(built) * (1 + len(chunks)) + len(chunks),
                **({"islands_approximate": True} if island is not None else {}),
            },
            island=island,
        )


class _Sub:
    """A problem's size with fewer rows, for the per-shard estimate."""

    def __init__(self, problem, n):
        self.n, self.d = n, problem.d
