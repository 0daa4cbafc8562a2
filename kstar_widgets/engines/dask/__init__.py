"""k* engines on a Dask cluster (``pip install "kstar-widgets[dask]"``).

:class:`DaskExactEngine` runs the in-process exact engine's blocks as tasks and
equals it sample for sample; :class:`DaskApproxEngine` builds the kNN lists from
one pynndescent index per shard and reads them as the in-process approximate
engine does. Features may be a numpy array (scattered once), a
.npy path (memory-mapped by the workers), a zarr store or array, or a dask array;
the client never loads features that come from disk (``_source.py``). This package
imports ``distributed`` only when a client is needed (:func:`resolve_client`).

The rest are internals, imported from their modules: ``_client`` (finding the
cluster), ``_source`` (where workers read rows), ``_validate`` (the value checks on
the workers), ``_tasks`` and ``_resolve`` (what the workers run).
"""

from ._client import resolve_client
from .approx import DaskApproxEngine
from .exact import DaskExactEngine

__all__ = ["DaskApproxEngine", "DaskExactEngine", "resolve_client"]
