"""Approximate k* on a Dask cluster: one pynndescent index per shard, every sample queried against every shard.

pynndescent has no distributed mode, so the samples are cut into shards (one per
worker, each larger than the budget K). ``build[s]`` indexes shard s; ``query[s, q]``
asks it for the K + 1 nearest rows of query chunk q; ``merge[q]`` keeps the K + 1
nearest of the shards' answers. The merged lists then go through the in-process
engine's :func:`..approx.read_kstar`: the same pools of foreign rows per concept
(d_foreign, :mod:`.._foreign`), the same exact same-concept counts and float64
settling, on the client (which reads the rows it verifies from the source), and
the same audit (its exact rows computed by tasks). Censored samples are then resolved exactly
when cheap, under the in-process engine's rule, by tasks that read the rows from
the source (:mod:`._resolve`); the islands follow the resolved d_foreign.
"""

from __future__ import annotations

import math
import time
import uuid

import numpy as np

from ...utils._progress import progress_bar
from .._base import EngineResult, Problem
from .._cost import graph_seconds, verify_seconds
from .._graph_worker import nndescent
from .._rows import rows_seconds
from ..approx import AUDIT_ROWS, POOL_ROWS, ApproxEngine, audit_sample, read_lists
from ..settle import ReferenceRows
from ._resolve import resolve_rows
from ._tasks import _array
from ._validate import source_arg

QUERY_ROWS = 8192


def _rows32(src, norms, scale, a, b):
    """Float32 compared rows a..b (unit rows for cosine), as the local engine feeds pynndescent."""
    return ReferenceRows(_array(src), norms, scale).rows32(a, b)


def build_index(src, norms, scale, bounds, n_neighbors, seed):
    """Worker side: pynndescent's index of shard rows bounds = (a, b), ready to query."""
    a, b = bounds
    index = nndescent(_rows32(src, norms, scale, a, b), n_neighbors, random_state=seed, n_jobs=1)
    index.prepare()
    return index, a, b - a


def query_shard(src, norms, scale, built, rows, n_neighbors):
    """Worker side: the K + 1 nearest rows of shard `built` for input rows `rows` = (c0, c1)."""
    index, a, size = built
    k = min(n_neighbors + 1, size)
    idx, dist = index.query(_rows32(src, norms, scale, *rows), k=k)
    return idx.astype(np.int64) + a, dist.astype(np.float32)


def merge_lists(parts, n_neighbors):
    """The K + 1 nearest of every shard's answers per row (ties: lower index first)."""
    idx = np.concatenate([p[0] for p in parts], axis=1)
    dist = np.concatenate([p[1] for p in parts], axis=1)
    order = np.lexsort((idx, dist), axis=1)[:, : n_neighbors + 1]
    return np.take_along_axis(idx, order, 1), np.take_along_axis(dist, order, 1)


class DaskApproxEngine(ApproxEngine):
    """Approximate k* with the kNN lists built on a Dask cluster, read as in-process.

    Parameters
    ----------
    client : distributed.Client
    verify, resolve_censored, verify_max_pairs, pool_rows, audit_rows
        As :class:`..approx.ApproxEngine`: the same pools and exact counts (on the
        client, reading the rows from the source); censored samples are computed
        exactly (by tasks) under the same rule, with the in-process estimate of that
        shared by the worker threads; the audit's exact rows are computed by the same
        tasks.
    """

    backend = "dask"

    def __init__(
        self, client, *, verify=True, resolve_censored=True, verify_max_pairs=None,
        pool_rows=POOL_ROWS, audit_rows=AUDIT_ROWS,
    ):  # fmt: skip
        super().__init__(
            verify=verify, resolve_censored=resolve_censored, verify_max_pairs=verify_max_pairs,
            pool_rows=pool_rows, audit_rows=audit_rows,
        )  # fmt: skip
        self.client = client

    @classmethod
    def create(cls, client=None):
        return cls(client)

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
        audit = 2 * rows_seconds(min(self.audit_rows, problem.n), problem.n, problem.d)
        pools = verify_seconds(problem, self.max_pairs, self.pool_rows) if self.verify else 0.0
        return 2 * per + pools + audit / max(1, sum(self.client.nthreads().values()))

    def run(self, problem: Problem, *, progress: bool = True) -> EngineResult:
        t0 = time.perf_counter()
        client, n, d = self.client, problem.n, problem.d
        _, src = source_arg(problem, client)
        run = uuid.uuid4().hex[:8]
        shards = self._shards(n, problem.n_neighbors)
        idx, dist, n_tasks = self._lists(problem, src, shards, run, progress)
        t_graph = time.perf_counter() - t0
        t1 = time.perf_counter()
        threads = max(1, sum(client.nthreads().values()))
        out = read_lists(
            problem, idx, dist, self, t_graph,
            cost=lambda m: 2 * rows_seconds(m, n, d) / threads,  # float64 products
            resolve=lambda rows: resolve_rows(client, src, problem, rows, run),
        )  # fmt: skip
        t_read = time.perf_counter() - t1
        t1 = time.perf_counter()
        audit = audit_sample(
            problem, out.k, self.audit_rows,
            lambda rows: resolve_rows(client, src, problem, rows, run + "-audit")[0],
        )  # fmt: skip
        timings = {
            "graph": t_graph,
            "read": t_read,
            "censored_resolved": out.resolve_seconds,
            "audit": time.perf_counter() - t1,
        }
        return out.result(
            problem, timings, backend="dask", dask_shards=len(shards), dask_tasks=n_tasks, **audit
        )

    def _lists(self, problem, src, shards, run, progress):
        """The merged K + 1 lists of every sample (idx, dist) and the number of tasks."""
        client, n, kk = self.client, problem.n, problem.n_neighbors
        norms, scale, seed = problem.metric.norms, problem.metric.scale, problem.random_state
        built = [
            client.submit(
                build_index,
                src,
                norms,
                scale,
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
                    query_shard, src, norms, scale, b, rows, kk, key=f"kstar-query-{run}-{i}-{q}"
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
        return idx, dist, len(built) * (1 + len(chunks)) + len(chunks)


class _Sub:
    """A problem's size with fewer rows, for the per-shard estimate."""

    def __init__(self, problem, n):
        self.n, self.d = n, problem.d
