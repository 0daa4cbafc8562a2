"""The whole-space summary figures, named once: key, label, display format, verdict wording."""

from __future__ import annotations

from typing import NamedTuple


class Figure(NamedTuple):
    label: str  # what the figure is called on the page ("share Fractured")
    fmt: str  # format of a value ("+.2f", ".0%")
    more: str  # b's verb when b's figure is larger than a's
    fewer: str  # ... when smaller
    diff_fmt: str  # format of a difference b − a, signed ("+.2f"; shares in points, "+.0%")


FIGURES: dict[str, Figure] = {
    "mean_skewness": Figure(
        "mean Γ", "+.2f", "has a higher mean Γ than", "has a lower mean Γ than", "+.2f"
    ),
    "share_fractured": Figure(
        "share Fractured",
        ".0%",
        "fractures more concepts than",
        "fractures fewer concepts than",
        "+.0%",
    ),
    "share_overlapped": Figure(
        "share Overlapped",
        ".0%",
        "overlaps more concepts than",
        "overlaps fewer concepts than",
        "+.0%",
    ),
    "share_clustered": Figure(
        "share Clustered",
        ".0%",
        "clusters more concepts than",
        "clusters fewer concepts than",
        "+.0%",
    ),
    "mean_kstar_norm": Figure(
        "mean normalised k*",
        ".2f",
        "has a higher mean normalised k* than",
        "has a lower mean normalised k* than",
        "+.3f",
    ),
}
