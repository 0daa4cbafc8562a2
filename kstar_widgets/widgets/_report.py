"""report(): the explorer's views in one standalone HTML file, no kernel and no network needed."""

from __future__ import annotations

import html
import os
from pathlib import Path

import numpy as np

from ..utils._validation import check_threshold
from ._inputs import as_results, check_images, default_partner, find_label
from ._islands import island_bank, island_indexes
from ._options import DEFAULTS, ViewOptions
from ._payload import explorer_payload, lowest_kstar, rank_by_skewness, to_buffer
from ._state import page_state
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
    n_low=DEFAULTS.n_low,
    rows=DEFAULTS.rows,
    max_matrix=DEFAULTS.max_matrix,
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
        As in :func:`explore` (:class:`ViewOptions`: 6, 28 and 40 by default).
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
    options = ViewOptions(n_low=n_low, rows=rows, max_matrix=max_matrix)
    results = as_results(result_or_results)
    names = list(results)
    first = results[names[0]]
    driver = names[0] if driver is None else driver
    if driver not in names:
        raise ValueError(f"driver must be one of {names}, got {driver!r}.")
    bank = island_bank(results)
    code = _code_of(selected_concept, first)
    state = page_state(
        payload=explorer_payload(results, **options.as_dict()),
        thumbs=_thumb_bank(results, images, first, options.n_low, max_images),
        islands=bank.get(str(code), {"code": -1, "results": []}),
        concept_index=code,
        threshold=check_threshold(threshold, first.threshold),
        driver=driver,
        compare_with=default_partner(results, driver),
        compute_reason="a saved report has no kernel to compute with",
    )
    # what only this host has: every concept's islands (it hands the selected one's to the
    # views), each sample's concept and intruder's concept (it keeps the selection as the
    # kernel does) and the BokehJS it inlines
    state.update(
        island_bank=bank, sample_bank=sample_bank(results), bokehjs_version=bokehjs_version()
    )
    shown = ", ".join(html.escape(n) for n in names)
    page = report_page(state, title=title, intro=INTRO.format(names=shown))
    out.write_text(page, encoding="utf-8")
    return str(path)


def sample_bank(results) -> dict:
    """Each sample's concept and, per result, its intruder's concept (-1 when censored): what
    the report's host needs to select a matrix cell's samples without a kernel."""
    first = next(iter(results.values()))
    dtype = np.int16 if len(first.concepts) < 2**15 else np.int32

    def intruder_codes(res):
        known = res.intruder >= 0
        return np.where(known, res.codes[np.where(known, res.intruder, 0)], -1)

    return {
        "codes": to_buffer(first.codes, dtype),
        "intruder_codes": [to_buffer(intruder_codes(r), dtype) for r in results.values()],
    }


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
