"""Float64 brute-force k*, written straight from docs/method.md: the ground truth for the engines."""

import numpy as np


def reference_rows(features, metric):
    r = np.asarray(features, dtype=np.float64)
    if metric == "cosine":
        r = r / np.linalg.norm(r, axis=1, keepdims=True)
    return r


def brute_force_kstar(features, labels, metric="euclidean"):
    """Return (k, d_foreign) with d_foreign the squared float64 distance to the nearest other concept."""
    r = reference_rows(features, metric)
    labels = np.asarray(labels)
    n = len(r)
    k = np.empty(n, dtype=np.int64)
    d_foreign = np.empty(n)
    for p in range(n):
        d = ((r - r[p]) ** 2).sum(axis=1)
        other = labels != labels[p]
        same = ~other
        same[p] = False
        d_foreign[p] = d[other].min()
        k[p] = 1 + int((d[same] < d_foreign[p]).sum())  # a tie goes to the other concept
    return k, d_foreign


def biased_skewness(x):
    """m3 / m2^1.5 with m_i the central moments (scipy.stats.skew's default)."""
    x = np.asarray(x, dtype=np.float64)
    dev = x - x.mean()
    return (dev**3).mean() / (dev**2).mean() ** 1.5


def brute_force_islands(features, labels, metric="euclidean"):
    """Island partition from the full float64 distance matrix (docs/method.md, "Islands of a concept").

    G_c joins p and q of concept c when d(p, q) < d_foreign(p) or d(q, p) < d_foreign(q);
    islands are its connected components. Returns, per sample, the smallest sample
    index of its island (a canonical partition label).
    """
    from scipy.sparse.csgraph import connected_components

    r = reference_rows(features, metric)
    labels = np.asarray(labels)
    d = np.stack([((r - r[p]) ** 2).sum(axis=1) for p in range(len(r))])  # as brute_force_kstar
    same = labels[:, None] == labels[None, :]
    d_foreign = np.where(same, np.inf, d).min(axis=1)
    edge = same & (d < d_foreign[:, None])  # a tie goes to the other concept
    np.fill_diagonal(edge, False)
    _, comp = connected_components(edge, directed=False)
    return canonical_partition(comp)


def canonical_partition(ids):
    """Relabel a partition by the smallest sample index of each part."""
    ids = np.asarray(ids)
    smallest = {}
    for i, v in enumerate(ids.tolist()):
        smallest.setdefault(v, i)
    return np.array([smallest[v] for v in ids.tolist()], dtype=np.int64)


def float64_only_pairs(pairs=6):
    """A space whose island edges only float64 can decide: each concept-0 sample p has a
    same-concept q 1e-9 closer than its foreign f (float32 rounds the two distances alike).
    The true islands: `pairs` per concept ({p, q} each); without the edge, 2 * pairs."""
    at = 10.0 * np.arange(pairs)
    p = np.c_[at, np.zeros(pairs)]
    step = np.array([1.0, 0.0])
    x = np.vstack([p, p + (1 - 1e-9) * step, p + step])  # float64 input, as given
    return x, np.repeat([0, 0, 1], pairs)
