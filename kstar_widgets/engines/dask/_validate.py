"""kstar()'s boundary for backend="dask": sources checked by shape and dtype on the client,
by value chunk by chunk on the workers, and turned into the engines' Problem."""

from __future__ import annotations

import numpy as np

from ..._progress import progress_bar
from ..._validation import check_features, check_labels, check_metric, check_n_neighbors
from .._base import Problem
from ..approx import default_n_neighbors
from ..metric import Metric
from ._source import MemorySource, Source, is_lazy, open_source

STATS_ROWS = 8192  # the local engine's centring chunk: the same mean to the last bit


def check_source(source: Source) -> None:
    """Shape and dtype checks that need no data (the values are checked on the workers)."""
    dt = source.dtype
    if dt.kind == "O" or not (np.issubdtype(dt, np.number) or np.issubdtype(dt, np.bool_)):
        raise TypeError(
            f"features must be numeric, got dtype {dt} in {source!r}. "
            "Store floats of shape (n_samples, n_features)."
        )
    if np.issubdtype(dt, np.complexfloating):
        raise TypeError(f"features are complex numbers in {source!r}; k* needs real vectors.")
    if source.ndim != 2:
        raise ValueError(
            f"features must be 2-d (n_samples, n_features), got shape {source.shape} in {source!r}."
        )
    if 0 in source.shape:
        raise ValueError(
            f"features are empty (shape {source.shape}); k* needs at least 2 samples "
            "with at least 1 feature each."
        )


def source_stats(client, src_arg, n: int, cosine: bool, *, progress=True) -> dict:
    """Validate every row on the workers and return norms, mean and variance of the compared rows."""
    from ._tasks import stats_chunk

    starts = range(0, n, STATS_ROWS)
    futures = [
        client.submit(stats_chunk, src_arg, s, min(n, s + STATS_ROWS), cosine, pure=False)
        for s in starts
    ]
    bar = progress_bar(total=len(futures), desc="checking features", unit="chunk", enable=progress)
    parts = []
    for f in futures:
        parts.append(f.result())
        bar.update()
    bar.close()
    n_bad = sum(p["n_bad"] for p in parts)
    if n_bad:
        first = [i for p in parts for i in p["first_bad"]][:5]
        raise ValueError(
            f"features contain NaN or inf in {n_bad} sample(s) (first rows: {first}). "
            "Drop those samples or impute them before calling kstar()."
        )
    n_zero = sum(p.get("n_zero", 0) for p in parts)
    if n_zero:
        first = [i for p in parts for i in p["first_zero"]][:5]
        raise ValueError(
            f"metric='cosine' is undefined for all-zero vectors: {n_zero} sample(s) "
            f"(first rows: {first}). Drop them or use metric='euclidean'."
        )
    mean = np.zeros_like(parts[0]["sum"])
    for p in parts:  # in row order, as the local engine sums
        mean += p["sum"]
    mean /= n
    mean_sq = sum(p["sum_sq"] for p in parts) / n
    return {
        "norms": np.concatenate([p["norms"] for p in parts]) if cosine else None,
        "mean": mean,
        "variance": (max(mean_sq - float(mean @ mean), 0.0), mean_sq),
    }


def build_problem(
    features,
    labels,
    *,
    metric,
    n_neighbors,
    random_state,
    device,
    client,
    islands=True,
    progress=True,
):
    """(Problem, concept labels) for a Dask engine: lazy sources stay on disk, arrays in memory."""
    from ..._device import resolve_device

    check_metric(metric)
    if is_lazy(features):
        x = open_source(features, client, progress=progress)
        check_source(x)
    else:
        x = check_features(features)
    codes, concept_labels = check_labels(labels, x.shape[0])
    k_budget = check_n_neighbors(n_neighbors, x.shape[0])
    if isinstance(x, Source):
        x.stats = source_stats(client, x, x.shape[0], metric == "cosine", progress=progress)
        metric_ = Metric(metric, x, x.stats["norms"])
    else:
        metric_ = Metric.build(metric, x)
    problem = Problem(
        features=x,
        codes=codes,
        metric=metric_,
        device=resolve_device(device),
        n_neighbors=k_budget
        if k_budget is not None
        else default_n_neighbors(np.bincount(codes), len(codes)),
        random_state=random_state,
        islands=bool(islands),
    )
    return problem, concept_labels


def source_arg(problem, client):
    """What tasks get as their source: the Source itself, or a numpy array scattered once."""
    x = problem.features
    if isinstance(x, Source):
        return x, x
    src = MemorySource(x)
    (future,) = client.scatter([x], broadcast=True, hash=False)
    return src, future
