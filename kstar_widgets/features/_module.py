"""A user's own torch.nn.Module, with a transform, at its output or at a named submodule."""

from __future__ import annotations

import hashlib

from ._backbone import Backbone, pool
from ._identity import identity, tensor_bytes
from ._spec import unknown_layer


def default_transform(image_size=None):
    """PIL -> float tensor (C, H, W) in [0, 1], resized to image_size when given."""
    from torchvision.transforms import v2

    steps = [v2.PILToTensor(), v2.ToDtype(__import__("torch").float32, scale=True)]
    if image_size is not None:
        steps.insert(0, v2.Resize((int(image_size), int(image_size)), antialias=True))
    return v2.Compose(steps)


def parameter_hash(module) -> str:
    """sha256 of every parameter and buffer (non-persistent ones too): the module's identity."""
    import torch

    h = hashlib.sha256(type(module).__qualname__.encode())
    saved = module.state_dict()
    unsaved = {k: b for k, b in module.named_buffers() if k not in saved and b is not None}
    for key, tensor in {**saved, **unsaved}.items():
        h.update(key.encode())
        if torch.nn.parameter.is_lazy(tensor):  # shape unknown until the first forward
            continue
        h.update(str(tensor.dtype).encode() + str(tuple(tensor.shape)).encode())
        h.update(tensor_bytes(tensor))
    return h.hexdigest()


# weights are in parameter_hash; features are always computed in eval mode
_NOT_CODE = ("_parameters", "_buffers", "_modules", "training")


def code_identity(module) -> str:
    """The structure and code of a module: every submodule's name, class and non-tensor
    attributes (a ReLU and a Tanh with the same weights around them differ here).

    Library classes count by their module and name, the user's own classes by their code.
    """
    state = [
        [name, type(m), {k: v for k, v in vars(m).items() if k not in _NOT_CODE}]
        for name, m in module.named_modules()
    ]
    return identity(state)


def _encode(model, x, layer):
    """The module's output, or the hooked submodule's, pooled to (B, d)."""
    if layer == "output":
        return pool(model(x))
    captured = []
    handle = model.get_submodule(layer).register_forward_hook(lambda m, i, o: captured.append(o))
    try:
        model(x)
    finally:
        handle.remove()
    out = captured[-1]
    return pool(out[0] if isinstance(out, (tuple, list)) else out)


def load(module, *, transform=None, image_size=None, layer=None) -> Backbone:
    """Wrap a torch.nn.Module: layer None/"output" is its output; any other name a submodule, pooled."""
    if transform is not None and not callable(transform):
        raise TypeError("transform must be callable: PIL image -> tensor (C, H, W).")
    names = [n for n, _ in module.named_modules() if n]
    layer = "output" if layer is None else layer
    if layer != "output" and layer not in names:
        raise unknown_layer(layer, type(module).__name__, ["output", *names])
    transform = transform if transform is not None else default_transform(image_size)
    return Backbone(
        spec=f"module:{type(module).__qualname__}",
        family="module",
        model=module.eval(),
        transform=transform,
        layers=["output", *names],
        default_layer=layer,
        encode=_encode,
        weights=parameter_hash(module),
    )
