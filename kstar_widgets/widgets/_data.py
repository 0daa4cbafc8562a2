"""Compact per-concept summaries of k* results, and binary buffers for the browser.

Nothing here sends one value per sample to the overview: a concept becomes a
histogram of ``n_bins`` counts of its normalised k*, so 1,000 concepts cost the
same whatever their sizes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._stats import PATTERNS, UNDEFINED

PATTERN_ORDER = (*PATTERNS, UNDEFINED)
PATTERN_COLORS = {
    "Fractured": "#d95f02",
    "Overlapped": "#7570b3",
    "Clustered": "#1b9e77",
    "Undefined": "#9e9e9e",
}


def to_buffer(array, dtype) -> dict:
    """``{"dtype", "shape", "buffer"}`` with a memoryview, the wire form of an ndarray."""
    arr = np.ascontiguousarray(array, dtype=dtype)
    return {
        "dtype": arr.dtype.name,
        "shape": list(arr.shape),
        "buffer": memoryview(arr.reshape(-1)),
    }


def from_buffer(payload: dict) -> np.ndarray:
    """The ndarray back from ``to_buffer``'s dict (for tests and round trips)."""
    return np.frombuffer(payload["buffer"], dtype=payload["dtype"]).reshape(payload["shape"])


def kstar_histograms(result, n_bins: int = 32) -> np.ndarray:
    """int32 (n_concepts, n_bins): counts of normalised k* on [0, 1] per concept."""
    n_concepts = len(result.concepts)
    bins = np.minimum((result.k_norm * n_bins).astype(np.int64), n_bins - 1)
    flat = np.bincount(result.codes * n_bins + bins, minlength=n_concepts * n_bins)
    return flat.reshape(n_concepts, n_bins).astype(np.int32)


def display_skewness(skew: np.ndarray) -> np.ndarray:
    """float32 Γ with ±inf clipped just past the finite range, so it can be plotted."""
    skew = np.asarray(skew, dtype=np.float64)
    finite = skew[np.isfinite(skew)]
    edge = max(float(np.abs(finite).max()) if finite.size else 1.0, 1.0) * 1.15
    return np.clip(np.where(np.isnan(skew), np.nan, skew), -edge, edge).astype(np.float32)


def rank_by_skewness(skew: np.ndarray) -> np.ndarray:
    """int32 row of each concept when sorted by Γ, most fractured first, undefined last."""
    order = pd.Series(skew).sort_values(ascending=False, na_position="last", kind="stable").index
    rank = np.empty(len(skew), dtype=np.int32)
    rank[order.to_numpy()] = np.arange(len(skew), dtype=np.int32)
    return rank


def lowest_kstar(result, n_low: int = 6) -> dict:
    """Per concept, the ``n_low`` samples with the lowest k* and their intruders.

    Returns int32/float32 arrays of shape (n_concepts, n_low), -1 (or NaN) where a
    concept has fewer samples: sample, k, k_norm, intruder, intruder_code, distance.
    """
    n_concepts = len(result.concepts)
    order = np.lexsort((np.arange(result.n_samples), result.k, result.codes))
    codes = result.codes[order]
    starts = np.searchsorted(codes, np.arange(n_concepts))
    pos = np.arange(len(order)) - starts[codes]
    keep = pos < n_low
    sample = np.full((n_concepts, n_low), -1, dtype=np.int32)
    sample[codes[keep], pos[keep]] = order[keep]
    valid = sample >= 0
    s = np.where(valid, sample, 0)
    intruder = np.where(valid, result.intruder[s], -1).astype(np.int32)
    known = intruder >= 0
    return {
        "sample": sample,
        "k": np.where(valid, result.k[s], -1).astype(np.int32),
        "k_norm": np.where(valid, result.k_norm[s], np.nan).astype(np.float32),
        "intruder": intruder,
        "intruder_code": np.where(known, result.codes[np.where(known, intruder, 0)], -1).astype(
            np.int32
        ),
        "distance": np.where(known, result.intruder_distance[s], np.nan).astype(np.float32),
    }


def matrix_concepts(result, max_concepts: int = 40) -> np.ndarray:
    """Codes of the concepts the intrusion matrix shows: all, or the most fractured ones."""
    n = len(result.concepts)
    if n <= max_concepts:
        return np.arange(n)
    return np.sort(
        np.argsort(rank_by_skewness(result.concepts["skewness"].to_numpy()))[:max_concepts]
    )


def matrix_cells(result, shown: np.ndarray) -> dict:
    """Non-zero cells of the intrusion matrix restricted to ``shown`` concepts."""
    m = result.intrusion_matrix().to_numpy()
    sub = m[np.ix_(shown, shown)]
    rows = m[shown].sum(axis=1)
    r, c = np.nonzero(sub)
    return {
        "row": shown[r].astype(np.int32),
        "col": shown[c].astype(np.int32),
        "count": sub[r, c].astype(np.int32),
        "share": (sub[r, c] / np.maximum(rows[r], 1)).astype(np.float32),
    }


def concept_summaries(result, *, n_bins: int = 32, n_low: int = 6) -> dict:
    """Everything the views need about one result, per concept, as binary buffers.

    Parameters
    ----------
    result : KStarResult
    n_bins : int, default=32
        Histogram bins of normalised k* per concept.
    n_low : int, default=6
        Lowest-k* samples kept per concept.

    Returns
    -------
    dict
        ``names`` (list of str) and, per array, ``{"dtype", "shape", "buffer"}``:
        n, skewness, rank, pattern (index into PATTERN_ORDER), histograms, and the
        lowest-k* table.

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> from kstar_widgets.widgets import concept_summaries
    >>> res = kw.kstar(np.r_[np.zeros((5, 2)), np.ones((5, 2))], [0] * 5 + [1] * 5, progress=False)
    >>> concept_summaries(res)["histograms"]["shape"]
    [2, 32]
    """
    c = result.concepts
    skew = c["skewness"].to_numpy(dtype=np.float64)
    low = lowest_kstar(result, n_low)
    pattern = pd.Categorical(c["pattern"].astype(str), categories=PATTERN_ORDER).codes
    return {
        "names": [str(x) for x in c.index],
        "n": to_buffer(c["n"], np.int32),
        "skewness": to_buffer(skew, np.float32),
        "rank": to_buffer(rank_by_skewness(skew), np.int32),
        "pattern": to_buffer(pattern, np.int32),
        "histograms": to_buffer(kstar_histograms(result, n_bins), np.int32),
        **{f"low_{k}": to_buffer(v, v.dtype) for k, v in low.items()},
    }
