"""The reading table: one number style for every table a person reads in the notebooks."""

import numpy as np
import pandas as pd

import kstar_widgets as kw
from kstar_widgets.interpret import NBSP, readable


def test_intervals_fold_into_one_cell_that_does_not_wrap():
    t = pd.DataFrame(
        {
            "skewness": [-0.8412, np.nan],
            "skewness_ci_low": [-1.2, np.nan],
            "skewness_ci_high": [-0.3, np.nan],
            "largest_island_share": [1.0, 0.004],
            "islands": [2, 1],
            "pattern": ["Clustered", "Overlapped"],
        },
        index=["a", "b"],
    )
    r = readable(t)
    assert list(r.columns) == ["skewness", "largest_island_share", "islands", "pattern"]
    assert r.loc["a", "skewness"] == NBSP.join(["−0.84", "[−1.20,", "−0.30]"])
    assert r.loc["b", "skewness"] == "n/a"  # never "nan"
    assert list(r["largest_island_share"]) == ["100%", "0.4%"]
    assert list(r["islands"]) == ["2", "1"]
    assert " " not in "".join(r.to_numpy().ravel())


def test_a_summary_reads_as_percentages_with_intervals():
    x, y = kw.synthetic.concept_space(n_concepts=4, per_concept=30, dim=8, random_state=0)
    res = kw.kstar(x, y, progress=False, n_boot=50, random_state=0)
    s = res.summary
    one = readable(s)
    both = readable(pd.DataFrame({"a": s, "b": s}))
    assert "share_fractured_ci_low" not in one.index and list(both["a"]) == list(one)
    low, high = (f"{s[f'share_fractured_ci_{e}']:.0%}" for e in ("low", "high"))
    assert one["share_fractured"] == f"{s['share_fractured']:.0%}{NBSP}[{low},{NBSP}{high}]"
    assert one["n_samples"] == "120" and one["threshold"] == "0.50"
    table = readable(res.concepts)
    assert table["skewness"].str.contains("[", regex=False).all()
    assert "nan" not in " ".join(table.to_numpy().ravel())
