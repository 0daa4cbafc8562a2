"""The metadata stored with extracted features: what was encoded, and how fast."""

from __future__ import annotations

from ._backbone import INIT_SEED
from ._templates import chosen_templates


def describe(backbone, data, *, image_size, templates) -> dict:
    """Model, weights, layer, preprocessing and data of an extraction."""
    meta = {
        "model": backbone.spec,
        "family": backbone.family,
        "weights": backbone.weights,
        "layer": backbone.default_layer,
        "preprocessing": backbone.preprocessing,
        "image_size": image_size,
        "data_fingerprint": data.fingerprint,
        "n_samples": len(data),
        "init_seed": INIT_SEED if backbone.weights == "random" else None,
        **backbone.identity,
    }
    if backbone.family == "open_clip":
        meta["templates"] = list(chosen_templates(templates))
    return meta


def timing(seconds: float, *, device, batch_size, features, n: int) -> dict:
    """Seconds, device, batch size, dimension and throughput of a run."""
    return dict(
        seconds=seconds,
        device=str(device),
        batch_size=int(batch_size),
        dim=int(features.shape[1]),
        images_per_second=n / seconds if seconds > 0 else None,
    )
