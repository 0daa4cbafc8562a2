"""The one number style: typographic minus, one word for a missing value, shares in percent."""

import numpy as np
import pytest

from kstar_widgets.utils._format import MINUS, MISSING, interval, number, share


def test_minus_is_typographic_and_plus_kept_by_the_format():
    assert number(-0.8412) == f"{MINUS}0.84"
    assert number(0.8412) == "+0.84"
    assert number(-0.8412, ".3f") == f"{MINUS}0.841"
    assert number(-0.25, ".0%") == f"{MINUS}25%"
    assert "-" not in number(-12345.0, ",.1f")


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (-0.001, "+.2f", "+0.00"),
        (-0.001, ".2f", "0.00"),
        (-0.0, ".1f", "0.0"),
        (-0.001, ".0%", "0%"),
    ],
)
def test_no_negative_zero(value, fmt, text):
    assert number(value, fmt) == text


def test_infinities_carry_their_sign():
    assert number(np.inf) == "+inf" and number(-np.inf) == f"{MINUS}inf"
    assert number(float("inf"), ".0%") == "+inf"


@pytest.mark.parametrize(
    "missing", [None, np.nan, float("nan"), np.float32("nan"), np.float64("nan")]
)
def test_nan_and_none_are_one_word(missing):
    assert number(missing) == MISSING == "n/a"
    assert share(missing) == MISSING
    assert interval(missing) == interval(missing, 0.1, missing) == MISSING


def test_numpy_scalars_and_ints():
    assert number(np.float32(-0.5)) == f"{MINUS}0.50"
    assert number(np.int64(3), "d") == "3"


def test_interval_drops_the_bracket_when_a_bound_is_missing():
    assert interval(0.8412, 0.41, 1.3) == "+0.84 [+0.41, +1.30]"
    assert interval(-0.5, -1.0, np.nan) == f"{MINUS}0.50"
    assert interval(-0.5, None, 1.0) == f"{MINUS}0.50"
    assert interval(-0.5) == f"{MINUS}0.50"
    assert interval(0.3, 0.1, 0.5, fmt=".0%") == "30% [10%, 50%]"
    assert interval(np.inf, np.inf, np.inf) == "+inf [+inf, +inf]"


def test_shares_below_one_percent_keep_a_decimal():
    assert share(0.4) == "40%" and share(0.875) == "88%" and share(1.0) == "100%"
    assert share(0.004) == "0.4%" and share(0.0) == "0%"
    assert share(0.01) == "1%" and share(0.0999) == "10%"
    assert share(-0.004) == f"{MINUS}0.4%"
