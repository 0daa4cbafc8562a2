"""k* engines behind one interface.

Every engine takes a :class:`Problem` (validated features, concept codes, the
metric built once, device, neighbour budget) and offers
:meth:`~Engine.estimate_seconds` and :meth:`~Engine.run`, which returns one
:class:`EngineResult`. ``kstar()`` picks an engine by name or by estimate
(:func:`choose_engine`) and never looks inside one.

- :class:`ExactEngine` (``exact.py``, ``_band.py``): blocked float32 products,
  borderline comparisons settled in float64 (``settle.py``), equal to a float64
  brute force.
- :class:`ApproxEngine` (``approx.py``, ``_graph.py``, ``_within.py``): a
  pynndescent kNN graph, exact same-concept verification, censoring reported.
"""

from ._base import Engine, EngineResult, Problem
from ._choose import ENGINES, choose_engine, get_engine
from .approx import ApproxEngine, default_n_neighbors
from .exact import ExactEngine
from .metric import Metric

__all__ = [
    "ENGINES",
    "ApproxEngine",
    "Engine",
    "EngineResult",
    "ExactEngine",
    "Metric",
    "Problem",
    "choose_engine",
    "default_n_neighbors",
    "get_engine",
]
