"""Bootstrap intervals of the differences b - a: paired on the same samples, independent otherwise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._bootstrap import percentile_interval
from ._draws import pooled_replicates
from ._intervals import FIGURES, space_replicates


def difference(a, b):
    """b - a, with equal infinities (both all-k*=1 or both all-k*=n) counting as no change."""
    with np.errstate(invalid="ignore"):  # inf - inf: replaced below, or NaN (+inf vs +inf only)
        diff = b - a
    same_inf = (a == b) & np.isinf(a)
    if isinstance(diff, pd.Series):
        diff[same_inf] = 0.0
        return diff
    return np.where(same_inf, 0.0, diff)


def bootstrap_differences(a, b, *, paired, n_boot, confidence, seed):
    """Per-concept ΔΓ interval (concepts of a and b by label) and each whole-space figure's Δ.

    Paired: one draw of concept and sample indices, applied to both results. Unpaired:
    independent draws for a and b (two child seeds of ``seed``).

    Returns
    -------
    concept_ci : pandas.DataFrame
        Indexed by the concepts present in both: skewness_diff_ci_low, skewness_diff_ci_high.
    differences : pandas.DataFrame
        Indexed by figure (FIGURES): a, b, diff, ci_low, ci_high, excludes_zero.
    """
    common = a.concepts.index.intersection(b.concepts.index, sort=False)
    ia = a.concepts.index.get_indexer(common)
    ib = b.concepts.index.get_indexer(common)
    point = pd.DataFrame(
        {"a": [float(a.summary[f]) for f in FIGURES], "b": [float(b.summary[f]) for f in FIGURES]},
        index=pd.Index(FIGURES, name="figure"),
    )
    point["diff"] = point["b"] - point["a"]
    if n_boot == 0:
        nan = np.full(len(common), np.nan)
        concept_ci = pd.DataFrame(
            {"skewness_diff_ci_low": nan, "skewness_diff_ci_high": nan}, index=common
        )
        point["ci_low"] = point["ci_high"] = np.nan
        point["excludes_zero"] = False
        return concept_ci, point
    opts = {"n_boot": n_boot, "confidence": confidence}
    if paired:  # the same rows in every draw (or no draws): one draw of indices for both
        ks = [[ka, kb] for ka, kb in zip(_draw_ks(a), _draw_ks(b), strict=True)]
        reps = pooled_replicates(ks, _draw_codes(a), len(a.concepts), seed=seed, **opts)
        ra = (reps.skewness[0], reps.mean_k[0], reps.weights)
        rb = (reps.skewness[1], reps.mean_k[1], reps.weights)
    else:
        seed_a, seed_b = np.random.SeedSequence(seed).spawn(2)
        rep_a = _pooled(a, seed_a, opts)
        rep_b = _pooled(b, seed_b, opts)
        ra = (rep_a.skewness[0], rep_a.mean_k[0], rep_a.weights)
        rb = (rep_b.skewness[0], rep_b.mean_k[0], rep_b.weights)
    low, high = percentile_interval(difference(ra[0][:, ia], rb[0][:, ib]), confidence)
    concept_ci = pd.DataFrame(
        {"skewness_diff_ci_low": low, "skewness_diff_ci_high": high}, index=common
    )
    fa = space_replicates(*ra, a.concepts["n"].to_numpy(), a.threshold)
    fb = space_replicates(*rb, b.concepts["n"].to_numpy(), b.threshold)
    bounds = [percentile_interval((fb[f] - fa[f])[:, None], confidence) for f in FIGURES]
    point["ci_low"] = [float(lo[0]) for lo, _ in bounds]
    point["ci_high"] = [float(hi[0]) for _, hi in bounds]
    point["excludes_zero"] = (point["ci_low"] > 0) | (point["ci_high"] < 0)
    return concept_ci, point


def _draw_ks(r) -> list:
    """k* of each draw of a size-matched result; the one k* array of any other."""
    return list(r.k[None] if r.draws is None else r.draws.k)


def _draw_codes(r) -> list:
    """Concept codes of each draw, as ``_draw_ks``."""
    return list(r.codes[None] if r.draws is None else r.draws.codes)


def _pooled(r, seed, opts):
    """The replicates of one result alone (its draws pooled)."""
    ks = [[k] for k in _draw_ks(r)]
    return pooled_replicates(ks, _draw_codes(r), len(r.concepts), seed=seed, **opts)
