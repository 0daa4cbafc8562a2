"""Bootstrap replicates of Γ: samples resampled within each concept, concepts resampled over the space.

The draw order is part of the contract (tests replay it): from
``numpy.random.default_rng(seed)``, first the concept resample (one
``integers(0, n_concepts, size=(n_boot, n_concepts))`` draw), then, for each
concept size m in increasing order, one ``integers(0, m, size=(n_boot, g, m),
dtype=int64)`` draw for the g concepts of that size (in label order), made in
chunks of replicates; numpy's stream does not depend on the chunking.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._patterns import gamma_of_moments

DEFAULT_SEED = 0
_CHUNK_VALUES = 1 << 22  # gathered values per chunk: 32 MiB of float64


@dataclass(frozen=True, eq=False)
class Replicates:
    """Bootstrap replicates of one result (or of several on the same samples, paired).

    Attributes
    ----------
    weights : int32 ndarray of shape (n_boot, n_concepts)
        How often each concept is drawn in each replicate's concept resample.
    skewness : list of float64 ndarray of shape (n_boot, n_concepts)
        Γ of each concept in each replicate (one array per k* array given).
    mean_k : list of float64 ndarray of shape (n_boot, n_concepts)
        Mean k* (not normalised) of each concept in each replicate.
    confidence : float
        Level of the percentile intervals.
    seed : int
        The seed the draws came from.
    """

    weights: np.ndarray
    skewness: list
    mean_k: list
    confidence: float
    seed: int

    @property
    def n_boot(self) -> int:
        return self.weights.shape[0]


def check_bootstrap(n_boot, confidence, random_state) -> tuple[int, float, int]:
    """Validate the bootstrap options; None as seed means DEFAULT_SEED."""
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 0:
        raise ValueError(
            f"n_boot must be a whole number >= 0 (0 switches the intervals off), got {n_boot!r}."
        )
    if isinstance(confidence, bool) or not isinstance(confidence, (float, int, np.floating)):
        raise TypeError(f"confidence must be a number in (0, 1), e.g. 0.95; got {confidence!r}.")
    if not 0.0 < float(confidence) < 1.0:
        raise ValueError(f"confidence must lie in (0, 1), e.g. 0.95; got {confidence!r}.")
    if random_state is None:
        random_state = DEFAULT_SEED
    elif isinstance(random_state, bool) or not isinstance(random_state, (int, np.integer)):
        raise TypeError(f"random_state must be an int or None, got {random_state!r}.")
    return int(n_boot), float(confidence), int(random_state)


def skew_rows(v: np.ndarray, n_c: int) -> tuple[np.ndarray, np.ndarray]:
    """Γ and mean along the last axis of integer-valued float64 k*, with the degenerate rules
    of :func:`gamma_of_moments`. ``v`` is overwritten (with its deviations)."""
    m = v.shape[-1]
    mean = np.einsum("...i->...", v) / m
    dev = np.subtract(v, mean[..., None], out=v)
    m2 = np.einsum("...i,...i->...", dev, dev) / m
    m3 = np.einsum("...i,...i,...i->...", dev, dev, dev) / m
    return gamma_of_moments(mean, m2, m3, n_c)[0], mean


def draw(ks, codes, n_concepts: int, *, n_boot: int, seed: int, confidence: float) -> Replicates:
    """Replicates of Γ and mean k* per concept for each k* array in ``ks``, with the same draws.

    Parameters
    ----------
    ks : sequence of int ndarray of shape (n_samples,)
        k* arrays on the same samples (several for a paired comparison).
    codes : int ndarray of shape (n_samples,)
        Concept index of each sample, in [0, n_concepts).
    """
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n_concepts, size=(n_boot, n_concepts))
    rows = np.repeat(np.arange(n_boot) * n_concepts, n_concepts)
    weights = np.bincount(rows + picks.ravel(), minlength=n_boot * n_concepts)
    weights = weights.reshape(n_boot, n_concepts).astype(np.int32)

    order = np.argsort(codes, kind="stable")
    sizes = np.bincount(codes, minlength=n_concepts)
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    sorted_ks = [np.asarray(k)[order].astype(np.float64) for k in ks]
    skew = [np.full((n_boot, n_concepts), np.nan) for _ in ks]
    mean = [np.full((n_boot, n_concepts), np.nan) for _ in ks]
    for m in np.unique(sizes[sizes > 0]):
        group = np.flatnonzero(sizes == m)
        g = len(group)
        cells = starts[group][:, None] + np.arange(m)  # (g, m) positions in sorted order
        values = [sk[cells].ravel() for sk in sorted_ks]
        offset = (np.arange(g, dtype=np.int64) * m)[None, :, None]
        chunk = max(1, _CHUNK_VALUES // (g * m))
        for lo in range(0, n_boot, chunk):
            hi = min(n_boot, lo + chunk)
            flat = rng.integers(0, m, size=(hi - lo, g, m), dtype=np.int64)
            flat += offset
            for vals, out_g, out_m in zip(values, skew, mean, strict=True):
                out_g[lo:hi, group], out_m[lo:hi, group] = skew_rows(np.take(vals, flat), m)
    return Replicates(weights=weights, skewness=skew, mean_k=mean, confidence=confidence, seed=seed)


def percentile_interval(reps: np.ndarray, confidence: float) -> tuple[np.ndarray, np.ndarray]:
    """Percentile interval along axis 0, leaving NaN replicates out; order statistics, no interpolation.

    With m defined replicates, the bounds are the ceil(m·α/2)-th and ceil(m·(1-α/2))-th
    smallest (α = 1 - confidence), so ±inf replicates give ±inf bounds, never NaN.
    """
    reps = np.asarray(reps, dtype=np.float64)
    m = (~np.isnan(reps)).sum(axis=0)
    alpha = 1.0 - confidence
    s = np.sort(reps, axis=0)  # NaN sorts last
    bounds = []
    for q in (alpha / 2, 1 - alpha / 2):
        idx = np.maximum(np.ceil(np.round(m * q, 9)).astype(np.int64) - 1, 0)
        b = np.take_along_axis(s, np.minimum(idx, len(s) - 1)[None], axis=0)[0]
        bounds.append(np.where(m > 0, b, np.nan))
    return bounds[0], bounds[1]
