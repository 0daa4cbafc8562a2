"""Prompt templates for the CLIP text embeddings of concept names."""

from __future__ import annotations

TEMPLATES = (
    "a photo of a {}.",
    "a picture of a {}.",
    "an image of a {}.",
    "a close-up photo of a {}.",
)


def chosen_templates(templates=None) -> tuple:
    """The templates of a call: the caller's, else ``TEMPLATES``."""
    return TEMPLATES if templates is None else tuple(templates)
