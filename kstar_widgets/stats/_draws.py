"""Size-matched k*: stratified draws of n samples per concept, averaged, with pooled intervals.

Γ changes with the number of samples per concept (docs/method.md, "Concept sizes"), so
``kstar(..., per_concept=n, n_draws=m)`` computes k* on m seeded draws of n samples per
concept and reports each figure averaged over the draws. The intervals come from the
mixture of the draws' bootstrap distributions (their replicates pooled), so they hold the
draw-to-draw spread as well as the sampling error within a draw.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._bootstrap import Replicates, draw
from ._intervals import concept_columns, summary_columns
from ._islands import number_islands, with_island_columns
from ._patterns import MIN_SAMPLES, classify, concept_table, space_summary

SIZE_RATIO = 2.0  # concept sizes of one result further apart than this get a note
_AVERAGED = ("mean", "std", "median", "skewness", "kstar1_share", "censored_share")
_ISLANDS = ("islands", "largest_island_share", "singleton_share")


@dataclass(frozen=True, eq=False)
class Draws:
    """The draws behind a size-matched result (``result.draws``).

    Attributes
    ----------
    per_concept, n_draws, seed : int
        n samples per concept, m draws, and the seed the draws came from.
    index : int64 ndarray of shape (n_draws, n_drawn)
        Rows of the given features in each draw (ascending). The result's per-sample
        arrays are the first draw's: its sample i is row ``index[0, i]``.
    codes, k, censored : ndarray of shape (n_draws, n_drawn)
        Concept code, k* and censoring of each drawn sample in each draw.
    island : int64 ndarray of shape (n_draws, n_drawn) or None
    n_available : int64 ndarray of shape (n_concepts,)
        Samples each concept has before drawing.
    """

    per_concept: int
    n_draws: int
    seed: int
    index: np.ndarray
    codes: np.ndarray
    k: np.ndarray
    censored: np.ndarray
    island: np.ndarray | None
    n_available: np.ndarray

    def __post_init__(self):
        for name in ("index", "codes", "k", "censored", "island", "n_available"):
            value = getattr(self, name)
            if isinstance(value, np.ndarray):
                value.flags.writeable = False


def check_draws(per_concept, n_draws) -> tuple[int | None, int]:
    """Validate ``per_concept`` (None: no draws) and ``n_draws``."""
    if per_concept is None:
        return None, 1
    for name, v, low in (("per_concept", per_concept, MIN_SAMPLES), ("n_draws", n_draws, 1)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < low:
            raise ValueError(
                f"{name} must be a whole number >= {low}, got {v!r}; e.g. "
                "kstar(features, labels, per_concept=80, n_draws=10)."
            )
    return int(per_concept), int(n_draws)


def stratified(codes: np.ndarray, per_concept: int, n_draws: int, seed: int) -> np.ndarray:
    """Row indices of ``n_draws`` draws, each ``per_concept`` rows per concept without
    replacement (all rows of a smaller concept), ascending; shape (n_draws, n_drawn)."""
    rng = np.random.default_rng(seed)
    members = [np.flatnonzero(codes == c) for c in range(int(codes.max()) + 1)]
    out = []
    for _ in range(n_draws):
        picks = [
            rows if len(rows) <= per_concept else rng.choice(rows, per_concept, replace=False)
            for rows in members
        ]
        out.append(np.sort(np.concatenate(picks)))
    return np.stack(out).astype(np.int64)


def pooled_replicates(ks_by_draw, codes_by_draw, n_concepts, *, n_boot, seed, confidence):
    """Bootstrap replicates of every draw (``ceil(n_boot / m)`` each, own child seeds), pooled.

    ``ks_by_draw[d]`` is the list of k* arrays of draw d (several: paired on the same rows).
    """
    m = len(ks_by_draw)
    per_draw = max(1, math.ceil(n_boot / m))
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    seeds = ss.spawn(m) if m > 1 else [seed]
    reps = [
        draw(ks, codes, n_concepts, n_boot=per_draw, seed=s, confidence=confidence)
        for ks, codes, s in zip(ks_by_draw, codes_by_draw, seeds, strict=True)
    ]
    if m == 1:
        return reps[0]
    return Replicates(
        weights=np.concatenate([r.weights for r in reps]),
        skewness=[np.concatenate(a) for a in zip(*(r.skewness for r in reps), strict=True)],
        mean_k=[np.concatenate(a) for a in zip(*(r.mean_k for r in reps), strict=True)],
        confidence=confidence,
        seed=int(ss.entropy),
    )


def tabulate(draws: Draws, concept_labels, threshold, reps, *, name, n_boot, confidence):
    """The concept table and summary of a size-matched result: each figure averaged over
    the draws, Γ's interval and the pattern confidence from the pooled replicates."""
    tables, summaries = [], []
    for d in range(draws.n_draws):
        k, codes, cens = draws.k[d], draws.codes[d], draws.censored[d]
        k_norm = k / np.bincount(codes, minlength=len(concept_labels))[codes]
        t = concept_table(k, k_norm, cens, codes, concept_labels, threshold)
        island = None if draws.island is None else number_islands(draws.island[d], codes)
        tables.append(with_island_columns(t, island, codes))
        summaries.append(space_summary(tables[-1], k, k_norm, cens, threshold, name=name))
    table = _average_tables(tables, draws, threshold)
    summary = pd.concat(summaries, axis=1).T.infer_objects().mean(axis=0)
    summary = summary.astype(object).rename(name)
    for key in ("n_samples", "n_concepts"):
        summary[key] = int(summaries[0][key])
    summary["threshold"] = float(threshold)
    table = concept_columns(table, reps, threshold)
    sizes = table["n"].to_numpy()
    summary = summary_columns(summary, reps, sizes, threshold, n_boot=n_boot, confidence=confidence)
    return table, summary


def _average_tables(tables, draws: Draws, threshold) -> pd.DataFrame:
    """The first draw's table with the numeric columns averaged and the pattern re-read."""
    table = tables[0].copy()
    columns = [c for c in (*_AVERAGED, *_ISLANDS) if c in table]
    # undefined (NaN) draws are left out, and counted in the note; +inf with -inf gives NaN
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a concept undefined in every draw
        for c in columns:
            table[c] = np.nanmean([t[c].to_numpy(dtype=np.float64) for t in tables], axis=0)
    skew = table["skewness"].to_numpy()
    table["pattern"] = pd.Categorical(classify(skew, threshold), dtype=table["pattern"].dtype)
    table["note"] = _notes(tables, draws)
    table.insert(1, "n_available", draws.n_available)
    table.insert(2, "subsampled", draws.n_available > draws.per_concept)
    return table


def _notes(tables, draws: Draws) -> np.ndarray:
    """Per concept: the draws' degenerate cases counted, and concepts kept whole."""
    notes = np.stack([t["note"].to_numpy(dtype=object) for t in tables])
    out = []
    for j in range(notes.shape[1]):
        parts = []
        for case in dict.fromkeys(notes[:, j]):
            if case:
                count = int((notes[:, j] == case).sum())
                parts.append(
                    case
                    if count == draws.n_draws
                    else f"{case} in {count} of {draws.n_draws} draws"
                )
        if draws.n_available[j] < draws.per_concept:
            parts.append(
                f"only {draws.n_available[j]} samples (< per_concept={draws.per_concept}): all kept"
            )
        out.append("; ".join(parts))
    return np.asarray(out, dtype=object)


def size_spread(sizes) -> tuple[int, int] | None:
    """(smallest, largest) concept size when they are more than SIZE_RATIO apart, else None;
    concepts under MIN_SAMPLES (no Γ) are left out."""
    sizes = np.asarray(sizes)
    sizes = sizes[sizes >= MIN_SAMPLES]
    if sizes.size < 2 or sizes.max() <= SIZE_RATIO * sizes.min():
        return None
    return int(sizes.min()), int(sizes.max())


def size_note(sizes) -> str | None:
    """The one sentence on unequal concept sizes in one result (views and compare), or None.

    Examples
    --------
    >>> size_note([12, 100, 480])
    'concept sizes differ: 12-480 samples; Γ changes with size, compare with kstar(..., per_concept=12)'
    >>> size_note([80, 100, 150]) is None
    True
    """
    spread = size_spread(sizes)
    if spread is None:
        return None
    lo, hi = spread
    return (
        f"concept sizes differ: {lo}-{hi} samples; Γ changes with size, "
        f"compare with kstar(..., per_concept={lo})"
    )
