"""The views' JavaScript: its unit tests (node --test tests/js), Biome's lint and format, the
joined module, and the rules the page shares with Python checked against Python's.

Needs Node (Debian's nodejs) and, for Biome, ``npm ci`` at the repository root; skipped
without them unless KSTAR_REQUIRE_NODE=1 (CI), where a missing tool fails.
"""

from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.stats import FIGURES, PATTERN_COLORS, PATTERNS
from kstar_widgets.utils._format import MINUS, MISSING, interval, number
from kstar_widgets.widgets._payload import rank_by_skewness
from kstar_widgets.widgets._views import CSS, STATIC, VIEW_PARTS, css_source, esm_source
from kstar_widgets.widgets._vocab import vocabulary

REPO = Path(__file__).resolve().parents[2]
BIOME = REPO / "node_modules" / ".bin" / "biome"


def _missing(what: str):
    if os.environ.get("KSTAR_REQUIRE_NODE") == "1":
        pytest.fail(f"KSTAR_REQUIRE_NODE=1 but {what} is missing.")
    pytest.skip(f"needs {what}")


def _node() -> str:
    node = shutil.which("node")
    if node is None:
        _missing("node (apt-get install nodejs)")
    return node


def _run(cmd, **kw_):
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=120, **kw_)


def _in_node(script: str, data) -> object:
    """``script`` run as an ES module in Node with ``data`` as the JSON global DATA; its
    printed JSON back."""
    proc = _run(
        [_node(), "--input-type=module", "-e", f"const DATA = {json.dumps(data)};\n{script}"]
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_node_unit_tests_pass():
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / "tests" / "js").glob("*.test.mjs"))
    assert files, "no tests/js/*.test.mjs"
    proc = _run([_node(), "--test", *files])
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert re.search(r"^# fail 0$", proc.stdout, re.M), proc.stdout[-2000:]


def test_biome_lints_and_formats_every_js_and_css_file():
    _node()
    if not BIOME.exists():
        _missing(f"{BIOME} (npm ci)")
    proc = _run([str(BIOME), "check", "--colors=off"])
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-4000:]


def test_the_joined_module_loads_in_node_with_one_default_render():
    """Duplicate top-level names across the parts would be a SyntaxError here."""
    rules = STATIC / "kstar_rules.js"
    out = _in_node(
        """import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
const path = `${tmpdir()}/kstar_joined_${process.pid}.mjs`;
writeFileSync(path, DATA.source);
const m = await import(path);
console.log(JSON.stringify({ names: Object.keys(m), render: typeof m.default.render }));""",
        {"source": esm_source()},
    )
    assert out["render"] == "function"
    assert {"patternOf", "numberStyle", "decode", "loadBokeh"} <= set(out["names"])
    assert VIEW_PARTS[0] == rules and VIEW_PARTS[-1].name == "kstar_views.js"
    for part in VIEW_PARTS:
        text = part.read_text()
        assert not re.search(r"^\s*import[\s{(]", text, re.M), f"{part.name} imports"
        assert "export default" not in text or part == VIEW_PARTS[-1], part.name


def test_the_page_restates_no_vocabulary_and_no_css():
    """Pattern words, colours, the minus sign and the missing word come in payload.vocab."""
    literals = [*PATTERNS, "Undefined", *PATTERN_COLORS.values(), MINUS, MISSING]
    literals += [f.label for f in FIGURES.values()]
    for part in VIEW_PARTS:
        text = part.read_text()
        for word in literals:
            for quote in "\"'`":
                assert f"{quote}{word}{quote}" not in text, (part.name, word)
        assert not re.search(r"toFixed\(\d\)\s*[+`]|\.toFixed\(2\)}", text), part.name
        assert "<style" not in text and 'h("style"' not in text, part.name
    assert ".kstar-root {" in css_source() and CSS.name == "kstar_views.css"


def test_payload_vocab_is_pythons():
    v = vocabulary()
    assert v["patterns"] == [*PATTERNS, "Undefined"]
    assert v["colors"] == [PATTERN_COLORS[p] for p in v["patterns"]]
    assert (v["minus"], v["missing"]) == (MINUS, MISSING)
    assert all(v["figures"][key] == f.label for key, f in FIGURES.items() if key != "mean_skewness")
    assert v["figures"]["mean_skewness"].startswith(FIGURES["mean_skewness"].label)
    res = kw.kstar(np.r_[np.zeros((5, 2)), np.ones((5, 2))], [0] * 5 + [1] * 5, progress=False)
    keys = set(res.summary.keys())
    assert set(v["share_keys"]) <= keys and set(v["figures"]) <= keys
    assert kw.widgets.explorer_payload({"exact": res})["vocab"] == v
    json.dumps(v, allow_nan=False)


RULES = """import * as r from "%s";
const fmt = r.numberStyle(DATA.vocab);
const g = DATA.values.map((v) => (v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v));
console.log(JSON.stringify({
  pattern: g.map((x) => r.patternOf(x, DATA.t)),
  order: Array.from(r.orderByGamma(g).rank),
  gamma: g.map(fmt.gamma),
  number: g.map((x) => fmt.number(x)),
  gammaOf: g.map((_, i) => fmt.gammaOf({ skew: g, ciLow: [...g].reverse(), ciHigh: g.slice(1) }, i)),
}));"""


def test_the_pages_rules_agree_with_pythons():
    """Pattern, order and number style in JS against kw.classify, rank_by_skewness, number."""
    t = 0.5
    values = [0.5, -0.5, 0.50001, -0.50001, 0.0, -0.001, 1.25, -0.8412, 1.25, math.nan]
    values += [math.inf, -math.inf, math.nan, 3.0, -3.0, 0.005, -0.005, 12.3456]
    wire = ["nan" if math.isnan(x) else "inf" if x == math.inf else "-inf" if x == -math.inf else x
            for x in values]  # fmt: skip
    out = _in_node(RULES % (STATIC / "kstar_rules.js").as_uri(), {
        "vocab": vocabulary(), "values": wire, "t": t,
    })  # fmt: skip
    order = [*PATTERNS, "Undefined"]
    skew = np.array(values)
    assert [order[p] for p in out["pattern"]] == list(kw.classify(skew, t))
    assert out["order"] == rank_by_skewness(skew).tolist()
    assert out["gamma"] == [number(x, "+.2f") for x in values]
    assert out["number"] == [number(x, ".2f") for x in values]
    low, high = values[::-1], [*values[1:], None]  # as the page's ciLow, ciHigh above
    assert out["gammaOf"] == [interval(*v, fmt="+.2f") for v in zip(values, low, high, strict=True)]


CONFIDENCE = """import * as r from "%s";
import * as p from "%s";
const data = p.decode(DATA.payload);
const res = data.results[0];
console.log(JSON.stringify(DATA.ts.map((t) =>
  Array.from({ length: data.nc }, (_, i) => r.confidenceOf(res, i, t)))));"""


def test_the_pages_pattern_confidence_is_pythons_at_every_threshold():
    """Confidence at the live threshold, from the replicates in the payload, against
    pattern_confidence of result.with_threshold(t) (stats/_intervals.py::concept_columns)."""
    from sklearn.datasets import load_digits

    from kstar_widgets.widgets._views import _encode

    x, y = load_digits(return_X_y=True)
    res = kw.kstar(x[:600], y[:600], progress=False, n_boot=300)
    reps = res.replicates.skewness[0]
    # thresholds on the slider's steps, and exactly at replicate values (the rule's edges)
    ts = [0.0, 0.5, 0.85, 1.2, 1.7, 2.0, float(abs(reps[7, 3])), float(abs(reps[11, 9]))]
    payload = json.loads(json.dumps(_encode(kw.widgets.explorer_payload({"a": res}))))
    out = _in_node(
        CONFIDENCE % ((STATIC / "kstar_rules.js").as_uri(), (STATIC / "kstar_payload.js").as_uri()),
        {"payload": payload, "ts": ts},
    )
    skew = res.concepts["skewness"].to_numpy()
    for t, shown in zip(ts, out, strict=True):
        want = res.with_threshold(t).concepts["pattern_confidence"].to_numpy()
        # the page classifies Γ as it receives it (float32); so does this expectation
        point = kw.classify(skew.astype(np.float32).astype(np.float64), t)
        same = point == kw.classify(skew, t)
        np.testing.assert_array_equal(np.array(shown, dtype=float)[same], want[same], str(t))
    assert len({tuple(v) for v in out}) > 3  # the thresholds give different confidences
