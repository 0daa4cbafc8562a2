"""explore(): the one call that turns results into a notebook widget."""

from __future__ import annotations


def explore(
    result_or_results,
    *,
    images=None,
    features=None,
    threshold=None,
    n_low=6,
    rows=28,
    max_matrix=40,
):
    """Linked, interactive views of one or more k* results.

    Views: the k* distribution of every concept sorted by Γ (with a live
    threshold), the selected concept's histogram and lowest-k* samples with their
    intruders, the intrusion matrix, exact against approximate Γ (when both are
    given), and Γ of one result against another. Selecting a concept anywhere
    selects it everywhere and in Python (``widget.selected_concept``).

    Parameters
    ----------
    result_or_results : KStarResult, or list or dict of KStarResult
        Results on the same samples; a dict's keys name them.
    images : uint8 array of shape (n, h, w) or (n, h, w, 3), callable, or object with .images(), optional
        Thumbnails: an array, a function ``indices -> uint8 (m, s, s, 3)``, or an
        object with ``.images(indices, size=48)`` such as ``kw.Features``.
    features : array-like of shape (n_samples, n_features), optional
        The features behind the results; enables the "compute approximate" button.
    threshold : float, optional
        Skewness threshold shown first (default: the first result's).
    n_low : int, default=6
        Lowest-k* samples listed for the selected concept.
    rows : int, default=28
        Concepts visible at once in the overview (scroll for the rest).
    max_matrix : int, default=40
        Most concepts in the intrusion matrix (the most fractured when there are more).

    Returns
    -------
    KStarExplorer
        An ipywidgets container; ``.save(path)`` writes a standalone HTML file.

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> x, y = np.random.default_rng(0).normal(size=(60, 4)), np.repeat([0, 1, 2], 20)
    >>> w = kw.explore(kw.kstar(x, y, progress=False))
    >>> w.selected_concept = 1
    >>> w.bar.concept
    1
    """
    from ._explorer import KStarExplorer

    for name, value, low in (("n_low", n_low, 1), ("rows", rows, 1), ("max_matrix", max_matrix, 2)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{name} must be an int, got {type(value).__name__}.")
        if value < low:
            raise ValueError(f"{name} must be at least {low}, got {value}.")
    return KStarExplorer(
        result_or_results,
        images=images,
        features=features,
        threshold=threshold,
        n_low=n_low,
        rows=rows,
        max_matrix=max_matrix,
    )
