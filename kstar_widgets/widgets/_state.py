"""The state the page reads, as traits: the live widget syncs them, the saved report writes them.

Only traitlets here (no ipywidgets, no anywidget), so :func:`report` derives the names
and defaults of its page state from the same class the widget is made of.
"""

from __future__ import annotations

import traitlets


class PageState(traitlets.HasTraits):
    """The synced traits of :class:`KStarExplorer` that the views read and write."""

    payload = traitlets.Dict(
        help="Per-concept summaries of every result (binary buffers), made by explorer_payload()."
    ).tag(sync=True)
    thumbs = traitlets.Dict(
        help="Thumbnails of the selected concept's listed samples and intruders (ids, uint8 RGB)."
    ).tag(sync=True)
    islands = traitlets.Dict(
        help="The selected concept's islands in every result (sizes, members, intruding "
        "concepts), sent when a concept is selected; made by concept_islands()."
    ).tag(sync=True)
    concept_index = traitlets.Int(
        -1, help="Position of the selected concept in the results' concept order; -1 for none."
    ).tag(sync=True)
    selected_samples = traitlets.List(
        traitlets.Int(),
        help="Sample indices picked in the detail table, an island or a matrix cell; settable "
        "from Python. They belong to the concept they were picked in: selecting another concept "
        "clears them (unless every one is that concept's).",
    ).tag(sync=True)
    selected_cell = traitlets.List(
        traitlets.Int(),
        help="The clicked intrusion-matrix cell as [concept, intruder concept] positions, or []; "
        "cleared when a concept other than its row is selected.",
    ).tag(sync=True)
    threshold = traitlets.Float(
        0.5, help="Skewness threshold t: Γ > t is Fractured, Γ < -t Clustered, else Overlapped."
    ).tag(sync=True)
    driver = traitlets.Unicode(
        "", help="Name of the result every view shows (overview, detail, matrix, comparison's A)."
    ).tag(sync=True)
    compare_with = traitlets.Unicode(
        "", help="Name of the result the comparison view puts against driver (its B)."
    ).tag(sync=True)
    compute_reason = traitlets.Unicode(
        "", help="Why 'compute approximate' is disabled, shown beside it ('' when enabled)."
    ).tag(sync=True)
    status = traitlets.Unicode(
        "", help="One line about the background computation: running, ready, or failed and why."
    ).tag(sync=True)
    busy = traitlets.Bool(False, help="Whether the approximate result is being computed.").tag(
        sync=True
    )


def page_state(**values) -> dict:
    """Every synced trait of PageState: ``values`` where given, the trait's default otherwise."""
    traits = PageState.class_traits(sync=True)
    unknown = set(values) - set(traits)
    if unknown:
        raise ValueError(f"not page state: {sorted(unknown)}; the page reads {sorted(traits)}.")
    return {name: values.get(name, trait.default()) for name, trait in traits.items()}
