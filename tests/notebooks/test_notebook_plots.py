"""The teaching notebook's plots say what its text says: a spread-out example that is
spread out, mean and median told apart by a legend, titles that fit their figure.

The functions are read from the notebook source (notebooks/src/02_teaching_kstar.py)
and run here, without a kernel.
"""

import ast
from pathlib import Path

import numpy as np
import pytest

import kstar_widgets as kw

SOURCE = Path(__file__).resolve().parents[2] / "notebooks" / "src" / "02_teaching_kstar.py"
# Bokeh's default title: bold 13px, about 7.5 px per character; the frame loses ~40 px to the axis
TITLE_PX_PER_CHAR = 7.5


def notebook_functions(*names):
    """The notebook's imports, constants and the named functions, run in one scope."""
    tree = ast.parse(SOURCE.read_text())
    keep = [
        n
        for n in tree.body
        if isinstance(n, (ast.Import, ast.ImportFrom))
        or (isinstance(n, ast.FunctionDef) and n.name in names)
        or (
            isinstance(n, (ast.Assign, ast.AugAssign))
            and all(isinstance(t, ast.Name) and t.id.isupper() for t in _targets(n))
        )
    ]
    scope: dict = {}
    exec(compile(ast.Module(keep, []), str(SOURCE), "exec"), scope)
    return scope


def _targets(node):
    return node.targets if isinstance(node, ast.Assign) else [node.target]


@pytest.mark.parametrize("seed", range(4))
def test_spread_out_example_fills_the_histogram_evenly(seed):
    nb = notebook_functions("spread_out_space")
    x, y = nb["spread_out_space"](seed=seed)
    res = kw.kstar(x, y, method="exact", progress=False)
    v = res.k_norm[res.labels == "target"]
    counts, _ = np.histogram(v, bins=25, range=(0.0, 1.0))  # the notebook's bins
    assert counts.max() / counts.mean() < 2, counts  # no peak (uniform t gave 2.5 at seed 2)
    assert counts.min() > 0, counts
    assert res.concepts.loc["target", "pattern"] == "Overlapped"


@pytest.fixture(scope="module")
def histogram():
    bokeh = pytest.importorskip("bokeh")
    assert bokeh
    nb = notebook_functions(
        "neighbour_space", "kstar_histogram", "mark_mean_median", "set_mean_median"
    )
    x, y = nb["neighbour_space"](1.5, seed=2)
    res = kw.kstar(x, y, method="exact", progress=False)
    return nb["kstar_histogram"](res, "target", title="distance 1.5"), res


def test_mean_and_median_differ_in_dash_and_colour_and_a_legend_names_them(histogram):
    from bokeh.models import Legend, Segment

    fig, res = histogram
    lines = [r for r in fig.renderers if isinstance(r.glyph, Segment)]
    assert len(lines) == 2
    mean, median = (r.glyph for r in lines)
    assert mean.line_dash != median.line_dash and median.line_dash == []  # dashed vs solid
    assert mean.line_color != median.line_color
    legends = [x for x in fig.below if isinstance(x, Legend)]  # under the axis, off the bars
    assert legends and [i.label.value for i in legends[0].items] == ["mean", "median"]
    v = res.k_norm[res.labels == "target"]
    xs = [r.data_source.data["x"][0] for r in lines]
    assert xs == pytest.approx([v.mean(), np.median(v)])
    assert fig.x_range.start < 0 and fig.x_range.end > 1  # a line at 0 or 1 is off the frame


def test_histogram_titles_fit_their_width(histogram):
    from bokeh.models import Title

    fig, _res = histogram
    titles = [fig.title, *(t for t in fig.above if isinstance(t, Title))]
    assert len(titles) == 2  # the pattern, and Γ with its interval on its own line
    for t in titles:
        assert len(t.text) * TITLE_PX_PER_CHAR <= fig.width - 40, t.text
    assert "Fractured" in fig.title.text and "[" in titles[1].text
