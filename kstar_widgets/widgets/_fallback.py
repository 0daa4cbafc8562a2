"""What a widget output shows where no live widget can be drawn.

A notebook reopened without a kernel, an untrusted notebook in JupyterLab, nbconvert
HTML without the widget state, GitHub and nbviewer show an output's ``text/html``
(or ``text/plain``) instead of its widget view, which needs the kernel's model. So
every explorer and figure adds to its widget-view bundle a small static fallback:
the results in words and the concept table for an explorer, the titles and legends
for a figure. A live front end still draws the widget (it ranks the widget view first).
"""

from __future__ import annotations

import html

MAX_ROWS = 30  # concepts in the fallback table: enough to read, small in the saved file
# the concept table's columns: Γ with its interval, the pattern, how often resamples agree
COLUMNS = {
    "n": "samples",
    "skewness": "Γ [interval]",
    "pattern": "pattern",
    "pattern_confidence": "same pattern in resamples",
    "median": "median k*/n",
}
NOTE = "Static view of the results: run the notebook to explore them interactively."
_CELL = "padding:2px 8px;text-align:right;white-space:nowrap"


class StaticFallback:
    """Mixin for widgets: ``_repr_mimebundle_`` adds ``text/plain`` and ``text/html``.

    A subclass defines ``_fallback_text()`` and ``_fallback_html()``.
    """

    def _fallback_text(self) -> str:
        raise NotImplementedError

    def _fallback_html(self) -> str:
        raise NotImplementedError

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is None:  # a closed widget shows nothing
            return None
        data, metadata = bundle if isinstance(bundle, tuple) else (bundle, {})
        try:
            fallback = {"text/plain": self._fallback_text(), "text/html": self._fallback_html()}
        except Exception as exc:  # the live widget must show whatever its fallback meets
            fallback = {"text/plain": f"{type(self).__name__} (no static view: {exc})"}
        return {**data, **fallback}, metadata


def _table_html(frame) -> str:
    """A small HTML table of strings (the index as the first column), inline-styled."""
    esc = html.escape
    head = "".join(f'<th style="{_CELL}">{esc(str(c))}</th>' for c in [frame.index.name or ""])
    head += "".join(f'<th style="{_CELL}">{esc(str(c))}</th>' for c in frame.columns)
    rows = []
    for label, row in frame.iterrows():
        cells = [f'<td style="{_CELL};text-align:left"><bdi>{esc(str(label))}</bdi></td>']
        cells += [f'<td style="{_CELL}">{esc(str(v))}</td>' for v in row]
        rows.append(f"<tr>{''.join(cells)}</tr>")
    return (
        f'<table style="border-collapse:collapse"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def concept_table(result, max_rows: int = MAX_ROWS):
    """The result's concepts for reading, most fractured first; returns (frame, rows left out)."""
    from ..interpret import readable

    concepts = result.concepts.sort_values("skewness", ascending=False, na_position="last")
    kept = [c for c in COLUMNS if c in concepts and concepts[c].notna().any()]
    names = dict(COLUMNS)
    if "skewness_ci_low" not in concepts or concepts["skewness_ci_low"].isna().all():
        names["skewness"] = "Γ"  # no bootstrap (n_boot=0): nothing claims an interval
    shown = readable(concepts[[*kept, *_interval_columns(concepts, kept)]].head(max_rows))
    return shown[kept].rename(columns=names), max(0, len(concepts) - max_rows)


def _interval_columns(frame, kept) -> list[str]:
    return [f"{c}_ci_{s}" for c in kept for s in ("low", "high") if f"{c}_ci_{s}" in frame]


def result_line(name, result) -> str:
    """One result in words, in the notebook's number style: size, mean Γ, pattern shares."""
    from ..interpret import figure

    s = result.summary
    shares = ", ".join(
        f"{p} {figure(result, f'share_{p.lower()}', label=False)}"
        for p in ("Fractured", "Overlapped", "Clustered")
    )
    return (
        f"{name}: {s['n_samples']} samples, {s['n_concepts']} concepts; "
        f"mean Γ {figure(result, 'mean_skewness', label=False)}; {shares}"
    ).replace("\u00a0", " ")


def explorer_text(results) -> str:
    """Plain-text fallback: one line per result (Γ with interval, patterns), then its concepts."""
    lines = ["k* explorer: " + NOTE]
    lines += [result_line(name, r) for name, r in results.items()]
    table, left = concept_table(next(iter(results.values())))
    lines.append(table.to_string().replace("\u00a0", " "))
    if left:
        lines.append(f"… and {left} more concepts")
    return "\n".join(lines)


def explorer_html(results) -> str:
    """HTML fallback: the results in words and the first result's concept table."""
    esc = html.escape
    first_name, first = next(iter(results.items()))
    items = "".join(f"<li>{esc(result_line(n, r))}</li>" for n, r in results.items())
    table, left = concept_table(first)
    more = f"<p>… and {left} more concepts (the most fractured are listed).</p>" if left else ""
    caption = f"Concepts of <bdi>{esc(str(first_name))}</bdi>, most fractured (highest Γ) first"
    return (
        f'<div class="kstar-fallback"><p><b>k* explorer</b>: {esc(NOTE)}</p><ul>{items}</ul>'
        f"<p>{caption}:</p>{_table_html(table)}{more}</div>"
    )


def _plots(figure):
    """The Bokeh plots in a figure or layout, in layout order (rows, columns, grids)."""
    from bokeh.models import Plot

    if figure is None:
        return []
    if isinstance(figure, Plot):
        return [figure]
    plots = []
    for child in getattr(figure, "children", []):
        plots += _plots(child[0] if isinstance(child, tuple) else child)
    return plots


def _plot_words(plot) -> str:
    """One plot in words: its title, axes and legend entries."""
    from bokeh.models import Title

    titles = [plot.title, *(t for t in plot.above if isinstance(t, Title))]
    title = " ".join(t.text for t in titles if t is not None and t.text) or "(untitled plot)"
    axes = [a.axis_label for a in (*plot.below, *plot.left) if getattr(a, "axis_label", None)]
    labels = []
    for legend in _legends(plot):
        labels += [_label(item.label) for item in legend.items]
    words = title
    if axes:
        words += f" — axes: {', '.join(axes)}"
    if labels:
        words += f" — legend: {', '.join(dict.fromkeys(x for x in labels if x))}"
    return words


def _legends(plot):
    from bokeh.models import Legend

    return [
        r for r in (*plot.center, *plot.right, *plot.above, *plot.below) if isinstance(r, Legend)
    ]


def _label(label) -> str:
    """A legend item's label (a value, or a field name of its source)."""
    if label is None:
        return ""
    if isinstance(label, str):
        return label
    return str(getattr(label, "value", None) or getattr(label, "field", "") or "")


def figure_text(figure) -> str:
    """Plain-text fallback of a figure: what each plot shows."""
    words = [_plot_words(p) for p in _plots(figure)] or ["(no figure)"]
    return "Figure (interactive; run the notebook to draw it): " + "; ".join(words)


def figure_html(figure) -> str:
    """HTML fallback of a figure: what each plot shows, as a list."""
    from ._sketch import plot_img

    items = "".join(
        f"<li>{html.escape(_plot_words(p))}<br>{plot_img(p)}</li>" for p in _plots(figure)
    )
    return (
        '<div class="kstar-fallback"><p><b>Figure</b> (interactive: run the notebook to draw '
        f"it)</p><ul>{items or '<li>(no figure)</li>'}</ul></div>"
    )


class ExplorerFallback(StaticFallback):
    """The explorer's fallback: its results in words and the concept table."""

    def _fallback_text(self) -> str:
        return explorer_text(self.results)

    def _fallback_html(self) -> str:
        return explorer_html(self.results)


class FigureFallback(StaticFallback):
    """A figure's fallback: what its plots show."""

    def _fallback_text(self) -> str:
        return figure_text(self.figure)

    def _fallback_html(self) -> str:
        return figure_html(self.figure)
