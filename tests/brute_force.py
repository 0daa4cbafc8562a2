"""Float64 brute-force k*, written straight from docs/method.md: the ground truth for the engines,
and the spaces every engine (local and Dask) is checked on."""

import numpy as np
from hypothesis import strategies as st


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


def partition(res):
    """A result's islands as one partition of all samples (ids are per concept)."""
    return canonical_partition(res.codes * res.n_samples + res.island)


# --- spaces the engines are checked on ---------------------------------------------------


@st.composite
def tied_spaces(draw):
    """Small integer-valued spaces: many exact ties and duplicates, concepts of size 1 to 40."""
    n = draw(st.integers(3, 80))
    d = draw(st.integers(1, 5))
    hi = draw(st.sampled_from([1, 2, 4, 16]))
    x = draw(
        st.lists(st.lists(st.integers(-hi, hi), min_size=d, max_size=d), min_size=n, max_size=n)
    )
    n_concepts = draw(st.integers(2, 5))
    kind = draw(st.sampled_from(["int", "str"]))
    codes = draw(st.lists(st.integers(0, n_concepts - 1), min_size=n, max_size=n))
    codes[0], codes[1] = 0, 1  # at least two concepts
    labels = [f"c{c}" for c in codes] if kind == "str" else codes
    return np.array(x, dtype=np.float32), np.array(labels)


def without_zero_rows(x, labels):
    """The rows (and their labels) a cosine k* can use: zero rows have no direction."""
    keep = np.abs(x).sum(axis=1) > 0
    return x[keep], labels[keep]


def rows_per_block():
    """None (the engine's own choice: one block here) or a few rows, which cuts
    concepts across blocks and exercises the symmetric pass between blocks."""
    return st.one_of(st.none(), st.integers(1, 12))
