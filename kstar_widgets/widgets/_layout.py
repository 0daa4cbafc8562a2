"""Assemble the five views into one Bokeh layout and wire their linking."""

from __future__ import annotations

import pandas as pd

from . import _plots
from ._sources import build_sources, detail_payload
from ._texts import changed_html, timing_text
from ._thumbs import thumbnail_bank


def build_views(
    results: dict,
    *,
    threshold: float,
    images=None,
    embed_images: bool = False,
    n_bins: int = 32,
    n_low: int = 6,
    rows: int = 28,
    max_matrix: int = 40,
) -> _plots.Views:
    """Every view of ``results`` (name -> KStarResult) in one linked Bokeh layout."""
    from bokeh.layouts import column, row
    from bokeh.models import (
        ColumnDataSource,
        CustomJS,
        DataTable,
        Div,
        RadioButtonGroup,
        Select,
        Slider,
        TableColumn,
    )

    built = build_sources(
        results, threshold=threshold, n_bins=n_bins, n_low=n_low, max_matrix=max_matrix
    )
    meta, names = built["meta"], list(results)
    src = ColumnDataSource(built["src"], name="concepts")
    bank = ColumnDataSource(built["bank"], name="bank")
    lowbank = ColumnDataSource(built["lowbank"], name="lowbank")
    empty = detail_payload(built, -1)
    dhist = ColumnDataSource(empty["hist"], name="detail_hist")
    dlow = ColumnDataSource(empty["low"], name="detail_low")
    thumbs = ColumnDataSource({"image": [], "x": [], "y": [], "dw": [], "dh": []}, name="thumbs")
    thumbbank = ColumnDataSource(
        thumbnail_bank(built, images) if embed_images else {"sample": [], "image": []},
        name="thumbbank",
    )
    matrix = ColumnDataSource(built["matrix"], name="matrix")
    mband = ColumnDataSource({"y": [], "left": [], "right": []}, name="matrix_band")
    header = Div(text="<i>click a concept in any view</i>", name="header", width=560)
    changed = Div(text="", name="changed", width=330)
    slider = Slider(
        start=0.0,
        end=max(2.0, threshold),
        step=0.05,
        value=threshold,
        title="threshold t (|Γ| > t)",
        width=260,
        name="threshold",
    )
    radio = RadioButtonGroup(labels=names, active=0, name="driver", visible=len(names) > 1)
    selb = (
        Select(
            title="compare with", options=names[1:], value=names[1], name="compare_with", width=200
        )
        if len(names) > 1
        else None
    )

    nc = len(built["src"]["code"])
    views = [_plots.overview(src, nc, rows)]
    right = [
        _plots.detail(dhist, dlow, thumbs, images is not None, n_low),
        _plots.intrusion(matrix, mband, meta["matrix_names"], max_matrix),
    ]
    extra = []
    if meta["pair"]:
        i, j = meta["pair"]
        extra.append(
            column(
                _plots.scatter(
                    src,
                    f"sd_{i}",
                    f"sd_{j}",
                    "exact vs approximate Γ",
                    f"Γ ({names[i]})",
                    f"Γ' ({names[j]})",
                    "exact_vs_approx",
                ),
                Div(text=timing_text(results, meta["pair"]), width=330, name="timings"),
                name="view_exact_approx",
            )
        )
    if len(names) > 1:
        summary = built["comparisons"][0].summary
        table = {"metric": list(summary.index)}
        full = pd.concat([r.summary.rename(n) for n, r in results.items()], axis=1)
        cols = [TableColumn(field="metric", title="", width=130)]
        for k, nm in enumerate(names):
            table[f"r{k}"] = [f"{v:.3f}" if isinstance(v, float) else str(v) for v in full[nm]]
            cols.append(TableColumn(field=f"r{k}", title=nm))
        rho = ", ".join(f"{c.names[1]} ρ={c.rank_correlation:.2f}" for c in built["comparisons"])
        extra.append(
            column(
                selb,
                _plots.scatter(
                    src,
                    "sd_0",
                    "cb",
                    "Γ per concept: A vs B",
                    f"Γ_A ({names[0]})",
                    "Γ_B",
                    "comparison",
                ),
                Div(text=f"Spearman of Γ vs {names[0]}: {rho}", width=330),
                DataTable(
                    source=ColumnDataSource(table),
                    columns=cols,
                    width=330,
                    height=300,
                    index_position=None,
                    reorderable=False,
                    name="summaries",
                ),
                changed,
                name="view_compare",
            )
        )
    args = dict(
        src=src,
        bank=bank,
        lowbank=lowbank,
        dhist=dhist,
        dlow=dlow,
        thumbs=thumbs,
        thumbbank=thumbbank,
        matrix=matrix,
        mband=mband,
        header=header,
        changed=changed,
        slider=slider,
        radio=radio,
        selb=selb,
        meta=meta,
        yr=views[0].y_range,
    )
    code = _plots.links_js()
    src.selected.js_on_change("indices", CustomJS(args={**args, "what": "select"}, code=code))
    matrix.selected.js_on_change("indices", CustomJS(args={**args, "what": "matrix"}, code=code))
    restyle = CustomJS(args={**args, "what": "restyle"}, code=code)
    slider.js_on_change("value", restyle)
    radio.js_on_change("active", restyle)
    if selb is not None:
        selb.js_on_change("value", restyle)
        changed.text = changed_html(built, threshold, 1)
    layout = column(
        row(slider, radio, name="controls"),
        header,
        row(
            column(*views, name="view_overview"),
            column(right[0], name="view_detail"),
            name="row_main",
        ),
        row(column(right[1], name="view_matrix"), *extra, name="row_more"),
        name="kstar_explorer",
    )
    return _plots.Views(
        layout=layout,
        src=src,
        dhist=dhist,
        dlow=dlow,
        thumbs=thumbs,
        thumbbank=thumbbank,
        matrix=matrix,
        header=header,
        changed=changed,
        slider=slider,
        radio=radio,
        selb=selb,
        built=built,
    )
