"""The digits through several latent spaces: pixels, a random CNN, trained, adversarially trained."""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field

import numpy as np


@dataclass(repr=False)
class Space:
    """One latent space of the held-out digits, and how its model does.

    Attributes
    ----------
    name : str
    features : kw.Features
        Vectors of the held-out digits (``features.images()`` gives thumbnails).
    accuracy : float or None
        Held-out accuracy (None for raw pixels: no classifier).
    attack_accuracy : float or None
        Held-out accuracy under the attack (trained models only).
    info : dict
        Training details (epochs, attack, eps, losses, cache), seconds.
    """

    name: str
    features: object
    accuracy: float | None = None
    attack_accuracy: float | None = None
    info: dict = field(default_factory=dict)

    def __repr__(self):
        return (
            f"Space({self.name!r}, d={self.features.features.shape[1]}, accuracy={self.accuracy})"
        )


def digits_spaces(
    *,
    epochs=8,
    attack="fgsm",
    eps=0.1,
    size=32,
    test_size=0.4,
    seed=0,
    robust=True,
    train=None,
    cache_dir=None,
    progress=True,
) -> dict:
    """The held-out digits seen through raw pixels and a small timm CNN: random, trained, robust.

    The CNN (timm resnet10t at a quarter width, ``size`` px input) is trained on the
    training part of a seeded stratified split, once plainly and once adversarially.
    With the default options both trained models load from weights shipped with the
    package (no training, the same numbers on every machine); other options, or
    ``train=True``, train them here. Features and weights trained here are cached on disk.

    Parameters
    ----------
    epochs : int, default=8
        Training epochs of each trained model.
    attack : {"fgsm", "pgd"}, default="fgsm"
        Adversarial training attack, also used to measure accuracy under attack.
    eps : float, default=0.1
        L-infinity budget on [0, 1] images.
    size : int, default=32
        Input side in pixels.
    test_size : float, default=0.4
        Held-out share; every space holds these samples only.
    seed : int, default=0
        Split, initial weights, shuffling.
    robust : bool, default=True
        Also the adversarially trained copy; False leaves out "robust CNN".
    train : {None, True, False}, default=None
        None: shipped weights where they match these options, else train here. True:
        train here (about a minute on 2 cores; cached after). False: shipped or an error.
    cache_dir : str or path, optional
        Feature cache folder (trained weights go to its "models" subfolder).
    progress : bool, default=True

    Returns
    -------
    dict of str -> Space
        "pixels", "random CNN", "trained CNN", "robust CNN" (if ``robust``), in that order.

    Example
    -------
    >>> from kstar_widgets.training import digits_spaces
    >>> spaces = digits_spaces(progress=False)  # doctest: +SKIP
    >>> {name: s.features.kstar(progress=False).summary["mean_skewness"] for name, s in spaces.items()}  # doctest: +SKIP
    """
    from ..features import extract
    from ._data import digits_split
    from ._model import small_cnn, torch_threads
    from ._trained import trained_model

    split = digits_split(size=size, test_size=test_size, random_state=seed)
    test = split.data.subset(split.test)
    spaces = {"pixels": _pixels_space(split, test)}

    def encode(model):
        # one torch thread, as in training: 10x faster on a busy 2-core machine (measured),
        # and the same float rounding whatever the machine's core count. A float64 copy of
        # the model: float32 convolutions round differently on other CPUs (other SIMD
        # kernels), enough to move one near-tied neighbour rank and the printed mean Γ by
        # 0.01 (seen: -4.79 here, -4.80 on CI); float64 keeps those differences ~1e-16,
        # below the float32 the features are stored in.
        with torch_threads(1):
            as_float64 = copy.deepcopy(model).double()
            return extract(
                as_float64, test, layer="global_pool", cache_dir=cache_dir, progress=progress
            )

    t0 = time.perf_counter()
    random_model = small_cnn(seed=seed)
    spaces["random CNN"] = _model_space("random CNN", random_model, split, encode, attack=None)
    spaces["random CNN"].info["seconds"] = time.perf_counter() - t0
    trainings = [("trained CNN", None), ("robust CNN", attack)][: 2 if robust else 1]
    for name, how in trainings:
        t0 = time.perf_counter()
        model, info = trained_model(
            split,
            attack=how,
            epochs=epochs,
            eps=eps,
            seed=seed,
            train=train,
            cache_dir=cache_dir,
            progress=progress,
        )
        spaces[name] = _model_space(name, model, split, encode, attack=attack, eps=eps, seed=seed)
        spaces[name].info.update(info, seconds=time.perf_counter() - t0)
    return spaces


def _pixels_space(split, test) -> Space:
    """The held-out digits as their raw 8x8 pixels."""
    from ..features import Features

    pixels = split.data.pixels[split.test].reshape(len(split.test), -1).astype(np.float32)
    raw = Features.from_arrays(
        pixels,
        test.labels,
        test.concept_names,
        test.sample_ids,
        meta={"model": "pixels", "layer": "8x8"},
    )
    raw.dataset = test
    return Space("pixels", raw, info={"dim": pixels.shape[1]})


def _model_space(name, model, split, encode, *, attack, eps=0.1, seed=0) -> Space:
    """The held-out digits through ``model``, its accuracy, and under ``attack`` if given."""
    from ._eval import accuracy_under_attack, evaluate

    xt, yt = split.x[split.test], split.y[split.test]
    acc = evaluate(model, xt, yt)
    adv = None
    if attack is not None:
        adv = accuracy_under_attack(model, xt, yt, attack=attack, eps=eps, seed=seed)
    return Space(name, encode(model), acc, adv, {})
