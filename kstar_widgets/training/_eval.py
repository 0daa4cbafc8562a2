"""Accuracy, clean and under attack."""

from __future__ import annotations

from ._model import torch_threads


def _batches(n, batch_size):
    return [slice(i, min(i + batch_size, n)) for i in range(0, n, batch_size)]


def evaluate(model, x, y, *, batch_size=256, threads=1) -> float:
    """Share of samples the model classifies correctly.

    Parameters
    ----------
    model : torch.nn.Module
    x : float torch.Tensor of shape (n, c, h, w)
    y : int64 torch.Tensor of shape (n,)

    Returns
    -------
    float in [0, 1]

    Example
    -------
    >>> import torch
    >>> from kstar_widgets.training import evaluate, small_cnn
    >>> 0.0 <= evaluate(small_cnn(), torch.rand(8, 3, 16, 16), torch.zeros(8, dtype=torch.long)) <= 1.0
    True
    """
    import torch

    if len(x) != len(y) or len(x) == 0:
        raise ValueError(
            f"x and y must be non-empty and of equal length, got {len(x)} and {len(y)}."
        )
    model.eval()
    correct = 0
    with torch_threads(threads), torch.inference_mode():
        for s in _batches(len(x), batch_size):
            correct += int((model(x[s]).argmax(dim=1) == y[s]).sum())
    return correct / len(x)


def accuracy_under_attack(
    model, x, y, *, attack="pgd", eps=0.1, steps=10, batch_size=256, seed=0, threads=1
) -> float:
    """Accuracy on adversarial examples made against the model itself (white box).

    Parameters
    ----------
    model, x, y
        As in :func:`evaluate`.
    attack : {"fgsm", "pgd"}, default="pgd"
    eps : float, default=0.1
        L-infinity budget on [0, 1] images.
    steps : int, default=10
        PGD steps (ignored by FGSM).
    seed : int, default=0
        PGD random start.

    Returns
    -------
    float in [0, 1]

    Example
    -------
    >>> import torch
    >>> from kstar_widgets.training import accuracy_under_attack, small_cnn
    >>> x, y = torch.rand(4, 3, 16, 16), torch.zeros(4, dtype=torch.long)
    >>> 0.0 <= accuracy_under_attack(small_cnn(), x, y, attack="fgsm") <= 1.0
    True
    """
    import torch

    from ._attacks import ATTACKS

    if attack not in ATTACKS:
        raise ValueError(f"attack={attack!r}; use one of {sorted(ATTACKS)}.")
    model.eval()
    gen = torch.Generator().manual_seed(seed)
    correct = 0
    with torch_threads(threads):
        for s in _batches(len(x), batch_size):
            if attack == "pgd":
                adv = ATTACKS[attack](model, x[s], y[s], eps=eps, steps=steps, generator=gen)
            else:
                adv = ATTACKS[attack](model, x[s], y[s], eps=eps)
            with torch.inference_mode():
                correct += int((model(adv).argmax(dim=1) == y[s]).sum())
    return correct / len(x)
