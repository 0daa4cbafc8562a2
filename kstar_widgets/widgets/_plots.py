"""Bokeh figures of the five views, linked in the page by one CustomJS callback."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

_LINKS_JS = Path(__file__).parent / "static" / "links.js"
ROW_PX = 22
TOOLTIPS = [("concept", "@name"), ("n", "@n"), ("Γ", "@skew_txt"), ("pattern", "@pattern")]


@dataclass
class Views:
    """The Bokeh layout and the models Python talks to."""

    layout: object
    src: object
    dhist: object
    dlow: object
    thumbs: object
    thumbbank: object
    matrix: object
    header: object
    changed: object
    slider: object
    radio: object
    selb: object
    built: dict


def overview(src, nc: int, rows: int):
    """View 1: one ridge of normalised k* per concept, sorted by Γ, coloured by pattern."""
    from bokeh.models import HoverTool, Range1d, TapTool, WheelPanTool
    from bokeh.plotting import figure
    from bokeh.transform import dodge

    visible = min(nc, rows)
    p = figure(
        title="k* distribution per concept (sorted by Γ; scroll for more)",
        height=visible * ROW_PX + 70,
        width=560,
        x_range=Range1d(-0.02, 1.62),
        y_range=Range1d(visible - 0.4, -1.0),
        tools="ypan,reset",
        toolbar_location="above",
        name="overview",
    )
    # an invisible band per row makes the whole row clickable and highlights the selected one
    band = p.hbar(
        y=dodge("rank", -0.45),
        left=-0.02,
        right=1.6,
        height=1.0,
        source=src,
        fill_color="#ffd54f",
        fill_alpha=0.0,
        line_color=None,
        selection_fill_alpha=0.35,
        nonselection_fill_alpha=0.0,
    )
    ridges = p.patches(
        xs="xs",
        ys="ys",
        source=src,
        fill_color="color",
        line_color="color",
        fill_alpha=0.55,
        selection_fill_alpha=0.95,
        nonselection_fill_alpha=0.3,
        selection_line_color="black",
        nonselection_line_alpha=0.5,
    )
    p.text(
        x="label_x",
        y=dodge("rank", -0.3),
        text="label",
        source=src,
        text_baseline="middle",
        text_font_size="10px",
        nonselection_text_alpha=1.0,
    )
    wheel = WheelPanTool(dimension="height")
    p.add_tools(
        HoverTool(renderers=[band], tooltips=TOOLTIPS), TapTool(renderers=[band, ridges]), wheel
    )
    p.toolbar.active_scroll = wheel
    p.yaxis.visible = False
    p.ygrid.visible = False
    p.xaxis.axis_label = "normalised k* (k* / n)"
    return p


def detail(dhist, dlow, thumbs, with_images: bool, n_low: int):
    """View 2: histogram of the selected concept and its lowest-k* samples with intruders."""
    from bokeh.layouts import column, row
    from bokeh.models import DataTable, Range1d, TableColumn
    from bokeh.plotting import figure

    h = figure(
        title="k* of the selected concept",
        height=200,
        width=420,
        tools="",
        toolbar_location=None,
        name="detail_hist_plot",
    )
    h.quad(
        left="left",
        right="right",
        top="top",
        bottom=0,
        source=dhist,
        fill_color="#4c72b0",
        line_color="white",
    )
    h.xaxis.axis_label = "normalised k*"
    h.yaxis.axis_label = "samples"
    cols = [
        ("sample", "sample"),
        ("k", "k*"),
        ("k_norm", "k*/n"),
        ("intruder", "intruder"),
        ("intruder_name", "its concept"),
        ("distance", "distance"),
    ]
    table = DataTable(
        source=dlow,
        columns=[TableColumn(field=f, title=t) for f, t in cols],
        height=28 + 25 * n_low,
        width=420 if not with_images else 330,
        index_position=None,
        reorderable=False,
        name="detail_table",
    )
    parts = [table]
    if with_images:
        g = figure(
            height=28 + 25 * n_low,
            width=90,
            x_range=Range1d(-0.1, 2.3),
            y_range=Range1d(-0.1, n_low),
            tools="",
            toolbar_location=None,
            name="detail_thumbs",
            min_border=2,
        )
        g.image_rgba(image="image", x="x", y="y", dw="dw", dh="dh", source=thumbs)
        g.axis.visible = False
        g.grid.visible = False
        parts = [g, table]
    return column(h, row(*parts))


def intrusion(matrix, mband, names: list, max_shown: int):
    """View 3: which concept supplies each concept's first foreign neighbours (row shares)."""
    from bokeh.models import HoverTool, TapTool
    from bokeh.palettes import Blues256
    from bokeh.plotting import figure
    from bokeh.transform import linear_cmap

    size = max(260, min(560, 16 * len(names) + 90))
    p = figure(
        title=f"intrusion matrix (row shares{'' if len(names) < max_shown else ', most fractured'})",
        x_range=names,
        y_range=list(reversed(names)),
        width=size,
        height=size,
        tools="",
        toolbar_location=None,
        name="matrix_plot",
    )
    p.hbar(
        y="y",
        left="left",
        right="right",
        height=1,
        source=mband,
        fill_color="#ffd54f",
        fill_alpha=0.35,
        line_color=None,
    )
    cells = p.rect(
        x="col_name",
        y="row_name",
        width=0.95,
        height=0.95,
        source=matrix,
        fill_color=linear_cmap("share", Blues256[::-1], 0, 1),
        line_color=None,
        selection_line_color="#d62728",
        selection_line_width=2,
        nonselection_fill_alpha=0.8,
    )
    p.add_tools(
        HoverTool(
            renderers=[cells],
            tooltips=[
                ("concept", "@row_name"),
                ("intruder concept", "@col_name"),
                ("count", "@count"),
                ("share", "@share{0.0%}"),
            ],
        ),
        TapTool(renderers=[cells]),
    )
    p.xaxis.axis_label = "concept of the intruder"
    p.yaxis.axis_label = "concept"
    p.xaxis.major_label_orientation = 1.0
    return p


def scatter(src, x: str, y: str, title: str, xlabel: str, ylabel: str, name: str):
    """Γ of one result against Γ of another, per concept, with the identity line."""
    from bokeh.models import HoverTool, Slope, TapTool
    from bokeh.plotting import figure

    p = figure(
        title=title,
        width=330,
        height=330,
        tools="pan,wheel_zoom,reset",
        toolbar_location="above",
        name=name,
        match_aspect=True,
    )
    p.add_layout(Slope(gradient=1, y_intercept=0, line_color="#888888", line_dash="dashed"))
    pts = p.scatter(
        x=x,
        y=y,
        source=src,
        size=8,
        fill_color="color",
        line_color="#333333",
        fill_alpha=0.8,
        selection_line_color="black",
        selection_line_width=2,
        nonselection_fill_alpha=0.25,
    )
    p.add_tools(
        HoverTool(renderers=[pts], tooltips=[*TOOLTIPS, ("censored", "@cens_1{0%}")]),
        TapTool(renderers=[pts]),
    )
    p.xaxis.axis_label = xlabel
    p.yaxis.axis_label = ylabel
    return p


def links_js():
    """The shared CustomJS body."""
    return _LINKS_JS.read_text(encoding="utf-8")
