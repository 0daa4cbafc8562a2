"""Γ against samples per concept on the same features, and what ``per_concept`` costs.

For each space, mean Γ (with its interval) of ``kstar(x, y, per_concept=n, n_draws=m)``
for n in 20, 40, 80, 160 and of the plain run on all samples ("all"):

- ``synthetic``: ``kstar_widgets.synthetic.concept_space`` with 20 concepts of 400
  samples, d=32, 1-4 islands per concept (seed 0);
- ``digits``: scikit-learn's 1,797 handwritten digits, raw pixels (174-183 per class).

Cost (issue 18: at most m x one run at n per concept): the seconds of one
``per_concept=80, n_draws=m`` call against m x the median seconds of a plain run on
one draw's rows, measured in the same process.

    python benchmarks/bench_sizes.py [--draws 10] [--sizes 20 40 80 160]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import kstar_widgets as kw
from kstar_widgets.interpret import readable


def spaces():
    """name -> (features, labels)."""
    from sklearn.datasets import load_digits

    x, y = kw.synthetic.concept_space(n_concepts=20, per_concept=400, dim=32, random_state=0)
    dx, dy = load_digits(return_X_y=True)
    return {"synthetic": (x, y), "digits": (dx.astype(np.float32), dy)}


def curve(x, y, sizes, n_draws):
    """One row per size: mean Γ with its interval, share Fractured, seconds."""
    rows = []
    for n in (*sizes, None):
        t0 = time.perf_counter()
        opts = {} if n is None else {"per_concept": n, "n_draws": n_draws}
        r = kw.kstar(x, y, progress=False, random_state=0, **opts)
        s = r.summary
        rows.append({
            "per concept": "all" if n is None else n,
            "samples per concept": _span(r.concepts["n"]),
            "draws": 1 if n is None else n_draws,
            **{k: s[k] for k in ("mean_skewness", "mean_skewness_ci_low", "mean_skewness_ci_high")},
            **{k: s[k] for k in ("share_fractured", "share_fractured_ci_low", "share_fractured_ci_high")},
            "seconds": round(time.perf_counter() - t0, 2),
        })  # fmt: skip
    return rows


def _span(n) -> str:
    """ "80" or "174-183"."""
    lo, hi = int(n.min()), int(n.max())
    return str(lo) if lo == hi else f"{lo}-{hi}"


def cost(x, y, n, n_draws, repeats=3):
    """(seconds of per_concept=n with n_draws, median seconds of one plain run on a draw)."""
    t0 = time.perf_counter()
    r = kw.kstar(x, y, per_concept=n, n_draws=n_draws, progress=False, random_state=0)
    matched = time.perf_counter() - t0
    rows = r.draws.index[0]
    one = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        kw.kstar(x[rows], y[rows], progress=False, random_state=0)
        one.append(time.perf_counter() - t0)
    return matched, float(np.median(one))


def markdown(table) -> str:
    """A pandas table as a Markdown table (no tabulate needed)."""
    head = [table.index.name or "", *map(str, table.columns)]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for key, row in table.iterrows():
        lines.append("| " + " | ".join([str(key), *map(str, row)]) + " |")
    return "\n".join(lines)


def main():
    import pandas as pd

    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--draws", type=int, default=10)
    p.add_argument("--sizes", type=int, nargs="+", default=[20, 40, 80, 160])
    a = p.parse_args()
    kw.kstar(np.eye(6), [0, 0, 0, 1, 1, 1], progress=False)  # torch's import, once
    for name, (x, y) in spaces().items():
        table = pd.DataFrame(curve(x, y, a.sizes, a.draws)).set_index("per concept")
        print(f"\n{name}: {len(y)} samples, {len(np.unique(y))} concepts, d={x.shape[1]}\n")
        print(markdown(readable(table)))
        matched, one = cost(x, y, 80, a.draws)
        print(
            f"\ncost at per_concept=80, n_draws={a.draws}: {matched:.2f} s; one run on a "
            f"draw {one:.3f} s; ratio to {a.draws} x one run: {matched / (a.draws * one):.2f}"
        )


if __name__ == "__main__":
    main()
