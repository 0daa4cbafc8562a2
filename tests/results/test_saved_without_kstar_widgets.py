"""docs/results.md's snippet opens a saved result with numpy, pandas, json and zipfile alone."""

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from helpers_saved import censored_result, labelled

DOC = Path(__file__).parents[2] / "docs" / "results.md"

RUN = """
import sys
sys.modules["kstar_widgets"] = None  # importing it would fail: the snippet must not need it
path = sys.argv[1]
{snippet}
import pandas as pd
out = sys.argv[2]
per_sample.to_pickle(out + ".samples")
concepts.to_pickle(out + ".concepts")
summary.to_pickle(out + ".summary")
"""


def _snippet() -> str:
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), flags=re.S)
    return next(b for b in blocks if "zipfile.ZipFile(path)" in b)


def test_the_documented_snippet_reads_every_table_without_kstar_widgets(tmp_path):
    r = censored_result(*labelled("str"))
    r.save(tmp_path / "run.kstar")
    script = RUN.format(snippet=_snippet())
    out = str(tmp_path / "out")
    subprocess.run([sys.executable, "-c", script, str(tmp_path / "run.kstar"), out], check=True)
    samples = pd.read_pickle(out + ".samples")
    assert np.array_equal(samples["k"], r.k) and samples["labels"].tolist() == r.labels.tolist()
    assert np.array_equal(samples["intruder_distance"], r.intruder_distance, equal_nan=True)
    concepts = pd.read_pickle(out + ".concepts")
    pd.testing.assert_frame_equal(concepts, r.concepts, check_dtype=False, check_index_type=False)
    assert concepts["pattern"].tolist() == r.concepts["pattern"].tolist()
    summary = pd.read_pickle(out + ".summary")
    pd.testing.assert_series_equal(summary, r.summary, check_dtype=False)


def test_meta_json_is_plain_json_with_the_documented_keys(tmp_path):
    import zipfile

    censored_result(*labelled("int")).save(tmp_path / "run.kstar")
    with zipfile.ZipFile(tmp_path / "run.kstar") as z:
        meta = json.loads(z.read("meta.json"))
        assert all(zinfo.filename.endswith((".npy", ".json")) for zinfo in z.infolist())
    assert (meta["format"], meta["format_version"]) == ("kstar_widgets.result", 1)
    for key in ("written_by", "created", "method", "metric", "reason", "threshold", "info"):
        assert key in meta and key in DOC.read_text()
    assert meta["info"] == {"graph_neighbors": 25, "verified_share": 0.75}
