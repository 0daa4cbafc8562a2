"""Sentences from results: numbers with their bootstrap intervals where a result has them.

The notebooks write their conclusions with these, formatted from the numbers just
computed, so the text stays true when the numbers change. Where a result carries
no interval columns (``n_boot=0``, or an older result) the point value is shown
alone and nothing claims an interval.

Examples
--------
>>> import kstar_widgets as kw
>>> from kstar_widgets import interpret
>>> x, y = kw.synthetic.concept_space(n_concepts=4, per_concept=30, dim=8)
>>> res = kw.kstar(x, y, progress=False)
>>> interpret.gamma(res, 0)  # doctest: +SKIP
'Γ +0.84 [0.41, 1.30]'
>>> interpret.figure(res, "share_fractured")  # doctest: +SKIP
'share Fractured 50% [0%, 100%]'
"""

from __future__ import annotations

import math

from ._figures import FIGURES as _FIGURES
from ._stats import PATTERN_COLORS

__all__ = [
    "FIGURES",
    "PATTERN_COLORS",
    "figure",
    "gamma",
    "has_intervals",
    "pattern",
    "with_interval",
]

# whole-space figures: key -> (label, format, ...), named once in _figures.py
FIGURES = _FIGURES


def _number(value, fmt: str) -> str:
    value = float(value)
    if math.isinf(value):
        return "+inf" if value > 0 else "−inf"
    if math.isnan(value):
        return "undefined"
    return format(value, fmt).replace("-", "−")


def with_interval(value, low=None, high=None, *, fmt: str = "+.2f") -> str:
    """``"+0.84 [0.41, 1.30]"``; the value alone when either bound is missing or NaN."""
    text = _number(value, fmt)
    if low is None or high is None or math.isnan(float(low)) or math.isnan(float(high)):
        return text
    return f"{text} [{_number(low, fmt)}, {_number(high, fmt)}]"


def has_intervals(result) -> bool:
    """True when the result carries bootstrap intervals (the trust columns)."""
    return "skewness_ci_low" in result.concepts and bool(result.summary.get("n_boot", 0))


def gamma(result, concept) -> str:
    """One concept's skewness with its interval: ``"Γ +0.84 [0.41, 1.30]"``."""
    row = result.concepts.loc[concept]
    return "Γ " + with_interval(
        row["skewness"], row.get("skewness_ci_low"), row.get("skewness_ci_high")
    )


def pattern(result, concept) -> str:
    """One concept's pattern, with how often the bootstrap agrees: ``"Fractured (in 87% of resamples)"``."""
    row = result.concepts.loc[concept]
    confidence = row.get("pattern_confidence")
    if confidence is None or math.isnan(float(confidence)):
        return str(row["pattern"])
    return f"{row['pattern']} (in {float(confidence):.0%} of bootstrap resamples)"


def figure(result, key: str, *, label: bool = True) -> str:
    """A whole-space figure with its interval: ``"share Fractured 30% [10%, 50%]"``."""
    if key not in FIGURES:
        raise ValueError(f"key={key!r}; use one of {sorted(FIGURES)}.")
    name, fmt = FIGURES[key][:2]
    s = result.summary
    text = with_interval(s[key], s.get(f"{key}_ci_low"), s.get(f"{key}_ci_high"), fmt=fmt)
    return f"{name} {text}" if label else text
