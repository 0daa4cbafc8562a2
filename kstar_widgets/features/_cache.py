"""On-disk feature cache: one file per key, written atomically, checked on read.

File layout: MAGIC, an 8-byte little-endian header length, a JSON header
(meta, and per array: dtype, shape, offset, nbytes, crc32), then the raw array
bytes. A file cut short or altered anywhere fails the length or CRC check and
is treated as a miss, so a run killed mid-write can never be read as valid.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import tempfile
import zlib
from pathlib import Path

import numpy as np

MAGIC = b"KSTARFEAT1\n"
SUFFIX = ".kwf"


def cache_dir(path=None) -> Path:
    """The cache folder: ``path``, else $KSTAR_WIDGETS_CACHE, else the user cache dir."""
    if path is None:
        path = os.environ.get("KSTAR_WIDGETS_CACHE") or None
    if path is None:
        import platformdirs

        path = Path(platformdirs.user_cache_dir("kstar_widgets")) / "features"
    return Path(path).expanduser()


def cache_key(parts: dict) -> str:
    """sha256 of the key parts (JSON with sorted keys)."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def cache_path(directory, key: str, label: str = "") -> Path:
    slug = "".join(c if c.isalnum() or c in "-_." else "_" for c in label)[:60]
    return Path(directory) / f"{slug}-{key[:32]}{SUFFIX}"


def save(path, arrays: dict, meta: dict) -> None:
    """Write arrays + meta to ``path`` atomically (temp file in the same folder, then os.replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    specs, offset, blobs = {}, 0, []
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        buf = memoryview(arr).cast("B")
        specs[name] = {
            "dtype": arr.dtype.str,
            "shape": list(arr.shape),
            "offset": offset,
            "nbytes": arr.nbytes,
            "crc32": zlib.crc32(buf),
        }
        blobs.append(buf)
        offset += arr.nbytes
    header = json.dumps({"arrays": specs, "meta": meta, "total": offset}, default=str).encode()
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(MAGIC + struct.pack("<Q", len(header)) + header)
            for buf in blobs:
                fh.write(buf)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load(path):
    """(arrays, meta) from ``path``, or None when it is missing, truncated or corrupted."""
    try:
        with open(path, "rb") as fh:
            if fh.read(len(MAGIC)) != MAGIC:
                return None
            (hlen,) = struct.unpack("<Q", fh.read(8))
            if hlen > 1 << 26:
                return None
            header = json.loads(fh.read(hlen))
            total = int(header["total"])
            data = np.empty(total, dtype=np.uint8)
            if fh.readinto(memoryview(data)) != total or fh.read(1):
                return None
        arrays = {}
        for name, spec in header["arrays"].items():
            chunk = data[spec["offset"] : spec["offset"] + spec["nbytes"]]
            if zlib.crc32(memoryview(chunk)) != spec["crc32"]:
                return None
            arrays[name] = chunk.view(np.dtype(spec["dtype"])).reshape(spec["shape"])
        return arrays, header["meta"]
    except (OSError, ValueError, KeyError, TypeError, struct.error):
        return None
