"""OpenCLIP models: image embeddings (raw and L2-normalised) and prompt text embeddings."""

from __future__ import annotations

import functools
import os

from ._backbone import Backbone, quiet_loggers, seeded_init
from ._offline import offline_guard
from ._spec import local_weights, unknown_layer, unknown_model

LAYERS = ("embedding", "embedding_normalized")


def encode(model, x, layer):
    """Image embedding of one batch; L2-normalised for "embedding_normalized"."""
    return model.encode_image(x, normalize=(layer == "embedding_normalized"))


@functools.lru_cache(maxsize=2)
def create(name: str, tag, pretrained, image_size, file_stamp=None):
    """(model, preprocess, tokenizer, weights); cached so text embeddings reuse it (file_stamp keys a local file)."""
    import open_clip

    if name not in open_clip.list_models():
        raise unknown_model("open_clip", name, open_clip.list_models())
    path = local_weights(pretrained)
    if isinstance(pretrained, str) and path is None:
        raise ValueError(
            f"pretrained={pretrained!r} is not a file; pass True (the weights named in the spec), "
            "False (random weights) or the path of a local weights file."
        )
    if path is not None:
        weights = path
    elif pretrained:
        if tag is None:
            tags = [t for m, t in open_clip.list_pretrained() if m == name]
            raise ValueError(
                f"pretrained=True needs weights in the spec, e.g. 'open_clip:{name}/{tags[0] if tags else '<tag>'}'"
                f"; weights for {name}: {tags or 'none listed'}."
            )
        known = [t for m, t in open_clip.list_pretrained() if m == name]
        if tag not in known:
            raise ValueError(f"open_clip has no weights {tag!r} for {name}; known: {known}.")
        weights = tag
    else:
        weights = None
    kwargs = {"force_image_size": int(image_size)} if image_size is not None else {}
    if weights is not None and path is None:
        with offline_guard(f"open_clip:{name}/{tag}"):
            model, _, preprocess = open_clip.create_model_and_transforms(
                name, pretrained=weights, **kwargs
            )
    else:
        with seeded_init(), quiet_loggers("root", "open_clip"):
            model, _, preprocess = open_clip.create_model_and_transforms(
                name, pretrained=weights, **kwargs
            )
    tokenizer = open_clip.get_tokenizer(name)
    return model.eval(), preprocess, tokenizer, (weights or "random")


def load(name: str, tag=None, *, pretrained=False, image_size=None, layer=None) -> Backbone:
    """An open_clip Backbone with the model's own preprocess transform."""
    import open_clip

    pretrained_key = pretrained if isinstance(pretrained, str) else bool(pretrained)
    path = local_weights(pretrained)
    # a weights file rewritten in place must not reuse the model cached for its old content
    stamp = (os.stat(path).st_size, os.stat(path).st_mtime_ns) if path else None
    model, preprocess, tokenizer, weights = create(name, tag, pretrained_key, image_size, stamp)
    spec = f"open_clip:{name}" + (f"/{tag}" if tag else "")
    if layer is None:
        layer = "embedding"
    if layer not in LAYERS:
        raise unknown_layer(layer, spec, LAYERS)
    return Backbone(
        spec=spec,
        family="open_clip",
        model=model,
        transform=preprocess,
        layers=list(LAYERS),
        default_layer=layer,
        encode=encode,
        weights=weights,
        identity={"open_clip": open_clip.__version__},
        extras={"tokenizer": tokenizer},
    )
