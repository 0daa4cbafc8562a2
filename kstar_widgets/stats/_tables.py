"""What a k* result shows of itself: sizes, per-sample and intrusion tables, its repr.

``ResultTables`` is a base of ``kstar_widgets.KStarResult``: its methods read the
result's arrays and tables and compute nothing new.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..utils._format import MISSING, interval, number, share
from ._patterns import PATTERNS


class ResultTables:
    """The views of a result's own fields (``KStarResult`` inherits them)."""

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
        shares = ", ".join(f"{p} {share(s[f'share_{p.lower()}'])}" for p in PATTERNS)
        label = f" {self.name!r}" if self.name else ""
        bounds = (None, None)
        if s.get("n_boot", 0):
            bounds = (s["mean_skewness_ci_low"], s["mean_skewness_ci_high"])
        d = self.draws
        drawn = "" if d is None else f" (per_concept={d.per_concept}, {d.n_draws} draws)"
        return (
            f"<KStarResult{label}: {s['n_samples']} samples{drawn}, {s['n_concepts']} concepts, "
            f"{self.method}/{self.metric}; mean Γ {interval(s['mean_skewness'], *bounds, fmt='.3f')}; "
            f"{shares}>"
        )

    def _repr_html_(self) -> str:
        head = f"<p><code>{self.__repr__().replace('<', '&lt;').replace('>', '&gt;')}</code></p>"
        return head + self.concepts.sort_values("skewness").to_html(
            float_format=lambda x: number(x, ".3f"), na_rep=MISSING
        )
