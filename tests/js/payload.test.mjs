// Decoding the synced values (kstar_widgets/widgets/static/kstar_payload.js): buffers as
// anywidget hands them (DataView, ArrayBuffer), as the saved report stores them (base64)
// and as plain lists.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  arr,
  decode,
  decodeIslands,
  decodeThumbs,
} from "../../kstar_widgets/widgets/static/kstar_payload.js";

const wire = (typed) => ({
  dtype: typed.constructor.name.replace("Array", "").toLowerCase(),
  shape: [typed.length],
  buffer: new DataView(typed.buffer, typed.byteOffset, typed.byteLength),
});

test("a buffer in every wire form decodes to the same typed array", () => {
  const values = Float32Array.from([0.5, -1.25, Number.NaN, Infinity]);
  const base64 = Buffer.from(values.buffer).toString("base64");
  for (const buffer of [
    new DataView(values.buffer),
    values.buffer,
    { $buffer: base64 },
    Array.from(values),
  ]) {
    const out = arr({ dtype: "float32", shape: [4], buffer });
    assert.ok(out instanceof Float32Array);
    assert.deepEqual(Array.from(out), Array.from(values));
  }
});

test("an unaligned view is copied, not reinterpreted, and the source is left alone", () => {
  const bytes = new Uint8Array(1 + 3 * 4);
  new DataView(bytes.buffer).setInt32(1, -7, true);
  new DataView(bytes.buffer).setInt32(5, 42, true);
  new DataView(bytes.buffer).setInt32(9, 2 ** 30, true);
  const out = arr({ dtype: "int32", shape: [3], buffer: new DataView(bytes.buffer, 1, 12) });
  assert.deepEqual(Array.from(out), [-7, 42, 2 ** 30]);
  out[0] = 0;
  assert.equal(new DataView(bytes.buffer).getInt32(1, true), -7);
  assert.deepEqual(Array.from(arr({ dtype: "uint8", shape: [2], buffer: [1, 255] })), [1, 255]);
});

test("a payload: per-result arrays, optional intervals, islands figures", () => {
  const result = {
    name: "exact",
    skewness: wire(Float32Array.from([1.5, Number.NaN])),
    censored: wire(Float32Array.from([0, 0])),
    hist: wire(Int32Array.from([1, 2, 3, 4])),
    low: { sample: wire(Int32Array.from([0, -1])) },
    matrix: { shown: wire(Int32Array.from([0, 1])) },
    ci_low: wire(Float32Array.from([1, Number.NaN])),
    islands: { count: wire(Int32Array.from([2, 1])), largest: wire(Float32Array.from([0.5, 1])) },
  };
  const payload = {
    names: ["a", "b"],
    n: wire(Int32Array.from([3, 4])),
    n_low: 1,
    results: [result, { ...result, name: "bare", ci_low: undefined, islands: null }],
    vocab: { minus: "−", missing: "n/a" },
  };
  const data = decode(payload);
  assert.equal(data.nc, 2);
  assert.deepEqual(Array.from(data.n), [3, 4]);
  assert.deepEqual(data.vocab, payload.vocab);
  const [r, bare] = data.results;
  assert.equal(r.skew[0], 1.5);
  assert.ok(Number.isNaN(r.skew[1]));
  assert.deepEqual(Array.from(r.hist), [1, 2, 3, 4]);
  assert.deepEqual(Array.from(r.low.sample), [0, -1]);
  assert.equal(r.ciLow[0], 1);
  assert.equal(r.ciHigh, null);
  assert.deepEqual(Array.from(r.islandFig.count), [2, 1]);
  assert.equal(bare.ciLow, null);
  assert.equal(bare.islandFig, null);
  assert.equal(r.L, 1);
});

test("islands and thumbnails: decoded when sent, empty when not", () => {
  const sent = {
    code: 3,
    results: [
      {
        sizes: wire(Int32Array.from([2, 1])),
        members: wire(Int32Array.from([5, 6, 7])),
        between: {
          island: wire(Int32Array.from([0])),
          concept: wire(Int32Array.from([1])),
          count: wire(Int32Array.from([4])),
        },
      },
      null,
    ],
  };
  const isl = decodeIslands(sent);
  assert.equal(isl.code, 3);
  assert.deepEqual(Array.from(isl.results[0].members), [5, 6, 7]);
  assert.deepEqual(Array.from(isl.results[0].between.count), [4]);
  assert.equal(isl.results[1], null);
  assert.deepEqual(decodeIslands({}), { code: -1, results: [] });
  assert.deepEqual(decodeIslands(null), { code: -1, results: [] });
  const thumbs = decodeThumbs({
    size: 2,
    ids: wire(Int32Array.from([10, 20])),
    pixels: wire(Uint8Array.from({ length: 24 }, (_, i) => i)),
  });
  assert.deepEqual(
    [...thumbs.index],
    [
      [10, 0],
      [20, 1],
    ],
  );
  assert.equal(thumbs.pixels.length, 24);
  assert.equal(decodeThumbs({}).index.size, 0);
});
