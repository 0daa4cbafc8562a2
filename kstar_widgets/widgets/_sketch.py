"""A static SVG sketch of a Bokeh plot: the picture a figure's fallback shows with no kernel.

It draws what the notebooks' figures are made of (bars as ``quad``/``vbar``, ``segment``,
``line``, ``scatter``, ``varea``, box annotations), on numeric axes, with the title and
axis labels. It is a sketch, not Bokeh: no toolbar, ticks only at the ends of each axis;
plots with categorical axes are left out (their words are given instead).
"""

from __future__ import annotations

import base64
import html
import math

import numpy as np

PAD = dict(left=46, right=12, top=40, bottom=40)  # room for title, end ticks and axis labels
MAX_POINTS = 1000  # per glyph: a saved notebook stays small


def _column(glyph, source, name, n):
    """Glyph property ``name`` as n floats: a column of its source, or one value for all."""
    spec = getattr(glyph, name, None)
    if isinstance(spec, str) and spec in source.data:
        values = source.data[spec]
    elif isinstance(spec, dict):
        values = source.data.get(spec.get("field"), spec.get("value"))
    else:
        values = spec
    if values is None:
        return None
    values = np.asarray(values, dtype=float) if np.ndim(values) else np.full(n, float(values))
    return values.ravel()


def _colour(glyph, name, default="#4c72b0") -> str:
    value = getattr(glyph, name, None)
    return value if isinstance(value, str) and not value.startswith(("field", "{")) else default


def _extent(rng, values):
    """The range shown: a fixed Range1d as given, else the data's with 5% padding."""
    start, end = getattr(rng, "start", None), getattr(rng, "end", None)
    fixed = all(isinstance(v, (int, float)) and math.isfinite(v) for v in (start, end))
    if fixed and start != end:  # a DataRange1d's ends are NaN until BokehJS computes them
        return float(start), float(end)
    finite = values[np.isfinite(values)] if values.size else values
    if not finite.size:
        return 0.0, 1.0
    lo, hi = float(finite.min()), float(finite.max())
    pad = (hi - lo) * 0.05 or 0.5
    return lo - pad, hi + pad


_SHAPES = {  # glyph type -> (x columns, y columns): what the ranges must hold
    "Quad": (("left", "right"), ("bottom", "top")),
    "VBar": (("x",), ("bottom", "top")),
    "Segment": (("x0", "x1"), ("y0", "y1")),
    "Line": (("x",), ("y",)),
    "Scatter": (("x",), ("y",)),
    "Circle": (("x",), ("y",)),
    "VArea": (("x",), ("y1", "y2")),
}


def _glyphs(plot):
    """(type, {column: values}, glyph) of each drawable renderer, at most MAX_POINTS each."""
    from bokeh.models import GlyphRenderer

    out = []
    for r in plot.renderers:
        kind = type(getattr(r, "glyph", None)).__name__
        if not isinstance(r, GlyphRenderer) or kind not in _SHAPES or not r.visible:
            continue
        n = len(next(iter(r.data_source.data.values()), []))
        cols = {c: _column(r.glyph, r.data_source, c, n) for c in sum(_SHAPES[kind], ())}
        if kind == "VBar":
            cols["width"] = _column(r.glyph, r.data_source, "width", n)
        if any(v is None for v in cols.values()) or not n:
            continue
        step = max(1, n // MAX_POINTS)
        out.append((kind, {c: v[::step] for c, v in cols.items()}, r.glyph))
    return out


def plot_svg(plot) -> str | None:
    """The plot as an SVG document, or None for a plot this sketch cannot draw."""
    from bokeh.models import BoxAnnotation, FactorRange

    if isinstance(plot.x_range, FactorRange) or isinstance(plot.y_range, FactorRange):
        return None
    glyphs = _glyphs(plot)
    if not glyphs:
        return None
    xs = np.concatenate([g[1][c] for g in glyphs for c in _SHAPES[g[0]][0]])
    ys = np.concatenate([g[1][c] for g in glyphs for c in _SHAPES[g[0]][1]])
    (x0, x1), (y0, y1) = _extent(plot.x_range, xs), _extent(plot.y_range, ys)
    w, h = int(plot.width or 600), int(plot.height or 400)
    fw, fh = w - PAD["left"] - PAD["right"], h - PAD["top"] - PAD["bottom"]

    def sx(v):
        return np.round(PAD["left"] + (np.asarray(v) - x0) / (x1 - x0) * fw, 1)

    def sy(v):
        span = abs(y1 - y0)  # far outside the frame is drawn just outside it (clipped)
        v = np.clip(np.asarray(v, dtype=float), min(y0, y1) - span, max(y0, y1) + span)
        return np.round(PAD["top"] + fh - (v - y0) / (y1 - y0) * fh, 1)

    parts = [_boxes(plot, BoxAnnotation, sy, PAD["left"], fw)]
    parts += [_draw(kind, cols, glyph, sx, sy) for kind, cols, glyph in glyphs]
    return _document(plot, w, h, fw, fh, (x0, x1, y0, y1), "".join(parts))


def _boxes(plot, box_type, sy, left, width) -> str:
    """Horizontal box annotations (the pattern bands) across the frame."""
    out = []
    for b in plot.center:
        if not isinstance(b, box_type):
            continue
        if not any(isinstance(v, (int, float)) for v in (b.left, b.right)):  # a full-width band
            top = sy(b.top if isinstance(b.top, (int, float)) else 1e9)
            bottom = sy(b.bottom if isinstance(b.bottom, (int, float)) else -1e9)
            out.append(
                f'<rect x="{left}" y="{top}" width="{width}" height="{bottom - top}" '
                f'fill="{_colour(b, "fill_color", "#ddd")}" fill-opacity="{b.fill_alpha}"/>'
            )
    return "".join(out)


def _draw(kind, c, glyph, sx, sy) -> str:
    """SVG elements of one glyph renderer."""
    fill, line = _colour(glyph, "fill_color"), _colour(glyph, "line_color")
    alpha = getattr(glyph, "fill_alpha", 1.0)
    alpha = alpha if isinstance(alpha, (int, float)) else 1.0
    if kind in ("Quad", "VBar"):
        if kind == "VBar":
            c = dict(c, left=c["x"] - c["width"] / 2, right=c["x"] + c["width"] / 2)
        ends = zip(sx(c["left"]), sx(c["right"]), sy(c["top"]), sy(c["bottom"]), strict=True)
        bars = "".join(
            f'<rect x="{a}" y="{t}" width="{max(b - a, 0.5)}" height="{max(m - t, 0)}"/>'
            for a, b, t, m in ends
        )
        return f'<g fill="{fill}" fill-opacity="{alpha}">{bars}</g>'
    dash = ' stroke-dasharray="5,3"' if getattr(glyph, "line_dash", []) else ""
    width = getattr(glyph, "line_width", 1)
    stroke = f'stroke="{line}" stroke-width="{width if isinstance(width, (int, float)) else 1}"'
    if kind == "Segment":
        return "".join(
            f'<line x1="{a}" y1="{b}" x2="{p}" y2="{q}" {stroke}{dash}/>'
            for a, b, p, q in zip(sx(c["x0"]), sy(c["y0"]), sx(c["x1"]), sy(c["y1"]), strict=True)
        )
    if kind == "Line":
        pts = " ".join(
            f"{a},{b}" for a, b in zip(sx(c["x"]), sy(c["y"]), strict=True) if math.isfinite(b)
        )
        return f'<polyline points="{pts}" fill="none" {stroke}{dash}/>'
    if kind == "VArea":
        top = [f"{a},{b}" for a, b in zip(sx(c["x"]), sy(c["y2"]), strict=True)]
        bottom = [f"{a},{b}" for a, b in zip(sx(c["x"])[::-1], sy(c["y1"])[::-1], strict=True)]
        return f'<polygon points="{" ".join(top + bottom)}" fill="{fill}" fill-opacity="{alpha}"/>'
    dots = "".join(  # Scatter, Circle
        f'<circle cx="{a}" cy="{b}" r="2"/>' for a, b in zip(sx(c["x"]), sy(c["y"]), strict=True)
    )
    return f'<g fill="{fill}" fill-opacity="{alpha}">{dots}</g>'


def _document(plot, w, h, fw, fh, ends, body) -> str:
    """The SVG around the drawing: frame, title, end ticks, axis labels."""
    from ..utils._format import number

    esc = html.escape
    x0, x1, y0, y1 = ends
    left, top = PAD["left"], PAD["top"]
    title = esc(plot.title.text) if plot.title is not None and plot.title.text else ""
    xl = " ".join(esc(a.axis_label) for a in plot.below if getattr(a, "axis_label", None))
    yl = " ".join(esc(a.axis_label) for a in plot.left if getattr(a, "axis_label", None))
    text = 'font-family="sans-serif" font-size="11" fill="#444"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}"><rect width="{w}" height="{h}" fill="white"/>'
        f'<clipPath id="f"><rect x="{left}" y="{top}" width="{fw}" height="{fh}"/></clipPath>'
        f'<g clip-path="url(#f)">{body}</g>'
        f'<rect x="{left}" y="{top}" width="{fw}" height="{fh}" fill="none" stroke="#999"/>'
        f'<text x="{left}" y="16" font-family="sans-serif" font-size="13" font-weight="bold">'
        f"{title}</text>"
        f'<text x="{left}" y="{top + fh + 14}" {text}>{esc(number(x0, ".2g"))}</text>'
        f'<text x="{left + fw}" y="{top + fh + 14}" text-anchor="end" {text}>'
        f"{esc(number(x1, '.2g'))}</text>"
        f'<text x="{left - 4}" y="{top + fh}" text-anchor="end" {text}>{esc(number(y0, ".2g"))}'
        f'</text><text x="{left - 4}" y="{top + 10}" text-anchor="end" {text}>'
        f"{esc(number(y1, '.2g'))}</text>"
        f'<text x="{left + fw / 2}" y="{h - 8}" text-anchor="middle" {text}>{xl}</text>'
        f'<text transform="translate(12,{top + fh / 2}) rotate(-90)" text-anchor="middle" '
        f"{text}>{yl}</text></svg>"
    )


def plot_img(plot) -> str:
    """The sketch as an <img> tag (an SVG data URL: no script, shown by sanitisers), or ""."""
    svg = plot_svg(plot)
    if svg is None:
        return ""
    data = base64.b64encode(svg.encode()).decode()
    alt = html.escape(plot.title.text if plot.title is not None and plot.title.text else "plot")
    return f'<img src="data:image/svg+xml;base64,{data}" alt="{alt}" width="{plot.width}">'
