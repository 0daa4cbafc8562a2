"""Standalone HTML: the linked views with BokehJS inlined, no kernel and no network needed."""

from __future__ import annotations

import os
from pathlib import Path

from ._inputs import as_results, check_images, check_threshold
from ._layout import build_views


def report(
    result_or_results,
    path,
    *,
    images=None,
    title="k* explorer",
    threshold=None,
    selected_concept=None,
    n_low=6,
    rows=28,
    max_matrix=40,
):
    """Write the k* views to one self-contained HTML file.

    The file inlines BokehJS from the installed bokeh package (no CDN) and the
    thumbnails, so it opens offline; clicking, hovering, the threshold slider and
    the result toggle all work without a kernel.

    Parameters
    ----------
    result_or_results : KStarResult, or list or dict of KStarResult
        Results on the same samples (exact and approximate, two models, ...).
    path : str or os.PathLike
        Where to write; parent folders must exist. Overwrites.
    images : uint8 array of shape (n, h, w) or (n, h, w, 3), callable, or object with .images(), optional
        Thumbnails of the lowest-k* samples and their intruders.
    title : str, default="k* explorer"
    threshold : float, optional
        Skewness threshold shown first (default: the first result's).
    selected_concept : label, optional
        Concept selected when the page opens.

    Returns
    -------
    str
        The path written.

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> x, y = np.random.default_rng(0).normal(size=(60, 4)), np.repeat([0, 1, 2], 20)
    >>> kw.report(kw.kstar(x, y, progress=False), "/tmp/kstar_report.html")
    '/tmp/kstar_report.html'
    """
    from bokeh.embed import file_html
    from bokeh.resources import INLINE

    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or Path), got {type(path).__name__}.")
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__}.")
    out = Path(path)
    if not out.parent.is_dir():
        raise ValueError(
            f"cannot write {str(out)!r}: folder {str(out.parent)!r} does not exist; create it first."
        )
    results = as_results(result_or_results)
    first = next(iter(results.values()))
    t = check_threshold(threshold, first.threshold)
    views = build_views(
        results,
        threshold=t,
        images=check_images(images, first.n_samples),
        embed_images=True,
        n_low=n_low,
        rows=rows,
        max_matrix=max_matrix,
    )
    if selected_concept is not None:
        labels = [x.item() if hasattr(x, "item") else x for x in first.concepts.index]
        if selected_concept not in labels:
            raise ValueError(
                f"selected_concept {selected_concept!r} is not a concept of these results."
            )
        views.src.selected.indices = [labels.index(selected_concept)]
    page = file_html(views.layout, INLINE, title=title)
    out.write_text(page, encoding="utf-8")
    return str(path)
