"""kstar(): validate, choose the method, run it, and assemble the result."""

from __future__ import annotations

import time

import numpy as np

from ._bootstrap import check_bootstrap
from ._result import KStarResult
from ._validation import (
    check_cosine_rows,
    check_features,
    check_labels,
    check_method,
    check_metric,
    check_n_neighbors,
    check_threshold,
)

# Rough rates on a 2-core CPU (shared/FACTS.md, benchmarks/bench_exact.py): the
# exact pass (symmetric, about n^2*d multiply-adds with its scans) does 40,000 x 512
# in ~16 s, i.e. ~5e10 n^2*d per second; pynndescent ~20 s for 50k x 512 at K=64
# plus ~50 s of numba compilation on first use in a process.
_CPU_RATE = 5.0e10
_GPU_RATE = 1.0e13


def _choose_method(n, d, k_budget, device) -> tuple[str, str]:
    """Pick exact or approx by estimated seconds on this device; say why."""
    from . import _approx

    rate = _GPU_RATE if device.type == "cuda" else _CPU_RATE
    t_exact = n * n * d / rate
    t_approx = 20.0 * (n / 5e4) * (np.log(n) / np.log(5e4)) * np.sqrt(d / 512) * (k_budget / 64)
    if not _approx._COMPILED:
        t_approx += 50.0
    if t_exact <= t_approx:
        return (
            "exact",
            f"auto: exact (est. {t_exact:.1f} s) is not slower than approx (est. {t_approx:.1f} s)",
        )
    return "approx", f"auto: approx (est. {t_approx:.1f} s) beats exact (est. {t_exact:.1f} s)"


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
):
    """Compute the k* distribution of a latent space.

    For each sample, k* is the rank (1-based, self excluded) of its first
    neighbour from another concept; a same-concept sample exactly as far as that
    neighbour does not count (the other concept wins ties). The skewness of each
    concept's normalised k* names its pattern: Fractured (> threshold),
    Clustered (< -threshold) or Overlapped. See METHOD.md.

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

    from ._device import resolve_device

    t_start = time.perf_counter()
    method = check_method(method)
    metric = check_metric(metric)
    threshold = check_threshold(threshold)
    x = check_features(features)
    codes, concept_labels = check_labels(labels, len(x))
    n, d = x.shape
    k_budget = check_n_neighbors(n_neighbors, n)
    if random_state is not None and not isinstance(random_state, (int, np.integer)):
        raise TypeError(f"random_state must be an int or None, got {random_state!r}.")
    check_bootstrap(n_boot, confidence, random_state)  # fail before the long part
    dev = resolve_device(device)
    norms = check_cosine_rows(x) if metric == "cosine" else None
    sizes = np.bincount(codes)
    if k_budget is None:
        from ._approx import default_n_neighbors

        k_budget = default_n_neighbors(sizes, n)
    if method == "auto":
        method, reason = _choose_method(n, d, k_budget, dev)
    else:
        reason = f"method={method!r} was asked for"
    timings = {"validate": time.perf_counter() - t_start}
    t0 = time.perf_counter()
    if method == "exact":
        from ._exact import exact_kstar

        # a bar only where the wait is noticeable (about half a second or more)
        show = progress and n * n * d > 5e10
        k, intruder, sqd, n_resolved = exact_kstar(x, codes, norms=norms, device=dev, progress=show)
        censored = np.zeros(n, dtype=bool)
        timings["exact"] = time.perf_counter() - t0
        info = {"rows_settled_in_float64": n_resolved, "device": str(dev)}
        budget = None
    else:
        from ._approx import approx_kstar

        k, censored, intruder, sqd, t_approx, info = approx_kstar(
            x,
            codes,
            norms=norms,
            n_neighbors=k_budget,
            random_state=random_state,
            device=dev,
            progress=progress,
        )
        timings.update(t_approx)
        info["device"] = str(dev)
        budget = k_budget
    dist = np.sqrt(sqd) if metric == "euclidean" else sqd / 2.0  # unit vectors: 1 - cos = d^2 / 2
    t0 = time.perf_counter()
    res = KStarResult.build(
        k=k,
        censored=censored,
        labels=concept_labels[codes],
        codes=codes,
        concept_labels=concept_labels,
        threshold=threshold,
        name=name if name is not None else method,
        intruder=intruder,
        intruder_distance=dist,
        method=method,
        metric=metric,
        reason=reason,
        n_neighbors=budget,
        timings=timings,
        info=info,
        n_boot=n_boot,
        confidence=confidence,
        random_state=random_state,
    )
    timings["tabulate"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - t_start
    return res
