"""Model specs parsed once ("timm:resnet18", "open_clip:ViT-B-32/openai", an nn.Module).

Also the close-name hints and the errors for an unknown model or layer.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from typing import Any

FAMILIES = ("timm", "open_clip")


@dataclass(frozen=True)
class ModelSpec:
    """A model request parsed once: its family, name and weights tag, or the user's module."""

    family: str  # "timm", "open_clip" or "module"
    name: str  # the model's name, or the module's class name
    tag: str | None = None  # open_clip weights tag
    module: Any = field(default=None, compare=False, repr=False)  # the torch.nn.Module

    @property
    def label(self) -> str:
        """ "timm:<name>", "open_clip:<name>[/<tag>]" or "module:<class name>"."""
        return f"{self.family}:{self.name}" + (f"/{self.tag}" if self.tag else "")


def parse_model(model) -> ModelSpec:
    """The ModelSpec of a spec string or a torch.nn.Module (a ModelSpec passes through)."""
    if isinstance(model, ModelSpec):
        return model
    if isinstance(model, str):
        return _parse_string(model)
    import torch

    if not isinstance(model, torch.nn.Module):
        raise TypeError(
            "model must be a spec string or a torch.nn.Module (e.g. 'timm:resnet18', "
            f"'open_clip:ViT-B-32/openai'); got {type(model).__name__}."
        )
    return ModelSpec("module", type(model).__qualname__, module=model)


def _parse_string(spec: str) -> ModelSpec:
    """Split "family:name[/tag]" into a ModelSpec."""
    family, sep, rest = spec.partition(":")
    family = family.strip().lower().replace("-", "_")
    if family == "openclip":
        family = "open_clip"
    if not sep or family not in FAMILIES or not rest.strip():
        raise ValueError(
            f"model={spec!r} is not a model spec; write 'timm:<name>' (e.g. 'timm:resnet18') or "
            "'open_clip:<name>/<weights>' (e.g. 'open_clip:ViT-B-32/laion2b_s34b_b79k'), or pass "
            "a torch.nn.Module."
        )
    rest = rest.strip()
    if family == "open_clip":
        name, _, tag = rest.partition("/")
        return ModelSpec(family, name, tag or None)
    return ModelSpec(family, rest)


def suggest(name: str, candidates, *, n: int = 5) -> list[str]:
    """Close names to ``name`` among candidates, case-insensitively."""
    lowered = {c.lower(): c for c in candidates}
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    if not hits:
        hits = [c for c in lowered if name.lower() in c][:n]
    return [lowered[h] for h in hits]


def unknown_model(family: str, name: str, candidates) -> ValueError:
    """The error for a model name the family does not know, with close names."""
    close = suggest(name, candidates)
    hint = f" Close names: {', '.join(close)}." if close else ""
    lister = "timm.list_models()" if family == "timm" else "open_clip.list_models()"
    return ValueError(f"{family} has no model named {name!r}.{hint} See {lister} for all names.")


def unknown_layer(layer, spec: str, valid) -> ValueError:
    """The error for a layer the model does not have, with the valid ones."""
    return ValueError(
        f"layer={layer!r} is not a layer of {spec}; valid layers: {', '.join(map(str, valid))}."
    )


def local_weights(pretrained) -> str | None:
    """The path when ``pretrained`` names an existing local file, else None."""
    if isinstance(pretrained, (str, os.PathLike)) and os.path.isfile(
        os.path.expanduser(pretrained)
    ):
        return os.path.abspath(os.path.expanduser(pretrained))
    return None
