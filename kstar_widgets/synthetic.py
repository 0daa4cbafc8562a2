"""Synthetic latent spaces with known structure, for tests, benchmarks and teaching.

Each concept is a set of Gaussian "islands". One tight island far from the rest
gives a Clustered concept; several islands scattered among other concepts give
a Fractured one; a wide island sharing its region gives an Overlapped one.
"""

from __future__ import annotations

import numpy as np


def concept_space(
    *,
    n_concepts=300,
    per_concept=50,
    dim=128,
    islands=(1, 4),
    spread=(0.5, 2.0),
    separation=3.0,
    random_state=0,
    return_blobs=False,
):
    """A labelled point cloud whose concepts differ in spread and number of islands.

    Parameters
    ----------
    n_concepts, per_concept, dim : int
        Shape of the space: ``n_concepts * per_concept`` samples in ``dim`` dimensions.
    islands : (int, int)
        Each concept gets a number of islands drawn uniformly from this range (inclusive).
    spread : (float, float)
        Each concept's within-island standard deviation is log-uniform in this range.
    separation : float
        Standard deviation of the island centres (larger: concepts further apart).
    random_state : int
        Seed.
    return_blobs : bool, default=False
        Also return the blob (island centre) each sample was drawn around: how the
        space was built, to hold against the islands k* finds.

    Returns
    -------
    features : float32 ndarray of shape (n_concepts * per_concept, dim)
    labels : int64 ndarray of shape (n_concepts * per_concept,)
    blobs : int64 ndarray of shape (n_concepts * per_concept,)
        Only with ``return_blobs=True``: the sample's blob within its concept (0, 1, ...).

    Examples
    --------
    >>> from kstar_widgets.synthetic import concept_space
    >>> x, y = concept_space(n_concepts=5, per_concept=10, dim=4)
    >>> x.shape, sorted(set(y.tolist()))
    ((50, 4), [0, 1, 2, 3, 4])
    """
    rng = np.random.default_rng(random_state)
    labels = np.repeat(np.arange(n_concepts), per_concept)
    features = np.empty((n_concepts * per_concept, dim), dtype=np.float32)
    blobs = np.empty(n_concepts * per_concept, dtype=np.int64)
    # Each coordinate of a difference of two centres has variance 2 sep^2; the
    # within-island noise is scaled to the same per-coordinate units.
    for c in range(n_concepts):
        m = int(rng.integers(islands[0], islands[1] + 1))
        sigma = float(np.exp(rng.uniform(np.log(spread[0]), np.log(spread[1]))))
        centres = rng.normal(0.0, separation, size=(m, dim))
        which = rng.integers(0, m, size=per_concept)
        pts = centres[which] + rng.normal(0.0, sigma, size=(per_concept, dim))
        features[c * per_concept : (c + 1) * per_concept] = pts
        blobs[c * per_concept : (c + 1) * per_concept] = which
    return (features, labels, blobs) if return_blobs else (features, labels)


def pattern_space(
    kind,
    *,
    n_others=4,
    per_concept=60,
    dim=2,
    separation=4.0,
    spread=1.0,
    n_islands=4,
    random_state=0,
):
    """A concept "target" built to show one pattern, among ``n_others`` other concepts.

    The constructions hold in 2-D and in high dimension alike, because they rest
    on which cloud a point sits in, not on distances between clouds:

    - clustered: one tight island far from the others: every target sample has
      all of its concept closer than any other concept (k* = n_c, Γ = -inf).
    - fractured: ``n_islands`` islands, each sitting inside another concept's
      cloud with that cloud's spread: most target samples have a foreign nearest
      neighbour (k* = 1), a few find one or two of their own first (Γ > 0).
    - overlapped: half the target shares another concept's cloud (k* near 1),
      half forms an island of its own (k* = n_c / 2): neither low nor high k*
      dominates, so Γ is near 0.

    Parameters
    ----------
    kind : {"clustered", "overlapped", "fractured"}
    n_others : int, default=4
        Other concepts, each a Gaussian cloud.
    per_concept : int, default=60
        Samples per concept.
    dim : int, default=2
    separation : float, default=4.0
        Standard deviation of the other concepts' centres.
    spread : float, default=1.0
        Standard deviation within the other concepts' clouds.
    n_islands : int, default=4
        Islands of a fractured target.
    random_state : int, default=0

    Returns
    -------
    features : float32 ndarray of shape ((n_others + 1) * per_concept, dim)
    labels : ndarray of str, "target" or "other-<i>"

    Examples
    --------
    >>> import kstar_widgets as kw
    >>> from kstar_widgets.synthetic import pattern_space
    >>> x, y = pattern_space("overlapped", dim=32, random_state=1)
    >>> x.shape, int((y == "target").sum())
    ((300, 32), 60)
    >>> kw.kstar(x, y, progress=False).concepts.loc["target", "pattern"]
    'Overlapped'
    """
    if kind not in ("clustered", "overlapped", "fractured"):
        raise ValueError(f"kind={kind!r}; use 'clustered', 'overlapped' or 'fractured'.")
    if n_others < 1 or per_concept < 4 or dim < 1 or n_islands < 1:
        raise ValueError("need n_others >= 1, per_concept >= 4, dim >= 1 and n_islands >= 1.")
    rng = np.random.default_rng(random_state)
    others_c = rng.normal(0.0, separation, size=(n_others, dim))
    parts = [c + rng.normal(0.0, spread, size=(per_concept, dim)) for c in others_c]
    labels = [f"other-{i}" for i in range(n_others) for _ in range(per_concept)]
    # away from every other cloud: 3 separations plus a few cloud radii along axis 0
    far = others_c.mean(axis=0) + (3.0 * separation + 4.0 * spread * np.sqrt(dim)) * np.eye(dim)[0]
    if kind == "clustered":
        target = far + rng.normal(0.0, 0.5 * spread, size=(per_concept, dim))
    elif kind == "overlapped":
        half = per_concept // 2
        inside = others_c[0] + rng.normal(0.0, spread, size=(half, dim))
        apart = far + rng.normal(0.0, 0.5 * spread, size=(per_concept - half, dim))
        target = np.vstack([inside, apart])
    else:
        hosts = others_c[np.arange(n_islands) % n_others]
        which = rng.integers(0, n_islands, size=per_concept)
        target = hosts[which] + rng.normal(0.0, spread, size=(per_concept, dim))
    features = np.vstack([*parts, target]).astype(np.float32)
    return features, np.array(labels + ["target"] * per_concept)


def kstar_result(n=50_000, n_concepts=1_000, seed=0, islands=True):
    """A KStarResult with varied per-concept k* shapes, built without computing k* (views at scale).

    With ``islands``, a tenth of the samples are singleton islands and the rest of
    each concept one island (about 6,000 islands).
    """
    rng = np.random.default_rng(seed)
    codes = np.sort(rng.integers(0, n_concepts, n))
    sizes = np.bincount(codes, minlength=n_concepts)
    shape = rng.uniform(0.3, 3.0, n_concepts)[codes]
    k = np.clip((rng.beta(shape, 1.5) * sizes[codes]).astype(np.int64), 1, sizes[codes])
    names = np.array([f"concept {i}" for i in range(n_concepts)])
    island = np.where(rng.random(n) < 0.1, np.arange(n) + 1, 0) if islands else None
    from ._result import KStarResult

    return KStarResult.build(
        k=k, censored=np.zeros(n, bool), labels=names[codes], codes=codes,
        concept_labels=names, threshold=0.5, name="exact", intruder=rng.integers(0, n, n),
        intruder_distance=rng.random(n), method="exact", metric="euclidean", reason="synthetic",
        island=island,
    )  # fmt: skip
