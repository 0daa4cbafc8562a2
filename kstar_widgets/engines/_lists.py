"""Reading k* off neighbour lists: what every approximate engine does with its kNN lists.

The first foreign entry of a sample's list gives d_foreign (settled in float64
among its near-ties); k* counts the same-concept samples closer than that, exactly
over the whole concept where it is small enough (``VERIFY_MAX_PAIRS``), from the
list elsewhere; a list without a foreign entry censors k* unless it holds the whole
concept. The islands come from the same pairs (docs/method.md, "Approximate engine").
"""

from __future__ import annotations

import numpy as np

from ._base import Problem
from ._components import BandComponents, components
from ._foreign import POOL_ROWS, Pools
from ._within import count_closer_within
from .settle import U32

# Verify a concept exactly while its n_c^2 pairs stay under this (about a second here).
VERIFY_MAX_PAIRS = 4_000_000


def read_kstar(problem: Problem, idx, dist, verify=True, max_pairs=None, pool_rows=POOL_ROWS):
    """k* from neighbour lists (n, K), nearest first, self excluded.

    Concepts with n_c^2 <= ``max_pairs`` (default ``VERIFY_MAX_PAIRS``) are verified
    when ``verify``: d_foreign is each member's exact minimum over the concept's pool of
    foreign rows (:mod:`._foreign`, ``pool_rows``) and the same-concept count is exact.
    Larger concepts read both off the lists.

    Returns (k, censored, intruder, d_foreign, verified, joined): d_foreign squared
    float64, inf and intruder -1 where the list holds no foreign sample; joined, for
    :func:`list_islands`, the verified concepts' islands as pairs (member, member of
    its island), or None when ``problem.islands`` is False.
    """
    codes, sizes, ref = problem.codes, problem.sizes, problem.metric.reference
    n, kk = idx.shape
    same = codes[idx] == codes[:, None]
    has_foreign = ~same.all(axis=1)
    intruder, d_foreign = _nearest_foreign_in_list(ref, idx, dist, same, has_foreign)

    k = np.empty(n, dtype=np.int64)
    censored = np.zeros(n, dtype=bool)
    complete = ~has_foreign & (same.sum(axis=1) >= sizes[codes] - 1)
    k[complete] = sizes[codes[complete]]
    open_ = ~has_foreign & ~complete
    k[open_] = kk + 1
    censored[open_] = True

    verified = np.zeros(n, dtype=bool)
    joined = ([], []) if problem.islands else None
    max_pairs = VERIFY_MAX_PAIRS if max_pairs is None else max_pairs
    if verify:
        pools = Pools(problem, idx, pool_rows)
        for c in np.flatnonzero(sizes.astype(np.float64) ** 2 <= max_pairs):
            members = np.flatnonzero(codes == c)
            d_c, i_c = pools.nearest(c, members, device=problem.device, seeds=intruder[members])
            d_foreign[members], intruder[members] = d_c, i_c
            comps = None if joined is None else BandComponents(len(members))
            counts = count_closer_within(ref, members, d_c, device=problem.device, islands=comps)
            k[members] = 1 + counts
            censored[members] = False
            verified[members] = True
            if comps is not None:  # one pair per member keeps the concept's islands
                joined[0].append(members)
                joined[1].append(members[comps.label])
    rest = has_foreign & ~verified
    if rest.any():
        k[rest] = 1 + _closer_in_list(ref, idx, dist, same, d_foreign, rest).sum(axis=1)
    return k, censored, intruder, d_foreign, verified, joined


def list_islands(problem: Problem, idx, dist, d_foreign, verified, joined) -> np.ndarray:
    """Raw island ids (a member's index) from the pairs k* counts.

    Verified samples: their concept's exact pairs (``joined``, from :func:`read_kstar`).
    Other samples with a foreign entry: the same-concept entries closer than d_foreign.
    Samples without one (d_foreign inf): every entry of the list.
    """
    codes, ref = problem.codes, problem.metric.reference
    same = codes[idx] == codes[:, None]
    open_ = np.isinf(d_foreign) & ~verified
    rows, cols = list(joined[0]), list(joined[1])
    rows.append(np.repeat(np.flatnonzero(open_), idx.shape[1]))
    cols.append(idx[open_].ravel())
    rest = ~open_ & ~verified
    if rest.any():
        r, j = np.nonzero(_closer_in_list(ref, idx, dist, same, d_foreign, rest))
        rows.append(np.flatnonzero(rest)[r])
        cols.append(idx[rows[-1], j])
    return components(len(idx), np.concatenate(rows), np.concatenate(cols))


def _float32_band(d2, d):
    """Width around a squared float32 distance within which float64 must decide."""
    return (2 * (d + 2) * U32 * 4) * d2 + 1e-30


def _nearest_foreign_in_list(ref, idx, dist, same, has_foreign):
    """The list's nearest foreign sample per row, settled in float64 among its near-ties."""
    n, d = len(idx), ref.features.shape[1]
    rows = np.arange(n)
    first = np.argmax(~same, axis=1)
    d_first = dist[rows, first].astype(np.float64) ** 2
    cand = (~same) & (
        dist.astype(np.float64) ** 2 <= (d_first + _float32_band(d_first, d))[:, None]
    )
    intruder = np.full(n, -1, dtype=np.int64)
    d_foreign = np.full(n, np.inf)
    simple = has_foreign & (cand.sum(axis=1) == 1)
    intruder[simple] = idx[simple, first[simple]]
    d_foreign[simple] = ref.pair_sqdist(np.flatnonzero(simple), intruder[simple])
    for p in np.flatnonzero(has_foreign & ~simple):
        js = idx[p, cand[p]]
        dj = ref.sqdist(p, js)
        best = dj.min()
        intruder[p] = js[dj == best].min()
        d_foreign[p] = best
    return intruder, d_foreign


def _closer_in_list(ref, idx, dist, same, d_foreign, rest):
    """Same-concept entries of the lists of `rest` closer than d_foreign (bool (m, K)),
    ties settled in float64."""
    d = ref.features.shape[1]
    sub_same = same[rest]
    d2 = dist[rest].astype(np.float64) ** 2
    dfr = d_foreign[rest][:, None]
    tol = _float32_band(dfr, d)
    closer = sub_same & (d2 < dfr - tol)
    unsure = sub_same & ~closer & (d2 <= dfr + tol)
    for r, p in enumerate(np.flatnonzero(rest)):
        if unsure[r].any():
            cols = np.flatnonzero(unsure[r])
            closer[r, cols] = ref.sqdist(p, idx[p, cols]) < d_foreign[p]
    return closer
