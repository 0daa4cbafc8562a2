"""The approximate engine built for k*: d_foreign from a pool of real foreign rows
(an upper bound of exact k*), and the audit every approximate result carries."""

import warnings

import numpy as np
import pytest
from brute_force import brute_force_kstar

import kstar_widgets as kw
from kstar_widgets.engines import ApproxEngine, build_problem


def gaussian_concepts(n_concepts, per_concept, dim, centre_scale, seed=0):
    """One Gaussian (spread 1) per concept, centres N(0, centre_scale^2): small scales overlap."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(0.0, centre_scale, (n_concepts, dim))
    y = np.repeat(np.arange(n_concepts), per_concept)
    return (centres[y] + rng.normal(size=(len(y), dim))).astype(np.float32), y


def run(x, y, n_neighbors=None, seed=0, **options):
    problem, _ = build_problem(x, y, n_neighbors=n_neighbors, random_state=seed, device="cpu")
    return ApproxEngine(**options).run(problem, progress=False)


def test_a_clustered_concept_larger_than_the_budget_gets_exact_kstar_uncensored():
    # two far, tight concepts of 40 and one of 5, K=10: no list reaches a foreign sample,
    # yet the concept's pool (whole nearest concepts) gives every d_foreign exactly
    rng = np.random.default_rng(1)
    x = np.vstack(
        [rng.normal(0, 0.1, (40, 6)), rng.normal(50, 0.1, (40, 6)), rng.normal(-50, 0.1, (5, 6))]
    )
    y = np.repeat([0, 1, 2], [40, 40, 5])
    out = run(x, y, n_neighbors=10, resolve_censored=False)
    k_ref, d_ref = brute_force_kstar(x, y)
    assert not out.censored.any()
    np.testing.assert_array_equal(out.k, k_ref)
    np.testing.assert_allclose(out.intruder_sqdist, d_ref, rtol=0, atol=1e-12)


@pytest.mark.parametrize(
    ("shape", "n_neighbors", "pool_rows"),
    [((40, 50, 32, 1.0), 2, 0), ((40, 50, 32, 0.5), 3, 0), ((60, 30, 16, 0.3), 2, 60)],
)
@pytest.mark.parametrize("seed", [0, 1])
def test_approx_kstar_is_an_upper_bound_of_exact_kstar_on_poor_graphs(
    shape, n_neighbors, pool_rows, seed
):
    x, y = gaussian_concepts(*shape, seed=seed)
    out = run(x, y, n_neighbors=n_neighbors, seed=seed, pool_rows=pool_rows, audit_rows=0)
    k_ref, d_ref = brute_force_kstar(x, y)
    assert not out.censored.any()
    assert np.all(y[out.intruder] != y)  # every d_foreign is a real foreign sample's
    assert np.all(out.intruder_sqdist >= d_ref)
    assert np.all(out.k >= k_ref)
    hit = out.intruder_sqdist == d_ref  # where the true nearest foreign was found: exact
    np.testing.assert_array_equal(out.k[hit], k_ref[hit])
    assert (out.k > k_ref).any() or shape[3] < 1  # the poor graph does err somewhere


def test_a_larger_pool_removes_the_misses_of_a_poor_graph():
    x, y = gaussian_concepts(40, 50, 32, 1.0)
    k_ref, _ = brute_force_kstar(x, y)
    poor = run(x, y, n_neighbors=2, pool_rows=0, audit_rows=0)
    full = run(x, y, n_neighbors=2, pool_rows=len(y), audit_rows=0)
    assert np.mean(poor.k == k_ref) < 0.9
    np.testing.assert_array_equal(full.k, k_ref)


def test_a_capped_pool_keeps_every_members_listed_nearest_foreign_row():
    """Overlapped concepts link to far more foreign rows than pool_rows: the pool keeps
    each member's nearest foreign list entry, so d_foreign is never worse than the
    list's, and holds at most pool_rows graph rows."""
    from sklearn.neighbors import NearestNeighbors

    from kstar_widgets.engines._foreign import Pools

    x, y = gaussian_concepts(20, 100, 16, 0.2)  # centres close: every list mostly foreign
    problem, _ = build_problem(x, y, n_neighbors=10, random_state=0, device="cpu")
    idx = NearestNeighbors(n_neighbors=11).fit(x).kneighbors(x)[1][:, 1:]
    ref = problem.metric.reference
    listed = np.array([row[y[row] != y[p]][0] for p, row in enumerate(idx)])  # all have one
    pools = Pools(problem, idx, pool_rows=120)
    for c in range(20):
        members = np.flatnonzero(y == c)
        assert len(pools.graph_rows(c, listed[members])) <= 120 < len(pools._pairs[1])
        d, _ = pools.nearest(c, members, device=problem.device, seeds=listed[members])
        assert np.all(d <= ref.pair_sqdist(members, listed[members]))


@pytest.mark.parametrize(("n_neighbors", "seed"), [(2, 0), (2, 1), (5, 0), (5, 1)])
def test_the_audit_interval_covers_the_measured_share_and_warns(n_neighbors, seed):
    x, y = gaussian_concepts(40, 50, 32, 1.0, seed=seed)
    k_ref, _ = brute_force_kstar(x, y)
    engine = ApproxEngine(pool_rows=0)
    with pytest.warns(kw.ApproxAuditWarning, match="method='exact'"):
        res = kw.kstar(
            x, y, engine=engine, n_neighbors=n_neighbors, random_state=seed, progress=False
        )
    audit = res.info["audit"]
    measured = np.mean(res.k == k_ref)
    assert measured < 0.9  # the graph is poor
    assert audit["rows"] == 300 and audit["ci_low"] <= measured <= audit["ci_high"]
    np.testing.assert_array_equal(audit["k_exact"], k_ref[audit["sample"]])
    assert audit["max_overestimate"] > 0 and audit["under"] == 0
    assert audit["text"] in res.reason and "95% CI" in audit["text"]


def test_no_audit_warning_on_a_good_space_and_the_audit_survives_saving(tmp_path):
    x, y = gaussian_concepts(40, 50, 32, 0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("error", kw.ApproxAuditWarning)
        res = kw.kstar(x, y, method="approx", random_state=0, progress=False)
    audit = res.info["audit"]
    assert audit["share"] == 1.0 and audit["rows"] == 300 and audit["seed"] == 0
    assert res.reason.startswith("method='approx' was asked for; audit: k* exact for 300 of 300")
    path = tmp_path / "a.kstar"
    res.save(path)
    assert kw.load(path).info["audit"]["text"] == audit["text"]


def test_the_audit_is_the_exact_engine_on_ties(digits):
    """Integer pixels: the audited k* are float64-settled, equal to the brute force."""
    x, y = digits
    res = kw.kstar(x, y, method="approx", random_state=3, progress=False)
    k_ref, _ = brute_force_kstar(x, y)
    audit = res.info["audit"]
    assert audit["seed"] == 3
    np.testing.assert_array_equal(audit["k_exact"], k_ref[audit["sample"]])
    assert audit["exact"] == np.count_nonzero(res.k[audit["sample"]] == k_ref[audit["sample"]])


def test_the_cli_summary_prints_the_audit(tmp_path, capsys):
    from kstar_widgets.cli import main

    x, y = gaussian_concepts(5, 30, 8, 1.0)
    np.save(tmp_path / "f.npy", x)
    np.save(tmp_path / "y.npy", y)
    f, lab = str(tmp_path / "f.npy"), str(tmp_path / "y.npy")
    main(["compute", "--features", f, "--labels", lab, "--method", "approx", "--quiet"])
    assert "audit: k* exact for 150 of 150 random rows" in capsys.readouterr().err
