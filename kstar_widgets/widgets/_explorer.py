"""KStarExplorer: the views as one anywidget, synced with Python both ways; and explore()."""

from __future__ import annotations

import anywidget
import numpy as np
import traitlets

from ..utils._validation import check_threshold
from ._background import ApproxMixin
from ._fallback import ExplorerFallback
from ._inputs import as_results, check_images, default_partner, find_label
from ._islands import concept_islands, island_indexes
from ._loader import UsesBokehJS, bokehjs_traits
from ._options import DEFAULTS, ViewOptions
from ._payload import explorer_payload, lowest_kstar
from ._state import PageState
from ._thumbs import thumbnail_ids, thumbnails
from ._views import css_source, esm_source


class KStarExplorer(ExplorerFallback, PageState, ApproxMixin, UsesBokehJS, anywidget.AnyWidget):
    """Linked views of one or more k* results: overview, detail, intrusions, comparisons.

    Build it with :func:`explore`. The page (one ES module joined from ``static/``)
    draws every view and applies every rule; Python sends per-concept summaries and
    keeps the selection, the threshold and the driving result in sync both ways. The
    synced traits are :class:`PageState`'s; ``options`` are :class:`ViewOptions`' (the
    defaults of :func:`explore`).

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> from kstar_widgets.widgets import KStarExplorer
    >>> x, y = np.random.default_rng(0).normal(size=(60, 4)), np.repeat([0, 1, 2], 20)
    >>> KStarExplorer(kw.kstar(x, y, progress=False)).payload["n_low"]
    6
    """

    _esm = esm_source()
    _css = css_source()
    selected_concept = traitlets.Any(
        None,
        allow_none=True,
        help="The selected concept's label (None for none). Accepts a label, or anything whose "
        "str() equals exactly one label (3 for the label '3').",
    )

    def __init__(self, results, *, images=None, features=None, threshold=None, **options):
        self.results = as_results(results)
        first = next(iter(self.results.values()))
        self._images = check_images(images, first.n_samples)
        self._raw_images = images
        self._features = features
        self._options = ViewOptions(**options)
        self._labels = [x.item() if isinstance(x, np.generic) else x for x in first.concepts.index]
        self._thread = None
        super().__init__(
            **bokehjs_traits(),
            threshold=check_threshold(threshold, first.threshold),
        )
        self._rebuild()
        self.on_msg(self._send_bokehjs)
        self.on_msg(self._on_message)

    def _rebuild(self):
        """Summaries of the current results; keeps driver and comparison where they still exist."""
        names = list(self.results)
        self._lows = [lowest_kstar(r, self._options.n_low) for r in self.results.values()]
        self._islands = island_indexes(self.results)
        self.payload = explorer_payload(self.results, **self._options.as_dict())
        self._send_concept(self.concept_index)
        if self.driver not in names:
            self.driver = names[0]
        if self.compare_with not in names or self.compare_with == self.driver:
            self.compare_with = default_partner(self.results, self.driver)
        self.compute_reason = self._why_no_compute()

    def _why_no_compute(self) -> str:
        if any(r.method == "approx" for r in self.results.values()):
            return "the approximate result is already shown"
        if self._features is None:
            return "pass features= to kw.explore() to compute it here"
        return ""

    # -- Python <-> page ----------------------------------------------------------------------
    @traitlets.validate("selected_concept")
    def _check_concept(self, proposal):
        value = proposal["value"]
        if value is None:
            return None
        return find_label(self._labels, value)

    @traitlets.observe("selected_concept")
    def _on_concept(self, change):
        code = -1 if change["new"] is None else self._labels.index(change["new"])
        if self.concept_index != code:
            self.concept_index = code
        self._drop_foreign_selection(code)
        self._send_concept(code)

    @traitlets.observe("concept_index")
    def _on_index(self, change):
        code = change["new"]
        if not -1 <= code < len(self._labels):
            raise ValueError(f"concept_index must be -1 or below {len(self._labels)}, got {code}.")
        label = None if code < 0 else self._labels[code]
        if self.selected_concept != label:
            self.selected_concept = label

    @traitlets.validate("threshold")
    def _check_threshold(self, proposal):
        return check_threshold(proposal["value"], 0.5)

    @traitlets.validate("driver", "compare_with")
    def _check_name(self, proposal):
        names = list(getattr(self, "results", {}))
        if names and proposal["value"] not in names and proposal["value"] != "":
            raise ValueError(
                f"{proposal['trait'].name} must be one of {names}, got {proposal['value']!r}."
            )
        return proposal["value"]

    @traitlets.observe("driver")
    def _on_driver(self, change):
        if self.compare_with == change["new"]:  # the comparison's B is never its A
            self.compare_with = default_partner(self.results, change["new"])

    @traitlets.observe("selected_cell")
    def _on_cell(self, change):
        if len(change["new"]) != 2:
            return
        row, col = change["new"]
        res = self.results[self.driver]
        known = res.intruder >= 0
        hit = (res.codes == row) & known & (res.codes[np.where(known, res.intruder, 0)] == col)
        self.selected_samples = np.flatnonzero(hit).tolist()

    def _drop_foreign_selection(self, code):
        """A selection belongs to the concept it was made in: selecting another concept clears
        the matrix cell (unless it is in the concept's row) and the samples (unless every one
        is the concept's). The page sends a cell and its row together, in either order."""
        if self.selected_cell and self.selected_cell[0] != code:
            self.selected_cell = []
        picked = np.asarray(self.selected_samples, dtype=np.int64)
        codes = self.results[self.driver].codes
        inside = (picked >= 0) & (picked < len(codes))
        if picked.size and not (inside.all() and (codes[picked] == code).all()):
            self.selected_samples = []

    def _send_concept(self, code):
        """The selected concept's thumbnails and islands (sent per concept, not up front)."""
        ids = [] if code < 0 else thumbnail_ids(self._lows, [code], self._islands)
        self.thumbs = thumbnails(self._images, ids)
        self.islands = concept_islands(self._islands, code)

    def _on_message(self, _widget, content, _buffers):
        action = content.get("action") if isinstance(content, dict) else None
        if action == "compute_approx" and not self.compute_reason and not self.busy:
            self.compute_approx()

    # -- actions --------------------------------------------------------------------------------
    @property
    def result(self):
        """The driving result, re-classified at the current threshold."""
        return self.results[self.driver].with_threshold(self.threshold)

    def save(self, path, *, title="k* explorer") -> str:
        """Write the views to one standalone HTML file (works with no kernel); returns the path."""
        from ._report import report

        return report(
            self.results,
            path,
            images=self._raw_images,
            title=title,
            threshold=self.threshold,
            selected_concept=self.selected_concept,
            driver=self.driver,
            **self._options.as_dict(),
        )


def explore(
    result_or_results,
    *,
    images=None,
    features=None,
    threshold=None,
    n_low=DEFAULTS.n_low,
    rows=DEFAULTS.rows,
    max_matrix=DEFAULTS.max_matrix,
):
    """Linked, interactive views of one or more k* results.

    Views: the k* distribution of every concept sorted by Γ (with a live
    threshold and a pattern legend), the selected concept's histogram and
    lowest-k* samples with their intruders, the intrusion matrix, exact against
    approximate Γ (when both are given), and Γ of one result against another.
    Selecting a concept anywhere selects it everywhere and in Python
    (``widget.selected_concept``). Runs wherever anywidget runs (JupyterLab,
    Notebook 7, VS Code, Colab, marimo); no JupyterLab extension is needed.

    Parameters
    ----------
    result_or_results : KStarResult, or list or dict of KStarResult
        Results on the same samples; a dict's keys name them. Colliding names get
        a suffix (" (2)"), so every result stays reachable.
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
        An anywidget; ``.save(path)`` writes a standalone HTML file.

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> x, y = np.random.default_rng(0).normal(size=(60, 4)), np.repeat([0, 1, 2], 20)
    >>> w = kw.explore(kw.kstar(x, y, progress=False))
    >>> w.selected_concept = 1
    >>> w.concept_index
    1
    """
    return KStarExplorer(
        result_or_results,
        images=images,
        features=features,
        threshold=threshold,
        n_low=n_low,
        rows=rows,
        max_matrix=max_matrix,
    )
