"""Sentences that state a comparison's verdict from its intervals, never from point values alone."""

from __future__ import annotations

import math

from ._figures import FIGURES


def _num(x: float, decimals: int) -> str:
    """A number with a typographic minus ("−0.20"), "nan" / "inf" spelt out."""
    if math.isnan(x):
        return "nan"
    text = f"{x:.{decimals}f}"
    if float(text) == 0:
        text = text.lstrip("-")  # no "−0.00"
    return text.replace("-", "−")


def verdict(cmp, figure: str) -> str:
    """b against a on one figure: direction only when the interval excludes 0."""
    if figure not in FIGURES:
        raise ValueError(f"figure must be one of {', '.join(FIGURES)}; got {figure!r}.")
    label, _, more, fewer, dec = FIGURES[figure]
    na, nb = cmp.names
    row = cmp.differences.loc[figure]
    diff, lo, hi = float(row["diff"]), float(row["ci_low"]), float(row["ci_high"])
    if math.isnan(diff):
        return f"{label} is not defined for both {na} and {nb}"
    if math.isnan(lo) or math.isnan(hi):
        return f"Δ {label} {_num(diff, dec)} ({nb} − {na}; no interval: n_boot=0)"
    interval = f"Δ {label} {_num(diff, dec)} [{_num(lo, dec)}, {_num(hi, dec)}]"
    if not cmp.paired:
        interval += " (unpaired)"
    if lo > 0:
        return f"{nb} {more} {na}: {interval}"
    if hi < 0:
        return f"{nb} {fewer} {na}: {interval}"
    return f"no clear difference between {na} and {nb}: {interval}"
