"""A small timm ResNet that trains in seconds on a CPU."""

from __future__ import annotations

import contextlib

# resnet10t at a quarter of its width: 0.3 M parameters, 128-d pooled features
SMALL_CHANNELS = (16, 32, 64, 128)


@contextlib.contextmanager
def torch_threads(n):
    """Run torch ops on ``n`` threads, then restore the previous count.

    A convnet this small gains nothing from splitting each op, and on a shared
    2-core machine two threads per op ran up to 10x slower than one (measured).
    """
    import torch

    old = torch.get_num_threads()
    if n is not None:
        torch.set_num_threads(int(n))
    try:
        yield
    finally:
        torch.set_num_threads(old)


@contextlib.contextmanager
def deterministic():
    """torch's deterministic algorithms for the block, then the previous setting.

    With one thread and seeded generators this makes two trainings on the same
    machine and library versions give the same weights bit for bit. Other CPUs or
    torch versions may round differently and train slightly different weights.
    """
    import torch

    was, warn_only = (
        torch.are_deterministic_algorithms_enabled(),
        torch.is_deterministic_algorithms_warn_only_enabled(),
    )
    torch.use_deterministic_algorithms(True, warn_only=True)
    try:
        yield
    finally:
        torch.use_deterministic_algorithms(was, warn_only=warn_only)


def small_cnn(*, arch="resnet10t", num_classes=10, channels=SMALL_CHANNELS, seed=0):
    """A randomly initialised, seeded timm CNN for the digits.

    Parameters
    ----------
    arch : str, default="resnet10t"
        A timm ResNet name.
    num_classes : int, default=10
    channels : tuple of 4 int, default=(16, 32, 64, 128)
        Widths of the four stages (timm's resnet10t uses (64, 128, 256, 512)).
    seed : int, default=0
        Same seed, same initial weights.

    Returns
    -------
    torch.nn.Module
        ``model.global_pool`` outputs the pooled features (channels[-1] wide).

    Example
    -------
    >>> from kstar_widgets.training import small_cnn
    >>> small_cnn().num_features
    128
    """
    import timm
    import torch

    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = timm.create_model(
            arch,
            pretrained=False,
            num_classes=num_classes,
            channels=tuple(channels),
            stem_width=max(8, channels[0]),
        )
    return model.eval()
