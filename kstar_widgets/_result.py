"""The result object of kstar(): per-sample k*, per-concept table, whole-space summary."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from ._bootstrap import Replicates, check_bootstrap, draw
from ._intervals import concept_columns, summary_columns
from ._islands import number_islands, with_island_columns
from ._stats import concept_table, space_summary


@dataclass(frozen=True, eq=False)
class KStarResult:
    """k* of every sample and what it says about each concept and the whole space.

    Attributes
    ----------
    k : int64 ndarray of shape (n_samples,)
        1-based rank of the first neighbour from another concept (self excluded).
        For censored samples (approximate method only) a lower bound, budget + 1.
    k_norm : float64 ndarray of shape (n_samples,)
        ``k / n_c``, in (0, 1].
    censored : bool ndarray of shape (n_samples,)
        True where k is only known to exceed the neighbour budget.
    labels : ndarray of shape (n_samples,)
        The concept label of each sample, as given.
    codes : int64 ndarray of shape (n_samples,)
        Index of each sample's concept in ``concepts.index``.
    intruder : int64 ndarray of shape (n_samples,)
        Index of a nearest other-concept sample, -1 where unknown (censored).
    intruder_distance : float64 ndarray of shape (n_samples,)
        Its distance in the metric's units (Euclidean distance, or 1 - cosine).
    concepts : pandas.DataFrame
        One row per concept, indexed by label: n, mean, std, median, skewness,
        skewness_ci_low, skewness_ci_high (percentile bootstrap interval of Γ),
        pattern, pattern_confidence (share of bootstrap replicates in that pattern),
        kstar1_share, censored_share, note. See docs/method.md, "Uncertainty". With
        islands also islands, largest_island_share, singleton_share.
    summary : pandas.Series
        Whole-space figures (mean finite skewness, share of concepts per pattern, ...),
        with ``<figure>_ci_low`` / ``<figure>_ci_high`` for mean_skewness,
        share_fractured, share_overlapped, share_clustered and mean_kstar_norm, and the
        bootstrap's ``confidence`` and ``n_boot`` (0: no intervals, NaN bounds).
    method, metric : str
        What ran ("exact" or "approx") and the distance used.
    reason : str
        Why that method ran (relevant for method="auto").
    threshold : float
        Skewness threshold of the patterns.
    n_neighbors : int or None
        Neighbour budget of the approximate method.
    timings : dict
        Seconds per stage.
    name : str or None
        A name used by comparisons and widgets ("exact", a model name, ...).
    info : dict
        Engine details (device, rows settled in float64, ...).
    replicates : Replicates or None
        The bootstrap replicates behind the intervals (None when ``n_boot=0``).
    island : int64 ndarray of shape (n_samples,) or None
        Island of each sample within its concept, 0 the largest (ties: the island
        with the smallest sample index first); None if ``kstar(islands=False)``.
        ``info["islands_approximate"]`` says whether they come from a kNN graph.
    """

    k: np.ndarray
    k_norm: np.ndarray
    censored: np.ndarray
    labels: np.ndarray
    codes: np.ndarray
    intruder: np.ndarray
    intruder_distance: np.ndarray
    concepts: pd.DataFrame
    summary: pd.Series
    method: str
    metric: str
    reason: str
    threshold: float
    n_neighbors: int | None = None
    timings: dict = field(default_factory=dict)
    name: str | None = None
    info: dict = field(default_factory=dict)
    replicates: Replicates | None = field(default=None, repr=False)
    island: np.ndarray | None = None

    @classmethod
    def build(
        cls,
        *,
        k,
        censored,
        labels,
        codes,
        concept_labels,
        threshold,
        name=None,
        island=None,
        n_boot=1000,
        confidence=0.95,
        random_state=None,
        **kw,
    ):
        """Assemble a result from per-sample k*: normalise, tabulate, bootstrap, summarise."""
        n_boot, confidence, seed = check_bootstrap(n_boot, confidence, random_state)
        k = np.asarray(k, dtype=np.int64)
        censored = np.asarray(censored, dtype=bool)
        sizes = np.bincount(codes, minlength=len(concept_labels))
        k_norm = k / sizes[codes]
        table = concept_table(k, k_norm, censored, codes, concept_labels, threshold)
        island = None if island is None else number_islands(island, codes)
        table = with_island_columns(table, island, codes)
        summary = space_summary(table, k, k_norm, censored, threshold, name=name)
        t0 = time.perf_counter()
        reps = None
        if n_boot > 0:
            reps = draw([k], codes, len(sizes), n_boot=n_boot, seed=seed, confidence=confidence)
        table = concept_columns(table, reps, threshold)
        summary = summary_columns(
            summary, reps, sizes, threshold, n_boot=n_boot, confidence=confidence
        )
        if isinstance(kw.get("timings"), dict):
            kw["timings"]["bootstrap"] = time.perf_counter() - t0
        return cls(
            k=k,
            k_norm=k_norm,
            censored=censored,
            labels=np.asarray(labels),
            codes=codes,
            concepts=table,
            summary=summary,
            threshold=threshold,
            name=name,
            replicates=reps,
            island=island,
            **kw,
        )

    @property
    def n_samples(self) -> int:
        return len(self.k)

    @property
    def skewness(self) -> pd.Series:
        """Γ per concept (a column of ``concepts``)."""
        return self.concepts["skewness"]

    @property
    def patterns(self) -> pd.Series:
        """Pattern per concept (a column of ``concepts``)."""
        return self.concepts["pattern"]

    def with_threshold(self, threshold: float) -> KStarResult:
        """The same k* with patterns re-classified at another skewness threshold."""
        from ._validation import check_threshold

        threshold = check_threshold(threshold)
        return self._rebuild(threshold=threshold, name=self.name)

    def renamed(self, name: str) -> KStarResult:
        """The same result under another name."""
        return self._rebuild(threshold=self.threshold, name=name)

    def _rebuild(self, *, threshold, name):
        table = concept_table(
            self.k,
            self.k_norm,
            self.censored,
            self.codes,
            self.concepts.index.to_numpy(),
            threshold,
        )
        table = with_island_columns(table, self.island, self.codes)
        summary = space_summary(table, self.k, self.k_norm, self.censored, threshold, name=name)
        # the interval of Γ does not depend on the threshold; the pattern confidence does
        table = concept_columns(table, self.replicates, threshold)
        summary = summary_columns(
            summary,
            self.replicates,
            self.concepts["n"].to_numpy(),
            threshold,
            n_boot=self.summary["n_boot"],
            confidence=self.summary["confidence"],
        )
        return replace(self, concepts=table, summary=summary, threshold=threshold, name=name)

    def to_frame(self) -> pd.DataFrame:
        """One row per sample: label, k, k_norm, censored, intruder, its label and distance, island."""
        known = self.intruder >= 0
        intruder_label = np.full(self.n_samples, None, dtype=object)
        intruder_label[known] = self.labels[self.intruder[known]]
        return pd.DataFrame(
            {
                "label": self.labels,
                "k": self.k,
                "k_norm": self.k_norm,
                "censored": self.censored,
                "intruder": self.intruder,
                "intruder_label": intruder_label,
                "intruder_distance": self.intruder_distance,
                **({} if self.island is None else {"island": self.island}),
            }
        ).rename_axis("sample")

    def intrusion_matrix(self, normalize: bool = False) -> pd.DataFrame:
        """Counts (or row shares) of which concept supplies each concept's nearest foreign neighbours."""
        known = self.intruder >= 0
        idx = self.concepts.index
        n = len(idx)
        flat = self.codes[known] * n + self.codes[self.intruder[known]]
        m = (
            np.bincount(flat, minlength=n * n)
            .reshape(n, n)
            .astype(np.float64 if normalize else np.int64)
        )
        if normalize:
            m = m / np.maximum(m.sum(axis=1, keepdims=True), 1)
        return pd.DataFrame(m, index=idx.rename("concept"), columns=idx.rename("intruder_concept"))

    def __repr__(self) -> str:
        s = self.summary
        shares = ", ".join(
            f"{p} {s[f'share_{p.lower()}']:.0%}" for p in ("Fractured", "Overlapped", "Clustered")
        )
        label = f" {self.name!r}" if self.name else ""
        interval = ""
        if s.get("n_boot", 0) and not np.isnan(s["mean_skewness_ci_low"]):
            interval = f" [{s['mean_skewness_ci_low']:.3f}, {s['mean_skewness_ci_high']:.3f}]"
        return (
            f"<KStarResult{label}: {s['n_samples']} samples, {s['n_concepts']} concepts, "
            f"{self.method}/{self.metric}; mean Γ {s['mean_skewness']:.3f}{interval}; {shares}>"
        )

    def _repr_html_(self) -> str:
        head = f"<p><code>{self.__repr__().replace('<', '&lt;').replace('>', '&gt;')}</code></p>"
        return head + self.concepts.sort_values("skewness").to_html(
            float_format=lambda x: f"{x:.3f}"
        )
