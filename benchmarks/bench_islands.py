"""What islands add to the exact engine's time, as ratios measured in one run.

Goals (issue 12): islands add at most 25% to kstar(method="exact") at n=50,000,
d=768, 1,000 concepts x 50 (case A), and at most 50% at n=40,000, d=512,
10 concepts x 4,000 (case B). Each side (``islands=True`` / ``islands=False``)
runs in a fresh subprocess, the two interleaved, and the fastest of ``--repeats``
counts; peak memory above the input is reported for both.

Data: overlapping concepts like real embeddings (``synthetic.concept_space``: each
concept 1-4 Gaussian islands of different spreads, centres drawn with standard
deviation ``--separation``). ``--separation`` 1.0 overlaps strongly (k* mostly small);
3.0 gives concepts mostly apart (k* large, many same-concept pairs: the islands'
worst case for edges).

    python benchmarks/bench_islands.py                 # A and B
    python benchmarks/bench_islands.py --only B --separation 3
    python benchmarks/bench_islands.py --small         # a quick check at a tenth of the size
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

CHILD = r"""
import json, resource, sys, time
import numpy as np, psutil
import kstar_widgets as kw
from kstar_widgets.synthetic import concept_space
islands, c, per, d, sep = sys.argv[1] == "1", int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
x, y = concept_space(n_concepts=c, per_concept=per, dim=d, separation=sep, random_state=0)
s = len(x) // 300
kw.kstar(x[::s], y[::s], method="exact", progress=False, islands=islands)  # warm-up
rss0 = psutil.Process().memory_info().rss
t = time.perf_counter()
res = kw.kstar(x, y, method="exact", progress=False, islands=islands)
secs = time.perf_counter() - t
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
out = dict(seconds=secs, peak_above_input=max(0, peak - rss0), mean_kstar_norm=float(res.k_norm.mean()),
           pairs=int((res.k - 1).sum()))
if islands:
    out.update(islands=int(res.concepts["islands"].sum()), merge_seconds=res.timings["islands"],
               singleton_share=float(res.concepts["singleton_share"].mean()))
print(json.dumps(out))
"""

CASES = {"A": (1000, 50, 768, 1.25), "B": (10, 4000, 512, 1.5)}


def run(islands, c, per, d, sep):
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")]),
    }
    p = subprocess.run(
        [sys.executable, "-c", CHILD, "1" if islands else "0", str(c), str(per), str(d), str(sep)],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    return json.loads(p.stdout.strip().splitlines()[-1])


def measure(repeats, c, per, d, sep):
    """Fastest of `repeats` runs per side, interleaved so both see the same machine load."""
    runs = [(run(False, c, per, d, sep), run(True, c, per, d, sep)) for _ in range(repeats)]
    without = min((r[0] for r in runs), key=lambda r: r["seconds"])
    with_ = min((r[1] for r in runs), key=lambda r: r["seconds"])
    return without, with_, runs


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--only", choices=sorted(CASES))
    ap.add_argument("--repeats", type=int, default=2, help="runs per side; the fastest counts")
    ap.add_argument("--separation", type=float, default=1.0)
    ap.add_argument("--small", action="store_true", help="a tenth of the samples per concept")
    args = ap.parse_args(argv)
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')}, load {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs"
    )
    ok = True
    for name, (c, per, d, goal) in CASES.items():
        if args.only not in (None, name):
            continue
        if args.small:
            per = max(5, per // 10)
        without, with_, runs = measure(args.repeats, c, per, d, args.separation)
        ratio = with_["seconds"] / without["seconds"]
        all_runs = ", ".join(f"{a['seconds']:.1f}/{b['seconds']:.1f}" for a, b in runs)
        print(
            f"{name}  n={c * per:,} d={d}, {c:,} concepts x {per:,}, separation {args.separation}: "
            f"exact {without['seconds']:.2f} s, with islands {with_['seconds']:.2f} s -> "
            f"{ratio:.2f}x (goal <= {goal}x); runs without/with: {all_runs}; merging inside "
            f"the fastest run with islands: {with_['merge_seconds']:.2f} s "
            f"({with_['merge_seconds'] / with_['seconds']:.1%})\n"
            f"   mean k*/n_c {with_['mean_kstar_norm']:.3f}, {with_['pairs']:,} same-concept "
            f"pairs counted, {with_['islands']:,} islands, mean singleton share "
            f"{with_['singleton_share']:.2f}; peak memory above input "
            f"{without['peak_above_input'] / 2**20:.0f} / {with_['peak_above_input'] / 2**20:.0f} MiB"
            f"   load now {os.getloadavg()[0]:.1f}"
        )
        ok &= ratio <= goal
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
