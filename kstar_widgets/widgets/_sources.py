"""Bokeh data sources for the views, built from the per-concept summaries."""

from __future__ import annotations

import numpy as np

from .._compare import compare
from ._data import (
    PATTERN_COLORS,
    PATTERN_ORDER,
    display_skewness,
    kstar_histograms,
    lowest_kstar,
    matrix_cells,
    matrix_concepts,
    rank_by_skewness,
)


def fmt_skew(s: float) -> str:
    """Γ as the views print it (matches the JavaScript)."""
    if np.isnan(s):
        return "n/a"
    if np.isinf(s):
        return "+inf" if s > 0 else "-inf"
    return f"{s:+.2f}"


def classify_codes(skew: np.ndarray, threshold: float) -> np.ndarray:
    """Index into PATTERN_ORDER for each Γ (same rule as kw.classify)."""
    out = np.ones(len(skew), dtype=np.int32)
    out[skew > threshold] = 0
    out[skew < -threshold] = 2
    out[np.isnan(skew)] = 3
    return out


def build_sources(
    results: dict, *, threshold: float, n_bins: int, n_low: int, max_matrix: int
) -> dict:
    """All ColumnDataSource payloads (plain dicts of arrays) plus metadata for the views."""
    names = list(results)
    first = results[names[0]]
    c = first.concepts
    nc = len(c)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    centers = (edges[:-1] + edges[1:]) / 2
    src = {
        "code": np.arange(nc, dtype=np.int32),
        "name": [str(x) for x in c.index],
        "n": c["n"].to_numpy(dtype=np.int32),
    }
    bank, lowbank = {}, {}
    for j, r in enumerate(results.values()):
        skew = r.concepts["skewness"].to_numpy(dtype=np.float64)
        src[f"skew_{j}"] = skew
        src[f"sd_{j}"] = display_skewness(skew)
        src[f"rank_{j}"] = rank_by_skewness(skew)
        src[f"cens_{j}"] = r.concepts["censored_share"].to_numpy(dtype=np.float32)
        bank[f"hist_{j}"] = kstar_histograms(r, n_bins).reshape(-1)
        for key, v in lowest_kstar(r, n_low).items():
            lowbank[f"{key}_{j}"] = v.reshape(-1)
    skew, rank = src["skew_0"], src["rank_0"]
    pat = classify_codes(skew, threshold)
    hist = bank["hist_0"].reshape(nc, n_bins)
    peak = np.maximum(hist.max(axis=1, keepdims=True), 1)
    ys = rank[:, None] - 0.85 * hist / peak
    xs = np.r_[0.0, centers, 1.0]
    src.update(
        skew=skew.copy(),
        rank=rank.copy(),
        skew_txt=[fmt_skew(s) for s in skew],
        pattern=[PATTERN_ORDER[p] for p in pat],
        color=[PATTERN_COLORS[PATTERN_ORDER[p]] for p in pat],
        label=[
            f"{nm}  Γ {fmt_skew(s)}  n {n}"
            for nm, s, n in zip(src["name"], skew, src["n"], strict=True)
        ],
        label_x=np.full(nc, 1.03),
        xs=[xs] * nc,
        ys=[np.r_[r0, y, r0] for r0, y in zip(rank.astype(float), ys, strict=True)],
        cb=src["sd_1"].copy() if len(names) > 1 else np.full(nc, np.nan, np.float32),
    )
    methods = [r.method for r in results.values()]
    pair = (
        (methods.index("exact"), methods.index("approx"))
        if {"exact", "approx"} <= set(methods)
        else None
    )
    shown = matrix_concepts(first, max_matrix)
    cells = matrix_cells(first, shown)
    shown_names = [src["name"][i] for i in shown]
    matrix = {
        **cells,
        "row_name": [src["name"][i] for i in cells["row"]],
        "col_name": [src["name"][i] for i in cells["col"]],
    }
    comparisons = [compare(first, r) for r in list(results.values())[1:]]
    meta = {
        "n_bins": n_bins,
        "n_low": n_low,
        "results": names,
        "patterns": list(PATTERN_ORDER),
        "colors": [PATTERN_COLORS[p] for p in PATTERN_ORDER],
        "pair": list(pair) if pair else None,
        "matrix_names": shown_names,
        "edges": edges.tolist(),
    }
    return {
        "src": src,
        "bank": bank,
        "lowbank": lowbank,
        "matrix": matrix,
        "meta": meta,
        "comparisons": comparisons,
    }


def detail_payload(built: dict, code: int, driver: int = 0) -> dict:
    """The concept-detail sources for one concept (what the JavaScript computes too)."""
    meta, src = built["meta"], built["src"]
    n_bins, n_low = meta["n_bins"], meta["n_low"]
    edges = np.asarray(meta["edges"])
    hist = {"left": edges[:-1], "right": edges[1:], "top": np.zeros(n_bins)}
    low = {k: [] for k in ("row", "sample", "k", "k_norm", "intruder", "intruder_name", "distance")}
    if code < 0:
        return {"hist": hist, "low": low}
    hist["top"] = built["bank"][f"hist_{driver}"].reshape(-1, n_bins)[code].astype(float)
    lb = built["lowbank"]
    for j in range(n_low):
        i = code * n_low + j
        s = int(lb[f"sample_{driver}"][i])
        if s < 0:
            break
        ic = int(lb[f"intruder_code_{driver}"][i])
        low["row"].append(j)
        low["sample"].append(s)
        low["k"].append(int(lb[f"k_{driver}"][i]))
        low["k_norm"].append(round(float(lb[f"k_norm_{driver}"][i]), 3))
        low["intruder"].append(int(lb[f"intruder_{driver}"][i]))
        low["intruder_name"].append(src["name"][ic] if ic >= 0 else "?")
        d = float(lb[f"distance_{driver}"][i])
        low["distance"].append(round(d, 3) if np.isfinite(d) else float("nan"))
    return {"hist": hist, "low": low}
