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

from ..stats._draws import size_note
from ..stats._patterns import PATTERN_COLORS, PATTERNS, UNDEFINED
from ..stats._rank import rank_correlation
from ._options import DEFAULTS, ViewOptions
from ._vocab import vocabulary

PATTERN_ORDER = (*PATTERNS, UNDEFINED)
N_BINS = 32  # bins of each concept's histogram of normalised k*
# most bytes of Γ's bootstrap replicates sent (float64): within it the page computes the
# pattern confidence at the live threshold; beyond it only at the result's own threshold
REPLICATE_BYTES = 1_000_000
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


def kstar_histograms(result, n_bins: int = N_BINS) -> np.ndarray:
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


def lowest_kstar(result, n_low: int = DEFAULTS.n_low) -> dict:
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


def matrix_concepts(result, max_concepts: int = DEFAULTS.max_matrix) -> np.ndarray:
    """Codes of the concepts the intrusion matrix shows: all, or the most fractured ones."""
    n = len(result.concepts)
    if n <= max_concepts:
        return np.arange(n)
    rank = rank_by_skewness(result.concepts["skewness"].to_numpy())
    return np.sort(np.argsort(rank)[:max_concepts])


def matrix_cells(result, shown: np.ndarray) -> dict:
    """Non-zero cells of the intrusion matrix in the ``shown`` columns, for every concept's row
    (the page adds the selected concept's row when it is not shown), and per row the
    intruders from concepts not shown (``other``, the page's "other concepts" column).

    A row's share is over all of that concept's intruders, shown or not.
    """
    m = result.intrusion_matrix().to_numpy()
    sub = m[:, shown]
    rows = m.sum(axis=1)
    r, c = np.nonzero(sub)
    other = rows - sub.sum(axis=1)
    return {
        "shown": to_buffer(shown, np.int32),
        "row": to_buffer(r, np.int32),
        "col": to_buffer(shown[c], np.int32),
        "count": to_buffer(sub[r, c], np.int32),
        "share": to_buffer(sub[r, c] / np.maximum(rows[r], 1), np.float32),
        "other": to_buffer(other, np.int32),
        "other_share": to_buffer(other / np.maximum(rows, 1), np.float32),
    }


def island_figures(result) -> dict | None:
    """Per-concept island count and largest island's share; None without islands."""
    if result.island is None:
        return None
    c = result.concepts
    return {
        "count": to_buffer(np.rint(c["islands"]), np.int32),  # a mean over draws, rounded
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
        # Γ changes with concept size: the overview's order by Γ then mixes sizes
        "size_note": size_note(c["n"].to_numpy()),
        # how right an approximate result is (engines' audit), one line; None when exact
        "audit": result.info.get("audit", {}).get("text"),
    }
    for column, key in CONCEPT_EXTRAS.items():
        if column in c:  # a confidence of k/n_boot in float64: 0.705 prints 71%, not 70%
            out[key] = to_buffer(c[column], np.float64 if key == "confidence" else np.float32)
    reps = replicates(result, REPLICATE_BYTES)
    if reps is not None:
        out["replicates"] = reps
    return out


def replicates(result, budget: int) -> dict | None:
    """Γ's bootstrap replicates per concept, float64 (n_concepts, n_boot), for the page's
    pattern confidence at the live threshold; None without them or beyond ``budget`` bytes."""
    reps = getattr(result, "replicates", None)
    if reps is None or reps.skewness[0].nbytes > budget:
        return None
    return to_buffer(reps.skewness[0].T, np.float64)


def rank_correlations(results: dict) -> list:
    """Spearman correlation of Γ between every two results (``rank_correlation``, as in
    compare()); None where it is undefined (fewer than 3 concepts finite in both)."""
    skews = [r.concepts["skewness"].to_numpy(dtype=np.float64) for r in results.values()]
    return [[plain(rank_correlation(a, b)) for b in skews] for a in skews]


def explorer_payload(results: dict, *, n_bins: int = N_BINS, **options):
    """Everything the views show about ``results`` (name -> KStarResult, same samples).

    Parameters
    ----------
    results : dict of str to KStarResult
        The results, on the same samples.
    n_bins : int, default=32
        Bins of each concept's histogram of normalised k*.
    **options
        ``n_low``, ``rows``, ``max_matrix``: :class:`ViewOptions` (its defaults when left out).

    Returns
    -------
    dict
        ``names`` (list of str, one per concept), ``n`` (int32 buffer of shape
        (n_concepts,)), ``patterns`` and ``colors`` (the pattern names and their
        colours, from ``kstar_widgets.PATTERN_COLORS``), ``n_bins``, ``n_low``,
        ``rows`` (overview rows in view), ``max_matrix``, ``results`` (one dict per result: Γ, histograms of shape
        (n_concepts, n_bins), lowest-k* rows of shape (n_concepts, n_low), matrix
        cells, summary, ``islands``: per-concept island count and largest share, or
        None; with intervals ``ci_low``, ``ci_high``, ``confidence`` and, within
        ``REPLICATE_BYTES``, ``replicates``: Γ's bootstrap replicates, float64 of shape
        (n_concepts, n_boot), from which the page computes the pattern confidence at the
        live threshold) and ``rank_corr`` (n_results x n_results).

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> from kstar_widgets.widgets import explorer_payload
    >>> res = kw.kstar(np.r_[np.zeros((5, 2)), np.ones((5, 2))], [0] * 5 + [1] * 5, progress=False)
    >>> explorer_payload({"exact": res})["results"][0]["hist"]["shape"]
    [2, 32]
    """
    view = ViewOptions(**options)
    first = next(iter(results.values()))
    return {
        "names": [str(x) for x in first.concepts.index],
        "n": to_buffer(first.concepts["n"], np.int32),
        "patterns": list(PATTERN_ORDER),
        "colors": [PATTERN_COLORS[p] for p in PATTERN_ORDER],
        "n_bins": n_bins,
        **view.as_dict(),
        "results": [
            result_payload(r, name, n_bins=n_bins, n_low=view.n_low, max_matrix=view.max_matrix)
            for name, r in results.items()
        ],
        "rank_corr": rank_correlations(results),
        "vocab": vocabulary(),
    }
