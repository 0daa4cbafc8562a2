"""compare(): two k* results on the same samples, side by side."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._result import KStarResult
from ._stats import PATTERNS, UNDEFINED


@dataclass(frozen=True, eq=False)
class Comparison:
    """How two k* results on the same samples differ.

    Attributes
    ----------
    a, b : KStarResult
    names : tuple of str
        Names of a and b (their ``name``, made distinct).
    samples : pandas.DataFrame
        Per sample: label, k_a, k_b, k_norm_a, k_norm_b, same_k, censored in either.
    kstar_agreement : float
        Share of samples with the same k* (censored samples count as different).
    concepts : pandas.DataFrame
        Per concept: skewness_a, skewness_b, skewness_diff (b - a), pattern_a,
        pattern_b, same_pattern; when both results have islands, islands_a,
        islands_b, islands_diff (b - a).
    pattern_agreement : float
        Share of concepts with the same pattern.
    confusion : pandas.DataFrame
        Pattern of a (rows) against pattern of b (columns), concept counts.
    rank_correlation : float
        Spearman correlation of Γ across concepts where both are finite.
    summary : pandas.DataFrame
        The two whole-space summaries side by side.
    changed : pandas.DataFrame
        The concepts whose pattern changed.
    """

    a: KStarResult
    b: KStarResult
    names: tuple
    samples: pd.DataFrame
    kstar_agreement: float
    concepts: pd.DataFrame
    pattern_agreement: float
    confusion: pd.DataFrame
    rank_correlation: float
    summary: pd.DataFrame

    @property
    def changed(self) -> pd.DataFrame:
        return self.concepts[~self.concepts["same_pattern"]]

    def __repr__(self) -> str:
        na, nb = self.names
        return (
            f"<Comparison {na!r} vs {nb!r}: same k* for {self.kstar_agreement:.1%} of samples, "
            f"same pattern for {self.pattern_agreement:.1%} of concepts, "
            f"Spearman ρ(Γ) = {self.rank_correlation:.3f}, {len(self.changed)} concept(s) changed>"
        )


def compare(a: KStarResult, b: KStarResult) -> Comparison:
    """Compare two results on the same samples: exact vs approx, model vs model, layer vs layer.

    Parameters
    ----------
    a, b : KStarResult
        Results of ``kstar()`` on the same samples in the same order (same labels).

    Returns
    -------
    Comparison

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(size=(200, 16)), np.repeat([0, 1, 2, 3], 50)
    >>> cmp = kw.compare(kw.kstar(x, y, progress=False), kw.kstar(x * 2, y, progress=False))
    >>> cmp.kstar_agreement
    1.0
    """
    for r, which in ((a, "a"), (b, "b")):
        if not isinstance(r, KStarResult):
            raise TypeError(
                f"compare() takes two KStarResult objects; {which} is {type(r).__name__}."
            )
    if a.n_samples != b.n_samples or not np.array_equal(a.labels, b.labels):
        raise ValueError(
            "compare() needs two results on the same samples in the same order: "
            f"a has {a.n_samples} samples, b has {b.n_samples}"
            + ("" if a.n_samples != b.n_samples else ", and their labels differ")
            + ". Compute both with the same labels array."
        )
    na, nb = a.name or "a", b.name or "b"
    if na == nb:
        na, nb = f"{na} (a)", f"{nb} (b)"
    either_censored = a.censored | b.censored
    same_k = (a.k == b.k) & ~either_censored
    samples = pd.DataFrame(
        {
            "label": a.labels,
            "k_a": a.k,
            "k_b": b.k,
            "k_norm_a": a.k_norm,
            "k_norm_b": b.k_norm,
            "same_k": same_k,
            "censored": either_censored,
        }
    ).rename_axis("sample")
    ca, cb = a.concepts, b.concepts
    concepts = pd.DataFrame(
        {
            "n": ca["n"],
            "skewness_a": ca["skewness"],
            "skewness_b": cb["skewness"],
            "skewness_diff": _difference(ca["skewness"], cb["skewness"]),
            "pattern_a": ca["pattern"],
            "pattern_b": cb["pattern"],
            "same_pattern": ca["pattern"].astype(str) == cb["pattern"].astype(str),
        }
    )
    if "islands" in ca and "islands" in cb:
        concepts["islands_a"], concepts["islands_b"] = ca["islands"], cb["islands"]
        concepts["islands_diff"] = cb["islands"] - ca["islands"]
    order = [*PATTERNS, UNDEFINED]
    confusion = pd.crosstab(
        pd.Categorical(ca["pattern"].astype(str), categories=order),
        pd.Categorical(cb["pattern"].astype(str), categories=order),
        rownames=[na],
        colnames=[nb],
        dropna=False,
    )
    both = np.isfinite(ca["skewness"].to_numpy()) & np.isfinite(cb["skewness"].to_numpy())
    if both.sum() >= 2:
        from scipy.stats import spearmanr

        rho = float(spearmanr(ca["skewness"][both], cb["skewness"][both]).statistic)
    else:
        rho = float("nan")
    summary = pd.concat([a.summary.rename(na), b.summary.rename(nb)], axis=1)
    return Comparison(
        a=a,
        b=b,
        names=(na, nb),
        samples=samples,
        kstar_agreement=float(same_k.mean()),
        concepts=concepts,
        pattern_agreement=float(concepts["same_pattern"].mean()),
        confusion=confusion,
        rank_correlation=rho,
        summary=summary,
    )


def _difference(a: pd.Series, b: pd.Series) -> pd.Series:
    """b - a, with equal infinities (both all-k*=1 or both all-k*=n) counting as no change."""
    diff = b - a
    diff[(a == b) & np.isinf(a)] = 0.0
    return diff
