"""CLIP text embeddings of concept names and zero-shot accuracy per concept."""

from __future__ import annotations

import numpy as np

from ..utils._device import resolve_device
from ._dispatch import load_backbone
from ._templates import chosen_templates


def encode_text(backbone, concept_names, *, templates=None, device=None) -> np.ndarray:
    """L2-normalised mean over templates of each concept's normalised text embedding, (c, d)."""
    import torch

    templates = chosen_templates(templates)
    if not templates or not all(isinstance(t, str) and "{}" in t for t in templates):
        raise ValueError(
            "templates must be strings with a '{}' for the concept name, e.g. 'a photo of a {}.'."
        )
    model, tokenizer = backbone.model, backbone.extras["tokenizer"]
    device = device if device is not None else next(model.parameters()).device
    model = model.to(device)
    prompts = [t.format(name) for name in concept_names for t in templates]
    with torch.inference_mode():
        chunks = [
            model.encode_text(tokenizer(prompts[i : i + 256]).to(device), normalize=True).float()
            for i in range(0, len(prompts), 256)
        ]
        emb = torch.cat(chunks).reshape(len(concept_names), len(templates), -1).mean(dim=1)
        emb = emb / emb.norm(dim=1, keepdim=True).clamp_min(1e-12)
    return emb.cpu().numpy().astype(np.float32)


def text_embeddings(
    model, concept_names, *, templates=None, pretrained=False, image_size=None, device="auto"
) -> np.ndarray:
    """Text embeddings of concept names through prompt templates (open_clip models).

    Parameters
    ----------
    model : str
        An open_clip spec, e.g. "open_clip:ViT-B-32/laion2b_s34b_b79k".
    concept_names : list of str
    templates : sequence of str, optional
        Prompts with "{}" for the name; default ``TEMPLATES``.
    pretrained, image_size, device
        As in :func:`extract` (use the same values as for the image features).

    Returns
    -------
    ndarray of shape (n_concepts, d), float32, rows L2-normalised.

    Example
    -------
    >>> import kstar_widgets as kw
    >>> t = kw.features.text_embeddings("open_clip:ViT-B-32", ["cat", "dog"], image_size=32)
    >>> t.shape, t.dtype
    ((2, 512), dtype('float32'))
    """
    backbone = load_backbone(model, pretrained=pretrained, image_size=image_size)
    if backbone.family != "open_clip":
        raise ValueError(f"text embeddings need an open_clip model, got {backbone.spec}.")
    return encode_text(
        backbone, list(concept_names), templates=templates, device=resolve_device(device)
    )


def zero_shot_accuracy(feats, text_emb=None):
    """Share of each concept's images whose most similar text embedding is their own concept.

    Parameters
    ----------
    feats : Features
        Image embeddings of an open_clip model (either embedding layer).
    text_emb : ndarray of shape (n_concepts, d), optional
        Rows in ``feats.concept_names`` order; default ``feats.text_embeddings``.

    Returns
    -------
    pandas.Series indexed by concept name; ``.attrs["overall"]`` is the overall accuracy.

    Example
    -------
    >>> import numpy as np, kstar_widgets as kw
    >>> feats = kw.Features.from_arrays(np.eye(3), ["a", "b", "b"], concept_names=["a", "b"])
    >>> acc = kw.features.zero_shot_accuracy(feats, text_emb=np.eye(3)[:2])
    >>> acc.tolist(), round(acc.attrs["overall"], 3)
    ([1.0, 0.5], 0.667)
    """
    import pandas as pd

    text_emb = feats.text_embeddings if text_emb is None else np.asarray(text_emb, dtype=np.float32)
    if text_emb is None:
        raise ValueError("no text embeddings: extract with an open_clip model or pass text_emb=.")
    if text_emb.ndim != 2 or text_emb.shape != (len(feats.concept_names), feats.features.shape[1]):
        raise ValueError(
            f"text_emb must have shape (n_concepts, d) = ({len(feats.concept_names)}, "
            f"{feats.features.shape[1]}), got {text_emb.shape}."
        )
    img = feats.features / np.maximum(np.linalg.norm(feats.features, axis=1, keepdims=True), 1e-12)
    txt = text_emb / np.maximum(np.linalg.norm(text_emb, axis=1, keepdims=True), 1e-12)
    correct = (img @ txt.T).argmax(axis=1) == feats.codes
    counts = np.bincount(feats.codes, minlength=len(feats.concept_names))
    hits = np.bincount(feats.codes, weights=correct, minlength=len(feats.concept_names))
    with np.errstate(invalid="ignore", divide="ignore"):
        acc = np.where(counts > 0, hits / np.maximum(counts, 1), np.nan)
    out = pd.Series(
        acc, index=pd.Index(feats.concept_names, name="concept"), name="zero_shot_accuracy"
    )
    out.attrs["overall"] = float(correct.mean()) if len(correct) else float("nan")
    return out
