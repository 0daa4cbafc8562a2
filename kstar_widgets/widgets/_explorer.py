"""KStarExplorer: the linked views in a notebook, synced with Python both ways."""

from __future__ import annotations

import ipywidgets
import numpy as np
import traitlets

from ._bar import ConceptBar
from ._compute import ApproxMixin, ensure_bokehjs
from ._inputs import as_results, check_images, check_threshold
from ._layout import build_views
from ._sources import detail_payload
from ._texts import header_html
from ._thumbs import thumbnails_for


class KStarExplorer(ApproxMixin, ipywidgets.VBox):
    """Linked views of one or more k* results: overview, detail, intrusions, comparisons.

    Build it with :func:`explore`. ``selected_concept`` (a concept label or None)
    and ``selected_samples`` (sample indices) can be read, set and observed from
    Python; a click in any view sets them. ``threshold`` re-classifies live;
    ``driver`` names the result the overview shows.
    """

    selected_concept = traitlets.Any(None, allow_none=True)
    selected_samples = traitlets.List(traitlets.Int())
    threshold = traitlets.Float(0.5)
    driver = traitlets.Unicode()

    def __init__(
        self,
        results,
        *,
        images=None,
        features=None,
        threshold=None,
        n_low=6,
        rows=28,
        max_matrix=40,
        **kwargs,
    ):
        self.results = as_results(results)
        first = next(iter(self.results.values()))
        self._images = check_images(images, first.n_samples)
        self._raw_images = images
        self._features = features
        self._labels = list(first.concepts.index)
        self._code = {self._key(c): i for i, c in enumerate(self._labels)}
        self._options = dict(n_low=n_low, rows=rows, max_matrix=max_matrix)
        t = check_threshold(threshold, first.threshold)
        self.bar = ConceptBar(first, threshold=t)
        self.bar.observe(lambda ch: self._select_code(ch["new"]), "concept")
        self.compute_button = ipywidgets.Button(
            description="compute approximate",
            icon="bolt",
            disabled=features is None or self._has("approx"),
            tooltip="runs kw.kstar(method='approx') in the background"
            if features is not None
            else "pass features= to explore() to compute the approximate result here",
        )
        self.compute_button.on_click(lambda _: self.compute_approx())
        self.progress = ipywidgets.IntProgress(
            value=0, min=0, max=100, layout={"width": "160px", "visibility": "hidden"}
        )
        self.status = ipywidgets.HTML("")
        self._thread = None
        self._syncing = False
        super().__init__(**kwargs)
        self.driver = next(iter(self.results))
        self.threshold = t
        self._build()

    # -- building -------------------------------------------------------------------------------------------
    @staticmethod
    def _key(label):
        return label.item() if isinstance(label, np.generic) else label

    def _has(self, method):
        return any(r.method == method for r in self.results.values())

    def _build(self):
        from jupyter_bokeh import BokehModel

        self.views = build_views(
            self.results, threshold=self.threshold, images=self._images, **self._options
        )
        v = self.views
        v.src.selected.on_change("indices", lambda a, o, n: self._select_code(n[0] if n else -1))
        v.dlow.selected.on_change("indices", lambda a, o, n: self._pick_rows(n))
        v.matrix.selected.on_change("indices", lambda a, o, n: self._pick_cell(n))
        v.slider.on_change("value", lambda a, o, n: setattr(self, "threshold", float(n)))
        v.radio.on_change("active", lambda a, o, n: setattr(self, "driver", list(self.results)[n]))
        self.bokeh = BokehModel(v.layout)
        self.children = [
            ipywidgets.HBox([self.bar, self.compute_button, self.progress, self.status]),
            self.bokeh,
        ]
        if self.selected_concept is not None:
            self._show(self._code[self.selected_concept])

    def _repr_mimebundle_(self, **kwargs):
        ensure_bokehjs()
        return super()._repr_mimebundle_(**kwargs)

    # -- Python <-> views ------------------------------------------------------------------------------------
    @traitlets.validate("selected_concept")
    def _check_concept(self, proposal):
        value = proposal["value"]
        if value is None:
            return None
        key = self._key(value)
        if key not in self._code:
            names = ", ".join(map(repr, self._labels[:8])) + (
                ", ..." if len(self._labels) > 8 else ""
            )
            raise ValueError(
                f"selected_concept {value!r} is not a concept of these results; use one of {names}."
            )
        return key

    @traitlets.observe("selected_concept")
    def _on_concept(self, change):
        self._show(-1 if change["new"] is None else self._code[change["new"]])

    @traitlets.observe("threshold")
    def _on_threshold(self, change):
        t = check_threshold(change["new"], 0.5)
        self.bar.threshold = t
        if hasattr(self, "views") and self.views.slider.value != t:
            self.views.slider.end = max(self.views.slider.end, t)
            self.views.slider.value = t

    @traitlets.observe("driver")
    def _on_driver(self, change):
        names = list(self.results)
        if change["new"] not in names:
            raise ValueError(f"driver must be one of {names}, got {change['new']!r}.")
        self.bar.set_result(self.results[change["new"]])
        if hasattr(self, "views") and self.views.radio.active != names.index(change["new"]):
            self.views.radio.active = names.index(change["new"])
        if hasattr(self, "views") and self.selected_concept is not None:
            self._show(self._code[self.selected_concept])

    def _select_code(self, code):
        self.selected_concept = None if code is None or code < 0 else self._labels[code]

    def _show(self, code):
        v = self.views
        want = [] if code < 0 else [int(code)]
        if list(v.src.selected.indices) != want:
            v.src.selected.indices = want
        if self.bar.concept != code:
            self.bar.concept = code
        driver = list(self.results).index(self.driver)
        payload = detail_payload(v.built, code, driver)
        v.dhist.data = payload["hist"]
        v.dlow.data = payload["low"]
        v.thumbs.data = thumbnails_for(v.built, self._images, code, driver)
        v.header.text = self._header(code)

    def _header(self, code):
        if code < 0:
            return "<i>click a concept in any view</i>"
        res = self.results[self.driver].with_threshold(self.threshold)
        return header_html(res, code, self.driver)

    @traitlets.observe("selected_samples")
    def _on_samples(self, change):
        if self._syncing or not hasattr(self, "views"):
            return
        wanted = set(change["new"])
        rows = [i for i, s in enumerate(self.views.dlow.data["sample"]) if s in wanted]
        self._syncing = True
        try:
            self.views.dlow.selected.indices = rows
        finally:
            self._syncing = False

    def _pick_rows(self, rows):
        if self._syncing:
            return
        samples = self.views.dlow.data["sample"]
        self.selected_samples = [int(samples[r]) for r in rows if r < len(samples)]

    def _pick_cell(self, cells):
        if len(cells) != 1:
            return
        m = self.views.matrix.data
        row, col = int(m["row"][cells[0]]), int(m["col"][cells[0]])
        res = self.results[self.driver]
        known = res.intruder >= 0
        hit = (res.codes == row) & known & (res.codes[np.where(known, res.intruder, 0)] == col)
        self.selected_concept = self._labels[row]
        self.selected_samples = np.flatnonzero(hit).tolist()

    # -- actions ---------------------------------------------------------------------------------------------
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
            **self._options,
        )
