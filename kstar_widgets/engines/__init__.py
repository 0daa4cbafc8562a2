"""k* engines behind one interface.

Every engine takes a :class:`Problem` (validated features, concept codes, the
metric built once, device, neighbour budget), made by the one boundary
:func:`build_problem`, and offers :meth:`~Engine.estimate_seconds` and
:meth:`~Engine.run`, which returns one :class:`EngineResult`. ``kstar()`` asks the
registry (:data:`ENGINES`, keyed by backend and method; :func:`select_engine`
settles "auto") and never looks inside an engine.

- :class:`ExactEngine` (``exact.py``, ``_band.py``, ``_layout.py``): blocked float32
  products, borderline comparisons settled in float64 (``settle.py``), equal to a
  float64 brute force.
- :class:`ApproxEngine` (``approx.py``, ``_graph.py``, ``_within.py``): a
  pynndescent kNN graph, exact same-concept verification, censoring reported.
- ``dask/``: the same two on a Dask cluster, sharing the pieces above.
"""

from ._base import Engine, EngineResult, Problem
from ._problem import build_problem
from ._registry import ENGINES, choose_engine, connect, get_engine, select_engine
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
    "build_problem",
    "choose_engine",
    "connect",
    "default_n_neighbors",
    "get_engine",
    "select_engine",
]
