"""Figure: any Bokeh figure or layout as an anywidget, drawn with the explorer's BokehJS.

``bokeh.io.show`` after ``output_notebook`` inlines BokehJS into the notebook again
for every kernel, beside the copy the explorers share, and needs the page to have
run that output; jupyter_bokeh's ``BokehModel`` needs a JupyterLab extension (it
fails in VS Code and Colab). This widget sends ``bokeh.embed.json_item(figure)``
and draws it with ``Bokeh.embed.embed_item``, loading BokehJS from the same shared
:class:`BokehJSSource` model as the explorers: once per page and once per saved
notebook, wherever anywidget runs.
"""

from __future__ import annotations

import json

import anywidget
import traitlets

from ._fallback import FigureFallback
from ._loader import UsesBokehJS, bokehjs_traits
from ._views import STATIC, esm_source

FIGURE_ESM = STATIC / "figure.js"


class Figure(FigureFallback, UsesBokehJS, anywidget.AnyWidget):
    """A Bokeh figure or layout shown as a widget; assign ``.figure`` again to redraw it in place.

    Parameters
    ----------
    figure : bokeh figure or layout (``bokeh.models.LayoutDOM``), optional
        What to show: ``bokeh.plotting.figure(...)``, ``row``, ``column``, ``gridplot``.

    Examples
    --------
    >>> import json
    >>> from bokeh.plotting import figure
    >>> from kstar_widgets.widgets import Figure
    >>> fig = figure(title="first")
    >>> _ = fig.line([0, 1], [0, 1])
    >>> w = Figure(fig)  # the last expression of a cell shows it
    >>> w.figure = figure(title="second")  # redraws in place
    >>> json.loads(w.item)["root_id"] == w.figure.id
    True
    """

    _esm = esm_source(FIGURE_ESM)
    item = traitlets.Unicode(
        "",
        help="The figure as bokeh.embed.json_item ({'doc', 'root_id', 'target_id'}), as JSON "
        "text, set from .figure. Text, not a dict: a saved notebook sorts the keys of its widget "
        "state, and BokehJS needs each model defined before a reference to it.",
    ).tag(sync=True)
    figure = traitlets.Any(
        None,
        allow_none=True,
        help="The Bokeh figure or layout shown (not synced; its json_item is). Assign a new one "
        "to redraw; after changing this one in place, call refresh().",
    )

    def __init__(self, figure=None, **kwargs):
        super().__init__(**bokehjs_traits(), **kwargs)
        self.on_msg(self._send_bokehjs)
        self.figure = figure

    @traitlets.validate("figure")
    def _check_figure(self, proposal):
        from bokeh.models import LayoutDOM

        value = proposal["value"]
        if value is not None and not isinstance(value, LayoutDOM):
            raise TypeError(
                "Figure shows a Bokeh figure or layout (bokeh.plotting.figure, row, column, "
                f"gridplot), got {type(value).__name__}."
            )
        return value

    @traitlets.observe("figure")
    def _on_figure(self, change):
        self.refresh()

    def refresh(self) -> None:
        """Send the figure again (after changing its data or properties in place)."""
        from bokeh.embed import json_item

        self.item = (
            "" if self.figure is None else json.dumps(json_item(self.figure), allow_nan=False)
        )


def show_figure(figure) -> None:
    """Display a Bokeh figure or layout in the notebook as a :class:`Figure` widget.

    The notebook replacement for ``bokeh.io.show`` (no ``output_notebook`` needed):
    BokehJS comes from the model the explorers share, so a saved notebook stores it
    once. To redraw later, keep a handle instead: ``w = Figure(fig)``, then
    ``w.figure = new_fig``.

    Parameters
    ----------
    figure : bokeh figure or layout (``bokeh.models.LayoutDOM``)
        What to show.
    """
    from IPython.display import display

    display(Figure(figure))
