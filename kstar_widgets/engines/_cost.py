"""Cost estimates the engines give for a problem, from rates measured on this project's machines.

Rates (benchmarks/bench_exact.py, shared/FACTS.md, 2-core CPU): the symmetric
exact pass does 40,000 x 512 in ~16 s, about 5e10 n^2*d per second; pynndescent
builds a 50,000 x 512 graph at K=64 in ~20 s, plus ~50 s of numba compilation on
its first call in a process. The float64 settling costs what the duplicates and
near-ties of a space make it cost: :func:`settling_seconds` looks for them first.
"""

from __future__ import annotations

import numpy as np

CPU_RATE = 5.0e10  # n^2 * d per second, exact pass
GPU_RATE = 1.0e13
GEMM_RATE = 1.4e11  # float32 flops per second (a recomputed row)
FLOAT64_PAIR_RATE = 1.0e8  # float64 row-pair elements per second (numpy gathers, quiet CPU)
COMPILE_SECONDS = 50.0


def _rate(device) -> float:
    return GPU_RATE if getattr(device, "type", "cpu") == "cuda" else CPU_RATE


def exact_seconds(problem) -> float:
    """The blocked float32 products and their scans."""
    return problem.n**2 * problem.d / _rate(problem.device)


def duplicate_groups(features, codes, norms=None, *, seed: int = 0, scale: float = 1.0):
    """Rows that are equal (up to float32 rounding of a random projection), grouped.

    Returns (group, size, foreign): per row its group id, the group's size, and how
    many rows of the group belong to another concept. O(n*d), one pass. ``scale``: the
    power of two the rows are compared times (keeps the projection within float32).
    """
    rng = np.random.default_rng(seed)
    r = rng.standard_normal(features.shape[1])
    h = np.empty(len(features), dtype=np.float32)
    for s in range(0, len(features), 16384):
        h[s : s + 16384] = (features[s : s + 16384].astype(np.float64) * scale) @ r
    if norms is not None:  # cosine: rows equal after normalising
        h = (h / norms).astype(np.float32)
    _, group, size = np.unique(h, return_inverse=True, return_counts=True)
    group = group.ravel()
    # the same group and concept: one key per (group, concept) pair
    _, pair, pair_size = np.unique(
        group * (int(codes.max()) + 1) + codes, return_inverse=True, return_counts=True
    )
    same_size = pair_size[pair.ravel()]
    return group, size[group], size[group] - same_size


def settling_seconds(problem) -> float:
    """Float64 work for rows whose comparisons float32 cannot settle.

    Duplicated rows are the common cause (one model output for many images,
    integer pixels): each such row compares its group in float64, and a row with
    at least 4 foreign duplicates recomputes its whole row of the matrix.
    """
    n, d = problem.n, problem.d
    if n < 2:
        return 0.0
    metric = problem.metric
    _, size, foreign = duplicate_groups(
        problem.features, problem.codes, metric.norms, scale=metric.scale
    )
    dup = size > 1
    if not dup.any():
        return 0.0
    crowded = int(np.count_nonzero(foreign >= 4))
    pairs = float(size[dup].sum())
    return crowded * 2.0 * n * d / GEMM_RATE + pairs * d / FLOAT64_PAIR_RATE


def graph_seconds(problem, n_neighbors: int, compiled: bool) -> float:
    """pynndescent's graph, scaled from the measured 50,000 x 512, K=64 case."""
    n, d = problem.n, problem.d
    t = 20.0 * (n / 5e4) * (np.log(max(n, 2)) / np.log(5e4)) * np.sqrt(d / 512)
    t *= n_neighbors / 64
    return float(t + (0.0 if compiled else COMPILE_SECONDS))


POOL_SCAN = 64  # a pool entry's minimum, near-tie test and gathers cost ~64 more dimensions


def verify_seconds(problem, max_pairs: float, pool_rows: int = 0) -> float:
    """The exact same-concept counts of the concepts small enough to verify, and their
    members' products with their pools: at most ``pool_rows`` rows, then as many again
    around the nearest ones found (:mod:`._foreign`). Each pool entry is scanned on its
    own (no symmetric half), which ``POOL_SCAN`` adds: at 100,000 x 64 (100 overlapped
    concepts) the pools took 0.14 x the exact engine's time, estimated 0.16 x."""
    sizes = problem.sizes.astype(np.float64)
    small = sizes[sizes**2 <= max_pairs]
    within = float((small**2).sum()) * problem.d
    pools = float(small.sum()) * 2 * pool_rows * (problem.d + POOL_SCAN)
    return (within + pools) / _rate(problem.device)
