"""Exact k* on a 2-worker Dask LocalCluster against the in-process engine, same data, same 2 cores.

Goals (issue 11): n=100,000, d=512, overlapping concepts (bench_exact.py's case B,
scaled up): time <= 1.3x the in-process exact engine, peak memory per worker
<= 2 GiB. Also reported: the number of tasks, the mean time of each kind of task
(from dask's task stream) and the scheduler's overhead per task (a run of empty
tasks), from which the README's "Past one machine" section predicts more workers.

The in-process engine runs first, in a fresh subprocess (2 torch threads); then
the cluster starts (2 single-threaded worker processes) and reads the same .npy.

    python benchmarks/bench_dask.py             # n=100,000 (several minutes)
    python benchmarks/bench_dask.py --n 20000   # a quick look
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

LOCAL = r"""
import json, resource, sys, time
import numpy as np, psutil, torch
import kstar_widgets as kw
x = np.load(sys.argv[1]); y = np.load(sys.argv[2])
kw.kstar(x[:300], y[:300], method="exact", progress=False)  # warm-up
rss0 = psutil.Process().memory_info().rss
t = time.perf_counter()
res = kw.kstar(x, y, method="exact", progress=False, islands=sys.argv[4] == "1")
secs = time.perf_counter() - t
np.save(sys.argv[3], np.stack([res.k, res.intruder] + ([res.island] if res.island is not None else [])))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": secs, "peak_above_start": peak - rss0, "threads": torch.get_num_threads(),
                  "islands_seconds": res.timings.get("islands", 0.0)}))
"""


def make_data(n, d, c, folder):
    rng = np.random.default_rng(0)
    centres = rng.standard_normal((c, d), dtype=np.float32) * 0.5
    y = np.arange(n) % c
    x = centres[y] + rng.standard_normal((n, d), dtype=np.float32)
    np.save(os.path.join(folder, "x.npy"), x)
    np.save(os.path.join(folder, "y.npy"), y)
    return os.path.join(folder, "x.npy"), y


def run_local(folder, islands):
    out = os.path.join(folder, "local.npy")
    p = subprocess.run(
        [
            sys.executable,
            "-c",
            LOCAL,
            os.path.join(folder, "x.npy"),
            os.path.join(folder, "y.npy"),
            out,
            "1" if islands else "0",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    res = json.loads(p.stdout.strip().splitlines()[-1])
    res["k_intruder"] = np.load(out)
    return res


def peak_rss():
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def overhead_per_task(client, count=2000):
    """Wall time per task of `count` independent empty tasks on the cluster."""
    t = time.perf_counter()
    futures = client.map(int, range(count), pure=False)
    client.gather(futures)
    return (time.perf_counter() - t) / count


def local_cluster(memory_limit):
    """2 single-threaded worker processes, as this 2-core machine allows."""
    import distributed

    return distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        memory_limit=memory_limit,
        dashboard_address=None,
    )


def run_dask(x_path, y, islands):
    import distributed

    import kstar_widgets as kw

    with local_cluster("4GiB") as cluster, distributed.Client(cluster) as client:
        kw.kstar(
            np.load(x_path, mmap_mode="r")[:300],
            y[:300],
            backend="dask",
            client=client,
            progress=False,
        )
        per_task = overhead_per_task(client)
        rss0 = client.run(lambda: __import__("psutil").Process().memory_info().rss)
        with distributed.get_task_stream(client) as stream:
            t = time.perf_counter()
            res = kw.kstar(
                x_path,
                y,
                method="exact",
                backend="dask",
                client=client,
                progress=False,
                islands=islands,
            )
            secs = time.perf_counter() - t
        peaks = client.run(peak_rss)
        kinds = {}
        for rec in stream.data:
            kind = (
                str(rec["key"]).split("-")[1] if str(rec["key"]).startswith("kstar-") else "other"
            )
            spans = [s["stop"] - s["start"] for s in rec["startstops"] if s["action"] == "compute"]
            kinds.setdefault(kind, []).extend(spans)
    return {
        "seconds": secs,
        "per_task_overhead": per_task,
        "peak_rss": peaks,
        "rss_before": rss0,
        "tasks": res.info["dask_tasks"],
        "blocks": res.info["dask_blocks"],
        "timings": res.timings,
        "task_seconds": {
            k: (len(v), float(np.mean(v)), float(np.sum(v))) for k, v in kinds.items() if v
        },
        "k_intruder": np.stack(
            [res.k, res.intruder] + ([res.island] if res.island is not None else [])
        ),
    }


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--d", type=int, default=512)
    ap.add_argument("--concepts", type=int, default=100)
    ap.add_argument(
        "--no-islands",
        action="store_true",
        help="time k* alone in both runs (islands=False)",
    )
    args = ap.parse_args(argv)
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, uptime: {os.popen('uptime').read().strip()}")
    with tempfile.TemporaryDirectory() as folder:
        x_path, y = make_data(args.n, args.d, args.concepts, folder)
        local = run_local(folder, not args.no_islands)
        print(
            f"in-process exact ({local['threads']} threads): {local['seconds']:.1f} s, "
            f"peak {local['peak_above_start'] / 2**30:.2f} GiB above start; "
            f"islands merging inside: {local['islands_seconds']:.1f} s",
            flush=True,
        )
        dk = run_dask(x_path, y, not args.no_islands)
    same = np.array_equal(local["k_intruder"], dk["k_intruder"])
    ratio = dk["seconds"] / local["seconds"]
    worst = max(dk["peak_rss"].values()) / 2**30
    print(
        f"dask, 2 single-threaded workers: {dk['seconds']:.1f} s -> {ratio:.2f}x the in-process engine "
        f"(goal <= 1.3x); k*, intruders{'' if args.no_islands else ' and islands'} identical: {same}"
    )
    print(
        f"peak RSS per worker: {', '.join(f'{v / 2**30:.2f}' for v in dk['peak_rss'].values())} GiB "
        f"(goal <= 2 GiB; before the run {', '.join(f'{v / 2**30:.2f}' for v in dk['rss_before'].values())} GiB)"
    )
    print(
        f"tasks: {dk['tasks']} ({dk['blocks']} row blocks); scheduler overhead per empty task: "
        f"{dk['per_task_overhead'] * 1e3:.2f} ms"
    )
    for kind, (count, mean, total) in sorted(dk["task_seconds"].items()):
        print(f"  {kind:>6}: {count:5d} tasks, mean {mean * 1e3:8.1f} ms, total {total:7.1f} s")
    print(f"stages: {', '.join(f'{k} {v:.1f} s' for k, v in dk['timings'].items())}")
    print(f"uptime after: {os.popen('uptime').read().strip()}")
    return 0 if same and ratio <= 1.3 and worst <= 2 else 1


if __name__ == "__main__":
    raise SystemExit(main())
