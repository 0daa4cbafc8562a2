"""kstar_widgets: how a vision model arranges each concept in its latent space.

The compute core (``kstar``, ``compare``, ``null_baseline``) imports no UI library and no model
library; feature extraction (torch, timm, open_clip) and the widgets (anywidget,
ipywidgets, Bokeh) load on first use of their names.
"""

from importlib import import_module

from . import synthetic
from ._compare import Comparison, compare
from ._kstar import kstar
from ._null import NullBaseline, null_baseline
from ._result import KStarResult, load
from .stats._patterns import PATTERN_COLORS, PATTERNS, classify
from .utils._warnings import ApproxAuditWarning, ConceptSizeWarning, DegenerateSpaceWarning

__version__ = "0.1.0"  # the one place the version is written: pyproject.toml reads it here

# name -> submodule that defines it, imported on first access (PEP 562)
_LAZY = {
    "extract": ".features",
    "Features": ".features",
    "features": ".features",
    "datasets": ".datasets",
    "explore": ".widgets",
    "report": ".widgets",
}

__all__ = [
    "PATTERNS",
    "PATTERN_COLORS",
    "ApproxAuditWarning",
    "Comparison",
    "ConceptSizeWarning",
    "DegenerateSpaceWarning",
    "Features",
    "KStarResult",
    "NullBaseline",
    "__version__",
    "classify",
    "compare",
    "datasets",
    "explore",
    "extract",
    "features",
    "kstar",
    "load",
    "null_baseline",
    "report",
    "synthetic",
]


def __getattr__(name):
    if name in _LAZY:
        module = import_module(_LAZY[name], __name__)
        value = module if module.__name__.endswith("." + name) else getattr(module, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'kstar_widgets' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
