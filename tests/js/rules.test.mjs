// The page's live rules (kstar_widgets/widgets/static/kstar_rules.js), against values
// worked out by hand from docs/method.md; the same rules Python applies (stats/_patterns.py).
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  betweenOf,
  cellSamples,
  islandOf,
  keepsSamples,
  numberStyle,
  orderByGamma,
  patternConfidence,
  patternCounts,
  patternOf,
  plottable,
  sizeNotes,
} from "../../kstar_widgets/widgets/static/kstar_rules.js";

const [FRACTURED, OVERLAPPED, CLUSTERED, UNDEFINED] = [0, 1, 2, 3];

test("pattern: Γ beyond ±t, exactly ±t is Overlapped, NaN Undefined, ±inf at the ends", () => {
  const t = 0.5;
  assert.equal(patternOf(0.5000001, t), FRACTURED);
  assert.equal(patternOf(0.5, t), OVERLAPPED);
  assert.equal(patternOf(-0.5, t), OVERLAPPED);
  assert.equal(patternOf(-0.5000001, t), CLUSTERED);
  assert.equal(patternOf(0, t), OVERLAPPED);
  assert.equal(patternOf(Number.NaN, t), UNDEFINED);
  assert.equal(patternOf(Infinity, t), FRACTURED);
  assert.equal(patternOf(-Infinity, t), CLUSTERED);
  assert.equal(patternOf(0, 0), OVERLAPPED); // t = 0: only Γ = 0 is Overlapped
  assert.equal(patternOf(1e-9, 0), FRACTURED);
});

test("pattern counts follow the threshold", () => {
  const skew = Float32Array.from([2, 0.5, -0.5, -2, Number.NaN, 0.1]);
  assert.deepEqual(patternCounts(skew, 0.5), [1, 3, 1, 1]);
  assert.deepEqual(patternCounts(skew, 0), [3, 0, 2, 1]);
  assert.deepEqual(patternCounts([], 1), [0, 0, 0, 0]);
});

test("order by Γ: most fractured first, undefined last, ties and NaNs stable by code", () => {
  const skew = [0.1, Number.NaN, 2, Infinity, 0.1, -Infinity, Number.NaN, -1];
  const { rank, byRank } = orderByGamma(skew);
  assert.deepEqual(Array.from(byRank), [3, 2, 0, 4, 7, 5, 1, 6]);
  for (let r = 0; r < byRank.length; r++) assert.equal(rank[byRank[r]], r);
  assert.ok(rank instanceof Int32Array && byRank instanceof Int32Array);
  assert.deepEqual(Array.from(orderByGamma([]).byRank), []);
  assert.deepEqual(Array.from(orderByGamma([Infinity, Infinity]).byRank), [0, 1]);
});

test("plottable: ±inf clipped 15% past the largest finite |Γ| (at least 1), NaN kept", () => {
  const out = plottable([3, Infinity, -Infinity, Number.NaN, -0.5]);
  assert.deepEqual(out.slice(0, 3), [3, 3 * 1.15, -3 * 1.15]);
  assert.ok(Number.isNaN(out[3]));
  assert.equal(out[4], -0.5);
  assert.deepEqual(plottable([0.2, Infinity]), [0.2, 1.15]);
});

// a style unlike Python's, so a formatter that writes its own minus or missing word fails
const fmt = numberStyle({ minus: "M", missing: "none" });

test("numbers: the vocabulary's minus sign and missing word, ±inf, never a negative zero", () => {
  assert.equal(fmt.number(-0.8412), "M0.84");
  assert.equal(fmt.number(0.8412), "0.84");
  assert.equal(fmt.number(0.8412, 2, true), "+0.84");
  assert.equal(fmt.number(-0.001), "0.00");
  assert.equal(fmt.number(-0.001, 2, true), "+0.00");
  assert.equal(fmt.number(-12.3456, 3), "M12.346");
  assert.equal(fmt.number(Infinity), "+inf");
  assert.equal(fmt.number(-Infinity), "Minf");
  for (const v of [Number.NaN, null, undefined]) assert.equal(fmt.number(v), "none");
});

test("Γ and intervals as the views print them", () => {
  assert.equal(fmt.gamma(0.84), "+0.84");
  assert.equal(fmt.gamma(-0.84), "M0.84");
  assert.equal(fmt.gamma(0), "+0.00");
  assert.equal(fmt.gamma(Infinity), "+inf");
  assert.equal(fmt.gamma(-Infinity), "Minf");
  assert.equal(fmt.gamma(Number.NaN), "none");
  assert.equal(fmt.interval(0.41, 1.3), "[0.41, 1.30]");
  assert.equal(fmt.interval(-1.25, Infinity), "[M1.25, +inf]");
  assert.equal(fmt.interval(Number.NaN, 1), "");
  assert.equal(fmt.interval(0, undefined), "");
  assert.equal(fmt.interval(null, 1), "");
  assert.equal(fmt.interval(0, 0.6, fmt.percent), "[0%, 60%]"); // a share's interval in percent
  const r = { skew: [-0.84, 1], ciLow: [-1.25, Number.NaN], ciHigh: [0.5, 2] };
  assert.equal(fmt.gammaOf(r, 0), "M0.84 [M1.25, +0.50]"); // signed ends, as Python
  assert.equal(fmt.gammaOf(r, 1), "+1.00");
  assert.equal(fmt.gammaOf({ skew: [Number.NaN], ciLow: null }, 0), "none");
});

test("shares: whole percent, the islands' one decimal below 10%, missing word", () => {
  assert.equal(fmt.percent(0.624), "62%");
  assert.equal(fmt.percent(1), "100%");
  assert.equal(fmt.percent(0), "0%");
  assert.equal(fmt.percent(Number.NaN), "none");
  assert.equal(fmt.percent(null), "none");
  assert.equal(fmt.share(0.624), "62%");
  assert.equal(fmt.share(0.1), "10%");
  assert.equal(fmt.share(0.0625), "6.3%");
  assert.equal(fmt.share(0.006), "0.6%");
  assert.equal(fmt.minus, "M");
  assert.equal(fmt.missing, "none");
});

const isl = {
  sizes: Int32Array.from([3, 2, 1]),
  members: Int32Array.from([7, 4, 9, 1, 5, 8]),
  between: {
    island: Int32Array.from([0, 0, 0, 0, 1]),
    concept: Int32Array.from([2, 5, 1, 3, 4]),
    count: Int32Array.from([9, 4, 2, 1, 6]),
  },
};

test("island of a selection: exactly one island's members, in any order", () => {
  assert.equal(islandOf(isl, new Set([9, 7, 4])), 0);
  assert.equal(islandOf(isl, new Set([5, 1])), 1);
  assert.equal(islandOf(isl, new Set([8])), 2);
  assert.equal(islandOf(isl, new Set([7, 4])), -1); // part of an island
  assert.equal(islandOf(isl, new Set([1, 5, 8])), -1); // two islands
  assert.equal(islandOf(isl, new Set()), -1);
});

test("between: each island's intruding concepts, at most three, in the order sent", () => {
  assert.deepEqual(betweenOf(isl), [
    [
      [2, 9],
      [5, 4],
      [1, 2],
    ],
    [[4, 6]],
    [],
  ]);
  assert.deepEqual(betweenOf(isl, 1)[0], [[2, 9]]);
});

test("size notes: one line per result that has one, named", () => {
  const note = "concept sizes differ: 12-480 samples; Γ changes with size";
  const rs = [{ name: "a", size_note: note }, { name: "b", size_note: null }, { name: "c" }];
  assert.deepEqual(sizeNotes(rs), [`a: ${note}`]);
  assert.deepEqual(sizeNotes([{ name: "b", size_note: null }]), []);
});

test("pattern confidence: the share of replicates in the point's pattern at the live t", () => {
  const reps = Float64Array.from([0.2, 0.6, 1.8, 2.5, Number.NaN, -0.7, 0.5, 1.7]);
  assert.equal(patternConfidence(1.2, reps, 0.5), 4 / 8); // Γ > 0.5: 0.6, 1.8, 2.5, 1.7
  assert.equal(patternConfidence(1.2, reps, 1.7), 5 / 8); // Overlapped at 1.7: |v| ≤ 1.7
  assert.equal(patternConfidence(1.9, reps, 1.7), 2 / 8); // Fractured at 1.7: 1.8, 2.5
  assert.equal(patternConfidence(-0.9, reps, 0.5), 1 / 8); // Clustered: −0.7 only
  assert.ok(Number.isNaN(patternConfidence(Number.NaN, reps, 0.5))); // undefined Γ: none
  assert.ok(Number.isNaN(patternConfidence(0.1, new Float64Array(0), 0.5))); // no replicates
});

test("a matrix cell's samples, and which selections stay with a concept", () => {
  const codes = Int16Array.from([0, 0, 1, 1, 0, 2]);
  const intruders = Int16Array.from([1, 2, 0, 0, 1, -1]); // −1: censored
  assert.deepEqual(cellSamples(codes, intruders, 0, 1), [0, 4]);
  assert.deepEqual(cellSamples(codes, intruders, 1, 0), [2, 3]);
  assert.deepEqual(cellSamples(codes, intruders, 2, 0), []);
  assert.equal(keepsSamples(codes, [0, 4], 0), true);
  assert.equal(keepsSamples(codes, [], 1), true);
  assert.equal(keepsSamples(codes, [0, 2], 0), false); // one of another concept
  assert.equal(keepsSamples(codes, [0, 99], 0), false); // not a sample
  assert.equal(keepsSamples(codes, [0], -1), false); // no concept selected
});
