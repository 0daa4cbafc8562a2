"""torchvision's data sets (CIFAR-10/100, MNIST, ...): downloaded when the network is there."""

from __future__ import annotations

import hashlib
import os
import socket
import threading

import numpy as np

from ._base import ImageDataset, to_rgb


def host_reachable(host: str, port: int = 443, timeout: float = 2.0) -> bool:
    """True when a TCP connection to host opens within timeout (DNS included)."""
    result = []

    def probe():
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except OSError:
            pass

    # DNS lookups ignore socket timeouts: run the probe in a thread and stop waiting
    t = threading.Thread(target=probe, daemon=True)
    t.start()
    t.join(timeout + 0.5)
    return bool(result)


class TorchvisionDataset(ImageDataset):
    """A torchvision image classification data set; ``sample_ids`` are its indices."""

    def __init__(self, dataset, name: str, split: str):
        self.dataset = dataset
        targets = getattr(dataset, "targets", None)
        if targets is None:
            targets = getattr(dataset, "labels", None)
        if targets is None:
            targets = [dataset[i][1] for i in range(len(dataset))]
        self.labels = np.asarray(targets, dtype=np.int64).ravel()
        classes = getattr(dataset, "classes", None)
        n_classes = int(self.labels.max()) + 1 if len(self.labels) else 0
        self.concept_names = (
            [str(c) for c in classes] if classes else [str(c) for c in range(n_classes)]
        )
        self.sample_ids = np.arange(len(self.labels), dtype=np.int64)
        h = hashlib.sha256(f"torchvision/{name}/{split}/{len(self.labels)}".encode())
        h.update(self.labels.tobytes())
        data = getattr(dataset, "data", None)
        if isinstance(data, np.ndarray):
            h.update(np.ascontiguousarray(data[:: max(1, len(data) // 256)]).tobytes())
        self.fingerprint = h.hexdigest()

    def _pil(self, i):
        img = self.dataset[i][0]
        if not hasattr(img, "mode"):
            raise TypeError(
                "the torchvision data set must return PIL images (create it with transform=None)."
            )
        return to_rgb(img)


def torchvision_dataset(name, root, *, train=False, download=True, **kwargs) -> TorchvisionDataset:
    """A torchvision data set by class name, e.g. "CIFAR10", "CIFAR100", "MNIST".

    Parameters
    ----------
    name : str
        Class name in ``torchvision.datasets``.
    root : str or os.PathLike
        Folder holding (or receiving) the files.
    train : bool, default=False
        Training split if True, test split otherwise.
    download : bool, default=True
        Download when the files are missing and the network is reachable.
    **kwargs
        Passed to the torchvision class (never ``transform``: images stay PIL).

    Example
    -------
    >>> import kstar_widgets as kw
    >>> data = kw.datasets.torchvision_dataset("CIFAR10", "~/data")  # doctest: +SKIP
    """
    import torchvision.datasets as tvd

    cls = getattr(tvd, str(name), None)
    if not isinstance(cls, type):
        import difflib

        close = difflib.get_close_matches(str(name), [n for n in dir(tvd) if n[:1].isupper()], n=5)
        raise ValueError(f"torchvision.datasets has no data set {name!r}; close names: {close}.")
    root = os.path.expanduser(os.fspath(root))
    split = "train" if train else "test"
    try:
        ds = cls(root, train=train, download=False, **kwargs)
    except RuntimeError as missing:
        if not download:
            raise ValueError(
                f"{name} is not in {root!r} and download=False; pass download=True or copy the files there."
            ) from missing
        url_host = "www.cs.toronto.edu" if name.startswith("CIFAR") else "pytorch.org"
        if os.environ.get("HF_HUB_OFFLINE") == "1" or not host_reachable(url_host):
            raise ConnectionError(
                f"{name} is not in {root!r} and the network is unreachable, so it cannot be "
                f"downloaded. Copy the {name} files into {root!r} from a machine with network, "
                "or use kw.datasets.digits() / kw.datasets.image_folder(path) offline."
            ) from None
        ds = cls(root, train=train, download=True, **kwargs)
    return TorchvisionDataset(ds, str(name), split)
