"""kstar(): validate, choose the method, run it, and assemble the result."""

from __future__ import annotations

import time

import numpy as np

from ._bootstrap import check_bootstrap
from ._result import KStarResult
from ._validation import (
    check_backend,
    check_features,
    check_labels,
    check_method,
    check_metric,
    check_n_neighbors,
    check_threshold,
)
from ._warnings import warn_if_degenerate
from .engines import Metric, Problem, choose_engine, default_n_neighbors, get_engine


def kstar(
    features,
    labels,
    *,
    method="auto",
    metric="euclidean",
    n_neighbors=None,
    threshold=0.5,
    random_state=None,
    device="auto",
    progress=True,
    name=None,
    n_boot=1000,
    confidence=0.95,
    islands=True,
    backend="local",
    client=None,
):
    """Compute the k* distribution of a latent space.

    For each sample, k* is the rank (1-based, self excluded) of its first
    neighbour from another concept; a same-concept sample exactly as far as that
    neighbour does not count (the other concept wins ties). The skewness of each
    concept's normalised k* names its pattern: Fractured (> threshold),
    Clustered (< -threshold) or Overlapped. See docs/method.md.

    Parameters
    ----------
    features : array-like or torch.Tensor of shape (n_samples, n_features)
        Latent vectors, any float dtype (ints are accepted and kept exact).
    labels : array-like of shape (n_samples,)
        Concept of each sample: ints or strings.
    method : {"auto", "exact", "approx"}, default="auto"
        "exact" computes every k* exactly (never builds the n x n matrix);
        "approx" reads k* off a pynndescent kNN graph; "auto" picks whichever is
        estimated faster here (``result.reason`` says why).
    metric : {"euclidean", "cosine"}, default="euclidean"
        Cosine compares the L2-normalised vectors by Euclidean distance (same
        ranking as 1 - cosine similarity).
    n_neighbors : int, optional
        Neighbour budget K of the approximate method; default from the concept
        sizes (the largest concept, within [10, 100]).
    threshold : float, default=0.5
        Skewness threshold of the patterns.
    random_state : int, optional
        Seed of the approximate method (seeded runs are reproducible) and of the
        bootstrap; None leaves the approximate method unseeded and seeds the
        bootstrap with 0, so intervals are always reproducible.
    device : str or torch.device, default="auto"
        Where the exact engine's products run: a CUDA GPU when present, else CPU.
    progress : bool, default=True
        Progress bars and status lines on stderr.
    name : str, optional
        Name of the result in comparisons and widgets (default: the method).
    n_boot : int, default=1000
        Bootstrap replicates behind the intervals of Γ, the pattern confidence and
        the summary's intervals (docs/method.md); 0 switches them off (NaN).
    confidence : float, default=0.95
        Level of the percentile intervals.
    islands : bool, default=True
        Also split each concept into its islands (``result.island``, concepts columns
        ``islands``, ``largest_island_share``, ``singleton_share``; docs/method.md).
    backend : {"local", "dask"}, default="local"
        "local" runs in this process; "dask" runs on a Dask cluster
        (``pip install "kstar-widgets[dask]"``, see docs/scale.md): exact k* as
        tasks of row blocks, with the same result sample for sample; approximate
        k* from one pynndescent index per shard; "auto" means exact there. With "dask", ``features`` may also be
        a .npy path (memory-mapped by the workers), a zarr store or array, or a dask
        array: the client never loads them.
    client : distributed.Client or str, optional
        The cluster for backend="dask": a client, or a scheduler address
        ("tcp://host:8786"); giving one implies backend="dask". Default: the
        current Dask client, else a new LocalCluster with one single-threaded
        worker per core.

    Returns
    -------
    KStarResult

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> rng = np.random.default_rng(0)
    >>> x = np.r_[rng.normal(0, 1, (50, 8)), rng.normal(6, 1, (50, 8))]
    >>> res = kw.kstar(x, [0] * 50 + [1] * 50, progress=False)
    >>> res.concepts["pattern"].tolist()
    ['Clustered', 'Clustered']
    """
    import torch  # noqa: F401  (its one-off import, ~4 s cold, is not part of the timings)

    t_start = time.perf_counter()
    threshold = check_threshold(threshold)
    if check_backend(backend, client) == "dask":
        from .engines import dask

        check_method(method)
        client = dask.resolve_client(client, progress=progress)
        problem, concept_labels = dask.build_problem(
            features, labels, metric=metric, n_neighbors=n_neighbors,
            random_state=random_state, device=device, client=client, islands=islands,
            progress=progress,
        )  # fmt: skip
        if method == "approx":
            engine = dask.DaskApproxEngine(client)
        else:  # auto: on a cluster, exact (its cost falls with the workers)
            engine = dask.DaskExactEngine(client)
        reason = f"backend='dask', method={method!r}"
    else:
        problem, concept_labels = _problem(
            features, labels, method, metric, n_neighbors, random_state, device, islands
        )
        if method == "auto":
            engine, reason = choose_engine(problem)
        else:
            engine, reason = get_engine(method), f"method={method!r} was asked for"
    check_bootstrap(n_boot, confidence, random_state)  # fail before the long part
    timings = {"validate": time.perf_counter() - t_start}
    out = engine.run(problem, progress=progress)
    timings.update(out.timings)
    warn_if_degenerate(problem, out)
    t0 = time.perf_counter()
    res = KStarResult.build(
        k=out.k,
        censored=out.censored,
        labels=concept_labels[problem.codes],
        codes=problem.codes,
        concept_labels=concept_labels,
        threshold=threshold,
        name=name if name is not None else engine.name,
        intruder=out.intruder,
        intruder_distance=problem.metric.distance(out.intruder_sqdist),
        method=engine.name,
        metric=problem.metric.name,
        reason=reason,
        n_neighbors=out.n_neighbors,
        timings=timings,
        info={**out.info, "device": str(problem.device)},
        n_boot=n_boot,
        confidence=confidence,
        random_state=random_state,
        island=out.island,
    )
    timings["tabulate"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_start
    return res


def _problem(features, labels, method, metric, n_neighbors, random_state, device, islands=True):
    """Validate the inputs at the boundary; returns (the engines' Problem, concept labels)."""
    from ._device import resolve_device

    check_method(method)
    check_metric(metric)
    x = check_features(features)
    codes, concept_labels = check_labels(labels, len(x))
    k_budget = check_n_neighbors(n_neighbors, len(x))
    if random_state is not None and not isinstance(random_state, (int, np.integer)):
        raise TypeError(f"random_state must be an int or None, got {random_state!r}.")
    dev = resolve_device(device)
    metric_ = Metric.build(metric, x)
    if k_budget is None:
        k_budget = default_n_neighbors(np.bincount(codes), len(x))
    problem = Problem(
        features=x,
        codes=codes,
        metric=metric_,
        device=dev,
        n_neighbors=k_budget,
        random_state=random_state,
        islands=bool(islands),
    )
    return problem, concept_labels
