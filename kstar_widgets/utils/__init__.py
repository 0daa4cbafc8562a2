"""Plumbing shared by every room: input validation, warnings about degenerate spaces,
the compute device, and progress and status messages.

Imports nothing from the rest of the package, so the engines, the statistics and the
feature extraction can all depend on it.
"""

from ._warnings import DegenerateSpaceWarning

__all__ = ["DegenerateSpaceWarning"]
