"""The result object of kstar(): per-sample k*, per-concept table, whole-space summary."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from . import _saved
from .stats._bootstrap import Replicates, check_bootstrap, draw
from .stats._draws import Draws, tabulate
from .stats._intervals import concept_columns, summary_columns
from .stats._islands import number_islands, with_island_columns
from .stats._patterns import concept_table, space_summary
from .stats._tables import ResultTables


@dataclass(frozen=True, eq=False, repr=False)  # repr: ResultTables
class KStarResult(ResultTables):
    """k* of every sample and what it says about each concept and the whole space.

    A result is a record: its arrays are read-only, and ``concepts`` and ``summary``
    are copies of record (editing them changes nothing else). Derive a new result
    with ``with_threshold`` or ``renamed``; keep one with ``save`` and ``load``.

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
    draws : Draws or None
        With ``kstar(..., per_concept=n, n_draws=m)``: the m draws of n samples per
        concept. ``concepts`` and ``summary`` are then averages over the draws (intervals
        from their pooled replicates) and the per-sample arrays are the first draw's.
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
    draws: Draws | None = field(default=None, repr=False)

    def __post_init__(self):
        # read-only views: a result is a record, ``r.k[0] = 1`` must not leave ``concepts`` stale
        for name in (*_saved.PER_SAMPLE, "island"):
            value = getattr(self, name)
            if isinstance(value, np.ndarray) and value.flags.writeable:
                view = value.view()
                view.flags.writeable = False
                object.__setattr__(self, name, view)
        if self.replicates is not None:  # the result's own draws: frozen in place
            reps = self.replicates
            for arr in (reps.weights, *reps.skewness, *reps.mean_k):
                arr.flags.writeable = False

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

    def with_threshold(self, threshold: float) -> KStarResult:
        """The same k* with patterns re-classified at another skewness threshold."""
        from .utils._validation import check_threshold

        threshold = check_threshold(threshold)
        return self._rebuild(threshold=threshold, name=self.name)

    def renamed(self, name: str) -> KStarResult:
        """The same result under another name."""
        return self._rebuild(threshold=self.threshold, name=name)

    def _rebuild(self, *, threshold, name):
        if self.draws is not None:  # averaged over the draws: never recomputed from one draw
            table, summary = tabulate(
                self.draws, self.concepts.index.to_numpy(), threshold, self.replicates,
                name=name, n_boot=self.summary["n_boot"], confidence=self.summary["confidence"],
            )  # fmt: skip
            return replace(self, concepts=table, summary=summary, threshold=threshold, name=name)
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

    def save(self, path) -> None:
        """Write this result to one file that ``kstar_widgets.load`` reopens exactly.

        The file is a zip of ``.npy`` arrays and a ``meta.json`` (format in
        docs/results.md; no pickle, readable with numpy, pandas and json alone). An
        existing file is replaced atomically, as with ``numpy.save``.

        Parameters
        ----------
        path : str or os.PathLike
            Where to write (``.kstar`` is the usual suffix); the folder must exist.

        Examples
        --------
        >>> import tempfile, pathlib, kstar_widgets as kw
        >>> r = kw.synthetic.kstar_result(n=200, n_concepts=4)
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "run.kstar"
        >>> r.save(path)
        >>> kw.load(path).concepts.equals(r.concepts)
        True
        """
        _saved.save(self, path)


def load(path) -> KStarResult:
    """Reopen a result written by ``KStarResult.save``, exactly as it was saved.

    Parameters
    ----------
    path : str or os.PathLike
        A file written by ``result.save(path)``.

    Returns
    -------
    KStarResult

    Raises
    ------
    ValueError
        When the file is not a saved result, is damaged, or comes from a newer format
        (the message says which, and what to do).

    Examples
    --------
    >>> import tempfile, pathlib, kstar_widgets as kw
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "run.kstar"
    >>> kw.synthetic.kstar_result(n=200, n_concepts=4).save(path)
    >>> kw.load(path).n_samples
    200
    """
    return KStarResult(**_saved.read(path))
