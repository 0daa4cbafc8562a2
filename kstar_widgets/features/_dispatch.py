"""Model-family dispatch: a spec string, a ModelSpec or an nn.Module to its family's Backbone."""

from __future__ import annotations

import numbers

from . import _module, _open_clip, _timm
from ._backbone import Backbone
from ._spec import parse_model


def positive_int(value) -> bool:
    """True for an int >= 1 (a bool is not one)."""
    return not isinstance(value, bool) and isinstance(value, numbers.Integral) and value >= 1


def load_backbone(
    model, *, pretrained=False, layer=None, transform=None, image_size=None
) -> Backbone:
    """The family loader's Backbone for ``model`` (spec string, ModelSpec or nn.Module)."""
    if image_size is not None and not positive_int(image_size):
        raise ValueError(
            f"image_size={image_size!r} must be None (the model's own) or a positive int."
        )
    spec = parse_model(model)
    if spec.family == "module":
        return _module.load(spec.module, transform=transform, image_size=image_size, layer=layer)
    if transform is not None:
        raise ValueError(
            "transform= is for torch.nn.Module models; timm and open_clip use their own preprocessing."
        )
    if spec.family == "timm":
        return _timm.load(spec.name, pretrained=pretrained, image_size=image_size, layer=layer)
    return _open_clip.load(
        spec.name, spec.tag, pretrained=pretrained, image_size=image_size, layer=layer
    )


def list_layers(model, *, image_size=None) -> list:
    """Valid ``layer`` names of a model (spec string or nn.Module), with random weights.

    Example
    -------
    >>> import kstar_widgets as kw
    >>> kw.features.list_layers("timm:resnet18")
    ['logits', 'pre_logits', 'act1', 'layer1', 'layer2', 'layer3', 'layer4']
    """
    return list(load_backbone(model, pretrained=False, image_size=image_size).layers)
