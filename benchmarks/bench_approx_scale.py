"""Approximate k* at scale: 1,000,000 x 512 on a 24 GiB, 2-core machine.

Reports wall time per stage and the peak resident memory of the process.
The data: 1,000 concepts x 1,000 samples (concept_space-like Gaussian islands),
float32, 2 GiB. The numba compilation of pynndescent is paid once up front and
reported separately.

    python benchmarks/bench_approx_scale.py [--n 1000000] [--dim 512] [--concepts 1000]
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
import psutil

import kstar_widgets as kw


def make_space(n, dim, n_concepts, seed=0):
    """Gaussian islands written straight into one float32 array (no float64 copy)."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % n_concepts
    x = np.empty((n, dim), dtype=np.float32)
    # centres close enough that concepts overlap in 512-d, as real embeddings do
    centres = rng.standard_normal((n_concepts, dim), dtype=np.float32) * 0.3
    for s in range(0, n, 50_000):
        e = min(n, s + 50_000)
        x[s:e] = centres[y[s:e]] + rng.standard_normal((e - s, dim), dtype=np.float32)
    return x, y


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--concepts", type=int, default=1000)
    ap.add_argument("--n-neighbors", type=int, default=None)
    args = ap.parse_args(argv)

    t = time.perf_counter()
    kw.kstar(*make_space(2000, 16, 20), method="approx", progress=False)
    jit = time.perf_counter() - t
    x, y = make_space(args.n, args.dim, args.concepts)
    rss_input = psutil.Process().memory_info().rss
    t = time.perf_counter()
    res = kw.kstar(x, y, method="approx", n_neighbors=args.n_neighbors, progress=True)
    total = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    s = res.summary
    print(f"n={args.n:,} d={args.dim} concepts={args.concepts} K={res.n_neighbors}")
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


if __name__ == "__main__":
    main()
