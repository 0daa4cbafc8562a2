"""Warnings about latent spaces where k* says more about the features than the concepts."""

from __future__ import annotations

import os
import sys
import warnings

import numpy as np

# the package folder (this file sits in kstar_widgets/utils/)
_PACKAGE = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep

# Warn when at least this share of samples has a foreign sample at distance 0.
ZERO_DISTANCE_SHARE = 0.05
# Total variance below this share of the mean squared norm counts as near zero.
RELATIVE_VARIANCE = 1e-10


class DegenerateSpaceWarning(UserWarning):
    """The features cannot separate many samples: k* then reflects ties, not concepts."""


class ConceptSizeWarning(UserWarning):
    """Γ is compared across concepts or results of different sizes: it changes with size."""


class ApproxAuditWarning(UserWarning):
    """An approximate result's audit found fewer exact k* than its goal (99%)."""


def warn_approx_audit(text: str, share: float, goal: float) -> None:
    """Warn (ApproxAuditWarning) at the user's line that the audited share is below ``goal``."""
    warnings.warn(
        f"approximate k* is exact for only {share:.1%} of the audited rows (goal {goal:.0%}); "
        f"{text}. For exact k*: a larger budget (ApproxEngine(pool_rows=...) or a larger "
        "n_neighbors), method='exact', or the exact engine on Dask (backend='dask').",
        ApproxAuditWarning,
        stacklevel=_user_stacklevel(),
    )


def warn_concept_sizes(message: str) -> None:
    """Warn (ConceptSizeWarning) at the user's line; ``message`` names the sizes and the fix."""
    warnings.warn(message, ConceptSizeWarning, stacklevel=_user_stacklevel())


def warn_if_degenerate(problem, out) -> None:
    """Warn (DegenerateSpaceWarning) about identical vectors across concepts and
    about features with near-zero variance; each message names the numbers and a fix."""
    n = problem.n
    level = _user_stacklevel()
    # features the workers read from disk carry their variance from the Dask validation pass
    lazy = not isinstance(problem.features, np.ndarray)
    zero = int(np.count_nonzero(out.intruder_sqdist == 0))
    if zero >= max(2, ZERO_DISTANCE_SHARE * n):
        distinct = len(np.unique(problem.features, axis=0)) if n <= 200_000 and not lazy else None
        what = f"; only {distinct:,} of the {n:,} vectors are distinct" if distinct else ""
        warnings.warn(
            f"{zero:,} of {n:,} samples ({zero / n:.0%}) have a sample of another concept at "
            f"distance 0 (identical vectors across concepts){what}. Their k* is 1 whatever "
            "the images show, so the patterns describe the features' collisions, not the "
            "concepts. Typical causes: random weights, a too small input size, a saturated or "
            "quantised layer. Use trained weights, a larger image_size or another layer.",
            DegenerateSpaceWarning,
            stacklevel=level,
        )
    total, mean_sq = problem.features.variance if lazy else _variance(problem.metric.reference, n)
    if total <= RELATIVE_VARIANCE * mean_sq:
        warnings.warn(
            f"the features have near-zero variance (total variance {total:.3g}, mean squared "
            f"norm {mean_sq:.3g}): the samples are (nearly) one vector, and k* follows "
            "rounding and ties. Check that the features come from the intended layer and "
            "are not constant (for example a dead ReLU layer or an all-zero input).",
            DegenerateSpaceWarning,
            stacklevel=level,
        )


def _variance(ref, n, chunk=16384) -> tuple[float, float]:
    """Total variance (sum over features) and mean squared norm of the compared rows, float64."""
    s1 = 0.0
    s2 = 0.0
    for s in range(0, n, chunk):
        r = ref.rows(np.arange(s, min(n, s + chunk)))
        s1 = s1 + r.sum(axis=0)
        s2 += float((r * r).sum())
    mean = s1 / n
    mean_sq = s2 / n
    return max(mean_sq - float(mean @ mean), 0.0), mean_sq


def _user_stacklevel() -> int:
    """The stacklevel of the first caller outside kstar_widgets, so the warning
    points at the user's line whichever public function led here."""
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame, level = frame.f_back, level + 1
    return level
