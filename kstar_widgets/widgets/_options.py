"""How much the views show at once: the one place the explorer's and the report's defaults live."""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class ViewOptions:
    """Sizes of the views, shared by :func:`explore`, :class:`KStarExplorer` and :func:`report`.

    Parameters
    ----------
    n_low : int, default=6
        Lowest-k* samples listed for the selected concept (at least 1).
    rows : int, default=28
        Concepts visible at once in the overview; scroll for the rest (at least 1).
    max_matrix : int, default=40
        Most concepts in the intrusion matrix, the most fractured when there are more
        (at least 2).

    Examples
    --------
    >>> ViewOptions(), ViewOptions(n_low=3).as_dict()["n_low"]
    (ViewOptions(n_low=6, rows=28, max_matrix=40), 3)
    """

    n_low: int = 6
    rows: int = 28
    max_matrix: int = 40

    def __post_init__(self):
        for name, low in (("n_low", 1), ("rows", 1), ("max_matrix", 2)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
                raise TypeError(f"{name} must be an int, got {type(value).__name__}.")
            if value < low:
                raise ValueError(f"{name} must be at least {low}, got {value}.")
            object.__setattr__(self, name, int(value))  # numpy ints become Python ints

    def as_dict(self) -> dict:
        """The options as keyword arguments (for explore(), report(), explorer_payload())."""
        return asdict(self)


DEFAULTS = ViewOptions()
