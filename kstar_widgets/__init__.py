"""kstar_widgets: how a vision model arranges each concept in its latent space.

The compute core (``kstar``, ``compare``) imports no UI library; feature
extraction and widgets load their heavy stacks on first use.
"""

from ._compare import Comparison, compare
from ._kstar import kstar
from ._result import KStarResult
from ._stats import PATTERNS, classify

__version__ = "0.1.0"

__all__ = [
    "PATTERNS",
    "Comparison",
    "KStarResult",
    "__version__",
    "classify",
    "compare",
    "kstar",
]
