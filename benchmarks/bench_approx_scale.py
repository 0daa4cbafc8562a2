"""Approximate k* at scale: 1,000,000 x 512 on a 24 GiB, 2-core machine.

Reports wall time per stage and the peak resident memory of the process.
The data: 1,000 concepts x 1,000 samples (concept_space-like Gaussian islands),
float32, 2 GiB. The numba compilation of pynndescent is paid once up front and
reported separately.

Agreement: k* of ``--check-rows`` random rows (default 1,000) computed exactly, each
row against all n samples in float32 with float64 settling (``engines/_rows.py``,
tested equal to the float64 brute force), against the approximate k*; the time is
set against the exact engine's estimate (and, with ``--exact``, its measured run).

    python benchmarks/bench_approx_scale.py [--n 1000000] [--dim 512] [--concepts 1000]
        [--centre-scale 0.3] [--spread 1.0] [--check-rows 1000] [--exact] [--pool-rows 4096]
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import psutil

import kstar_widgets as kw
from kstar_widgets.engines import ApproxEngine


def make_space(n, dim, n_concepts, seed=0, centre_scale=0.3, spread=1.0):
    """Gaussian islands written straight into one float32 array (no float64 copy).

    Centres N(0, centre_scale^2), spread ``spread``: 0.3 / 1.0 overlap in 512-d, as real
    embeddings do; 1.0 / 1.5 sit together (every concept Clustered)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % n_concepts
    x = np.empty((n, dim), dtype=np.float32)
    # centres close enough that concepts overlap in 512-d, as real embeddings do
    centres = rng.standard_normal((n_concepts, dim), dtype=np.float32) * centre_scale
    for s in range(0, n, 50_000):
        e = min(n, s + 50_000)
        x[s:e] = centres[y[s:e]] + spread * rng.standard_normal((e - s, dim), dtype=np.float32)
    return x, y


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--concepts", type=int, default=1000)
    ap.add_argument("--n-neighbors", type=int, default=None)
    ap.add_argument("--centre-scale", type=float, default=0.3)
    ap.add_argument("--spread", type=float, default=1.0)
    ap.add_argument("--check-rows", type=int, default=1000)
    ap.add_argument("--exact", action="store_true", help="also run the exact engine")
    ap.add_argument(
        "--pool-rows", type=int, default=None, help="ApproxEngine(pool_rows=...) (default 4096)"
    )
    args = ap.parse_args(argv)

    t = time.perf_counter()
    kw.kstar(*make_space(2000, 16, 20), method="approx", progress=False)
    jit = time.perf_counter() - t
    x, y = make_space(args.n, args.dim, args.concepts, 0, args.centre_scale, args.spread)
    rss_input = psutil.Process().memory_info().rss
    engine = ApproxEngine() if args.pool_rows is None else ApproxEngine(pool_rows=args.pool_rows)
    t = time.perf_counter()
    res = kw.kstar(x, y, engine=engine, n_neighbors=args.n_neighbors, progress=True)
    total = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    s = res.summary
    print(
        f"n={args.n:,} d={args.dim} concepts={args.concepts} K={res.n_neighbors} "
        f"pool_rows={engine.pool_rows}"
    )
    print(f"numba compilation (first call in the process): {jit:.0f} s")
    print(
        f"approx k*: {total:.0f} s total; stages: "
        + ", ".join(f"{k} {v:.1f} s" for k, v in res.timings.items())
    )
    print(
        f"peak RSS {peak / 2**30:.1f} GiB (input {x.nbytes / 2**30:.1f} GiB; RSS before the call "
        f"{rss_input / 2**30:.1f} GiB); verified share {res.info['verified_share']:.2f}"
    )
    print(
        f"censored share {s['censored_share']:.3f}, mean Γ' {s['mean_skewness']:.3f}, "
        f"patterns F/O/C {s['share_fractured']:.2f}/{s['share_overlapped']:.2f}/{s['share_clustered']:.2f}"
    )
    print(res.info["audit"]["text"])
    check(x, y, res, args, total, engine)


def check(x, y, res, args, total, engine):
    """Agreement on --check-rows random rows, exact by the row pass; time against exact;
    each engine's estimate (numba compiled by then, as in the timed run) against its time."""
    from kstar_widgets.engines import ExactEngine, build_problem
    from kstar_widgets.engines._cost import REFERENCE_GEMM, gemm_rate
    from kstar_widgets.engines._rows import exact_rows

    problem, _ = build_problem(x, y, device="cpu", n_neighbors=args.n_neighbors, progress=False)
    est = ExactEngine().estimate_seconds(problem)
    est_approx = engine.estimate_seconds(problem)
    print(
        f"this CPU: a bare float32 product at {gemm_rate():.2e} flops/s (speed "
        f"{gemm_rate() / REFERENCE_GEMM:.2f}); approx's own estimate {est_approx:.0f} s "
        f"(measured/estimate {total / est_approx:.2f})"
    )
    rows = np.sort(np.random.default_rng(12345).choice(len(y), args.check_rows, replace=False))
    t = time.perf_counter()
    k_ref = exact_rows(problem, rows)[0]
    t_check = time.perf_counter() - t
    ok = res.k[rows] == k_ref
    print(
        f"agreement: k* exact for {ok.mean():.2%} of {len(rows):,} checked rows "
        f"({int(np.count_nonzero(res.k[rows] < k_ref))} below exact; mean k* {res.k[rows].mean():.2f} "
        f"against exact {k_ref.mean():.2f}; check {t_check:.0f} s)"
    )
    line = f"time: approx {total:.0f} s against exact's estimate {est:.0f} s ({total / est:.2f}x)"
    if args.exact:
        t = time.perf_counter()
        ExactEngine().run(problem, progress=False)
        te = time.perf_counter() - t
        line += f", exact measured {te:.0f} s ({total / te:.2f}x; measured/estimate {te / est:.2f})"
    print(line)


if __name__ == "__main__":
    main()
