// anywidget front end of ConceptBar: find a concept by name, step through the
// concepts in Γ order, and show the selected one. Arrays arrive as binary buffers.
function view(payload) {
  const { dtype, shape, buffer } = payload;
  const Ctor = { int32: Int32Array, float32: Float32Array }[dtype];
  return new Ctor(buffer.buffer, buffer.byteOffset, shape.reduce((a, b) => a * b, 1));
}

const PATTERNS = ["Fractured", "Overlapped", "Clustered", "Undefined"];
const COLORS = ["#d95f02", "#7570b3", "#1b9e77", "#9e9e9e"];

function render({ model, el }) {
  el.classList.add("kstar-concept-bar");
  el.style.cssText = "display:flex;gap:6px;align-items:center;font:13px sans-serif;padding:2px 0";
  const prev = Object.assign(document.createElement("button"), { textContent: "◀", title: "previous concept (higher Γ)" });
  const next = Object.assign(document.createElement("button"), { textContent: "▶", title: "next concept (lower Γ)" });
  const input = Object.assign(document.createElement("input"), { placeholder: "find a concept…", size: 18 });
  const listId = "kstar-names-" + Math.random().toString(36).slice(2);
  const list = Object.assign(document.createElement("datalist"), { id: listId });
  input.setAttribute("list", listId);
  const info = document.createElement("span");
  info.className = "kstar-concept-info";
  el.append(prev, next, input, list, info);

  const names = () => model.get("names");
  function order() {
    const rank = view(model.get("summary").rank);
    const byRank = new Int32Array(rank.length);
    rank.forEach((r, code) => (byRank[r] = code));
    return { rank, byRank };
  }
  function draw() {
    const code = model.get("concept");
    const s = model.get("summary");
    const t = model.get("threshold");
    if (code < 0 || code >= names().length) {
      info.textContent = `${names().length} concepts · none selected`;
      return;
    }
    const g = view(s.skewness)[code];
    const p = Number.isNaN(g) ? 3 : g > t ? 0 : g < -t ? 2 : 1;
    const gs = Number.isFinite(g) ? (g >= 0 ? "+" : "") + g.toFixed(2) : Number.isNaN(g) ? "n/a" : g > 0 ? "+inf" : "-inf";
    info.innerHTML = "";
    const b = Object.assign(document.createElement("b"), { textContent: names()[code] });
    const pat = Object.assign(document.createElement("span"), { textContent: PATTERNS[p] });
    pat.style.color = COLORS[p];
    info.append(b, ` · n ${view(s.n)[code]} · Γ ${gs} · `, pat, ` · rank ${view(s.rank)[code] + 1}/${names().length}`);
  }
  function fillList() {
    list.replaceChildren(...names().slice(0, 5000).map((n) => Object.assign(document.createElement("option"), { value: n })));
  }
  function step(delta) {
    const { rank, byRank } = order();
    const code = model.get("concept");
    const r = code < 0 ? (delta > 0 ? 0 : rank.length - 1) : Math.min(rank.length - 1, Math.max(0, rank[code] + delta));
    model.set("concept", byRank[r]);
    model.save_changes();
  }
  prev.addEventListener("click", () => step(-1));
  next.addEventListener("click", () => step(1));
  input.addEventListener("change", () => {
    const code = names().indexOf(input.value);
    if (code >= 0) {
      model.set("concept", code);
      model.save_changes();
    }
  });
  model.on("change:concept", draw);
  model.on("change:threshold", draw);
  model.on("change:summary", draw);
  model.on("change:names", () => (fillList(), draw()));
  fillList();
  draw();
}

export default { render };
