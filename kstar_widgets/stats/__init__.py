"""Statistics over k*: skewness and patterns, bootstrap replicates, intervals, paired and
unpaired differences, islands, the whole-space figures and their sentences.

Plain numpy and pandas over per-sample k* and concept codes: nothing here imports an
engine, torch or a UI library.
"""

from ._figures import FIGURES
from ._patterns import PATTERN_COLORS, PATTERNS, classify, pattern_codes, skewness
from ._rank import rank_correlation

__all__ = [
    "FIGURES",
    "PATTERNS",
    "PATTERN_COLORS",
    "classify",
    "pattern_codes",
    "rank_correlation",
    "skewness",
]
