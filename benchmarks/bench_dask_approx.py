"""Approximate k* on a 2-worker Dask LocalCluster beside the in-process approximate engine.

Issue 11, part 3: n=1,000,000, d=512 (bench_approx_scale.py's space: 1,000 concepts
of 1,000 Gaussian samples), time and peak memory of both runs, and how far the two
agree (they build their kNN lists differently: one pynndescent graph in process,
one index per shard on the cluster, each sample queried against every shard).

The features are written once to a .npy; the in-process engine runs first in a
fresh subprocess (2 threads), then the cluster (2 single-threaded worker processes)
reads the same file memory-mapped. numba's one-off compilation is paid before the
timed runs in each process and reported apart.

    python benchmarks/bench_dask_approx.py --n-neighbors 30          # 1,000,000 x 512
    python benchmarks/bench_dask_approx.py --n 100000 --n-neighbors 30   # a quicker look
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_approx_scale import make_space
from bench_dask import local_cluster, peak_rss

LOCAL = r"""
import json, resource, sys, time
import numpy as np, psutil
import kstar_widgets as kw
sys.path.insert(0, sys.argv[5])
from bench_approx_scale import make_space
t = time.perf_counter()
kw.kstar(*make_space(2000, 16, 20), method="approx", progress=False)
jit = time.perf_counter() - t
x = np.load(sys.argv[1]); y = np.load(sys.argv[2])
k = None if sys.argv[4] == "none" else int(sys.argv[4])
rss0 = psutil.Process().memory_info().rss
t = time.perf_counter()
res = kw.kstar(x, y, method="approx", n_neighbors=k, progress=False)
secs = time.perf_counter() - t
np.save(sys.argv[3], np.stack([res.k, res.censored]))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": secs, "jit": jit, "peak": peak, "rss_before": rss0,
                  "K": res.n_neighbors, "timings": res.timings,
                  "mean_skewness": float(res.summary["mean_skewness"])}))
"""


def run_local(folder, k):
    out = os.path.join(folder, "local.npy")
    p = subprocess.run(
        [
            sys.executable,
            "-c",
            LOCAL,
            os.path.join(folder, "x.npy"),
            os.path.join(folder, "y.npy"),
            out,
            "none" if k is None else str(k),
            os.path.dirname(os.path.abspath(__file__)),
        ],
        capture_output=True,
        text=True,
    )
    if p.returncode:
        raise SystemExit(f"in-process run failed:\n{p.stderr[-3000:]}")
    res = json.loads(p.stdout.strip().splitlines()[-1])
    res["k_censored"] = np.load(out)
    return res


def exact_kstar_rows(x, y, rows, chunk=65536):
    """Exact k* of the given rows by float64 brute force over column chunks (the ground truth).

    k* = 1 + the same-concept samples strictly closer than the nearest foreign one.
    """
    xr = np.asarray(x[rows], dtype=np.float64)
    d = np.empty((len(rows), len(y)))
    for s in range(0, len(y), chunk):
        xc = np.asarray(x[s : s + chunk], dtype=np.float64)
        d[:, s : s + chunk] = (xr**2).sum(1)[:, None] - 2 * xr @ xc.T + (xc**2).sum(1)[None, :]
    same = y[None, :] == y[rows][:, None]
    d[np.arange(len(rows)), rows] = np.inf  # not itself
    foreign = np.where(same, np.inf, d).min(1)
    return 1 + (same & (d < foreign[:, None])).sum(1)


def run_dask(x_path, y, k):
    import distributed

    import kstar_widgets as kw

    with local_cluster("10GiB") as cluster, distributed.Client(cluster) as client:
        t = time.perf_counter()
        small = make_space(2000, 16, 20)
        kw.kstar(*small, method="approx", backend="dask", client=client, progress=False)
        jit = time.perf_counter() - t
        rss0 = client.run(lambda: __import__("psutil").Process().memory_info().rss)
        t = time.perf_counter()
        res = kw.kstar(
            x_path,
            y,
            method="approx",
            n_neighbors=k,
            backend="dask",
            client=client,
            progress=False,
        )
        secs = time.perf_counter() - t
        peaks = client.run(peak_rss)
    return {
        "seconds": secs,
        "jit": jit,
        "peak_rss": peaks,
        "rss_before": rss0,
        "client_peak": peak_rss(),
        "K": res.n_neighbors,
        "timings": res.timings,
        "info": res.info,
        "mean_skewness": float(res.summary["mean_skewness"]),
        "k_censored": np.stack([res.k, res.censored]),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--dim", type=int, default=512)
    ap.add_argument("--concepts", type=int, default=1000)
    ap.add_argument("--n-neighbors", type=int, default=None, help="K (default: kstar's)")
    ap.add_argument(
        "--check", type=int, default=300, help="random samples checked against exact k*"
    )
    args = ap.parse_args(argv)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, uptime: {os.popen('uptime').read().strip()}")
    with tempfile.TemporaryDirectory() as folder:
        # the data are made in a subprocess, so the client's peak memory is the run's own
        x_path = os.path.join(folder, "x.npy")
        subprocess.run(
            [
                sys.executable,
                "-c",
                "import sys, numpy as np; sys.path.insert(0, sys.argv[1]); "
                "from bench_approx_scale import make_space; "
                "x, y = make_space(*map(int, sys.argv[2:5])); "
                "np.save(sys.argv[5], x); np.save(sys.argv[6], y)",
                os.path.dirname(os.path.abspath(__file__)),
                str(args.n),
                str(args.dim),
                str(args.concepts),
                x_path,
                os.path.join(folder, "y.npy"),
            ],
            check=True,
        )
        y = np.load(os.path.join(folder, "y.npy"))
        gib = os.path.getsize(x_path) / 2**30
        local = run_local(folder, args.n_neighbors)
        print(
            f"in-process approx (K={local['K']}): {local['seconds']:.0f} s "
            f"({', '.join(f'{a} {b:.0f} s' for a, b in local['timings'].items())}); "
            f"peak RSS {local['peak'] / 2**30:.1f} GiB for a {gib:.1f} GiB input "
            f"(RSS before the call {local['rss_before'] / 2**30:.1f} GiB); "
            f"numba compilation {local['jit']:.0f} s",
            flush=True,
        )
        print(f"uptime: {os.popen('uptime').read().strip()}", flush=True)
        dk = run_dask(x_path, y, args.n_neighbors)
        rows = np.random.default_rng(0).choice(len(y), min(args.check, len(y)), replace=False)
        truth = exact_kstar_rows(np.load(x_path, mmap_mode="r"), y, rows)
    lk, lc = local["k_censored"]
    dkk, dc = dk["k_censored"]
    print(
        f"dask, 2 single-threaded workers (K={dk['K']}, {dk['info']['dask_shards']} shards, "
        f"{dk['info']['dask_tasks']} tasks): {dk['seconds']:.0f} s "
        f"({', '.join(f'{a} {b:.0f} s' for a, b in dk['timings'].items())}) -> "
        f"{dk['seconds'] / local['seconds']:.2f}x the in-process run; "
        f"numba compilation in the workers {dk['jit']:.0f} s"
    )
    print(
        f"peak RSS per worker: {', '.join(f'{v / 2**30:.2f}' for v in dk['peak_rss'].values())} GiB "
        f"(before the run {', '.join(f'{v / 2**30:.2f}' for v in dk['rss_before'].values())} GiB); "
        f"client peak {dk['client_peak'] / 2**30:.2f} GiB (features stay on disk)"
    )
    print(
        f"agreement: same k* for {np.mean(lk == dkk):.4f} of samples; censored "
        f"{lc.mean():.4f} in process, {dc.mean():.4f} on dask; mean Γ' "
        f"{local['mean_skewness']:.3f} vs {dk['mean_skewness']:.3f}"
    )
    print(
        f"against exact k* (float64 brute force) on {len(rows)} random samples: in-process "
        f"right for {np.mean(lk[rows] == truth):.1%} (mean k* {lk[rows].mean():.2f}), dask "
        f"right for {np.mean(dkk[rows] == truth):.1%} (mean k* {dkk[rows].mean():.2f}); "
        f"exact mean k* {truth.mean():.2f}"
    )
    print(f"uptime after: {os.popen('uptime').read().strip()}")


if __name__ == "__main__":
    main()
