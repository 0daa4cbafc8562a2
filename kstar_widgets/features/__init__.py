"""Feature extraction: latent vectors from timm and OpenCLIP models or any nn.Module.

torch, timm and open_clip load only when a function here runs.
"""

from ._api import extract, list_layers
from ._cache import cache_dir
from ._features import Features
from ._offline import WeightsUnavailableError
from ._zeroshot import TEMPLATES, text_embeddings, zero_shot_accuracy

__all__ = [
    "TEMPLATES",
    "Features",
    "WeightsUnavailableError",
    "cache_dir",
    "extract",
    "list_layers",
    "text_embeddings",
    "zero_shot_accuracy",
]
