"""The one interface every k* engine implements: a cost estimate and a run.

An engine answers two questions about a :class:`Problem` (validated features,
concept codes, metric, device, neighbour budget): how long would you take here
(:meth:`Engine.estimate_seconds`), and what are k*, the censoring and the
intruders (:meth:`Engine.run`, returning one :class:`EngineResult`). ``kstar()``
chooses among engines by their estimates and never looks inside one.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

from .metric import Metric


@dataclass(frozen=True, eq=False)
class Problem:
    """What every engine gets: validated inputs of one k* computation.

    Attributes
    ----------
    features : ndarray of shape (n_samples, n_features), float32 or float64
    codes : int64 ndarray of shape (n_samples,)
        Concept index of each sample, 0 .. n_concepts - 1, every index used.
    metric : Metric
        The distance, built once (norms for cosine, the float64 reference rows).
    device : torch.device
        Where products run.
    n_neighbors : int
        Neighbour budget K of the approximate engines (ignored by exact ones).
    random_state : int or None
        Seed of randomised engines.
    islands : bool
        Whether to compute the islands of each concept as well (docs/method.md).
    """

    features: np.ndarray
    codes: np.ndarray
    metric: Metric
    device: object
    n_neighbors: int
    random_state: int | None = None
    islands: bool = True
    sizes: np.ndarray = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "sizes", np.bincount(self.codes))

    @property
    def n(self) -> int:
        return self.features.shape[0]

    @property
    def d(self) -> int:
        return self.features.shape[1]


@dataclass(frozen=True, eq=False)
class EngineResult:
    """What every engine returns.

    Attributes
    ----------
    k : int64 ndarray of shape (n_samples,)
        k* per sample; for censored samples a lower bound (budget + 1).
    censored : bool ndarray of shape (n_samples,)
        True where k* is only known to exceed the neighbour budget.
    intruder : int64 ndarray of shape (n_samples,)
        A nearest other-concept sample (lowest index among float64 ties), -1 if unknown.
    intruder_sqdist : float64 ndarray of shape (n_samples,)
        Its squared float64 distance between the compared rows (inf if unknown): Euclidean
        rows times ``metric.scale``, a power of two; :meth:`Metric.distance` undoes it.
    n_neighbors : int or None
        The budget K the run used (None for exact engines).
    timings : dict
        Seconds per stage.
    info : dict
        Engine-specific figures (rows settled in float64, verified share, ...);
        ``islands_approximate`` (bool) whenever ``island`` is given.
    island : int64 ndarray of shape (n_samples,) or None
        Raw island id per sample (the index of one member of its island), None when
        islands were not asked for. Renumbered by ``kstar_widgets.stats._islands``.
    """

    k: np.ndarray
    censored: np.ndarray
    intruder: np.ndarray
    intruder_sqdist: np.ndarray
    n_neighbors: int | None = None
    timings: dict = field(default_factory=dict)
    info: dict = field(default_factory=dict)
    island: np.ndarray | None = None


class Engine(ABC):
    """A way to compute k*. Subclasses set ``name``, ``exact`` and ``backend`` and implement
    both methods; the options of each are keyword arguments of its constructor."""

    name: str = ""
    exact: bool = True
    backend: str = "local"

    @classmethod
    def create(cls, client=None) -> Engine:
        """An engine with its default options (``client``: for engines that run on a cluster)."""
        return cls()

    @abstractmethod
    def estimate_seconds(self, problem: Problem) -> float:
        """Expected wall time of :meth:`run` on this problem and device, one-off costs included."""

    @abstractmethod
    def run(self, problem: Problem, *, progress: bool = True) -> EngineResult:
        """k*, censoring and intruders of every sample."""

    def __repr__(self) -> str:
        options = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if k != "client")
        return f"{type(self).__name__}({options})"
