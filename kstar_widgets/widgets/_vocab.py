"""The words and the number style the views write, sent once in ``payload["vocab"]``.

The page restates none of them: the pattern names and colours come from
``kstar_widgets.stats`` (``PATTERNS``, ``PATTERN_COLORS``), the whole-space figures'
labels from ``kstar_widgets.stats.FIGURES``, the minus sign and the missing-value word
from ``kstar_widgets.utils._format``, so the views write "−0.84" and "n/a" exactly as
the notebook sentences do.
"""

from __future__ import annotations

from ..stats import FIGURES, PATTERN_COLORS, PATTERNS
from ..stats._patterns import UNDEFINED
from ..utils._format import MINUS, MISSING

PATTERN_ORDER = (*PATTERNS, UNDEFINED)  # the page's pattern index (kstar_rules.js::patternOf)


def share_key(pattern: str) -> str:
    """The summary key of a pattern's share of concepts ("share_fractured")."""
    return f"share_{pattern.lower()}"


def figure_labels() -> dict[str, str]:
    """Label of every row of the whole-space table, in the page's order, by summary key."""
    label = {key: figure.label for key, figure in FIGURES.items()}
    return {
        "n_samples": "samples",
        "n_concepts": "concepts",
        "mean_skewness": f"{label['mean_skewness']} (finite concepts)",
        "median_skewness": "median Γ",
        **{share_key(p): label.get(share_key(p), f"share {p}") for p in PATTERN_ORDER},
        "mean_kstar_norm": label["mean_kstar_norm"],
        "kstar1_share": "samples with k* = 1",
        "censored_share": "censored samples (approx.)",
        "threshold": "threshold t",
    }


def vocabulary() -> dict:
    """``payload["vocab"]``: patterns in the page's order, their colours and share keys,
    the whole-space figures' labels, and the number style (minus sign, missing word).

    Examples
    --------
    >>> from kstar_widgets.widgets._vocab import vocabulary
    >>> v = vocabulary()
    >>> v["patterns"], v["minus"], v["missing"]
    (['Fractured', 'Overlapped', 'Clustered', 'Undefined'], '−', 'n/a')
    """
    return {
        "patterns": list(PATTERN_ORDER),
        "colors": [PATTERN_COLORS[p] for p in PATTERN_ORDER],
        "share_keys": [share_key(p) for p in PATTERN_ORDER],
        "figures": figure_labels(),
        "minus": MINUS,
        "missing": MISSING,
    }
