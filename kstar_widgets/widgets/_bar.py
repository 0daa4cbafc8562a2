"""ConceptBar: the anywidget glue that finds and steps through concepts."""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from ._data import concept_summaries, from_buffer


class ConceptBar(anywidget.AnyWidget):
    """Find a concept by name, step through concepts in Γ order, show the selected one.

    Per-concept arrays (n, Γ, rank) travel as binary buffers; ``concept`` is the
    selected concept's index (-1 for none) and syncs both ways.

    Parameters
    ----------
    result : KStarResult
        The result whose concepts the bar lists.
    threshold : float, optional
        Skewness threshold for the pattern shown (default: the result's).

    Examples
    --------
    >>> import numpy as np, kstar_widgets as kw
    >>> from kstar_widgets.widgets import ConceptBar
    >>> res = kw.kstar(np.r_[np.zeros((5, 2)), np.ones((5, 2))], [0] * 5 + [1] * 5, progress=False)
    >>> ConceptBar(res).concept
    -1
    """

    _esm = Path(__file__).parent / "static" / "concept_bar.js"
    names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    summary = traitlets.Dict().tag(sync=True)
    concept = traitlets.Int(-1).tag(sync=True)
    threshold = traitlets.Float(0.5).tag(sync=True)

    def __init__(self, result, *, threshold=None, **kwargs):
        full = concept_summaries(result, n_bins=1, n_low=1)
        summary = {k: full[k] for k in ("n", "skewness", "rank")}
        super().__init__(
            names=full["names"],
            summary=summary,
            threshold=result.threshold if threshold is None else threshold,
            **kwargs,
        )

    def set_result(self, result) -> None:
        """Show another result's Γ and order (same concepts)."""
        full = concept_summaries(result, n_bins=1, n_low=1)
        self.summary = {k: full[k] for k in ("n", "skewness", "rank")}

    def array(self, key: str):
        """One of the per-concept arrays as sent (n, skewness, rank)."""
        return from_buffer(self.summary[key])

    @traitlets.validate("concept")
    def _check_concept(self, proposal):
        code = proposal["value"]
        if not -1 <= code < len(self.names):
            raise ValueError(f"concept must be -1 or an index below {len(self.names)}, got {code}.")
        return code
