"""FGSM and PGD: L-infinity attacks on images in [0, 1]."""

from __future__ import annotations


def _check(eps, steps=1):
    if not (isinstance(eps, (int, float)) and 0.0 <= eps <= 1.0):
        raise ValueError(f"eps={eps!r} must be a number in [0, 1] (pixel scale of [0, 1] images).")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ValueError(f"steps={steps!r} must be a positive int.")


def _grad_sign(model, x, y):
    import torch
    import torch.nn.functional as F

    x = x.detach().requires_grad_(True)
    with torch.enable_grad():
        loss = F.cross_entropy(model(x), y)
        (grad,) = torch.autograd.grad(loss, x)
    return grad.sign()


def fgsm(model, x, y, *, eps=0.1, random_start=False, generator=None):
    """Fast gradient sign method: one step of size ``eps`` up the loss.

    Parameters
    ----------
    model : torch.nn.Module
        Used in its current mode (train or eval).
    x : float torch.Tensor of shape (n, c, h, w), values in [0, 1]
    y : int64 torch.Tensor of shape (n,)
    eps : float, default=0.1
        L-infinity budget.
    random_start : bool, default=False
        Start from a uniform point in the eps-ball and step 1.25 eps, then project
        ("fast adversarial training", which avoids catastrophic overfitting).
    generator : torch.Generator, optional
        For the random start.

    Returns
    -------
    torch.Tensor, same shape as x, within eps of x and inside [0, 1].

    Example
    -------
    >>> import torch
    >>> from kstar_widgets.training import fgsm, small_cnn
    >>> x = torch.rand(4, 3, 16, 16); y = torch.tensor([0, 1, 2, 3])
    >>> bool(((fgsm(small_cnn(), x, y, eps=0.1) - x).abs().max() <= 0.1 + 1e-6))
    True
    """
    import torch

    _check(eps)
    if not random_start:
        return (x + eps * _grad_sign(model, x, y)).clamp(0.0, 1.0).detach()
    delta = (torch.rand(x.shape, generator=generator) * 2.0 - 1.0) * eps
    start = (x + delta).clamp(0.0, 1.0)
    step = start + 1.25 * eps * _grad_sign(model, start, y)
    return torch.min(torch.max(step, x - eps), x + eps).clamp(0.0, 1.0).detach()


def pgd(model, x, y, *, eps=0.1, alpha=None, steps=10, random_start=True, generator=None):
    """Projected gradient descent: ``steps`` signed-gradient steps of size ``alpha``, projected.

    Parameters
    ----------
    model, x, y, eps, generator
        As in :func:`fgsm`.
    alpha : float, optional
        Step size; default ``2.5 * eps / steps``.
    steps : int, default=10
    random_start : bool, default=True

    Returns
    -------
    torch.Tensor, same shape as x, within eps of x and inside [0, 1].

    Example
    -------
    >>> import torch
    >>> from kstar_widgets.training import pgd, small_cnn
    >>> x = torch.rand(2, 3, 16, 16); y = torch.tensor([0, 1])
    >>> pgd(small_cnn(), x, y, eps=0.05, steps=2).shape
    torch.Size([2, 3, 16, 16])
    """
    import torch

    _check(eps, steps)
    alpha = 2.5 * eps / steps if alpha is None else float(alpha)
    adv = x.clone()
    if random_start:
        adv = (x + (torch.rand(x.shape, generator=generator) * 2.0 - 1.0) * eps).clamp(0.0, 1.0)
    for _ in range(steps):
        adv = adv + alpha * _grad_sign(model, adv, y)
        adv = torch.min(torch.max(adv, x - eps), x + eps).clamp(0.0, 1.0)
    return adv.detach()


ATTACKS = {"fgsm": fgsm, "pgd": pgd}
