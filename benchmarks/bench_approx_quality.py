"""Approximate k* (pynndescent) against exact k*, with default arguments, on spaces it was not tuned on.

Spaces (each with data seeds 0, 1, 2; the approximate run is seeded with the same seed):

- ``islands-<sep>``: 300 concepts x 50 samples, d=128, 1-4 islands per concept,
  log-uniform spreads 0.5-2.0, island centres N(0, sep^2), sep in 1, 2, 3
  (ImageNet-validation shaped);
- ``hetero-<sep>``: 300 x 50, d=128, one centre per concept, spread uniform in
  0.6-2.0 (concepts of very different widths);
- ``uneven``: 100 concepts of 10 to 500 samples (log-uniform), d=128, 1-4 islands.

Goals: with default arguments, on every space, >= 99% of samples with k* equal to
exact k* (issue 19: every sample checked, the exact engine being equal to a float64
brute force), >= 97% of concepts with |Γ' - Γ| <= 0.1 and >= 98% with the same
pattern (issue 10). Also reported: the result's own audit (share exact on its 300
random rows, 95% interval, and whether that interval covers the measured share),
the time ratio approx / exact measured in the same run, and any k* below exact
(never expected for verified concepts: approximate k* is an upper bound there). Also reported: the share of concepts
where |Γ' - Γ| exceeds the half-width of Γ's bootstrap interval (the honest yardstick).

    python benchmarks/bench_approx_quality.py [--seeds 0 1 2] [--spaces islands-1 uneven]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import kstar_widgets as kw
from kstar_widgets.synthetic import concept_space


def hetero_space(*, separation, random_state, n_concepts=300, per_concept=50, dim=128):
    """One Gaussian per concept, centres N(0, sep^2), spreads uniform in [0.6, 2.0]."""
    rng = np.random.default_rng(random_state)
    centres = rng.normal(0.0, separation, size=(n_concepts, dim))
    sigma = rng.uniform(0.6, 2.0, size=n_concepts)
    y = np.repeat(np.arange(n_concepts), per_concept)
    x = centres[y] + sigma[y, None] * rng.normal(size=(len(y), dim))
    return x.astype(np.float32), y


def uneven_space(*, random_state, n_concepts=100, dim=128, sizes=(10, 500)):
    """Concepts of log-uniform sizes, each a concept_space concept (1-4 islands)."""
    rng = np.random.default_rng(random_state)
    n_c = np.exp(rng.uniform(np.log(sizes[0]), np.log(sizes[1]), n_concepts)).astype(int)
    x, y = concept_space(
        n_concepts=n_concepts,
        per_concept=int(n_c.max()),
        dim=dim,
        separation=2.0,
        random_state=random_state,
    )
    keep = np.concatenate([np.flatnonzero(y == c)[: n_c[c]] for c in range(n_concepts)])
    return x[keep], y[keep]


SPACES = {
    **{
        f"islands-{s:g}": (lambda seed, s=s: concept_space(separation=s, random_state=seed))
        for s in (1.0, 2.0, 3.0)
    },
    **{
        f"hetero-{s:g}": (lambda seed, s=s: hetero_space(separation=s, random_state=seed))
        for s in (0.5, 1.0)
    },
    "uneven": lambda seed: uneven_space(random_state=seed),
}


def gamma_close_share(c, tol=0.1) -> float:
    """Share of concepts with |Γ' - Γ| <= tol; both undefined (NaN) counts as close."""
    cc = c.concepts
    both_nan = cc["skewness_a"].isna() & cc["skewness_b"].isna()
    return float(((cc["skewness_diff"].abs() <= tol) | both_nan).mean())


def beyond_interval_share(exact, c) -> float:
    """Share of concepts whose |Γ' - Γ| exceeds half the width of Γ's bootstrap interval."""
    cc = exact.concepts
    if "skewness_ci_low" not in cc:
        return float("nan")
    half = (cc["skewness_ci_high"] - cc["skewness_ci_low"]).to_numpy() / 2
    diff = c.concepts["skewness_diff"].abs().to_numpy()
    ok = np.isfinite(half) & np.isfinite(diff)
    return float(np.mean(diff[ok] > half[ok])) if ok.any() else float("nan")


def island_agreement(exact, approx) -> dict:
    """How the approximate islands agree with the exact ones (docs/method.md, "Islands").

    Per concept: same island count, same partition, adjusted Rand index of the two
    partitions (1 = identical), and whether approx has fewer islands than exact (the
    upper bound broken by a missed nearest foreign neighbour). Returns the shares /
    mean over concepts, or NaNs when a result has no islands.
    """
    from sklearn.metrics import adjusted_rand_score

    keys = ("same_islands", "same_partition", "mean_ari", "fewer_islands")
    if exact.island is None or approx.island is None:
        return dict.fromkeys(keys, float("nan"))
    n_e, n_a = exact.concepts["islands"].to_numpy(), approx.concepts["islands"].to_numpy()
    ari, same = [], []
    for c in range(len(n_e)):
        m = exact.codes == c
        ari.append(adjusted_rand_score(exact.island[m], approx.island[m]))
        same.append(np.array_equal(exact.island[m], approx.island[m]))  # both numbered alike
    values = (np.mean(n_e == n_a), np.mean(same), np.mean(ari), np.mean(n_a < n_e))
    return dict(zip(keys, values, strict=True))


def main(argv=None):
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--spaces", nargs="+", default=list(SPACES), choices=list(SPACES))
    ap.add_argument(
        "--no-verify",
        action="store_true",
        help="read k* off the graph only (no exact same-concept count)",
    )
    args = ap.parse_args(argv)
    if args.no_verify:
        import kstar_widgets.engines.approx as approx

        approx.VERIFY_MAX_PAIRS = 0
    kw.kstar(
        *concept_space(n_concepts=3, per_concept=20, dim=8), method="approx", progress=False
    )  # JIT warm-up
    print(
        "| space | seed | n | samples same k* | below exact | audit share [95% CI] | covers "
        "| concepts |Γ'-Γ|<=0.1 | same pattern "
        "| beyond CI half-width | censored | exact s | approx s | approx/exact "
        "| same islands | same partition | mean ARI | fewer islands |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    for space in args.spaces:
        for seed in args.seeds:
            x, y = SPACES[space](seed)
            t = time.perf_counter()
            e = kw.kstar(x, y, method="exact", progress=False)
            te = time.perf_counter() - t
            t = time.perf_counter()
            a = kw.kstar(x, y, method="approx", random_state=seed, progress=False)
            ta = time.perf_counter() - t
            c = kw.compare(e, a)
            close = gamma_close_share(c)
            rows.append((close, c.pattern_agreement, c.kstar_agreement))
            au = a.info["audit"]
            covers = au["ci_low"] <= c.kstar_agreement <= au["ci_high"]
            isl = island_agreement(e, a)
            print(
                f"| {space} | {seed} | {len(y):,} | {c.kstar_agreement:.2%} "
                f"| {int(np.count_nonzero(a.k < e.k))} "
                f"| {au['share']:.1%} [{au['ci_low']:.1%}, {au['ci_high']:.1%}] | {covers} "
                f"| {close:.1%} "
                f"| {c.pattern_agreement:.1%} | {beyond_interval_share(e, c):.1%} "
                f"| {a.censored.mean():.2%} | {te:.1f} | {ta:.1f} | {ta / te:.2f} "
                f"| {isl['same_islands']:.1%} | {isl['same_partition']:.1%} "
                f"| {isl['mean_ari']:.3f} | {isl['fewer_islands']:.1%} |",
                flush=True,
            )
    worst = np.min(rows, axis=0)
    print(
        f"\nworst case: k* exact for {worst[2]:.2%} of samples, |Γ'-Γ|<=0.1 for {worst[0]:.1%} "
        f"of concepts, same pattern for {worst[1]:.1%} (goals 99%, 97% and 98%)"
    )
    return 0 if worst[2] >= 0.99 and worst[0] >= 0.97 and worst[1] >= 0.98 else 1


if __name__ == "__main__":
    raise SystemExit(main())
