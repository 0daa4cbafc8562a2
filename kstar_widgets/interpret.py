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
>>> interpret.gamma(res, 0)
'Γ −0.91 [−1.85, −0.24]'
>>> interpret.pattern(res, 0)
'Clustered (in 87% of bootstrap resamples)'
>>> interpret.figure(res, "share_fractured")
'share Fractured 0% [0%, 50%]'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .stats._figures import FIGURES as _FIGURES
from .stats._patterns import PATTERN_COLORS
from .utils._format import MISSING, interval, is_missing, number, share

__all__ = [
    "FIGURES",
    "PATTERN_COLORS",
    "figure",
    "gamma",
    "has_intervals",
    "number",
    "pattern",
    "readable",
    "share",
    "with_interval",
]

# whole-space figures: key -> (label, format, ...), named once in _figures.py
FIGURES = _FIGURES
# the one number style (utils/_format.py): ``number(-0.84)`` is "−0.84", ``share(0.004)``
# "0.4%", ``with_interval(0.84, 0.41, 1.3)`` "+0.84 [+0.41, +1.30]"; NaN and None are "n/a"
with_interval = interval


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
    if is_missing(confidence):
        return str(row["pattern"])
    return f"{row['pattern']} (in {share(confidence)} of bootstrap resamples)"


def figure(result, key: str, *, label: bool = True) -> str:
    """A whole-space figure with its interval: ``"share Fractured 30% [10%, 50%]"``."""
    if key not in FIGURES:
        raise ValueError(f"key={key!r}; use one of {sorted(FIGURES)}.")
    name, fmt = FIGURES[key][:2]
    s = result.summary
    text = with_interval(s[key], s.get(f"{key}_ci_low"), s.get(f"{key}_ci_high"), fmt=fmt)
    return f"{name} {text}" if label else text


# a column (or a summary entry) named like this holds shares: written as percentages
_SHARE_WORDS = ("share", "accuracy", "confidence", "agreement", "fraction")
NBSP = "\u00a0"  # between the parts of a cell, so "100% [100%, 100%]" never wraps


def _fmt(name: str) -> str | None:
    """The format of column ``name``: None for shares (``share``), else a number format."""
    name = str(name)
    if name in FIGURES:
        fmt = FIGURES[name][1]
        return None if fmt.endswith("%") else fmt
    if any(word in name for word in _SHARE_WORDS):
        return None
    return "+.2f" if any(w in name for w in ("skewness", "gamma", "difference", "Γ")) else ".2f"


def _cell(value, fmt: str | None) -> str:
    """One value for reading: ints as they are, floats in ``fmt`` or as shares, text as text."""
    if isinstance(value, str):
        return value
    if value is None or (isinstance(value, float) and is_missing(value)):
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return f"{int(value)}"
    if not isinstance(value, (float, np.floating)):
        return str(value)
    if fmt is None:
        return share(value)
    return number(value, fmt)


def _column(frame: pd.DataFrame, name) -> pd.Series:
    """Column ``name`` for reading, with its interval ``name_ci_low``/``_ci_high`` when present."""
    fmt = _fmt(name)
    cells = [_cell(v, fmt) for v in frame[name].tolist()]
    if f"{name}_ci_low" in frame and f"{name}_ci_high" in frame:
        lows = [_cell(v, fmt) for v in frame[f"{name}_ci_low"].tolist()]
        highs = [_cell(v, fmt) for v in frame[f"{name}_ci_high"].tolist()]
        cells = [
            c if MISSING in (c, lo, hi) else f"{c} [{lo}, {hi}]"
            for c, lo, hi in zip(cells, lows, highs, strict=True)
        ]
    return pd.Series([c.replace(" ", NBSP) for c in cells], index=frame.index, name=name)


def readable(frame):
    """A result table for a person: intervals as "x [lo, hi]", shares as percentages,
    "n/a" for missing values, and cells that do not wrap.

    Parameters
    ----------
    frame : pandas.DataFrame or pandas.Series
        A table of results, such as ``KStarResult.concepts``, ``KStarResult.summary``
        (a Series, or several side by side as columns) or ``Comparison.concepts``. The
        columns ``X_ci_low`` and ``X_ci_high`` are written into column ``X``.

    Returns
    -------
    pandas.DataFrame or pandas.Series
        The same rows, every cell a string; the interval columns folded in.

    Examples
    --------
    >>> import pandas as pd
    >>> from kstar_widgets.interpret import readable
    >>> t = pd.DataFrame({"skewness": [0.84, float("nan")], "skewness_ci_low": [0.41, 0.0],
    ...                   "skewness_ci_high": [1.3, 0.0], "kstar1_share": [0.4, 0.004]})
    >>> readable(t).to_dict("list")  # doctest: +NORMALIZE_WHITESPACE
    {'skewness': ['+0.84\\xa0[+0.41,\\xa0+1.30]', 'n/a'], 'kstar1_share': ['40%', '0.4%']}
    """
    if isinstance(frame, pd.Series):
        name = frame.name if frame.name is not None else ""
        return readable(frame.to_frame(name).T).T[name]
    if isinstance(frame.columns, pd.MultiIndex):  # tables side by side: each read alone
        tops = frame.columns.get_level_values(0).unique()
        return pd.concat({top: readable(frame[top]) for top in tops}, axis=1)
    entries = [str(i) for i in frame.index]
    if any(e.endswith("_ci_low") for e in entries) and not any(
        str(c).endswith("_ci_low") for c in frame.columns
    ):  # a summary: one row per figure, one column per space
        return readable(frame.T).T
    ends = {f"{c}_ci_{side}" for c in frame.columns for side in ("low", "high")}
    kept = [c for c in frame.columns if c not in ends]
    return pd.DataFrame({c: _column(frame, c) for c in kept}, index=frame.index)[kept]
