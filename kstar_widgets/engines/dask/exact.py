"""Exact k* on a Dask cluster: the in-process engine's blocks as tasks.

Task graph (sorted row blocks B_1..B_m of whole concepts, as the local engine cuts them):

- ``stats`` per 8,192 input rows: finite check, cosine norms, sums -> centring mean;
- ``prep[I]``: block I's rows read from the source, centred in float64, float32
  (kept on the workers, recomputed from the source if a worker dies);
- ``pair[I, J]`` for I < J: one product ``W_I W_J^T``, the 4 smallest foreign
  values both ways (:class:`.._band.RunningTop`);
- ``band[I]``: the 4-lists of every pair with I merged, the concept band
  ``W_I W_lo:hi^T`` counted by the local engine's :func:`.._band.count_band`,
  float64 settling reading its rows from the source. With islands, the same call
  merges the pairs it decides (:class:`.._components.BandComponents` over the
  band's columns only) and returns them as a spanning forest: at most one edge per
  band column, never the O(rows x concept) pairs themselves;
- the client merges the forests into one label per sample, with the same
  component code, so the partition (and the numbered ``island``) equals the local
  engine's.

Only O(n) vectors (codes, order, norms, rounding margins) and the per-block
results pass through the client; the scheduler recomputes lost tasks from this
graph when a worker dies.
"""

from __future__ import annotations

import math
import time
import uuid

import numpy as np

from ..._progress import progress_bar
from .._base import Engine, EngineResult, Problem
from .._components import BandComponents
from .._cost import CPU_RATE
from ..exact import _blocks
from ..settle import U64, rounding_bound
from . import _tasks
from ._validate import source_arg, source_stats

# per task at the scheduler: ~1 ms quiet, 8 ms measured on a loaded 2-core box
SCHEDULER_SECONDS = 0.002


def block_rows(n: int) -> int:
    """Rows per task block: products big enough to hide the task overhead, memory ~0.3 GiB per task."""
    return int(min(4096, max(256, math.ceil(n / 8)), n))


class DaskExactEngine(Engine):
    """Exact k* on a Dask cluster, equal to :class:`~..exact.ExactEngine` sample for sample.

    Parameters
    ----------
    client : distributed.Client
    """

    name = "exact"
    exact = True

    def __init__(self, client):
        self.client = client

    def _threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def estimate_seconds(self, problem: Problem) -> float:
        """Per-task time x tasks / worker threads, plus the scheduler's per-task overhead."""
        n, d = problem.n, problem.d
        block = block_rows(n)
        m = math.ceil(n / block)
        tasks = m * (m - 1) // 2 + 2 * m + math.ceil(n / 8192)
        per_thread = CPU_RATE / 2  # the local rate is for 2 threads
        return n * n * d / (per_thread * self._threads()) + tasks * SCHEDULER_SECONDS

    def run(self, problem: Problem, *, progress: bool = True) -> EngineResult:
        t0 = time.perf_counter()
        client = self.client
        n, d = problem.n, problem.d
        cosine = problem.metric.norms is not None
        source, src = source_arg(problem, client)
        stats = source.stats or source_stats(client, src, n, cosine, progress=False)
        norms = problem.metric.norms if cosine else None
        timings = {"stats": time.perf_counter() - t0}

        order = np.argsort(problem.codes, kind="stable")
        sc = problem.codes[order]
        concepts = np.arange(int(sc[-1]) + 1)
        starts = np.searchsorted(sc, concepts, side="left")
        ends = np.searchsorted(sc, concepts, side="right")
        blocks = list(_blocks(ends, block_rows(n)))
        run = uuid.uuid4().hex[:8]

        t1 = time.perf_counter()
        prep = [
            client.submit(
                _tasks.prepare_block,
                src,
                order[r0:r1],
                stats["mean"],
                norms,
                key=f"kstar-prep-{run}-{i}",
            )
            for i, (r0, r1) in enumerate(blocks)
        ]
        small = client.gather(
            [
                client.submit(_tasks.norms_of, p, key=f"kstar-norms-{run}-{i}")
                for i, p in enumerate(prep)
            ]
        )
        sq64 = np.concatenate([s[0] for s in small])
        raw_norm = np.concatenate([s[1] for s in small])
        slack = 4 * U64 * (raw_norm + np.linalg.norm(stats["mean"]))
        glob = {
            "codes": sc,
            "order": order,
            "sq": sq64.astype(np.float32),
            "margin": (2 * rounding_bound(np.sqrt(sq64), slack, d)).astype(np.float32),
            "norms": norms,
            "mean": stats["mean"],
        }
        (glob_f,) = client.scatter([glob], broadcast=True, hash=False)
        timings["prepare"] = time.perf_counter() - t1

        t2 = time.perf_counter()
        m = len(blocks)
        pair = {
            (i, j): client.submit(
                _tasks.pair_block,
                prep[i],
                prep[j],
                glob_f,
                blocks[i],
                blocks[j],
                key=f"kstar-pair-{run}-{i}-{j}",
            )
            for i in range(m)
            for j in range(i + 1, m)
        }
        bands, windows = [], []
        for i, (r0, r1) in enumerate(blocks):
            lo, hi = int(starts[sc[r0]]), int(ends[sc[r1 - 1]])
            windows.append((lo, hi))
            parts = [
                (prep[b], (b0, max(lo, b0), min(hi, b1)))
                for b, (b0, b1) in enumerate(blocks)
                if b0 < hi and b1 > lo
            ]
            tops = [(pair[i, j], 0) for j in range(i + 1, m)] + [(pair[j, i], 1) for j in range(i)]
            bands.append(
                client.submit(
                    _tasks.band_block,
                    src,
                    glob_f,
                    prep[i],
                    parts,
                    tops,
                    (r0, r1),
                    lo,
                    hi,
                    problem.islands,
                    key=f"kstar-band-{run}-{i}",
                )
            )
        islands = BandComponents(n) if problem.islands else None
        k, intr, sqd, settled = self._collect(
            list(pair.values()), bands, blocks, windows, order, progress, islands
        )
        timings["blocks"] = time.perf_counter() - t2
        timings["exact"] = time.perf_counter() - t0
        island, info = None, {}
        if islands is not None:
            island = np.empty(n, dtype=np.int64)
            island[order] = order[islands.label]
            info["islands_approximate"] = False
            # merging on the workers (summed over tasks) and on the client
            timings["islands"] = islands.seconds
        return EngineResult(
            k=k,
            censored=np.zeros(n, dtype=bool),
            intruder=intr,
            intruder_sqdist=sqd,
            timings=timings,
            info={
                "rows_settled_in_float64": settled,
                "backend": "dask",
                "dask_tasks": len(prep) * 2 + len(pair) + len(bands) + math.ceil(n / 8192),
                "dask_blocks": m,
                "dask_workers": len(client.nthreads()),
                **info,
            },
            island=island,
        )

    def _collect(self, pairs, bands, blocks, windows, order, progress, islands=None):
        """Wait for every task with a progress bar; assemble the band results in input order.

        islands: a :class:`.._components.BandComponents` over all n sorted samples that
        gets each band's spanning forest as it arrives (the client holds O(n) at a time).
        """
        from distributed import as_completed

        n = len(order)
        k = np.empty(n, dtype=np.int64)
        intr = np.empty(n, dtype=np.int64)
        sqd = np.empty(n)
        settled = 0
        where = {f.key: i for i, f in enumerate(bands)}
        bar = progress_bar(
            total=len(pairs) + len(bands), desc="exact k* (dask)", unit="task", enable=progress
        )
        for fut in as_completed(pairs + bands):
            if fut.key in where:
                r0, r1 = blocks[where[fut.key]]
                kb, qb, db, sb, forest = fut.result()
                rows = order[r0:r1]
                k[rows], intr[rows], sqd[rows] = kb, qb, db
                settled += sb
                if islands is not None:
                    (a, b), seconds = forest
                    islands.seconds += seconds
                    lo, hi = windows[where[fut.key]]  # whole concepts: their labels stay inside
                    islands.add_pairs(a, b, lo, hi - lo)
            bar.update()
        bar.close()
        return k, intr, sqd, settled
