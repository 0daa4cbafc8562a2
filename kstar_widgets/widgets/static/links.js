// Body of a Bokeh CustomJS callback (not an ES module): the linking between the
// views, run in the page so it works in a notebook and in a saved HTML file alike.
// args: src bank lowbank dhist dlow thumbs thumbbank matrix mband header changed
//       slider radio selb meta yr what
const d = src.data;
const nc = d.code.length, B = meta.n_bins, L = meta.n_low;
const t = slider.value;
const drv = radio.active;
const cls = (s) => (Number.isNaN(s) ? 3 : s > t ? 0 : s < -t ? 2 : 1);
const fmt = (s) =>
  s === Infinity ? "+inf" : s === -Infinity ? "-inf" : Number.isNaN(s) ? "n/a" : (s >= 0 ? "+" : "") + s.toFixed(2);
const esc = (x) => String(x).replace(/[&<>"]/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[ch]);

function restyle() {
  // pattern, colour, label and ridge of every concept under the driving result
  const sk = d["skew_" + drv], rk = d["rank_" + drv], h = bank.data["hist_" + drv];
  for (let i = 0; i < nc; i++) {
    const c = cls(sk[i]);
    d.skew[i] = sk[i];
    d.rank[i] = rk[i];
    d.pattern[i] = meta.patterns[c];
    d.color[i] = meta.colors[c];
    d.skew_txt[i] = fmt(sk[i]);
    d.label[i] = `${d.name[i]}  Γ ${fmt(sk[i])}  n ${d.n[i]}`;
    let m = 1;
    for (let b = 0; b < B; b++) m = Math.max(m, h[i * B + b]);
    const ys = new Float64Array(B + 2);
    ys[0] = rk[i];
    ys[B + 1] = rk[i];
    for (let b = 0; b < B; b++) ys[b + 1] = rk[i] - (0.85 * h[i * B + b]) / m;
    d.ys[i] = ys;
  }
  if (selb !== null && meta.results.length > 1) {
    const j = Math.max(1, meta.results.indexOf(selb.value));
    const sd = d["sd_" + j];
    for (let i = 0; i < nc; i++) d.cb[i] = sd[i];
    const a = d.skew_0, b = d["skew_" + j], out = [];
    for (let i = 0; i < nc; i++) {
      const ca = cls(a[i]), cb = cls(b[i]);
      if (ca !== cb) out.push(`<li>${esc(d.name[i])}: ${meta.patterns[ca]} → ${meta.patterns[cb]}</li>`);
    }
    changed.text =
      `<b>${out.length} concept(s) changed pattern</b> (${esc(meta.results[0])} → ${esc(meta.results[j])}, t = ${t})` +
      `<ul class="kstar-changed">${out.slice(0, 40).join("")}</ul>` + (out.length > 40 ? `… and ${out.length - 40} more` : "");
  }
  src.change.emit();
}

function showConcept() {
  const sel = src.selected.indices;
  const i = sel.length ? sel[0] : -1;
  const e = meta.edges;
  const top = new Array(B).fill(0);
  if (i >= 0) {
    const h = bank.data["hist_" + drv];
    for (let b = 0; b < B; b++) top[b] = h[i * B + b];
  }
  dhist.data = { left: e.slice(0, B), right: e.slice(1), top: top };
  const lb = lowbank.data;
  const low = { row: [], sample: [], k: [], k_norm: [], intruder: [], intruder_name: [], distance: [] };
  for (let j = 0; i >= 0 && j < L; j++) {
    const r = i * L + j, s = lb["sample_" + drv][r];
    if (s < 0) break;
    const ic = lb["intruder_code_" + drv][r], dist = lb["distance_" + drv][r];
    low.row.push(j);
    low.sample.push(s);
    low.k.push(lb["k_" + drv][r]);
    low.k_norm.push(Math.round(lb["k_norm_" + drv][r] * 1000) / 1000);
    low.intruder.push(lb["intruder_" + drv][r]);
    low.intruder_name.push(ic >= 0 ? d.name[ic] : "?");
    low.distance.push(Number.isFinite(dist) ? Math.round(dist * 1000) / 1000 : NaN);
  }
  dlow.data = low;
  if (thumbbank.data.sample.length > 0) {
    // saved HTML: thumbnails come from the embedded bank (in a notebook the kernel sends them)
    const pos = new Map();
    thumbbank.data.sample.forEach((s, k) => pos.set(s, k));
    const th = { image: [], x: [], y: [], dw: [], dh: [] };
    low.sample.forEach((s, j) => {
      [s, low.intruder[j]].forEach((id, col) => {
        if (pos.has(id)) {
          th.image.push(thumbbank.data.image[pos.get(id)]);
          th.x.push(col * 1.2);
          th.y.push(L - 1 - j);
          th.dw.push(1);
          th.dh.push(0.9);
        }
      });
    });
    thumbs.data = th;
  }
  if (i >= 0) {
    // scroll the overview to the selected row when it is out of view
    const span = yr.start - yr.end, r = d.rank[i];
    if (r < yr.end + 0.5 || r > yr.start - 0.5) {
      const end = Math.max(-1.0, Math.min(r - span / 2, nc - 0.4 - span));
      yr.setv({ start: end + span, end: end });
    }
  }
  const mi = i >= 0 ? meta.matrix_names.indexOf(d.name[i]) : -1;
  mband.data = mi >= 0 ? { y: [d.name[i]], left: [0], right: [meta.matrix_names.length] } : { y: [], left: [], right: [] };
  header.text =
    i < 0
      ? "<i>click a concept in any view</i>"
      : `<b>${esc(d.name[i])}</b> · n ${d.n[i]} · Γ ${fmt(d.skew[i])} · ` +
        `<span style="color:${d.color[i]}">${d.pattern[i]}</span> · result ${esc(meta.results[drv])}`;
}

if (what === "matrix") {
  // a cell (concept, intruder concept) selects its concept everywhere
  const cells = matrix.selected.indices;
  if (cells.length === 1) {
    const row = matrix.data.row[cells[0]];
    if (src.selected.indices.length !== 1 || src.selected.indices[0] !== row) src.selected.indices = [row];
  }
} else if (what === "select") {
  showConcept();
} else {
  restyle();
  showConcept();
}
