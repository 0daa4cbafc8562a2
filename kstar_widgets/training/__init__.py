"""Train small classifiers on the digits, plainly or adversarially, and measure them.

Used by ``kstar-widgets demo`` and the notebooks: the same CNN seen random,
trained and adversarially trained, each a latent space for k*. The trained models
the demo and the notebooks use ship with the package (``training/weights/``, checked
by sha256), so every machine prints the same numbers; ``train=True`` trains them here.
torch and timm load only when a function here runs.
"""

from ._attacks import ATTACKS, fgsm, pgd
from ._data import DigitsSplit, digits_split
from ._eval import accuracy_under_attack, evaluate
from ._match import EarlyStop, match_clean_accuracy
from ._model import small_cnn
from ._shipped import ShippedWeightsError
from ._spaces import Space, digits_spaces
from ._train import adversarial_train, recalibrate_batchnorm, train_classifier
from ._trained import trained_model

__all__ = [
    "ATTACKS",
    "DigitsSplit",
    "EarlyStop",
    "ShippedWeightsError",
    "Space",
    "accuracy_under_attack",
    "adversarial_train",
    "digits_spaces",
    "digits_split",
    "evaluate",
    "fgsm",
    "match_clean_accuracy",
    "pgd",
    "recalibrate_batchnorm",
    "small_cnn",
    "train_classifier",
    "trained_model",
]
