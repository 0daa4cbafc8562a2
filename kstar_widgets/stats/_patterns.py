"""Per-concept skewness, patterns, and the whole-space summary (docs/method.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

FRACTURED, OVERLAPPED, CLUSTERED, UNDEFINED = "Fractured", "Overlapped", "Clustered", "Undefined"
PATTERNS = (FRACTURED, OVERLAPPED, CLUSTERED)
# the one place pattern colours live: the views, the reports and the notebooks read them here
PATTERN_COLORS = {
    FRACTURED: "#d95f02",
    OVERLAPPED: "#7570b3",
    CLUSTERED: "#1b9e77",
    UNDEFINED: "#9e9e9e",
}
MIN_SAMPLES = 3


# the degenerate cases of Γ, in the order they take precedence (docs/method.md)
_CASES = ("", "constant k*", "all k*=1", "all k*=n", f"fewer than {MIN_SAMPLES} samples")
_CASE_SKEW = np.array([np.nan, np.nan, np.inf, -np.inf, np.nan])  # case 0 keeps m3 / m2^1.5


def gamma_of_moments(mean, m2, m3, n_c):
    """Γ from the moments of integer k* (any shape, broadcast with ``n_c``), with the
    degenerate rules: the one place they are written. Returns (Γ, case index into _CASES).

    A constant distribution has m2 == 0 exactly (integer values: sum and mean are exact):
    +inf when every k* is 1, -inf when every k* is n_c, NaN otherwise; a concept under
    MIN_SAMPLES samples is NaN whatever its values.
    """
    constant = m2 == 0
    case = np.select(
        [n_c < MIN_SAMPLES, constant & (mean == n_c), constant & (mean == 1), constant],
        [4, 3, 2, 1],
        0,
    )
    with np.errstate(divide="ignore", invalid="ignore"):
        g = m3 / m2**1.5
    return np.where(case == 0, g, _CASE_SKEW[case]), case


def skewness(k: np.ndarray, codes: np.ndarray, n_concepts: int):
    """Biased Fisher-Pearson skewness of k per concept, with the degenerate rules of docs/method.md.

    Skewness is scale-free, so it is computed on the integer k (exact deviations)
    rather than on k / n_c. Returns (skew, note): skew is +inf when every k* is 1,
    -inf when every k* equals the concept size, NaN for other constant
    distributions and for concepts under MIN_SAMPLES samples; note says which.

    Examples
    --------
    >>> skew, note = skewness(np.array([1, 1, 1, 1, 2, 3]), np.array([0, 0, 0, 1, 1, 1]), 2)
    >>> skew.tolist(), note.tolist()
    ([inf, 0.0], ['all k*=1', ''])
    """
    n_c = np.bincount(codes, minlength=n_concepts)
    kf = k.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):  # a concept code with no sample
        mean = np.bincount(codes, kf, minlength=n_concepts) / n_c
        dev = kf - mean[codes]
        m2 = np.bincount(codes, dev**2, minlength=n_concepts) / n_c
        m3 = np.bincount(codes, dev**3, minlength=n_concepts) / n_c
    skew, case = gamma_of_moments(mean, m2, m3, n_c)
    return skew, np.asarray(_CASES, dtype=object)[case]


def pattern_codes(skew, threshold: float = 0.5) -> np.ndarray:
    """The pattern rule, once: 0 Fractured (Γ > t), 2 Clustered (Γ < -t), 3 Undefined (NaN),
    else 1 Overlapped; int8 of the shape of ``skew``. The page re-applies it live in JS."""
    skew = np.asarray(skew, dtype=np.float64)
    out = np.ones(skew.shape, dtype=np.int8)
    out[skew > threshold] = 0
    out[skew < -threshold] = 2
    out[np.isnan(skew)] = 3
    return out


def classify(skew, threshold: float = 0.5) -> np.ndarray:
    """Pattern names for skewness values: > t Fractured, < -t Clustered, else Overlapped.

    Examples
    --------
    >>> classify([0.9, 0.5, -0.6, float("nan")]).tolist()
    ['Fractured', 'Overlapped', 'Clustered', 'Undefined']
    """
    codes = pattern_codes(skew, threshold)
    return np.asarray([*PATTERNS, UNDEFINED], dtype=object)[codes.ravel()].reshape(codes.shape)


def concept_table(k, k_norm, censored, codes, concepts, threshold) -> pd.DataFrame:
    """One row per concept: n, mean, std, median, skewness, pattern, shares, note."""
    n_concepts = len(concepts)
    n_c = np.bincount(codes, minlength=n_concepts)
    mean = np.bincount(codes, k_norm, minlength=n_concepts) / n_c
    var = np.bincount(codes, (k_norm - mean[codes]) ** 2, minlength=n_concepts) / n_c
    median = pd.Series(k_norm).groupby(codes).median().reindex(range(n_concepts)).to_numpy()
    skew, note = skewness(k, codes, n_concepts)
    index = pd.Index(concepts, name="concept")
    return pd.DataFrame(
        {
            "n": n_c,
            "mean": mean,
            "std": np.sqrt(var),
            "median": median,
            "skewness": skew,
            "pattern": pd.Categorical(classify(skew, threshold), categories=[*PATTERNS, UNDEFINED]),
            "kstar1_share": np.bincount(codes, k == 1, minlength=n_concepts) / n_c,
            "censored_share": np.bincount(codes, censored, minlength=n_concepts) / n_c,
            "note": note,
        },
        index=index,
    )


def space_summary(table: pd.DataFrame, k, k_norm, censored, threshold, name=None) -> pd.Series:
    """Whole-space figures: mean finite skewness and the share of concepts in each pattern."""
    skew = table["skewness"].to_numpy()
    finite = skew[np.isfinite(skew)]
    defined = skew[~np.isnan(skew)]  # the median can hold +-inf (all k*=1 / all k*=n)
    shares = table["pattern"].value_counts(normalize=True)
    values = {
        "n_samples": len(k),
        "n_concepts": len(table),
        "mean_skewness": float(finite.mean()) if finite.size else np.nan,
        "median_skewness": _median(defined),
        **{f"share_{p.lower()}": float(shares.get(p, 0.0)) for p in (*PATTERNS, UNDEFINED)},
        "mean_kstar_norm": float(np.mean(k_norm)),
        "kstar1_share": float(np.mean(k == 1)),
        "censored_share": float(np.mean(censored)),
        "threshold": float(threshold),
    }
    return pd.Series(values, name=name, dtype=object)


def _median(values: np.ndarray) -> float:
    """Median that may hold +-inf; NaN when empty or when the middle pair is -inf and +inf."""
    if not values.size:
        return float("nan")
    with np.errstate(invalid="ignore"):  # (-inf + inf) / 2: no defined middle
        return float(np.median(values))
