"""Cost estimates the engines give for a problem, from rates measured on this machine.

Machines of this kind differ: exact k* at 100,000 x 512 took 58 s on one and 131-139 s
on another, and a bare float32 product differs as much. So the CPU rates are not
constants: :func:`gemm_rate` times a small bare torch product once per process (about
a quarter of a second, only when an estimate is over a second), and the exact
pass is taken to run at ``EXACT_SHARE`` of it (n^2 * d per second against its flops
per second, 0.44 at 100,000 x 512 on the second machine;
``benchmarks/bench_approx_scale.py --exact`` prints the speed and measured/estimate).
pynndescent's graph (:func:`graph_seconds`) follows the same speed. The float64
settling costs what the duplicates and near-ties of a space make it cost:
:func:`settling_seconds` looks for them first.
"""

from __future__ import annotations

import functools
import time

import numpy as np

GPU_RATE = 1.0e13  # n^2 * d per second, exact pass on a CUDA device (not measured: no GPU here)
REFERENCE_GEMM = 1.4e11  # gemm_rate() of the reference machine (speed 1.0)
EXACT_SHARE = 0.45  # the exact pass's n^2 * d per second / a bare product's flops per second
CPU_RATE = EXACT_SHARE * REFERENCE_GEMM  # used as is for work under a second
FLOAT64_PAIR_RATE = 1.0e8  # float64 row-pair elements per second (numpy gathers, quiet CPU)
COMPILE_SECONDS = 50.0
CALIBRATE_ABOVE = 1.0  # seconds of estimated work from which the rate is measured


@functools.cache
def gemm_rate() -> float:
    """float32 flops per second of a bare torch product on this CPU, measured once per
    process: the best of four 1,024 x 512 x 4,096 products after one warm-up (8.3e10 to
    9.3e10 on a machine where the exact pass ran at 3.7e10 to 3.9e10 n^2 * d per second)."""
    import torch

    from ..utils._device import full_precision_matmul

    a = torch.randn(1024, 512)
    b = torch.randn(512, 4096)
    best = float("inf")
    with torch.inference_mode(), full_precision_matmul():
        a @ b
        for _ in range(4):
            t = time.perf_counter()
            a @ b
            best = min(best, time.perf_counter() - t)
    return 2.0 * a.shape[0] * a.shape[1] * b.shape[1] / max(best, 1e-9)


def cpu_speed(work_seconds: float) -> float:
    """This CPU's speed against the reference machine's (1.0: as fast), for work estimated
    at ``work_seconds`` there: measured (:func:`gemm_rate`) only where that is over
    ``CALIBRATE_ABOVE``, so small problems never pay for the measurement."""
    if work_seconds <= CALIBRATE_ABOVE:
        return 1.0
    return gemm_rate() / REFERENCE_GEMM


def exact_rate(device, work: float = 0.0) -> float:
    """The exact pass's n^2 * d per second on ``device``, for ``work`` n^2 * d units."""
    if getattr(device, "type", "cpu") == "cuda":
        return GPU_RATE
    return CPU_RATE * cpu_speed(work / CPU_RATE)


def flop_rate(flops: float) -> float:
    """float32 flops per second of a bare product on this CPU, for ``flops`` of work."""
    return REFERENCE_GEMM * cpu_speed(flops / REFERENCE_GEMM)


def exact_seconds(problem) -> float:
    """The blocked float32 products and their scans."""
    work = problem.n**2 * problem.d
    return work / exact_rate(problem.device, work)


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
    flops = crowded * 2.0 * n * d
    return flops / flop_rate(flops) + pairs * d / FLOAT64_PAIR_RATE


GRAPH_SECONDS = 29.0  # pynndescent, 100,000 x 512 at K=50, at the reference speed
GRAPH_GROWTH = 1.18  # its time grows as n^1.18: 22 s at 100,000 and 335 s at 1,000,000


def graph_seconds(problem, n_neighbors: int, compiled: bool) -> float:
    """pynndescent's graph, scaled by this CPU's speed from measured builds
    (benchmarks/bench_approx_scale.py): at 100,000 x 512, K=50, 43-45 s on a machine of
    speed 0.61 and 22 s on one of about 1.4 (its exact pass was 2.3x as fast); 335 s at
    1,000,000 on the second. Plus numba's one-off compilation (30-110 s here, taken as
    ``COMPILE_SECONDS``) when this process has not compiled yet."""
    n, d = problem.n, problem.d
    t = GRAPH_SECONDS * (n / 1e5) ** GRAPH_GROWTH * np.sqrt(d / 512) * n_neighbors / 50
    t /= cpu_speed(t)
    return float(t + (0.0 if compiled else COMPILE_SECONDS))


POOL_SCAN = 64  # a pool entry's minimum, near-tie test and gathers cost ~64 more dimensions
POOL_PRODUCT = 2.2  # a pool's product costs 2.2x the exact pass's per n^2 * d (gathers, no half)


def verify_seconds(problem, max_pairs: float, pool_rows: int = 0) -> float:
    """The exact same-concept counts of the concepts small enough to verify, and their
    members' products with their pools: at most ``pool_rows`` rows, then as many again
    around the nearest ones found (:mod:`._foreign`). Each pool entry is computed and
    scanned on its own (no symmetric half, rows gathered): ``POOL_PRODUCT`` and
    ``POOL_SCAN``, from 100 overlapped concepts of 1,000 at 512-d: the pools and counts
    took 26.5 s at 100,000 rows (estimated 25 s) and 138 s at 1,000,000 (117 s)."""
    sizes = problem.sizes.astype(np.float64)
    small = sizes[sizes**2 <= max_pairs]
    within = float((small**2).sum()) * problem.d
    pools = float(small.sum()) * 2 * pool_rows * (POOL_PRODUCT * problem.d + POOL_SCAN)
    return (within + pools) / exact_rate(problem.device, within + pools)
