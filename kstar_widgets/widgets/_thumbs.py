"""Thumbnails of the lowest-k* samples and their intruders, as one uint8 buffer."""

from __future__ import annotations

import numpy as np

from ._payload import to_buffer

THUMB_PX = 32


def thumbnail_ids(lows: list, codes) -> list:
    """Sample ids listed (as sample or intruder) for ``codes`` under any result, first seen first."""
    ids: list[int] = []
    seen: set[int] = set()
    for code in codes:
        for low in lows:
            for s in np.stack([low["sample"][code], low["intruder"][code]], axis=1).reshape(-1):
                if s >= 0 and int(s) not in seen:
                    seen.add(int(s))
                    ids.append(int(s))
    return ids


def thumbnails(images, ids: list, *, size: int = THUMB_PX) -> dict:
    """``{"size", "ids", "pixels"}``: int32 ids and uint8 RGB pixels of shape (m, size, size, 3)."""
    if images is None or not ids:
        return {"size": size, "ids": to_buffer([], np.int32), "pixels": to_buffer([], np.uint8)}
    return {
        "size": size,
        "ids": to_buffer(ids, np.int32),
        "pixels": to_buffer(images(ids, size), np.uint8),
    }
