// kstar_payload.js: the synced values as the views use them: typed arrays back from the
// wire form {dtype, shape, buffer} (widgets/_payload.py::to_buffer), per result and per
// concept. A part of the explorer's module (widgets/_views.py::VIEW_PARTS).

const TYPED = {
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  uint8: Uint8Array,
  int64: BigInt64Array,
  float64: Float64Array,
};

/** A typed array from the wire form {dtype, shape, buffer} (DataView, ArrayBuffer or base64). */
export function arr(p) {
  const Ctor = TYPED[p.dtype];
  let b = p.buffer;
  if (b && b.$buffer !== undefined) b = Uint8Array.from(atob(b.$buffer), (c) => c.charCodeAt(0));
  if (Array.isArray(b)) return Ctor.from(b);
  if (b instanceof ArrayBuffer) return new Ctor(b.slice(0));
  const bytes = new Uint8Array(b.buffer, b.byteOffset, b.byteLength).slice(); // aligned copy
  return new Ctor(bytes.buffer);
}

const mapValues = (obj, fn) => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v)]));

/** One result of the payload with its buffers decoded. */
function decodeResult(r, L) {
  const opt = (k) => (r[k] ? arr(r[k]) : null);
  const isl = r.islands && {
    count: arr(r.islands.count),
    largest: arr(r.islands.largest),
    approximate: r.islands.approximate,
  };
  return {
    ...r,
    skew: arr(r.skewness),
    censoredShare: arr(r.censored),
    hist: arr(r.hist),
    low: mapValues(r.low, arr),
    L,
    matrix: mapValues(r.matrix, arr),
    ciLow: opt("ci_low"),
    ciHigh: opt("ci_high"),
    confidence: opt("confidence"),
    reps: opt("replicates"), // Γ's bootstrap replicates, n_concepts × nBoot (when sent)
    nBoot: r.replicates ? r.replicates.shape[1] : 0,
    islandFig: isl,
  };
}

/** The explorer's payload with its buffers decoded; `vocab` as Python sent it. */
export function decode(payload) {
  const results = payload.results.map((r) => decodeResult(r, payload.n_low));
  return { ...payload, n: arr(payload.n), nc: payload.names.length, results };
}

/** One concept's islands per result ({code, results}), as sent when the concept is selected. */
export function decodeIslands(p) {
  if (!p || !Array.isArray(p.results)) return { code: -1, results: [] };
  const results = p.results.map(
    (x) =>
      x && {
        sizes: arr(x.sizes),
        members: arr(x.members),
        between: mapValues(x.between, arr),
      },
  );
  return { code: p.code, results };
}

/** Thumbnails: pixel size, uint8 RGB pixels and where each sample's image starts. */
export function decodeThumbs(t) {
  if (!t?.ids) return { size: 0, index: new Map(), pixels: new Uint8Array(0) };
  const ids = arr(t.ids);
  return {
    size: t.size,
    pixels: arr(t.pixels),
    index: new Map(Array.from(ids, (id, k) => [id, k])),
  };
}
