"""What the bootstrap intervals add to a k* run, measured in one process (issue 10, part 1).

Goals:
  A. 1,000 concepts x 50 samples, n_boot=1000: the intervals (per-concept Γ interval,
     pattern confidence, whole-space intervals) add at most 1 s to building a result.
  B. n=50,000, d=768 (100 concepts of 500): the bootstrap takes at most 10% of the
     exact k* time, both read off the same kstar() call's timings.

    python benchmarks/bench_bootstrap.py            # both (B takes ~30-60 s on 2 cores)
    python benchmarks/bench_bootstrap.py --only A

The load average is printed with the table: on a shared 2-core machine it explains most
of the spread between runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

import kstar_widgets as kw


def _build(k, codes, n_boot):
    n_concepts = int(codes.max()) + 1
    return kw.KStarResult.build(
        k=k,
        censored=np.zeros(len(k), bool),
        labels=codes,
        codes=codes,
        concept_labels=np.arange(n_concepts),
        threshold=0.5,
        intruder=np.zeros(len(k), np.int64),
        intruder_distance=np.zeros(len(k)),
        method="exact",
        metric="euclidean",
        reason="benchmark",
        n_boot=n_boot,
    )


def bench_a(repeats=5):
    """Median build time with and without the bootstrap on synthetic k*: wall and CPU seconds.

    CPU seconds (time.process_time) are what the work costs; on a shared machine the
    wall time also counts the waits for a core, so both are printed.
    """
    rng = np.random.default_rng(0)
    codes = np.repeat(np.arange(1000), 50)
    k = rng.integers(1, 51, len(codes))
    _build(k, codes, 1000)  # warm-up
    wall = {0: [], 1000: []}
    cpu = {0: [], 1000: []}
    for _ in range(repeats):
        for n_boot in wall:
            t0, c0 = time.perf_counter(), time.process_time()
            _build(k, codes, n_boot)
            wall[n_boot].append(time.perf_counter() - t0)
            cpu[n_boot].append(time.process_time() - c0)
    rows = []
    for kind, t in (("wall", wall), ("CPU", cpu)):
        off, on = statistics.median(t[0]), statistics.median(t[1000])
        rows += [
            ("A", f"1,000 x 50, build n_boot=0 ({kind} s)", f"{off:.3f}", ""),
            ("A", f"1,000 x 50, build n_boot=1000 ({kind} s)", f"{on:.3f}", ""),
            (
                "A",
                f"bootstrap overhead ({kind} s)",
                f"{on - off:.3f}",
                "<= 1 s: " + _ok(on - off <= 1.0),
            ),
        ]
    return rows


def bench_b():
    """One exact kstar() at n=50,000, d=768 with the default bootstrap; ratio of its stages."""
    rng = np.random.default_rng(0)
    n, d, c = 50_000, 768, 100
    centres = rng.standard_normal((c, d), dtype=np.float32) * 0.5
    y = np.arange(n) % c
    x = centres[y] + rng.standard_normal((n, d), dtype=np.float32)
    kw.kstar(x[:500], y[:500], method="exact", progress=False)  # warm-up
    res = kw.kstar(x, y, method="exact", progress=False, n_boot=1000)
    t = res.timings
    ratio = t["bootstrap"] / t["exact"]
    return [
        ("B", "n=50,000 d=768: exact k* (s)", f"{t['exact']:.1f}", f"device {res.info['device']}"),
        ("B", "n=50,000 d=768: bootstrap n_boot=1000 (s)", f"{t['bootstrap']:.2f}", ""),
        ("B", "bootstrap / exact", f"{ratio:.1%}", "<= 10%: " + _ok(ratio <= 0.10)),
    ]


def _ok(flag: bool) -> str:
    return "met" if flag else "NOT met"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["A", "B"])
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.1f}; cores: {os.cpu_count()}")
    rows = []
    if args.only in (None, "A"):
        rows += bench_a()
    if args.only in (None, "B"):
        rows += bench_b()
    width = max(len(r[1]) for r in rows)
    print(f"{'':2} {'measure':<{width}}  {'value':>8}  goal")
    for goal, what, value, note in rows:
        print(f"{goal:2} {what:<{width}}  {value:>8}  {note}")


if __name__ == "__main__":
    main()
