"""kstar(): validate once, ask the registry for the engine, run it, and assemble the result."""

from __future__ import annotations

import time
from dataclasses import replace

import numpy as np

from ._result import KStarResult
from .engines import build_problem, connect, select_engine
from .engines.dask._source import temporary_copies
from .stats._audit import audited
from .stats._bootstrap import check_bootstrap
from .stats._draws import Draws, check_draws, pooled_replicates, stratified, tabulate
from .utils._progress import say
from .utils._validation import (
    check_backend,
    check_features,
    check_labels,
    check_method,
    check_threshold,
)
from .utils._warnings import warn_if_degenerate


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
    engine=None,
    per_concept=None,
    n_draws=10,
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
    engine : Engine, optional
        An engine object to run instead of the one ``method`` and ``backend`` choose,
        with its own options, e.g. ``kstar_widgets.engines.ExactEngine(block_rows=256)``
        or ``kstar_widgets.engines.dask.DaskExactEngine(client, block_rows=1024)``;
        it sets the backend (and the client) itself. ``result.reason`` names it.
    per_concept : int, optional
        Compare at equal concept sizes: Γ changes with the number of samples per concept
        (docs/method.md, "Concept sizes"). k* is computed on ``n_draws`` seeded
        stratified draws of ``per_concept`` samples per concept (concepts with fewer keep
        all theirs: ``concepts["n_available"]``, ``"subsampled"`` and ``"note"`` say so);
        every figure is averaged over the draws, with intervals from the draws'
        bootstrap replicates pooled (``ceil(n_boot / n_draws)`` per draw), so they
        include the draw-to-draw spread. The per-sample arrays are the first draw's
        (``result.draws.index[0]`` are their rows of ``features``); ``result.info``
        records per_concept, n_draws and the seed (``random_state``, None meaning 0).
        Local backend only.
    n_draws : int, default=10
        Number of draws with ``per_concept``.

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
    >>> size_matched = kw.kstar(x, [0] * 50 + [1] * 50, per_concept=20, n_draws=3, progress=False)
    >>> size_matched.concepts["n"].tolist(), size_matched.info["n_draws"]
    ([20, 20], 3)
    """
    import torch  # noqa: F401  (its one-off import, ~4 s cold, is not part of the timings)

    t_start = time.perf_counter()
    threshold = check_threshold(threshold)
    per_concept, n_draws = check_draws(per_concept, n_draws)
    if per_concept is not None:
        return _size_matched(
            features, labels, per_concept=per_concept, n_draws=n_draws, threshold=threshold,
            random_state=random_state, n_boot=n_boot, confidence=confidence, name=name,
            backend=backend, client=client, engine=engine, method=method, metric=metric,
            n_neighbors=n_neighbors, device=device, progress=progress, islands=islands,
        )  # fmt: skip
    check_method(method)
    if engine is not None:  # the engine says where it runs
        backend, client = engine.backend, getattr(engine, "client", None)
    backend = check_backend(backend, client)
    client = connect(backend, client, progress=progress)
    with temporary_copies():  # a dask array's zarr copy goes, however the run ends
        problem, concept_labels = build_problem(
            features, labels, metric=metric, n_neighbors=n_neighbors, random_state=random_state,
            device=device, islands=islands, client=client, progress=progress,
        )  # fmt: skip
        engine, reason = _engine_and_reason(problem, engine, method, backend, client)
        announce(problem, engine, reason, progress)
        check_bootstrap(n_boot, confidence, random_state)  # fail before the long part
        timings = {"validate": time.perf_counter() - t_start}
        out = engine.run(problem, progress=progress)
        out, reason = audited(problem, out, reason)  # reads rows of the source: inside the with
    timings.update(out.timings)
    warn_if_degenerate(problem, out)
    t0 = time.perf_counter()
    res = _assemble(
        problem, out, concept_labels, engine, reason, timings, threshold=threshold,
        name=name, n_boot=n_boot, confidence=confidence, random_state=random_state,
    )  # fmt: skip
    timings["tabulate"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_start
    return res


ANNOUNCE_ABOVE = 30.0  # seconds: a run estimated longer says up front what runs, and for how long


def announce(problem, engine, reason, progress=True):
    """Before a run estimated at over ``ANNOUNCE_ABOVE`` seconds: one status line naming the
    engine, the problem, the estimated time on this machine and why this engine runs."""
    if not progress:
        return
    seconds = engine.estimate_seconds(problem)
    if seconds > ANNOUNCE_ABOVE:
        say(
            f"{engine.name} k* of {problem.n:,} x {problem.d} should take about "
            f"{duration(seconds)} here (an estimate; {reason})"
        )


def duration(seconds: float) -> str:
    """'45 s', '12 min', '1.6 h': an estimate's time, as a person says it."""
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def _engine_and_reason(problem, engine, method, backend, client):
    """The engine that runs (given, or chosen for `method`) and why, in words."""
    if engine is None:
        return select_engine(problem, method, backend, client)
    return engine, f"engine={engine!r} was given"


def _assemble(problem, out, concept_labels, engine, reason, timings, *, name, **options):
    """The KStarResult of an engine's run (options: threshold, n_boot, confidence, random_state)."""
    return KStarResult.build(
        k=out.k,
        censored=out.censored,
        labels=concept_labels[problem.codes],
        codes=problem.codes,
        concept_labels=concept_labels,
        name=name if name is not None else engine.name,
        intruder=out.intruder,
        intruder_distance=problem.metric.distance(out.intruder_sqdist),
        method=engine.name,
        metric=problem.metric.name,
        reason=reason,
        n_neighbors=out.n_neighbors,
        timings=timings,
        info={**out.info, "device": str(problem.device)},
        island=out.island,
        **options,
    )


def _size_matched(features, labels, *, per_concept, n_draws, threshold, n_boot, confidence, **kw):
    """kstar() on ``n_draws`` stratified draws of ``per_concept`` samples per concept, averaged."""
    t_start = time.perf_counter()
    backend, client, engine = kw.pop("backend"), kw.pop("client"), kw["engine"]
    if backend != "local" or client is not None or getattr(engine, "backend", "local") != "local":
        raise ValueError(
            "per_concept runs on the local backend only: load the features into memory "
            "(e.g. numpy.load(path)), or subsample them yourself before a Dask run."
        )
    x = check_features(features)
    codes, concept_labels = check_labels(labels, x.shape[0])
    n_boot, confidence, seed = check_bootstrap(n_boot, confidence, kw.pop("random_state"))
    rows_ss, run_ss = np.random.SeedSequence(seed).spawn(2)
    index = stratified(codes, per_concept, n_draws, rows_ss)
    run_seeds = [int(s.generate_state(1)[0] >> 1) for s in run_ss.spawn(n_draws)]
    runs = [
        kstar(x[rows], codes[rows], random_state=s, threshold=threshold, n_boot=0, **kw)
        for rows, s in zip(index, run_seeds, strict=True)
    ]
    first = runs[0]
    draws = Draws(
        per_concept=per_concept, n_draws=n_draws, seed=seed, index=index,
        codes=np.stack([r.codes for r in runs]), k=np.stack([r.k for r in runs]),
        censored=np.stack([r.censored for r in runs]),
        island=None if first.island is None else np.stack([r.island for r in runs]),
        n_available=np.bincount(codes, minlength=len(concept_labels)),
    )  # fmt: skip
    t0 = time.perf_counter()
    reps = None
    if n_boot > 0:
        ks, draw_codes = [[r.k] for r in runs], list(draws.codes)
        reps = pooled_replicates(
            ks, draw_codes, len(concept_labels), n_boot=n_boot, seed=seed, confidence=confidence
        )
    table, summary = tabulate(
        draws, concept_labels, threshold, reps, name=first.name,
        n_boot=0 if reps is None else reps.n_boot, confidence=confidence,
    )  # fmt: skip
    timings = {
        "draws": sum(r.timings["total"] for r in runs),
        "bootstrap": time.perf_counter() - t0,
        "total": time.perf_counter() - t_start,
    }
    info = {**first.info, "per_concept": per_concept, "n_draws": n_draws, "draws_seed": seed}
    return replace(
        first, labels=concept_labels[first.codes], concepts=table, summary=summary,
        replicates=reps, draws=draws, timings=timings, info=info,
    )  # fmt: skip
