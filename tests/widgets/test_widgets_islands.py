"""The islands section's payload, checked against the result it comes from (no browser)."""

from collections import Counter

import numpy as np
import pytest

import kstar_widgets as kw
from kstar_widgets.widgets._islands import IslandIndex, concept_islands, island_bank
from kstar_widgets.widgets._payload import from_buffer


@pytest.fixture(scope="module")
def digits():
    from sklearn.datasets import load_digits

    d = load_digits()
    exact = kw.kstar(d.data, d.target, method="exact", progress=False, n_boot=0)
    approx = kw.kstar(d.data, d.target, method="approx", progress=False, n_boot=0, name="approx")
    plain = kw.kstar(d.data, d.target, method="exact", progress=False, n_boot=0, islands=False)
    return d, exact, approx, plain


def _expected(res, code):
    """Sizes, members and intruding-concept counts of each island, straight from the result."""
    out = []
    for i in range(int(res.island[res.codes == code].max()) + 1):
        members = np.flatnonzero((res.codes == code) & (res.island == i))
        intruders = res.intruder[members]
        out.append((members, Counter(res.codes[intruders[intruders >= 0]].tolist())))
    return out


def _shown(part):
    """(members, Counter of intruding concepts) per island, read from the payload."""
    sizes, members = from_buffer(part["sizes"]), from_buffer(part["members"])
    b = {k: from_buffer(v) for k, v in part["between"].items()}
    at = np.r_[0, np.cumsum(sizes)]
    out = []
    for i in range(len(sizes)):
        mine = b["island"] == i
        counts = b["count"][mine]
        assert np.all(np.diff(counts) <= 0)  # most frequent first, as the page lists them
        out.append(
            (
                members[at[i] : at[i + 1]],
                Counter(dict(zip(b["concept"][mine].tolist(), counts.tolist(), strict=True))),
            )
        )
    return out


@pytest.mark.parametrize("which", ["exact", "approx"])
def test_concept_islands_match_the_result(digits, which):
    res = digits[1] if which == "exact" else digits[2]
    index = IslandIndex(res)
    many = 0
    for code in range(len(res.concepts)):
        expected, shown = _expected(res, code), _shown(index.concept(code))
        assert len(shown) == len(expected) == res.concepts["islands"].iloc[code]
        for (m_e, c_e), (m_s, c_s) in zip(expected, shown, strict=True):
            np.testing.assert_array_equal(m_s, m_e)  # same members, island 0 the largest
            assert c_s == c_e
        many += len(expected) > 1
    assert many >= 2  # the digits have fractured concepts: the test sees several islands


def test_payload_figures_and_the_approximate_flag(digits):
    _, exact, approx, plain = digits
    w = kw.explore({"exact": exact, "approx": approx, "plain": plain})
    figs = [r["islands"] for r in w.payload["results"]]
    for fig, res in zip(figs[:2], (exact, approx), strict=True):
        np.testing.assert_array_equal(from_buffer(fig["count"]), res.concepts["islands"])
        np.testing.assert_allclose(
            from_buffer(fig["largest"]), res.concepts["largest_island_share"], rtol=1e-6
        )
    assert figs[0]["approximate"] is False and figs[1]["approximate"] is True
    assert figs[2] is None  # islands=False: the page says they were not computed
    assert w.islands == {"code": -1, "results": []}
    w.selected_concept = 8
    assert w.islands["code"] == 8 and w.islands["results"][2] is None
    sizes = from_buffer(w.islands["results"][0]["sizes"])
    np.testing.assert_array_equal(sizes, np.bincount(exact.island[exact.codes == 8]))


def test_thumbnails_and_report_bank_hold_the_islands(digits, tmp_path):
    d, exact, approx, _ = digits
    images = (d.images * 16).clip(0, 255).astype(np.uint8)
    w = kw.explore(exact, images=images)
    code = int(np.argmax(exact.concepts["islands"].to_numpy()))
    w.selected_concept = exact.concepts.index[code]
    ids = set(from_buffer(w.thumbs["ids"]).tolist())
    for members, _ in _expected(exact, code)[:12]:
        assert set(members[:3].tolist()) <= ids  # the first members of every listed island
    bank = island_bank({"exact": exact, "approx": approx})
    assert sorted(bank, key=int) == [str(c) for c in range(len(exact.concepts))]
    for c in (code, 0):
        want = concept_islands([IslandIndex(exact), IslandIndex(approx)], c)
        for got, exp in zip(bank[str(c)]["results"], want["results"], strict=True):
            np.testing.assert_array_equal(from_buffer(got["members"]), from_buffer(exp["members"]))
    path = kw.report(exact, tmp_path / "r.html", selected_concept=exact.concepts.index[code])
    assert '"island_bank":{"0":' in open(path).read()
