"""Spearman's rank correlation of Γ between two results, once for compare() and the views."""

from __future__ import annotations

import numpy as np
import pandas as pd

MIN_RANKED = 3  # below this a rank correlation is ±1 whatever the values: it says nothing


def rank_correlation(a, b) -> float:
    """Spearman ρ of ``a`` and ``b`` over the positions finite in both; NaN with fewer than
    MIN_RANKED such positions, or when either side is constant there.

    Parameters
    ----------
    a, b : array-like of float of shape (n_concepts,)
        Γ of the same concepts in two results (±inf and NaN are left out).

    Examples
    --------
    >>> rank_correlation([0.1, 0.5, 2.0, np.inf], [0.2, 0.1, 3.0, 1.0])
    0.5
    >>> rank_correlation([0.1, 0.5], [0.2, 0.4])
    nan
    """
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    both = np.isfinite(a) & np.isfinite(b)
    if both.sum() < MIN_RANKED:
        return float("nan")
    return float(pd.Series(a[both]).corr(pd.Series(b[both]), method="spearman"))
