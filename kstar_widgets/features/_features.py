"""Features: latent vectors with their labels, concept names, sample ids and provenance."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


def _concepts(labels, concept_names):
    """(labels, concept_names, codes) with labels named when names index int labels."""
    labels = np.asarray(labels)
    if labels.ndim != 1:
        raise ValueError(f"labels must be 1-d (one concept per sample), got shape {labels.shape}.")
    if concept_names is not None:
        names = list(concept_names)
        if np.issubdtype(labels.dtype, np.integer):
            if labels.size and (labels.min() < 0 or labels.max() >= len(names)):
                raise ValueError(
                    f"integer labels must index concept_names (0..{len(names) - 1}); got "
                    f"{labels.min()}..{labels.max()}."
                )
            codes = labels.astype(np.int64)
            return np.asarray(names, dtype=object)[codes], names, codes
        pos = {name: i for i, name in enumerate(names)}
        missing = sorted({str(v) for v in labels if v not in pos})
        if missing:
            raise ValueError(f"labels {missing[:5]} are not in concept_names; list every concept.")
        return labels, names, np.fromiter((pos[v] for v in labels), np.int64, len(labels))
    uniq, codes = np.unique(labels, return_inverse=True)
    return labels, uniq.tolist(), codes.astype(np.int64).ravel()


@dataclass(repr=False)
class Features:
    """Latent vectors of a data set and where they came from.

    Attributes
    ----------
    features : ndarray of shape (n_samples, n_features), float32
    labels : ndarray of shape (n_samples,)
        Concept of each sample: its name when concept names are known.
    concept_names : list
        Concepts in order; ``codes`` index into it.
    sample_ids : ndarray of shape (n_samples,)
        Data set index or file path of each row.
    dataset : ImageDataset or None
        The images, for thumbnails (None for precomputed arrays).
    meta : dict
        model, weights, layer, preprocessing, data_fingerprint, seconds, device, cache, ...
    text_embeddings : ndarray of shape (n_concepts, d) or None
        CLIP text embeddings of the concept names (open_clip models only).
    """

    features: np.ndarray
    labels: np.ndarray
    concept_names: list
    sample_ids: np.ndarray
    dataset: object = None
    meta: dict = field(default_factory=dict)
    text_embeddings: np.ndarray | None = None
    codes: np.ndarray = field(default=None)

    def __post_init__(self):
        self.features = np.ascontiguousarray(self.features, dtype=np.float32)
        if self.features.ndim != 2:
            raise ValueError(
                f"features must be 2-d (n_samples, n_features), got shape {self.features.shape}."
            )
        n = len(self.features)
        self.labels, self.concept_names, self.codes = _concepts(self.labels, self.concept_names)
        if len(self.labels) != n:
            raise ValueError(f"labels has {len(self.labels)} entries but features has {n} rows.")
        self.sample_ids = np.arange(n) if self.sample_ids is None else np.asarray(self.sample_ids)
        if len(self.sample_ids) != n:
            raise ValueError(
                f"sample_ids has {len(self.sample_ids)} entries but features has {n} rows."
            )

    @classmethod
    def from_arrays(cls, features, labels, concept_names=None, sample_ids=None, *, meta=None):
        """Wrap precomputed vectors.

        Parameters
        ----------
        features : array-like or torch.Tensor of shape (n_samples, n_features)
        labels : array-like of shape (n_samples,)
            Concept names, or int indices into ``concept_names``.
        concept_names : list, optional
        sample_ids : array-like of shape (n_samples,), optional
            Defaults to 0..n-1.

        Example
        -------
        >>> import numpy as np, kstar_widgets as kw
        >>> f = kw.Features.from_arrays(np.eye(4), [0, 0, 1, 1], concept_names=["a", "b"])
        >>> f.labels.tolist(), f.features.shape
        (['a', 'a', 'b', 'b'], (4, 4))
        """
        if hasattr(features, "detach"):
            features = features.detach().cpu().float().numpy()
        return cls(
            np.asarray(features),
            labels,
            concept_names,
            sample_ids,
            None,
            dict(meta or {"model": "precomputed"}),
        )

    def __len__(self):
        return len(self.features)

    def __repr__(self):
        m = self.meta
        return (
            f"Features(n={len(self)}, d={self.features.shape[1]}, concepts={len(self.concept_names)}, "
            f"model={m.get('model')!r}, layer={m.get('layer')!r}, cache={m.get('cache')!r})"
        )

    @property
    def name(self) -> str:
        """ "<model>/<layer>", the default name of k* results."""
        model, layer = self.meta.get("model", "features"), self.meta.get("layer")
        return f"{model}/{layer}" if layer else str(model)

    def kstar(self, **kwargs):
        """``kw.kstar(self.features, self.labels, name=self.name, **kwargs)``.

        Example
        -------
        >>> import numpy as np, kstar_widgets as kw
        >>> X = np.array([[0.0, 0], [0, 1], [5, 5], [5, 6], [9, 0], [9, 1]])
        >>> feats = kw.Features.from_arrays(X, [0, 0, 1, 1, 2, 2], concept_names=["a", "b", "c"])
        >>> res = feats.kstar(progress=False)
        >>> res.name, res.k.tolist()
        ('precomputed', [2, 2, 2, 2, 2, 2])
        """
        from .._kstar import kstar

        kwargs.setdefault("name", self.name)
        return kstar(self.features, self.labels, **kwargs)

    def images(self, indices=None, *, size=48) -> np.ndarray:
        """Thumbnails uint8 (m, size, size, 3) of the rows ``indices`` (all rows if None)."""
        if self.dataset is None:
            raise ValueError(
                "these features carry no images (precomputed arrays); extract them from a data "
                "set, or set feats.dataset to a kw.datasets object whose rows match."
            )
        return self.dataset.images(indices, size=size)
