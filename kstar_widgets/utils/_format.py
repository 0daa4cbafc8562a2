"""How a number is written for a person, once: sentences, tables, the report and the views.

The views receive ``MINUS`` and ``MISSING`` in their payload, so the page writes
"−0.84" and "n/a" exactly as the notebook sentences do.
"""

from __future__ import annotations

import math

MINUS = "\u2212"  # typographic minus: "−0.84", never "-0.84"
MISSING = "n/a"  # a value that does not exist (NaN, None): undefined Γ, no interval


def is_missing(value) -> bool:
    """True for None and NaN (of any float type): the values written as ``MISSING``."""
    return value is None or math.isnan(float(value))


def number(value, fmt: str = "+.2f") -> str:
    """``value`` in format ``fmt`` with a typographic minus; infinities as "+inf" / "−inf",
    NaN and None as ``MISSING``; never "−0.00".

    Examples
    --------
    >>> number(-0.8412), number(0.5, ".0%"), number(float("nan")), number(-0.001)
    ('−0.84', '50%', 'n/a', '+0.00')
    """
    if is_missing(value):
        return MISSING
    if "d" not in fmt:
        value = float(value)
    if math.isinf(value):
        return ("+" if value > 0 else MINUS) + "inf"
    text = format(value, fmt)
    if text.startswith("-") and float(text[1:].rstrip("%").replace(",", "")) == 0:
        text = ("+" if "+" in fmt else "") + text[1:]
    return text.replace("-", MINUS)


def interval(value, low=None, high=None, *, fmt: str = "+.2f") -> str:
    """``"value [low, high]"`` in one style everywhere; the bracket is left out when either
    end is missing.

    Examples
    --------
    >>> interval(0.8412, 0.41, 1.3), interval(-0.5, -1.0, None)
    ('+0.84 [+0.41, +1.30]', '−0.50')
    """
    text = number(value, fmt)
    if is_missing(low) or is_missing(high):
        return text
    return f"{text} [{number(low, fmt)}, {number(high, fmt)}]"


def share(value) -> str:
    """A share as a percentage: "40%", "0.4%" below 1%, ``MISSING`` when there is none.

    Examples
    --------
    >>> share(0.4), share(0.004), share(None)
    ('40%', '0.4%', 'n/a')
    """
    if is_missing(value):
        return MISSING
    return number(value, ".1%" if 0 < abs(value) < 0.01 else ".0%")
