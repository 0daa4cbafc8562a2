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

from ...utils._progress import progress_bar
from .._base import Engine, EngineResult, Problem
from .._components import BandComponents
from .._cost import exact_rate
from .._layout import Layout
from . import _tasks
from ._client import explain_lost_workers
from ._validate import send, source_arg, source_stats

# per task at the scheduler: ~1 ms quiet, 8 ms measured on a loaded 2-core box
SCHEDULER_SECONDS = 0.002


def _shared(small, held, norms, mean, scale, d):
    """Worker side: :func:`._tasks.shared_vectors`, with the held (codes, order)."""
    codes, order = held
    return _tasks.shared_vectors(small, codes, order, norms, mean, scale, d)


def task_bytes(layout, blocks, d: int) -> float:
    """The most one task allocates: a pair task's two blocks and product (twice), or a
    band task's block against its concepts' columns (the band and count_band's copy)."""
    widest = max(hi - lo for lo, hi in (layout.window(r0, r1) for r0, r1 in blocks))
    rows = max(r1 - r0 for r0, r1 in blocks)
    pair = 4.0 * (2 * rows * d + 2 * rows * rows)
    band = 4.0 * (widest * d + 2 * rows * widest) + 8.0 * rows * d
    return max(pair, band)


def default_block_rows(n: int) -> int:
    """Rows per task block: products big enough to hide the task overhead, memory ~0.3 GiB per task."""
    return int(min(4096, max(256, math.ceil(n / 8)), n))


class DaskExactEngine(Engine):
    """Exact k* on a Dask cluster, equal to :class:`~..exact.ExactEngine` sample for sample.

    Parameters
    ----------
    client : distributed.Client
    block_rows : int, optional
        Rows per task block (default :func:`default_block_rows`); the result does not
        depend on it.
    """

    name = "exact"
    exact = True
    backend = "dask"

    def __init__(self, client, *, block_rows=None):
        self.client = client
        self.block_rows = block_rows

    @classmethod
    def create(cls, client=None):
        return cls(client)

    def _threads(self) -> int:
        return max(1, sum(self.client.nthreads().values()))

    def _block(self, n: int) -> int:
        return default_block_rows(n) if self.block_rows is None else self.block_rows

    def estimate_seconds(self, problem: Problem) -> float:
        """Per-task time x tasks / worker threads, plus the scheduler's per-task overhead."""
        n, d = problem.n, problem.d
        m = math.ceil(n / self._block(n))
        tasks = m * (m - 1) // 2 + 2 * m + math.ceil(n / 8192)
        # the local rate (this CPU's, 2 threads) per thread: workers are taken to be as fast
        per_thread = exact_rate(problem.device, n * n * d) / 2
        return n * n * d / (per_thread * self._threads()) + tasks * SCHEDULER_SECONDS

    def run(self, problem: Problem, *, progress: bool = True) -> EngineResult:
        t0 = time.perf_counter()
        n, run = problem.n, uuid.uuid4().hex[:8]
        source, src = source_arg(problem, self.client)
        cosine = problem.metric.norms is not None
        stats = source.stats or source_stats(self.client, src, n, cosine, progress=False)
        timings = {"stats": time.perf_counter() - t0}
        layout = Layout(problem.codes)
        blocks = layout.blocks(self._block(n))
        t1 = time.perf_counter()
        with explain_lost_workers(self.client, task_bytes(layout, blocks, problem.d)):
            prep, glob = self._prepare(problem, layout, blocks, src, stats["mean"], run)
            timings["prepare"] = time.perf_counter() - t1
            t2 = time.perf_counter()
            pair = self._pairs(prep, glob, blocks, run)
            bands = self._bands(src, glob, prep, pair, layout, blocks, problem.islands, run)
            islands = BandComponents(n) if problem.islands else None
            k, intr, sqd, settled = self._collect(
                list(pair.values()), bands, blocks, layout, progress, islands
            )
        timings["blocks"] = time.perf_counter() - t2
        timings["exact"] = time.perf_counter() - t0
        info = {
            "rows_settled_in_float64": settled,
            "backend": "dask",
            "dask_tasks": len(prep) * 2 + len(pair) + len(bands) + math.ceil(n / 8192) + 2,
            "dask_blocks": len(blocks),
            "dask_workers": len(self.client.nthreads()),
        }
        island = None
        if islands is not None:
            island = layout.to_input_ids(islands.label)
            info["islands_approximate"] = False
            # merging on the workers (summed over tasks) and on the client
            timings["islands"] = islands.seconds
        return EngineResult(
            k=k, censored=np.zeros(n, dtype=bool), intruder=intr, intruder_sqdist=sqd,
            timings=timings, info=info, island=island,
        )  # fmt: skip

    def _prepare(self, problem, layout, blocks, src, mean, run):
        """The blocks' float32 rows, kept on the workers, and the O(n) vectors every task
        reads (codes, order, |w|^2, margins, norms, mean), computed by a task from them.

        Everything is a task of the graph, never scattered data: when every worker dies
        at once the scheduler recomputes it all from the source."""
        client = self.client
        norms = problem.metric.norms
        norms_f = None if norms is None else send(client, norms, f"cosine-norms-{run}")
        prep = [
            client.submit(
                _tasks.prepare_block,
                src,
                layout.order[r0:r1],
                mean,
                norms_f,
                problem.metric.scale,
                key=f"kstar-prep-{run}-{i}",
            )
            for i, (r0, r1) in enumerate(blocks)
        ]
        small = [
            client.submit(_tasks.norms_of, p, key=f"kstar-norms-{run}-{i}")
            for i, p in enumerate(prep)
        ]
        order = send(client, (layout.codes, layout.order), f"layout-{run}")
        glob = client.submit(
            _shared, small, order, norms_f, mean, problem.metric.scale, problem.d,
            key=f"kstar-shared-{run}",
        )  # fmt: skip
        from distributed import wait

        wait([glob])  # the client needs none of it: it stays on the workers
        if glob.status == "error":
            glob.result()  # its error, here
        return prep, glob

    def _pairs(self, prep, glob, blocks, run):
        """One task per pair of blocks I < J: their product's foreign candidates both ways."""
        m = len(blocks)
        return {
            (i, j): self.client.submit(
                _tasks.pair_block,
                prep[i],
                prep[j],
                glob,
                blocks[i],
                blocks[j],
                key=f"kstar-pair-{run}-{i}-{j}",
            )
            for i in range(m)
            for j in range(i + 1, m)
        }

    def _bands(self, src, glob, prep, pair, layout, blocks, islands, run):
        """One task per block: its concept band counted against the merged candidates."""
        m, bands = len(blocks), []
        for i, (r0, r1) in enumerate(blocks):
            lo, hi = layout.window(r0, r1)
            parts = [
                (prep[b], (b0, max(lo, b0), min(hi, b1)))
                for b, (b0, b1) in enumerate(blocks)
                if b0 < hi and b1 > lo
            ]
            tops = [(pair[i, j], 0) for j in range(i + 1, m)] + [(pair[j, i], 1) for j in range(i)]
            bands.append(
                self.client.submit(
                    _tasks.band_block,
                    src,
                    glob,
                    prep[i],
                    parts,
                    tops,
                    (r0, r1),
                    lo,
                    hi,
                    islands,
                    key=f"kstar-band-{run}-{i}",
                )
            )
        return bands

    def _collect(self, pairs, bands, blocks, layout, progress, islands=None):
        """Wait for every task with a progress bar; assemble the band results in input order.

        islands: a :class:`.._components.BandComponents` over all n sorted samples that
        gets each band's spanning forest as it arrives (the client holds O(n) at a time).
        """
        from distributed import as_completed

        n = len(layout.order)
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
                rows = layout.order[r0:r1]
                k[rows], intr[rows], sqd[rows] = kb, qb, db
                settled += sb
                if islands is not None:
                    (a, b), seconds = forest
                    islands.seconds += seconds
                    lo, hi = layout.window(r0, r1)  # whole concepts: their labels stay inside
                    islands.add_pairs(a, b, lo, hi - lo)
            bar.update()
        bar.close()
        return k, intr, sqd, settled
