"""Stored features checked by value on the workers, chunk by chunk (the shape and dtype are
checked on the client by :func:`.._problem.build_problem`), and how tasks reach them."""

from __future__ import annotations

import numpy as np

from ...utils._progress import progress_bar
from ...utils._validation import check_finite_rows, check_nonzero_rows
from ..settle import exact_scale
from ._source import MemorySource, Source

STATS_ROWS = 8192  # the local engine's centring chunk: the same mean to the last bit


def source_stats(client, src_arg, n: int, cosine: bool, *, progress=True) -> dict:
    """Validate every row on the workers and return norms, mean and variance of the compared
    rows and the power of two Euclidean rows are compared times (``scale``)."""
    from ._client import explain_lost_workers
    from ._tasks import stats_chunk

    starts = range(0, n, STATS_ROWS)
    futures = [
        client.submit(stats_chunk, src_arg, s, min(n, s + STATS_ROWS), cosine, pure=False)
        for s in starts
    ]
    bar = progress_bar(total=len(futures), desc="checking features", unit="chunk", enable=progress)
    parts = []
    d = src_arg.shape[1] if hasattr(src_arg, "shape") else 1
    with explain_lost_workers(client, task_bytes=STATS_ROWS * d * 24):
        for f in futures:
            parts.append(f.result())
            bar.update()
    bar.close()
    check_finite_rows(sum(p["n_bad"] for p in parts), [i for p in parts for i in p["first_bad"]])
    check_nonzero_rows(
        sum(p.get("n_zero", 0) for p in parts), [i for p in parts for i in p.get("first_zero", [])]
    )
    mean = np.zeros_like(parts[0]["sum"])
    for p in parts:  # in row order, as the local engine sums
        mean += p["sum"]
    # sums of raw rows times a power of two: the local engine's sums of scaled rows, bit for bit
    scale = 1.0 if cosine else exact_scale(max(p["max_abs"] for p in parts))
    mean *= scale
    mean /= n
    mean_sq = sum(p["sum_sq"] for p in parts) * scale**2 / n
    return {
        "norms": np.concatenate([p["norms"] for p in parts]) if cosine else None,
        "mean": mean,
        "variance": (max(mean_sq - float(mean @ mean), 0.0), mean_sq),
        "scale": scale,
    }


def source_arg(problem, client):
    """What tasks get as their source: the Source itself, or a numpy array held by a task.

    The array travels inside the graph (the scheduler keeps it), not scattered: when
    the workers holding it die, the scheduler recomputes it like any other task.
    """
    x = problem.features
    if isinstance(x, Source):
        return x, x
    return MemorySource(x), send(client, x, "features")


def send(client, value, what: str):
    """A future of ``value`` held by a task (recomputable), without distributed's warning
    about a large graph: the O(n) vectors and an in-memory array are sent once on purpose."""
    import uuid

    import dask

    from ._tasks import hold

    with dask.config.set({"distributed.admin.large-graph-warning-threshold": "1TB"}):
        return client.submit(hold, value, key=f"kstar-{what}-{uuid.uuid4().hex[:8]}")
