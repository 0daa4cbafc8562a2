"""report(): the explorer's views in one standalone HTML file, no kernel and no network needed."""

from __future__ import annotations

import html
import os
from pathlib import Path

import numpy as np

from ._inputs import (
    as_results,
    check_images,
    check_options,
    check_threshold,
    default_partner,
    find_label,
)
from ._islands import island_bank, island_indexes
from ._payload import explorer_payload, lowest_kstar, rank_by_skewness
from ._thumbs import thumbnail_ids, thumbnails
from ._views import bokehjs_version, report_page

INTRO = (
    "Each concept's k* distribution: for every sample, k* is the rank of its first "
    "nearest neighbour from another concept (normalised by the concept's size, so "
    "k*/n lies in (0, 1]). The skewness Γ of these values names the "
    "concept's pattern: <b>Fractured</b> (Γ &gt; t: many samples meet another concept "
    "first, the concept is split into pieces), <b>Clustered</b> (Γ &lt; −t: one compact "
    "group) or <b>Overlapped</b> (in between: it shares its region with other concepts). "
    "Click a concept in any view to see its histogram, its lowest-k* samples and the "
    "samples that intrude on them, and its islands: the groups of its samples that "
    "reach each other before any foreign sample. Showing: {names}."
)


def report(
    result_or_results,
    path,
    *,
    images=None,
    title="k* explorer",
    threshold=None,
    selected_concept=None,
    driver=None,
    n_low=6,
    rows=28,
    max_matrix=40,
    max_images=3000,
):
    """Write the k* views to one self-contained HTML file.

    The page runs the same ES module as the live widget, with BokehJS (core and
    plotting API, from the installed bokeh: no CDN) and the thumbnails inlined, so
    it opens offline; clicking, the threshold, the result buttons and the concept
    finder all work without a kernel.

    Parameters
    ----------
    result_or_results : KStarResult, or list or dict of KStarResult
        Results on the same samples (exact and approximate, two models, ...).
    path : str or os.PathLike
        Where to write; parent folders must exist. Overwrites.
    images : uint8 array of shape (n, h, w) or (n, h, w, 3), callable, or object with .images(), optional
        Thumbnails of the lowest-k* samples, their intruders and the islands' first members.
    title : str, default="k* explorer"
        The page's title and heading.
    threshold : float, optional
        Skewness threshold shown first (default: the first result's).
    selected_concept : label, optional
        Concept selected when the page opens.
    driver : str, optional
        Name of the result the views show first (default: the first).
    n_low, rows, max_matrix : int
        As in :func:`explore`.
    max_images : int, default=3000
        Most thumbnails embedded (most fractured concepts first).

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
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"path must be a file path (str or Path), got {type(path).__name__}.")
    if not isinstance(title, str):
        raise TypeError(f"title must be a str, got {type(title).__name__}.")
    out = Path(path)
    if not out.parent.is_dir():
        raise ValueError(
            f"cannot write {str(out)!r}: folder {str(out.parent)!r} does not exist; create it first."
        )
    options = check_options(n_low=n_low, rows=rows, max_matrix=max_matrix)
    results = as_results(result_or_results)
    names = list(results)
    first = results[names[0]]
    driver = names[0] if driver is None else driver
    if driver not in names:
        raise ValueError(f"driver must be one of {names}, got {driver!r}.")
    bank = island_bank(results)
    code = _code_of(selected_concept, first)
    state = {
        "payload": explorer_payload(results, **options),
        "thumbs": _thumb_bank(results, images, first, options["n_low"], max_images),
        "island_bank": bank,  # the page's host hands the selected concept's to the views
        "islands": bank.get(str(code), {"code": -1, "results": []}),
        "bokehjs_version": bokehjs_version(),
        "concept_index": code,
        "selected_samples": [],
        "selected_cell": [],
        "threshold": check_threshold(threshold, first.threshold),
        "driver": driver,
        "compare_with": default_partner(results, driver),
        "compute_reason": "a saved report has no kernel to compute with",
        "status": "",
        "busy": False,
    }
    shown = ", ".join(html.escape(n) for n in names)
    page = report_page(state, title=title, intro=INTRO.format(names=shown))
    out.write_text(page, encoding="utf-8")
    return str(path)


def _thumb_bank(results, images, first, n_low, max_images):
    """Thumbnails of every concept's listed samples, intruders and islands, most fractured first."""
    fn = check_images(images, first.n_samples)
    if fn is None:
        return thumbnails(None, [])
    order = np.argsort(rank_by_skewness(first.concepts["skewness"].to_numpy()), kind="stable")
    lows = [lowest_kstar(r, n_low) for r in results.values()]
    return thumbnails(fn, thumbnail_ids(lows, order, island_indexes(results))[:max_images])


def _code_of(selected_concept, first) -> int:
    """Position of the concept ``selected_concept`` names; -1 for None."""
    if selected_concept is None:
        return -1
    labels = [x.item() if hasattr(x, "item") else x for x in first.concepts.index]
    return labels.index(find_label(labels, selected_concept))
