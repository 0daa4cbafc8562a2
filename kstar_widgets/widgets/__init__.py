"""Interactive views of k* results: Bokeh plots, ipywidgets controls, anywidget glue.

``explore()`` returns a widget for notebooks (JupyterLab 4, Notebook 7);
``report()`` writes the same linked views to one standalone HTML file.
"""

from ._data import concept_summaries
from ._explore import explore
from ._report import report

__all__ = [
    "ConceptBar",
    "KStarExplorer",
    "concept_summaries",
    "ensure_bokehjs",
    "explore",
    "report",
]


def __getattr__(name):
    # the widget classes import ipywidgets and anywidget; report() needs only bokeh
    if name == "KStarExplorer":
        from ._explorer import KStarExplorer

        return KStarExplorer
    if name == "ensure_bokehjs":
        from ._compute import ensure_bokehjs

        return ensure_bokehjs
    if name == "ConceptBar":
        from ._bar import ConceptBar

        return ConceptBar
    raise AttributeError(f"module 'kstar_widgets.widgets' has no attribute {name!r}")
