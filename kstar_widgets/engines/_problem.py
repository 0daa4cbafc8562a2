"""The one boundary of every engine: the inputs checked once and turned into a :class:`Problem`.

In-memory features (numpy, torch, pandas) are checked here, whole. Stored features
(a .npy path, a zarr store or array, a dask array), given with a Dask client, are
checked by shape and dtype here and by value on the workers, a chunk per task
(:func:`.dask._validate.source_stats`); both paths raise the same messages
(``kstar_widgets.utils._validation``).
"""

from __future__ import annotations

import numpy as np

from ..utils._device import resolve_device
from ..utils._validation import (
    check_cosine_rows,
    check_dtype,
    check_features,
    check_labels,
    check_metric,
    check_n_neighbors,
    check_random_state,
    check_shape,
    max_abs,
)
from ._base import Problem
from .approx import default_n_neighbors
from .dask._source import Source, is_lazy, open_source
from .metric import Metric
from .settle import exact_scale


def build_problem(
    features,
    labels,
    *,
    metric="euclidean",
    n_neighbors=None,
    random_state=None,
    device="auto",
    islands=True,
    client=None,
    progress=True,
):
    """The engines' Problem and the concept labels, from the inputs of ``kstar()``.

    Parameters
    ----------
    features : array-like, torch.Tensor, path, zarr or dask array of shape (n_samples, n_features)
        Stored features (paths, zarr, dask) stay on disk only when ``client`` is given.
    labels : array-like of shape (n_samples,)
    metric, n_neighbors, random_state, device, islands
        As in :func:`kstar_widgets.kstar`.
    client : distributed.Client, optional
        The cluster that checks stored features; None for in-memory work.
    progress : bool, default=True

    Returns
    -------
    problem : Problem
    concept_labels : ndarray of shape (n_concepts,)
        The sorted unique labels; ``problem.codes`` index them.

    Examples
    --------
    >>> import numpy as np
    >>> problem, concepts = build_problem(np.eye(4), ["a", "a", "b", "b"], device="cpu")
    >>> problem.codes.tolist(), concepts.tolist(), problem.metric.name
    ([0, 0, 1, 1], ['a', 'b'], 'euclidean')
    """
    metric = check_metric(metric)
    x = _features(features, client, progress)
    codes, concept_labels = check_labels(labels, x.shape[0])
    k_budget = check_n_neighbors(n_neighbors, x.shape[0])
    check_random_state(random_state)
    dev = resolve_device(device)
    norms, scale = _norms(x, metric, client, progress)
    if k_budget is None:
        k_budget = default_n_neighbors(np.bincount(codes), len(codes))
    problem = Problem(
        features=x,
        codes=codes,
        metric=Metric(metric, x, norms, scale),
        device=dev,
        n_neighbors=k_budget,
        random_state=random_state,
        islands=bool(islands),
    )
    return problem, concept_labels


def _features(features, client, progress):
    """An in-memory array checked whole, or (with a client) a stored source checked by shape."""
    if client is None or not is_lazy(features):
        return check_features(features)
    source = open_source(features, client, progress=progress)
    check_dtype(source.dtype, f" in {source!r}")
    check_shape(source.shape, f" in {source!r}")
    return source


def _norms(x, metric, client, progress):
    """Cosine row norms (None for Euclidean) and the power of two Euclidean rows are
    compared times (:func:`.settle.exact_scale`); a source's values are checked on the workers."""
    if isinstance(x, Source):
        from .dask._validate import source_stats

        x.stats = source_stats(client, x, x.shape[0], metric == "cosine", progress=progress)
        return x.stats["norms"], x.stats["scale"]
    if metric == "cosine":
        return check_cosine_rows(x), 1.0
    return None, exact_scale(max_abs(x))
