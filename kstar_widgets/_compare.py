"""compare(): two k* results side by side, with bootstrap intervals of their differences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._result import KStarResult
from .stats._bootstrap import check_bootstrap
from .stats._draws import size_note
from .stats._paired import bootstrap_differences, difference
from .stats._patterns import PATTERNS, UNDEFINED
from .stats._rank import rank_correlation
from .stats._verdict import verdict
from .utils._format import number
from .utils._warnings import warn_concept_sizes


@dataclass(frozen=True, eq=False)
class Comparison:
    """How two k* results differ, and whether the differences are larger than chance.

    Attributes
    ----------
    a, b : KStarResult
    names : tuple of str
        Names of a and b (their ``name``, made distinct).
    paired : bool
        True when a and b are on the same samples (same order and labels): the
        intervals come from a paired bootstrap. False (different samples, e.g. two
        data sets): only unpaired intervals are available, from independent
        bootstraps of a and b, and the per-sample fields are None / NaN.
    samples : pandas.DataFrame or None
        Per sample: label, k_a, k_b, k_norm_a, k_norm_b, same_k, censored in either.
        None when not paired.
    kstar_agreement : float
        Share of samples with the same k* (censored samples count as different);
        NaN when not paired.
    concepts : pandas.DataFrame
        Per concept (all concepts of a and b, by label): n (of a; n_a and n_b when not
        paired), skewness_a, skewness_b, skewness_diff (b - a), skewness_diff_ci_low,
        skewness_diff_ci_high, pattern_a, pattern_b, same_pattern; when both results have islands,
        islands_a, islands_b, islands_diff (b - a).
    pattern_agreement : float
        Share of the concepts present in both with the same pattern.
    confusion : pandas.DataFrame
        Pattern of a (rows) against pattern of b (columns), counts of concepts in both.
    rank_correlation : float
        Spearman correlation of Γ across the concepts where both are finite; NaN when
        fewer than 3 are (a rank correlation of 2 values is always ±1).
    summary : pandas.DataFrame
        The two whole-space summaries side by side.
    differences : pandas.DataFrame
        Indexed by figure (mean_skewness, share_fractured, share_overlapped,
        share_clustered, mean_kstar_norm): a, b, diff (b - a), ci_low, ci_high,
        excludes_zero.
    n_boot, confidence : int, float
        The bootstrap behind the intervals.
    changed : pandas.DataFrame
        The concepts whose pattern changed.
    """

    a: KStarResult
    b: KStarResult
    names: tuple
    samples: pd.DataFrame | None
    kstar_agreement: float
    concepts: pd.DataFrame
    pattern_agreement: float
    confusion: pd.DataFrame
    rank_correlation: float
    summary: pd.DataFrame
    differences: pd.DataFrame
    paired: bool = True
    n_boot: int = 0
    confidence: float = 0.95

    @property
    def changed(self) -> pd.DataFrame:
        return self.concepts[~self.concepts["same_pattern"]]

    def verdict(self, figure: str = "share_fractured") -> str:
        """One sentence on a whole-space figure, decided by its interval.

        Parameters
        ----------
        figure : str, default="share_fractured"
            A row of ``differences``: mean_skewness, share_fractured,
            share_overlapped, share_clustered or mean_kstar_norm.

        Examples
        --------
        >>> import numpy as np, kstar_widgets as kw
        >>> x, y = kw.synthetic.concept_space(n_concepts=6, per_concept=40, dim=8, random_state=0)
        >>> noisy = x + np.random.default_rng(1).normal(size=x.shape)
        >>> a = kw.kstar(x, y, progress=False, name="standard")
        >>> cmp = kw.compare(a, kw.kstar(noisy, y, progress=False, name="noisy"))
        >>> cmp.verdict("mean_skewness")
        'no clear difference between standard and noisy: Δ mean Γ −0.38 [−1.71, +0.77]'
        """
        return verdict(self, figure)

    def __repr__(self) -> str:
        na, nb = self.names
        head = f"<Comparison {na!r} vs {nb!r}: "
        if self.paired:
            head += f"same k* for {number(self.kstar_agreement, '.1%')} of samples, "
        else:
            head += "different samples (unpaired intervals only), "
        return (
            head + f"same pattern for {number(self.pattern_agreement, '.1%')} of concepts, "
            f"Spearman ρ(Γ) = {number(self.rank_correlation, '.3f')}, "
            f"{len(self.changed)} concept(s) changed; " + self.verdict("share_fractured") + ">"
        )


def compare(
    a: KStarResult, b: KStarResult, *, n_boot=1000, confidence=0.95, random_state=None
) -> Comparison:
    """Compare two results: exact vs approx, model vs model, layer vs layer, data set vs data set.

    On the same samples (same order and labels) the intervals of the differences
    come from a paired bootstrap: each replicate draws the concepts and, within each
    concept, the samples once, and applies the draw to both results. On different
    samples only unpaired intervals exist (independent bootstraps of a and b) and
    the per-sample agreement is not defined. See docs/method.md.

    Parameters
    ----------
    a, b : KStarResult
        Results of ``kstar()``.
    n_boot : int, default=1000
        Bootstrap replicates (0: no intervals).
    confidence : float, default=0.95
        Level of the percentile intervals.
    random_state : int, optional
        Seed of the bootstrap (None: 0, so comparisons are reproducible).

    Returns
    -------
    Comparison

    Warns
    -----
    ConceptSizeWarning
        When a concept has another size in a than in b, or one result's concept sizes lie
        more than 2x apart: Γ changes with the number of samples per concept, so compare
        ``kstar(..., per_concept=n)`` results instead (docs/method.md, "Concept sizes").
        Two size-matched results on the same rows and seed are paired draw by draw.

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> rng = np.random.default_rng(0)
    >>> x, y = rng.normal(size=(200, 16)), np.repeat([0, 1, 2, 3], 50)
    >>> cmp = kw.compare(kw.kstar(x, y, progress=False), kw.kstar(x * 2, y, progress=False))
    >>> cmp.kstar_agreement
    1.0
    >>> bool(cmp.differences.loc["mean_skewness", "excludes_zero"])
    False
    """
    for r, which in ((a, "a"), (b, "b")):
        if not isinstance(r, KStarResult):
            raise TypeError(
                f"compare() takes two KStarResult objects; {which} is {type(r).__name__}."
            )
    n_boot, confidence, seed = check_bootstrap(n_boot, confidence, random_state)
    paired = _same_samples(a, b)
    na, nb = _names(a, b)
    _warn_sizes(a, b, na, nb)
    samples, agreement = _samples(a, b) if paired else (None, float("nan"))
    concept_ci, differences = bootstrap_differences(
        a, b, paired=paired, n_boot=n_boot, confidence=confidence, seed=seed
    )
    common = concept_ci.index
    pa, pb = a.concepts["pattern"][common].astype(str), b.concepts["pattern"][common].astype(str)
    return Comparison(
        a=a,
        b=b,
        names=(na, nb),
        samples=samples,
        kstar_agreement=agreement,
        concepts=_concepts(a.concepts, b.concepts, concept_ci, paired),
        pattern_agreement=float((pa == pb).mean()) if len(common) else float("nan"),
        confusion=_confusion(pa, pb, na, nb),
        rank_correlation=rank_correlation(
            a.concepts["skewness"][common], b.concepts["skewness"][common]
        ),
        summary=pd.concat([a.summary.rename(na), b.summary.rename(nb)], axis=1),
        differences=differences,
        paired=paired,
        n_boot=n_boot,
        confidence=confidence,
    )


def _same_samples(a: KStarResult, b: KStarResult) -> bool:
    """Same samples in the same order and, for size-matched results, the same draws."""
    if (a.draws is None) != (b.draws is None):
        return False
    if a.draws is not None and not (
        np.array_equal(a.draws.index, b.draws.index)
        and np.array_equal(a.draws.codes, b.draws.codes)
    ):
        return False
    return a.n_samples == b.n_samples and np.array_equal(a.labels, b.labels)


def _warn_sizes(a: KStarResult, b: KStarResult, na: str, nb: str) -> None:
    """ConceptSizeWarning when a concept has other sizes in a and b, or within one result
    sizes differ more than twofold: Γ changes with size, so Γ is then not comparable."""
    common = a.concepts.index.intersection(b.concepts.index, sort=False)
    sa, sb = a.concepts["n"][common].to_numpy(), b.concepts["n"][common].to_numpy()
    if (sa != sb).any():
        lo = int(min(sa.min(), sb.min()))
        warn_concept_sizes(
            f"concept sizes differ between {na} ({_sizes(sa)} samples per concept) and {nb} "
            f"({_sizes(sb)}): Γ changes with the number of samples per concept, so Γ and the "
            f"patterns are not comparable as they stand; compare kstar(..., per_concept={lo}) "
            "results of both (docs/method.md, Concept sizes)."
        )
        return
    for r, name in ((a, na), (b, nb)):
        note = size_note(r.concepts["n"].to_numpy())
        if note is not None:
            warn_concept_sizes(f"{name}: {note} (docs/method.md, Concept sizes).")


def _sizes(n) -> str:
    """ "80" or "12-480": the range of concept sizes."""
    lo, hi = int(n.min()), int(n.max())
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _names(a: KStarResult, b: KStarResult) -> tuple[str, str]:
    """The results' names, "a" / "b" for none, made distinct when they are the same."""
    na, nb = a.name or "a", b.name or "b"
    return (f"{na} (a)", f"{nb} (b)") if na == nb else (na, nb)


def _concepts(ca: pd.DataFrame, cb: pd.DataFrame, concept_ci, paired: bool) -> pd.DataFrame:
    """Per concept (all of a and b, by label): sizes, Γ of each, ΔΓ with its interval,
    patterns, same_pattern, and the islands of each when both have them."""
    sizes = {"n": ca["n"]} if paired else {"n_a": ca["n"], "n_b": cb["n"]}
    concepts = pd.DataFrame(
        {
            **sizes,
            "skewness_a": ca["skewness"],
            "skewness_b": cb["skewness"],
            "skewness_diff": difference(ca["skewness"], cb["skewness"]),
            "skewness_diff_ci_low": concept_ci["skewness_diff_ci_low"],
            "skewness_diff_ci_high": concept_ci["skewness_diff_ci_high"],
            "pattern_a": ca["pattern"],
            "pattern_b": cb["pattern"],
        }
    )
    same = concepts["pattern_a"].astype(str) == concepts["pattern_b"].astype(str)
    concepts["same_pattern"] = same
    if "islands" in ca and "islands" in cb:
        concepts["islands_a"], concepts["islands_b"] = ca["islands"], cb["islands"]
        concepts["islands_diff"] = cb["islands"] - ca["islands"]
    return concepts


def _confusion(pa: pd.Series, pb: pd.Series, na: str, nb: str) -> pd.DataFrame:
    """Counts of the concepts in both by pattern of a (rows) and of b (columns)."""
    order = [*PATTERNS, UNDEFINED]
    return pd.crosstab(
        pd.Categorical(pa, categories=order),
        pd.Categorical(pb, categories=order),
        rownames=[na],
        colnames=[nb],
        dropna=False,
    )


def _samples(a: KStarResult, b: KStarResult) -> tuple[pd.DataFrame, float]:
    """Per-sample k* side by side, and the share of samples with the same k*."""
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
    return samples, float(same_k.mean())
