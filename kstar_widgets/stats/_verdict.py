"""Sentences that state a comparison's verdict from its intervals, never from point values alone."""

from __future__ import annotations

import math

from ..utils._format import interval, number
from ._figures import FIGURES


def verdict(cmp, figure: str) -> str:
    """b against a on one figure: direction only when the interval excludes 0.

    The difference and its interval are signed; a difference of shares is in percentage
    points ("Δ share Fractured −30% [−50%, −10%]": 30 points fewer)."""
    if figure not in FIGURES:
        raise ValueError(f"figure must be one of {', '.join(FIGURES)}; got {figure!r}.")
    label, _, more, fewer, fmt = FIGURES[figure]
    na, nb = cmp.names
    row = cmp.differences.loc[figure]
    diff, lo, hi = float(row["diff"]), float(row["ci_low"]), float(row["ci_high"])
    if fmt.endswith("%") and 0 < abs(diff) < 0.01:
        fmt = "+.1%"  # a difference below one point keeps a decimal, as shares do
    if math.isnan(diff):
        return f"{label} is not defined for both {na} and {nb}"
    if math.isnan(lo) or math.isnan(hi):
        return f"Δ {label} {number(diff, fmt)} ({nb} − {na}; no interval: n_boot=0)"
    text = f"Δ {label} {interval(diff, lo, hi, fmt=fmt)}"
    if not cmp.paired:
        text += " (unpaired)"
    if lo > 0:
        return f"{nb} {more} {na}: {text}"
    if hi < 0:
        return f"{nb} {fewer} {na}: {text}"
    return f"no clear difference between {na} and {nb}: {text}"
