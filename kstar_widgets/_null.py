"""null_baseline(): the whole-space summary of the same features with shuffled labels."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .stats._bootstrap import check_bootstrap, percentile_interval
from .utils._format import interval, share
from .utils._progress import progress_bar
from .utils._validation import check_features, check_labels

NULL_FIGURES = (
    "mean_skewness",
    "share_fractured",
    "share_overlapped",
    "share_clustered",
    "share_undefined",
    "mean_kstar_norm",
    "kstar1_share",
)
_OWN = ("n_boot", "name", "progress", "confidence")


@dataclass(frozen=True, eq=False)
class NullBaseline:
    """What the whole-space summary looks like when labels carry no information.

    Attributes
    ----------
    permutations : pandas.DataFrame of shape (n_permutations, n_figures)
        The summary figures (NULL_FIGURES) of each label permutation.
    mean, low, high : pandas.Series
        Per figure: the mean over permutations and the percentile range holding
        ``confidence`` of them (2.5 and 97.5 percentiles by default).
    confidence : float
    random_state : int
        The seed of the permutations.
    """

    permutations: pd.DataFrame
    mean: pd.Series
    low: pd.Series
    high: pd.Series
    confidence: float
    random_state: int

    @property
    def n_permutations(self) -> int:
        return len(self.permutations)

    def compare(self, result) -> pd.DataFrame:
        """How far an observed result lies from the baseline, figure by figure.

        Parameters
        ----------
        result : KStarResult
            Usually ``kw.kstar`` on the same features with the true labels.

        Returns
        -------
        pandas.DataFrame
            Indexed by figure: observed, null_mean, null_low, null_high, z (distance
            from the null mean in null standard deviations; ±inf when the null does
            not vary), outside (observed outside [null_low, null_high]), p_value
            (two-sided permutation p-value, (1 + #{|null - mean| ≥ |observed - mean|})
            / (n_permutations + 1); it cannot go below 1 / (n_permutations + 1)).
        """
        obs = pd.Series({f: float(result.summary[f]) for f in NULL_FIGURES})
        perm = self.permutations.to_numpy(dtype=np.float64)
        std = self.permutations.std(ddof=1).fillna(0.0).to_numpy()  # NaN-safe, no warnings
        gap = obs.to_numpy() - self.mean.to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(std > 0, gap / std, np.where(gap == 0, 0.0, np.sign(gap) * np.inf))
            extreme = np.abs(perm - self.mean.to_numpy()) >= np.abs(gap)
        return pd.DataFrame(
            {
                "observed": obs,
                "null_mean": self.mean,
                "null_low": self.low,
                "null_high": self.high,
                "z": z,
                "outside": (obs < self.low) | (obs > self.high),
                "p_value": np.where(
                    np.isnan(gap), np.nan, (1 + extreme.sum(axis=0)) / (len(perm) + 1)
                ),
            }
        ).rename_axis("figure")

    def __repr__(self) -> str:
        m, lo, hi = (s["mean_skewness"] for s in (self.mean, self.low, self.high))
        return (
            f"<NullBaseline: {self.n_permutations} label permutations; "
            f"mean Γ {interval(m, lo, hi, fmt='.3f')}, "
            f"share Fractured {share(self.mean['share_fractured'])}>"
        )


def null_baseline(
    features,
    labels,
    *,
    n_permutations=20,
    random_state=None,
    method="auto",
    confidence=0.95,
    progress=True,
    **kstar_kwargs,
) -> NullBaseline:
    """The whole-space summary under shuffled labels: how a label-blind space looks.

    Each permutation shuffles the labels (concept sizes stay the same) and runs
    ``kw.kstar`` on the unchanged features through the same engines, without the
    bootstrap (``n_boot=0``). **Cost: n_permutations × one kstar run** (plus one
    pynndescent compilation when the approximate method runs): 20 permutations of
    a space that takes 2 s cost about 40 s.

    Parameters
    ----------
    features : array-like or torch.Tensor of shape (n_samples, n_features)
    labels : array-like of shape (n_samples,)
        The true labels; they are shuffled, never changed.
    n_permutations : int, default=20
        Number of label permutations.
    random_state : int, optional
        Seed of the permutations (None: 0, so the baseline is reproducible); the
        approximate method, if it runs, gets seeds drawn from it too.
    method : {"auto", "exact", "approx"}, default="auto"
    confidence : float, default=0.95
        Share of permutations inside [low, high].
    progress : bool, default=True
        A progress bar over the permutations.
    **kstar_kwargs
        Further options of ``kw.kstar`` (metric, n_neighbors, threshold, device).

    Returns
    -------
    NullBaseline

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> x, y = kw.synthetic.concept_space(n_concepts=6, per_concept=30, dim=8)
    >>> null = kw.null_baseline(x, y, n_permutations=5, progress=False)
    >>> bool(null.compare(kw.kstar(x, y, progress=False)).loc["mean_skewness", "outside"])
    True
    """
    from ._kstar import kstar

    own = sorted(set(kstar_kwargs) & set(_OWN))
    if own:
        raise TypeError(
            f"null_baseline() sets {', '.join(own)} of kstar itself; leave "
            f"{'it' if len(own) == 1 else 'them'} out (confidence here is the baseline's range)."
        )
    if isinstance(n_permutations, bool) or not isinstance(n_permutations, (int, np.integer)):
        raise TypeError(f"n_permutations must be an int >= 1, got {n_permutations!r}.")
    if n_permutations < 1:
        raise ValueError(f"n_permutations must be >= 1, got {n_permutations}.")
    _, confidence, seed = check_bootstrap(0, confidence, random_state)
    x = check_features(features)
    codes, concepts = check_labels(labels, len(x))
    rng = np.random.default_rng(seed)
    rows = []
    bar = progress_bar(total=n_permutations, desc="null baseline", unit="perm", enable=progress)
    try:
        for _ in range(n_permutations):
            shuffled = concepts[codes[rng.permutation(len(codes))]]
            engine_seed = int(rng.integers(2**31 - 1))
            res = kstar(
                x,
                shuffled,
                method=method,
                random_state=engine_seed,
                n_boot=0,
                progress=False,
                **kstar_kwargs,
            )
            rows.append({f: float(res.summary[f]) for f in NULL_FIGURES})
            bar.update()
    finally:
        bar.close()
    perm = pd.DataFrame(rows, index=pd.RangeIndex(n_permutations, name="permutation"))
    low, high = percentile_interval(perm.to_numpy(dtype=np.float64), confidence)
    return NullBaseline(
        permutations=perm,
        mean=perm.mean(axis=0),
        low=pd.Series(low, index=perm.columns),
        high=pd.Series(high, index=perm.columns),
        confidence=confidence,
        random_state=seed,
    )
