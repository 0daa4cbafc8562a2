"""Feature extraction: latent vectors from timm and OpenCLIP models or any nn.Module.

torch, timm and open_clip load only when a function here runs. Imports run one way:
the leaves (_templates, _spec, _backbone, _cache, _identity, _loop, the families _timm,
_open_clip, _module) feed _dispatch (load_backbone), _key (the cache key) and _meta; _zeroshot and
_dask (shards on a cluster) build on those; the pipeline _extract (extract) on all of them.
"""

from ._cache import cache_dir
from ._dispatch import list_layers
from ._extract import extract
from ._features import Features
from ._offline import WeightsUnavailableError
from ._templates import TEMPLATES
from ._zeroshot import text_embeddings, zero_shot_accuracy

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
