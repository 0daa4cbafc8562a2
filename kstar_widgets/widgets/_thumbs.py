"""Thumbnails of the lowest-k* samples and their intruders, as image_rgba data."""

from __future__ import annotations

import numpy as np

from ._sources import detail_payload

THUMB_PX = 32


def to_rgba(rgb: np.ndarray) -> list:
    """uint8 (m, s, s, 3) -> list of uint32 (s, s) images, rows flipped for image_rgba."""
    m, s = rgb.shape[:2]
    rgba = np.concatenate([rgb, np.full((m, s, s, 1), 255, np.uint8)], axis=3)
    return [np.ascontiguousarray(img[::-1]).view(np.uint32).reshape(s, s) for img in rgba]


def thumbnail_bank(built: dict, images, *, size: int = THUMB_PX, max_images: int = 3000) -> dict:
    """Thumbnails of every concept's lowest-k* samples and intruders, most fractured concepts first."""
    if images is None:
        return {"sample": [], "image": []}
    lb, rank = built["lowbank"], built["src"]["rank_0"]
    n_low = built["meta"]["n_low"]
    ids: list[int] = []
    seen: set[int] = set()
    for j in range(len(built["meta"]["results"])):
        per = np.stack([lb[f"sample_{j}"], lb[f"intruder_{j}"]], axis=1).reshape(-1, n_low * 2)
        for code in np.argsort(rank, kind="stable"):
            for s in per[code]:
                if s >= 0 and int(s) not in seen:
                    seen.add(int(s))
                    ids.append(int(s))
    ids = ids[:max_images]
    return {
        "sample": np.asarray(ids, dtype=np.int32),
        "image": to_rgba(images(ids, size)) if ids else [],
    }


def thumbnails_for(built: dict, images, code: int, driver: int = 0, size: int = THUMB_PX) -> dict:
    """The thumbnails source data of one concept (samples left, intruders right)."""
    out = {"image": [], "x": [], "y": [], "dw": [], "dh": []}
    if images is None or code < 0:
        return out
    low = detail_payload(built, code, driver)["low"]
    n_low = built["meta"]["n_low"]
    ids = [i for pair in zip(low["sample"], low["intruder"], strict=True) for i in pair]
    where = [(j, col) for j in range(len(low["sample"])) for col in (0, 1)]
    keep = [(i, w) for i, w in zip(ids, where, strict=True) if i >= 0]
    if not keep:
        return out
    imgs = to_rgba(images([i for i, _ in keep], size))
    for img, (_, (j, col)) in zip(imgs, keep, strict=True):
        out["image"].append(img)
        out["x"].append(col * 1.2)
        out["y"].append(n_low - 1 - j)
        out["dw"].append(1)
        out["dh"].append(0.9)
    return out
