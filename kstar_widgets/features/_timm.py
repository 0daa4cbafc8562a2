"""timm image classifiers: logits, pre-logits and the intermediate stages of feature_info."""

from __future__ import annotations

import re

from ._backbone import Backbone, pool, seeded_init
from ._offline import offline_guard
from ._spec import local_weights, unknown_layer, unknown_model

HEAD_LAYERS = ("logits", "pre_logits")


def _stage_names(model) -> list[str]:
    info = getattr(model, "feature_info", None) or []
    return [f["module"] for f in info if isinstance(f, dict) and "module" in f]


def create(name: str, *, pretrained=False, image_size=None):
    """Create a timm model in eval mode; ``pretrained`` is False, True or a local weights path."""
    import timm

    if not timm.is_model(name.split(".")[0]) and name not in timm.list_models(pretrained=True):
        raise unknown_model("timm", name, timm.list_models() + timm.list_models(pretrained=True))
    kwargs = {}
    path = local_weights(pretrained)
    if path is not None:
        kwargs = {"pretrained": True, "pretrained_cfg_overlay": {"file": path}}
    elif isinstance(pretrained, str):
        raise ValueError(
            f"pretrained={pretrained!r} is not a file; pass True, False or the path of a local weights file."
        )
    elif pretrained:
        kwargs = {"pretrained": True}
    if image_size is not None:
        kwargs["img_size"] = int(image_size)

    def build(**kw):
        try:
            return timm.create_model(name, **kw)
        except TypeError as exc:  # models without an img_size argument take any input size
            if "img_size" not in kw or "img_size" not in str(exc):
                raise
            kw.pop("img_size")
            return timm.create_model(name, **kw)

    if kwargs.get("pretrained") and path is None:
        with offline_guard(f"timm:{name}"):
            model = build(**kwargs)
    else:
        with seeded_init():
            model = build(**kwargs)
    return model.eval(), (path or ("default" if pretrained else "random"))


def encode(model, x, layer):
    """Features of one batch at ``layer``, spatial maps globally average pooled."""
    if layer == "logits":
        return model(x)
    if layer == "pre_logits":
        return model.forward_head(model.forward_features(x), pre_logits=True)
    stages = _stage_names(model)
    idx = stages.index(layer)
    try:
        out = model.forward_intermediates(x, indices=[idx], intermediates_only=True)
        return pool(out[-1])
    except (AttributeError, NotImplementedError):
        captured = []
        handle = model.get_submodule(layer).register_forward_hook(
            lambda m, i, o: captured.append(o)
        )
        try:
            model.forward_features(x)
        finally:
            handle.remove()
        out = captured[-1]
        chs = model.feature_info[idx]["num_chs"]
        if out.ndim == 4 and out.shape[1] != chs and out.shape[-1] == chs:
            out = out.permute(0, 3, 1, 2)  # NHWC stages (e.g. Swin)
        return pool(out)


def resolve_layer(model, layer, spec):
    """Map aliases ("stage0", ...) to timm's module names and check the layer exists."""
    stages = _stage_names(model)
    valid = list(HEAD_LAYERS) + stages
    if layer is None:
        return "pre_logits"
    m = re.fullmatch(r"stage(\d+)", str(layer))
    if m and int(m.group(1)) < len(stages):
        return stages[int(m.group(1))]
    if layer not in valid:
        raise unknown_layer(layer, spec, [*valid, f"stage0..stage{len(stages) - 1} (aliases)"])
    return layer


def load(name: str, *, pretrained=False, image_size=None, layer=None) -> Backbone:
    """A timm Backbone with the model's own preprocessing (resolve_data_config + create_transform)."""
    import timm.data

    model, weights = create(name, pretrained=pretrained, image_size=image_size)
    spec = f"timm:{name}"
    layer = resolve_layer(model, layer, spec)
    cfg = timm.data.resolve_data_config({}, model=model)
    if image_size is not None:
        cfg["input_size"] = (cfg["input_size"][0], int(image_size), int(image_size))
    transform = timm.data.create_transform(**cfg, is_training=False)
    return Backbone(
        spec=spec,
        family="timm",
        model=model,
        transform=transform,
        layers=list(HEAD_LAYERS) + _stage_names(model),
        default_layer=layer,
        encode=encode,
        weights=weights,
        identity={"timm": timm.__version__},
    )
