"""On-disk feature cache: one file per key, written atomically, checked on read.

File layout: MAGIC, an 8-byte little-endian header length, a JSON header
(meta, and per array: dtype, shape, offset, nbytes, crc32), then the raw array
bytes. A file cut short or altered anywhere fails the length or CRC check and
is treated as a miss, so a run killed mid-write can never be read as valid; so is
a well-formed file that does not match the request (a header promising more bytes
than the file holds, features of another dtype, shape or row count). A writer writes
to ``<file>.<host>.<pid>.<random>.tmp`` first; the next write in the folder removes
the temp files of writers that died (a dead pid on this host, or untouched for
STALE_SECONDS).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import socket
import struct
import tempfile
import time
import zlib
from pathlib import Path

import numpy as np

MAGIC = b"KSTARFEAT1\n"
SUFFIX = ".kwf"
HOST = re.sub(r"[^A-Za-z0-9_-]", "_", socket.gethostname()) or "host"
STALE_SECONDS = 600
_HEADER_MAX = 1 << 26


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
    remove_stale_temps(path.parent)
    prefix = f"{path.name}.{HOST}.{os.getpid()}."
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
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


def _alive(pid: int) -> bool:
    """Whether a process of this host is running (always assumed on Windows)."""
    if os.name == "nt":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # e.g. another user's process
    return True


def _stale(tmp: Path) -> bool:
    """A temp file whose writer is gone: a dead pid of this host, or untouched for long."""
    try:
        age = time.time() - tmp.stat().st_mtime
    except OSError:
        return False
    if age > STALE_SECONDS:
        return True
    parts = tmp.name.split(".")
    host, pid = (parts[-4], parts[-3]) if len(parts) >= 6 else (None, None)
    return host == HOST and pid.isdigit() and not _alive(int(pid))


def remove_stale_temps(folder) -> None:
    """Remove the temp files that killed writers left in ``folder``."""
    for tmp in Path(folder).glob(f"*{SUFFIX}.*.tmp"):
        if _stale(tmp):
            with contextlib.suppress(OSError):
                tmp.unlink()


def _header(fh, size: int):
    """The header of an open file, or None unless its arrays fill the rest of it exactly."""
    if fh.read(len(MAGIC)) != MAGIC:
        return None
    (hlen,) = struct.unpack("<Q", fh.read(8))
    if hlen > min(_HEADER_MAX, size):
        return None
    header = json.loads(fh.read(hlen))
    total, offset = int(header["total"]), 0
    if total != size - len(MAGIC) - 8 - hlen:
        return None
    for spec in header["arrays"].values():
        count = int(np.prod(spec["shape"], dtype=np.int64))
        if spec["offset"] != offset or spec["nbytes"] != count * np.dtype(spec["dtype"]).itemsize:
            return None
        offset += spec["nbytes"]
    return header if offset == total and isinstance(header["meta"], dict) else None


def _matches(specs: dict, rows) -> bool:
    """Features (and text embeddings, if any) are float32 matrices; features of ``rows`` rows."""
    for name in ("features", "text_embeddings"):
        spec = specs.get(name)
        if spec is None:
            if name == "features":
                return False
            continue
        if np.dtype(spec["dtype"]) != np.float32 or len(spec["shape"]) != 2:
            return False
    return rows is None or specs["features"]["shape"][0] == rows


def load(path, *, rows=None):
    """(arrays, meta) from ``path``, or None when it is missing, damaged or not the request's.

    ``rows``: the number of rows the features must have (the data set's length).
    """
    try:
        with open(path, "rb") as fh:
            header = _header(fh, os.fstat(fh.fileno()).st_size)
            if header is None or not _matches(header["arrays"], rows):
                return None
            data = np.empty(header["total"], dtype=np.uint8)
            if fh.readinto(memoryview(data)) != header["total"] or fh.read(1):
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
