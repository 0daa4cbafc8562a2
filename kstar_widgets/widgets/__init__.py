"""Interactive views of k* results: one ES module drawn with BokehJS, in two hosts.

``explore()`` returns an anywidget for notebooks (JupyterLab 4, Notebook 7, VS Code,
Colab, marimo); ``report()`` writes the same views, run by the same module, to one
standalone HTML file. Rooms by role: ``_payload`` (numpy summaries, no UI),
``_views`` and ``static/`` (the front end), ``_explorer`` / ``_report`` (the widget,
``explore`` and ``report``).
"""

from ._payload import explorer_payload
from ._report import report

__all__ = ["Figure", "KStarExplorer", "explore", "explorer_payload", "report", "show_figure"]


def __getattr__(name):
    # the widget class imports ipywidgets and anywidget; report() needs neither
    if name in ("KStarExplorer", "explore"):
        from . import _explorer

        return getattr(_explorer, name)
    if name in ("Figure", "show_figure"):  # a Bokeh figure drawn with the explorers' BokehJS
        from . import _figure

        return getattr(_figure, name)
    raise AttributeError(f"module 'kstar_widgets.widgets' has no attribute {name!r}")
