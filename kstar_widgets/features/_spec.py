"""Model specs ("timm:resnet18", "open_clip:ViT-B-32/laion2b_s34b_b79k"), and close-name hints."""

from __future__ import annotations

import difflib
import os

FAMILIES = ("timm", "open_clip")


def parse_spec(spec: str) -> tuple[str, str, str | None]:
    """Split a spec into (family, model name, weights tag or None)."""
    if not isinstance(spec, str):
        raise TypeError(
            f"model must be a string like 'timm:resnet18' or 'open_clip:ViT-B-32/openai', or a "
            f"torch.nn.Module; got {type(spec).__name__}."
        )
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
        return family, name, (tag or None)
    return family, rest, None


def suggest(name: str, candidates, *, n: int = 5) -> list[str]:
    """Close names to ``name`` among candidates, case-insensitively."""
    lowered = {c.lower(): c for c in candidates}
    hits = difflib.get_close_matches(name.lower(), list(lowered), n=n, cutoff=0.6)
    if not hits:
        hits = [c for c in lowered if name.lower() in c][:n]
    return [lowered[h] for h in hits]


def unknown_model(family: str, name: str, candidates) -> ValueError:
    close = suggest(name, candidates)
    hint = f" Close names: {', '.join(close)}." if close else ""
    lister = "timm.list_models()" if family == "timm" else "open_clip.list_models()"
    return ValueError(f"{family} has no model named {name!r}.{hint} See {lister} for all names.")


def unknown_layer(layer, spec: str, valid) -> ValueError:
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
