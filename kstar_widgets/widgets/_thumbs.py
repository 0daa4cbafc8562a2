"""Thumbnails of the lowest-k* samples, their intruders and island members, as one uint8 buffer."""

from __future__ import annotations

import numpy as np

from ._payload import to_buffer

THUMB_PX = 32


def thumbnail_ids(lows: list, codes, islands=()) -> list:
    """Sample ids shown for ``codes`` under any result, first seen first.

    The lowest-k* samples and their intruders (``lows``), then the first members of
    each listed island (``islands``: IslandIndex or None per result).
    """
    ids: list[int] = []
    seen: set[int] = set()
    for code in codes:
        listed = [np.stack([low["sample"][code], low["intruder"][code]], axis=1) for low in lows]
        listed += [x.thumbnail_ids(code) for x in islands if x is not None]
        for part in listed:
            for s in part.reshape(-1):
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
