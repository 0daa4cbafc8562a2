"""What the views receive: per-concept summaries of k* results as binary buffers (numpy, no UI).

Nothing here sends one value per sample: a concept becomes a histogram of
``n_bins`` counts of its normalised k*, its ``n_low`` lowest-k* samples and a few
numbers, so 1,000 concepts cost the same whatever their sizes. The page applies
the rules (pattern from Γ and t, order, texts); this module only measures.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .._stats import PATTERN_COLORS, PATTERNS, UNDEFINED

PATTERN_ORDER = (*PATTERNS, UNDEFINED)
# optional per-concept columns (trust branch) -> payload key; absent columns are left out
CONCEPT_EXTRAS = {
    "skewness_ci_low": "ci_low",
    "skewness_ci_high": "ci_high",
    "pattern_confidence": "confidence",
}


def wire_bytes(value) -> int:
    """Bytes the page receives for a synced value: binary buffers as they travel, the rest as JSON."""
    import json

    buffers = []

    def strip(v):
        if isinstance(v, memoryview):
            buffers.append(v.nbytes)
            return None
        if isinstance(v, dict):
            return {k: strip(x) for k, x in v.items()}
        if isinstance(v, list):
            return [strip(x) for x in v]
        return v

    return len(json.dumps(strip(value))) + sum(buffers)


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


def plain(value):
    """A JSON-safe scalar: NaN and ±inf become None, numpy scalars Python ones."""
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value if isinstance(value, (int, float, str, bool, type(None))) else str(value)


def kstar_histograms(result, n_bins: int = 32) -> np.ndarray:
    """int32 (n_concepts, n_bins): counts of normalised k* on [0, 1] per concept."""
    n_concepts = len(result.concepts)
    bins = np.minimum((result.k_norm * n_bins).astype(np.int64), n_bins - 1)
    flat = np.bincount(result.codes * n_bins + bins, minlength=n_concepts * n_bins)
    return flat.reshape(n_concepts, n_bins).astype(np.int32)


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
    rank = rank_by_skewness(result.concepts["skewness"].to_numpy())
    return np.sort(np.argsort(rank)[:max_concepts])


def matrix_cells(result, shown: np.ndarray) -> dict:
    """Non-zero cells of the intrusion matrix among ``shown`` concepts, with row shares.

    A row's share is over all of that concept's intruders, shown or not.
    """
    m = result.intrusion_matrix().to_numpy()
    sub = m[np.ix_(shown, shown)]
    rows = m[shown].sum(axis=1)
    r, c = np.nonzero(sub)
    return {
        "shown": to_buffer(shown, np.int32),
        "row": to_buffer(shown[r], np.int32),
        "col": to_buffer(shown[c], np.int32),
        "count": to_buffer(sub[r, c], np.int32),
        "share": to_buffer(sub[r, c] / np.maximum(rows[r], 1), np.float32),
    }


def island_figures(result) -> dict | None:
    """Per-concept island count and largest island's share; None without islands."""
    if result.island is None:
        return None
    c = result.concepts
    return {
        "count": to_buffer(c["islands"], np.int32),
        "largest": to_buffer(c["largest_island_share"], np.float32),
        "approximate": bool(result.info.get("islands_approximate", False)),
    }


def result_payload(result, name: str, *, n_bins: int, n_low: int, max_matrix: int) -> dict:
    """One result as the views need it: Γ (and its interval when known), histograms, rows."""
    c = result.concepts
    out = {
        "name": name,
        "method": result.method,
        "metric": str(getattr(result, "metric", "") or ""),
        "n_neighbors": plain(getattr(result, "n_neighbors", None)),
        "seconds": plain(float(result.timings.get("total", np.nan))),
        "threshold": float(result.threshold),
        "skewness": to_buffer(c["skewness"], np.float32),
        "censored": to_buffer(c["censored_share"], np.float32),
        "hist": to_buffer(kstar_histograms(result, n_bins), np.int32),
        "low": {k: to_buffer(v, v.dtype) for k, v in lowest_kstar(result, n_low).items()},
        "matrix": matrix_cells(result, matrix_concepts(result, max_matrix)),
        "summary": {str(k): plain(v) for k, v in result.summary.items()},
        "islands": island_figures(result),
    }
    for column, key in CONCEPT_EXTRAS.items():
        if column in c:
            out[key] = to_buffer(c[column], np.float32)
    return out


def rank_correlations(results: dict) -> list:
    """Spearman correlation of Γ between every two results, over concepts finite in both."""
    skews = [r.concepts["skewness"].to_numpy(dtype=np.float64) for r in results.values()]
    out = []
    for a in skews:
        row = []
        for b in skews:
            both = np.isfinite(a) & np.isfinite(b)
            rho = pd.Series(a[both]).corr(pd.Series(b[both]), method="spearman")
            row.append(plain(float(rho)) if both.sum() > 2 else None)
        out.append(row)
    return out


def explorer_payload(
    results: dict, *, n_bins: int = 32, n_low: int = 6, rows: int = 28, max_matrix: int = 40
):
    """Everything the views show about ``results`` (name -> KStarResult, same samples).

    Returns
    -------
    dict
        ``names`` (list of str, one per concept), ``n`` (int32 buffer of shape
        (n_concepts,)), ``patterns`` and ``colors`` (the pattern names and their
        colours, from ``kstar_widgets.PATTERN_COLORS``), ``n_bins``, ``n_low``,
        ``rows`` (overview rows in view), ``max_matrix``, ``results`` (one dict per result: Γ, histograms of shape
        (n_concepts, n_bins), lowest-k* rows of shape (n_concepts, n_low), matrix
        cells, summary, ``islands``: per-concept island count and largest share, or
        None) and ``rank_corr`` (n_results x n_results).

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> from kstar_widgets.widgets import explorer_payload
    >>> res = kw.kstar(np.r_[np.zeros((5, 2)), np.ones((5, 2))], [0] * 5 + [1] * 5, progress=False)
    >>> explorer_payload({"exact": res})["results"][0]["hist"]["shape"]
    [2, 32]
    """
    first = next(iter(results.values()))
    return {
        "names": [str(x) for x in first.concepts.index],
        "n": to_buffer(first.concepts["n"], np.int32),
        "patterns": list(PATTERN_ORDER),
        "colors": [PATTERN_COLORS[p] for p in PATTERN_ORDER],
        "n_bins": n_bins,
        "n_low": n_low,
        "rows": rows,
        "max_matrix": max_matrix,
        "results": [
            result_payload(r, name, n_bins=n_bins, n_low=n_low, max_matrix=max_matrix)
            for name, r in results.items()
        ],
        "rank_corr": rank_correlations(results),
    }
