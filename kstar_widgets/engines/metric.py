"""The distance k* ranks by, built once per computation.

Euclidean compares the rows as given. Cosine compares the L2-normalised rows by
Euclidean distance: the same ranking as 1 - cosine similarity, and for unit
vectors ``1 - cos = d^2 / 2`` (docs/method.md). The norms are computed once, in
float64, and every engine reads the float64 rows through :attr:`Metric.reference`.
Euclidean rows far from 1 in magnitude are compared times a power of two
(:func:`.settle.exact_scale`); :meth:`Metric.distance` reports distances in the input's units.
"""

from __future__ import annotations

import numpy as np

from .settle import ReferenceRows, exact_scale


class Metric:
    """A distance on the rows of ``features``.

    Parameters
    ----------
    name : {"euclidean", "cosine"}
    features : ndarray of shape (n_samples, n_features)
    norms : float64 ndarray of shape (n_samples,) or None
        Row norms (cosine only); None for Euclidean.
    scale : float, default=1.0
        The power of two Euclidean rows are compared times (:func:`.settle.exact_scale`).
    """

    def __init__(self, name, features, norms=None, scale=1.0):
        self.name = name
        self.norms = norms
        self.scale = 1.0 if norms is not None else float(scale)
        self.reference = ReferenceRows(features, norms, self.scale)

    @classmethod
    def build(cls, name: str, features: np.ndarray) -> Metric:
        """The metric `name` on `features`; cosine refuses all-zero rows (no direction)."""
        from ..utils._validation import check_cosine_rows, check_metric, max_abs

        name = check_metric(name)
        norms = check_cosine_rows(features) if name == "cosine" else None
        return cls(name, features, norms, exact_scale(max_abs(features)))

    def distance(self, sqdist: np.ndarray) -> np.ndarray:
        """Reported distance from squared float64 distances between the compared rows,
        in the units of the input (the scale undone: exact, a power of two)."""
        sqdist = np.asarray(sqdist, dtype=np.float64)
        return np.sqrt(sqdist) / self.scale if self.name == "euclidean" else sqdist / 2.0

    def __repr__(self) -> str:
        return f"Metric({self.name!r})"
