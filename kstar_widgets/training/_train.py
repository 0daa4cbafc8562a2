"""Seeded training loops, plain and adversarial."""

from __future__ import annotations

from ..utils._progress import progress_bar
from ._model import deterministic, torch_threads


def _check_int(name, value, low):
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ValueError(f"{name}={value!r} must be an int >= {low}.")


def train_classifier(
    model,
    x,
    y,
    *,
    epochs=8,
    lr=3e-3,
    batch_size=64,
    seed=0,
    attack=None,
    eps=0.1,
    progress=True,
    threads=1,
):
    """Train ``model`` in place with AdamW and a cosine schedule; adversarially if ``attack``.

    Parameters
    ----------
    model : torch.nn.Module
        A classifier taking float images (n, c, h, w) in [0, 1].
    x : float torch.Tensor of shape (n, c, h, w)
    y : int64 torch.Tensor of shape (n,)
    epochs : int, default=8
    lr : float, default=3e-3
    batch_size : int, default=64
    seed : int, default=0
        Shuffling and attack random starts; same seed, same weights.
    attack : {None, "fgsm", "pgd"}, default=None
        Train on adversarial examples made against the current model: "fgsm" with a
        random start (fast adversarial training), "pgd" with 5 steps.
    eps : float, default=0.1
        L-infinity budget of the attack.
    progress : bool, default=True
    threads : int, default=1
        torch threads while training (one is fastest for a small CNN on a shared CPU).

    Returns
    -------
    list of float
        Mean training loss of each epoch.

    Example
    -------
    >>> import torch
    >>> from kstar_widgets.training import small_cnn, train_classifier
    >>> m = small_cnn()
    >>> losses = train_classifier(m, torch.rand(32, 3, 16, 16), torch.arange(32) % 10, epochs=1, progress=False)
    >>> len(losses)
    1
    """
    import torch

    _check_args(x, y, epochs=epochs, batch_size=batch_size, attack=attack)
    gen = torch.Generator().manual_seed(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    n_batches = -(-len(x) // batch_size)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=epochs * n_batches)
    what = "training" if attack is None else f"{attack} adversarial training"
    bar = progress_bar(total=epochs * n_batches, desc=what, unit="batch", enable=progress)
    losses = []
    with torch_threads(threads), deterministic():
        for _ in range(epochs):
            order = torch.randperm(len(x), generator=gen)
            batches = [order[b * batch_size : (b + 1) * batch_size] for b in range(n_batches)]
            losses.append(_epoch(model, x, y, batches, opt, sched, gen, attack, eps, bar))
            bar.set_postfix_str(f"loss {losses[-1]:.3f}")
        recalibrate_batchnorm(model, _trained_on(model, x, y, attack, eps, gen), batch_size=256)
    bar.close()
    return losses


def _check_args(x, y, *, epochs, batch_size, attack):
    """Raise ValueError on options or data that cannot train."""
    _check_int("epochs", epochs, 1)
    _check_int("batch_size", batch_size, 1)
    if attack not in (None, "fgsm", "pgd"):
        raise ValueError(f"attack={attack!r}; use None (standard training), 'fgsm' or 'pgd'.")
    if len(x) != len(y) or len(x) == 0:
        raise ValueError(
            f"x and y must be non-empty and of equal length, got {len(x)} and {len(y)}."
        )


def _attacked(model, xb, yb, attack, eps, gen):
    """The batch the model trains on: ``xb`` itself, or its adversarial examples."""
    from ._attacks import fgsm, pgd

    if attack == "fgsm":
        return fgsm(model, xb, yb, eps=eps, random_start=True, generator=gen)
    if attack == "pgd":
        return pgd(model, xb, yb, eps=eps, steps=5, generator=gen)
    return xb


def _epoch(model, x, y, batches, opt, sched, gen, attack, eps, bar) -> float:
    """One pass over ``batches`` (index tensors); the mean training loss."""
    import torch.nn.functional as F

    total = 0.0
    for idx in batches:
        xb, yb = x[idx], y[idx]
        model.train()
        xb = _attacked(model, xb, yb, attack, eps, gen)
        loss = F.cross_entropy(model(xb), yb)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        total += float(loss.detach()) * len(idx)
        bar.update()
    return total / len(x)


def _trained_on(model, x, y, attack, eps, gen):
    """What the model was trained on, for its BatchNorm statistics: its own adversarial examples."""
    import torch

    if attack is None:
        return x
    model.eval()
    rows = range(0, len(x), 256)
    return torch.cat(
        [_attacked(model, x[i : i + 256], y[i : i + 256], attack, eps, gen) for i in rows]
    )


def recalibrate_batchnorm(model, x, *, batch_size=256):
    """Set BatchNorm running statistics to their exact mean over the images ``x``.

    After a short run the exponential moving averages still lag the weights, and
    an eval-mode model can score at chance although it has learnt; one forward
    pass in train mode with cumulative averaging fixes that. Pass the inputs the
    model was trained on: for adversarial training, its adversarial examples
    (clean statistics cost the robust digits CNN most of its robustness: FGSM
    accuracy fell from about 80% to 20% in our runs).
    """
    import torch

    norms = [m for m in model.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    momenta = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # cumulative moving average
    model.train()
    with torch.no_grad():
        for i in range(0, len(x), batch_size):
            model(x[i : i + batch_size])
    for m, momentum in zip(norms, momenta, strict=True):
        m.momentum = momentum
    model.eval()


def adversarial_train(model, x, y, *, attack="fgsm", eps=0.1, **kwargs):
    """``train_classifier`` on adversarial examples (FGSM with random start, or PGD).

    Example
    -------
    >>> import torch
    >>> from kstar_widgets.training import adversarial_train, small_cnn
    >>> m = small_cnn()
    >>> len(adversarial_train(m, torch.rand(16, 3, 16, 16), torch.arange(16) % 10, epochs=1, progress=False))
    1
    """
    if attack is None:
        raise ValueError(
            "adversarial_train needs attack='fgsm' or 'pgd'; use train_classifier for plain training."
        )
    return train_classifier(model, x, y, attack=attack, eps=eps, **kwargs)
