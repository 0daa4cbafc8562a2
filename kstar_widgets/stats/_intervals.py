"""Intervals of a result: from its bootstrap replicates (per-concept Γ and pattern, whole-space
figures), and the Wilson score interval of a binomial share (the approximate engines' audit)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ._bootstrap import Replicates, percentile_interval
from ._figures import FIGURES as _FIGURES
from ._patterns import PATTERNS, pattern_codes

FIGURES = tuple(_FIGURES)  # the whole-space figures that get intervals
Z95 = 1.959963984540054


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval of a binomial share (95% by default).

    Examples
    --------
    >>> [round(v, 4) for v in wilson_interval(300, 300)]
    [0.9874, 1.0]
    """
    if n <= 0:
        return float("nan"), float("nan")
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    # the ends are exactly 0 and 1 when all fail or all succeed (rounding gave 1 - 2e-16,
    # an interval that left out the share it was computed from)
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def space_replicates(skew, mean_k, weights, sizes, threshold) -> dict[str, np.ndarray]:
    """Each whole-space figure in each replicate, shape (n_boot,) per figure.

    Replicate r weighs concept j by ``weights[r, j]`` (the concept resample) and takes
    its Γ and mean k* from the same replicate's within-concept resample (two stages).
    """
    finite = np.isfinite(skew)
    wf = weights * finite
    n_concepts = weights.shape[1]
    codes = pattern_codes(skew, threshold)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = {"mean_skewness": (wf * np.where(finite, skew, 0.0)).sum(1) / wf.sum(1)}
        for i, p in enumerate(PATTERNS):
            out[f"share_{p.lower()}"] = (weights * (codes == i)).sum(1) / n_concepts
        # whole sample sets travel with their concept: the size-weighted mean of k*/n_c
        out["mean_kstar_norm"] = (weights * mean_k).sum(1) / (weights * sizes).sum(1)
    return out


def concept_columns(table: pd.DataFrame, reps: Replicates | None, threshold) -> pd.DataFrame:
    """The table with skewness_ci_low/high and pattern_confidence (NaN when reps is None)."""
    n = len(table)
    low = high = conf = np.full(n, np.nan)
    if reps is not None:
        skew = reps.skewness[0]
        low, high = percentile_interval(skew, reps.confidence)
        point = pattern_codes(table["skewness"].to_numpy(dtype=np.float64), threshold)
        conf = (pattern_codes(skew, threshold) == point[None]).mean(axis=0)
        conf = np.where(point == 3, np.nan, conf)
    table = table.copy()
    at = table.columns.get_loc("skewness") + 1
    table.insert(at, "skewness_ci_low", low)
    table.insert(at + 1, "skewness_ci_high", high)
    table.insert(table.columns.get_loc("pattern") + 1, "pattern_confidence", conf)
    return table


def summary_columns(
    summary: pd.Series, reps: Replicates | None, sizes, threshold, *, n_boot, confidence
) -> pd.Series:
    """The summary with f_ci_low/high for each figure in FIGURES, confidence and n_boot."""
    extra = {}
    if reps is None:
        for f in FIGURES:
            extra[f"{f}_ci_low"] = extra[f"{f}_ci_high"] = np.nan
    else:
        figures = space_replicates(reps.skewness[0], reps.mean_k[0], reps.weights, sizes, threshold)
        for f in FIGURES:
            lo, hi = percentile_interval(figures[f][:, None], reps.confidence)
            extra[f"{f}_ci_low"], extra[f"{f}_ci_high"] = float(lo[0]), float(hi[0])
    extra["confidence"] = float(confidence)
    extra["n_boot"] = int(n_boot)
    out = pd.concat([summary, pd.Series(extra, dtype=object)]).rename(summary.name)
    order = []
    for key in summary.index:  # each interval right after its figure
        order += [key, f"{key}_ci_low", f"{key}_ci_high"] if key in FIGURES else [key]
    return out[[*order, "confidence", "n_boot"]]
