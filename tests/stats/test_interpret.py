"""Sentences from results: intervals where the result has them, point values otherwise."""

from dataclasses import replace

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets import interpret


@pytest.fixture(scope="module")
def result():
    x, y = kw.synthetic.concept_space(n_concepts=4, per_concept=30, dim=8, random_state=0)
    return kw.kstar(x, y, method="exact", progress=False)


def with_trust_columns(res):
    """The result as the trust branch returns it: interval columns beside the values."""
    concepts = res.concepts.copy()
    concepts["skewness_ci_low"] = concepts["skewness"] - 0.5
    concepts["skewness_ci_high"] = concepts["skewness"] + 0.25
    concepts["pattern_confidence"] = 0.875
    summary = res.summary.copy()
    summary["share_fractured_ci_low"], summary["share_fractured_ci_high"] = 0.0, 0.75
    summary["n_boot"] = 1000
    return replace(res, concepts=concepts, summary=summary)


def test_with_interval_formats_value_and_bounds():
    assert interpret.with_interval(0.8412, 0.41, 1.3) == "+0.84 [+0.41, +1.30]"
    assert interpret.with_interval(-0.5, -1.0, np.nan) == "−0.50"
    assert interpret.with_interval(0.3, 0.1, 0.5, fmt=".0%") == "30% [10%, 50%]"
    assert interpret.with_interval(np.inf, np.inf, np.inf) == "+inf [+inf, +inf]"
    assert interpret.with_interval(np.nan) == "n/a"  # the one missing-value word


def test_point_values_only_without_the_trust_columns(result):
    res = replace(
        result,
        concepts=result.concepts.drop(
            columns=[
                c
                for c in ("skewness_ci_low", "skewness_ci_high", "pattern_confidence")
                if c in result.concepts
            ]
        ),
    )
    g = res.concepts.loc[0, "skewness"]
    assert not interpret.has_intervals(res)
    assert interpret.gamma(res, 0) == "Γ " + f"{g:+.2f}".replace("-", "−")
    assert interpret.pattern(res, 0) == res.concepts.loc[0, "pattern"]


def test_intervals_and_confidence_when_present(result):
    res = with_trust_columns(result)
    g = res.concepts.loc[1, "skewness"]
    assert interpret.has_intervals(res)
    assert interpret.gamma(res, 1).endswith(f"[{g - 0.5:+.2f}, {g + 0.25:+.2f}]".replace("-", "−"))
    assert interpret.pattern(res, 1).endswith("(in 88% of bootstrap resamples)")
    share = res.summary["share_fractured"]
    assert interpret.figure(res, "share_fractured") == f"share Fractured {share:.0%} [0%, 75%]"
    assert interpret.figure(res, "share_fractured", label=False) == f"{share:.0%} [0%, 75%]"


def test_unknown_figure_names_the_choices(result):
    with pytest.raises(ValueError, match=r"use one of .*share_fractured"):
        interpret.figure(result, "share_broken")


def test_pattern_colors_cover_every_pattern():
    assert set(interpret.PATTERN_COLORS) >= {*kw.PATTERNS, "Undefined"}
