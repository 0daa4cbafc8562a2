"""k* engines on a Dask cluster (``pip install "kstar-widgets[dask]"``).

:class:`DaskExactEngine` runs the in-process exact engine's blocks as tasks and
equals it sample for sample; :class:`DaskApproxEngine` builds the kNN lists from
one pynndescent index per shard and reads them as the in-process approximate
engine does. Features may be a numpy array (scattered once), a
.npy path (memory-mapped by the workers), a zarr store or array, or a dask array;
the client never loads features that come from disk. This package imports
``distributed`` only when a client is needed.
"""

from ._client import connect, import_distributed, resolve_client
from ._source import NpySource, Source, ZarrSource, is_lazy, open_source
from ._validate import build_problem
from .approx import DaskApproxEngine
from .exact import DaskExactEngine

__all__ = [
    "DaskApproxEngine",
    "DaskExactEngine",
    "NpySource",
    "Source",
    "ZarrSource",
    "build_problem",
    "connect",
    "import_distributed",
    "is_lazy",
    "open_source",
    "resolve_client",
]
