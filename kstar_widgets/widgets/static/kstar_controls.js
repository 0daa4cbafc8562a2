// kstar_controls.js: the explorer's two bars: ◀ / ▶ and the find box; the threshold,
// the result shown and the approximate computation. A part of the explorer's module
// (widgets/_views.py::VIEW_PARTS); `ctx` is kstar_views.js::explorerContext.

/** The find box: a concept by name (Enter, a pick from the list), never the notebook's keys;
 * a name that is no concept's is said beside it. `reset()` empties both. */
function findBox(ctx, model, listId) {
  const find = h("input", {
    placeholder: "find a concept…",
    size: 18,
    list: listId,
    class: "kstar-find",
  });
  const note = h("span", { class: "kstar-note kstar-find-note", role: "status" });
  const reset = () => {
    find.value = "";
    note.textContent = "";
  };
  const pick = () => {
    const { names } = ctx.data;
    const name = find.value.trim();
    const exact = names.indexOf(find.value);
    const code = exact >= 0 ? exact : names.indexOf(name);
    note.textContent = name && code < 0 ? `no concept named “${name}”` : "";
    if (code < 0) return;
    reset(); // found: the bar names the concept, the box is ready for the next name
    if (code !== model.get("concept_index")) ctx.select(code);
  };
  find.addEventListener("change", pick);
  find.addEventListener("keydown", (e) => {
    e.stopPropagation(); // typing here must not trigger the notebook's shortcuts
    if (e.key === "Enter") pick();
  });
  find.addEventListener("input", (e) => {
    if (e.inputType === "insertReplacementText" || !e.inputType) pick();
    else note.textContent = "";
  });
  return { find, note, reset };
}

/** The selection in words: how many samples, and the matrix cell they came from. */
function selectionText(ctx, samples, cell) {
  if (!samples?.length) return "";
  const { names } = ctx.data;
  const what = `selected: ${samples.length} sample${samples.length === 1 ? "" : "s"}`;
  if (cell?.length !== 2) return what;
  return `${what} of ${names[cell[0]]} whose intruder is of ${names[cell[1]]} (matrix cell)`;
}

/** The first bar: ◀ / ▶ through the concepts by Γ, the find box, the selected concept. */
function conceptBar(ctx, model) {
  const { data } = ctx;
  const info = h("span", { class: "kstar-concept-info" });
  const picked = h("span", { class: "kstar-note kstar-selection" });
  const listId = `kstar-names-${Math.random().toString(36).slice(2)}`;
  const finder = findBox(ctx, model, listId);
  let shown = model.get("concept_index");
  const step = (d) => {
    const code = model.get("concept_index");
    const n = data.nc;
    const r =
      code < 0 ? (d > 0 ? 0 : n - 1) : Math.min(n - 1, Math.max(0, ctx.order.rank[code] + d));
    ctx.select(ctx.order.byRank[r]);
  };
  const options = data.names.slice(0, 5000).map((n) => h("option", { value: n }));
  const el = h(
    "div",
    { class: "kstar-bar" },
    h(
      "button",
      { class: "kstar-prev", title: "previous concept (higher Γ)", onclick: () => step(-1) },
      "◀ previous",
    ),
    h(
      "button",
      { class: "kstar-next", title: "next concept (lower Γ)", onclick: () => step(1) },
      "next ▶",
    ),
    finder.find,
    finder.note,
    h("datalist", { id: listId }, ...options),
    info,
    picked,
  );
  /** After each change of the concept or the selection: the box empties when the concept
   * changes, the selection is said (it belongs to the concept shown). */
  const show = (code) => {
    if (code !== shown) finder.reset();
    shown = code;
    picked.textContent = selectionText(
      ctx,
      model.get("selected_samples"),
      model.get("selected_cell"),
    );
  };
  return { el, info, show };
}

/** The second bar: threshold slider, the result shown, compute approximate k*, status. */
function controlBar(ctx, model) {
  const { data } = ctx;
  const slider = h("input", {
    type: "range",
    min: 0,
    max: Math.max(2, model.get("threshold")),
    step: 0.05,
    class: "kstar-threshold",
  });
  slider.addEventListener("input", () => saveValues(model, { threshold: Number(slider.value) }));
  const tText = h("span", { class: "kstar-t" });
  const driver = (r) =>
    h(
      "button",
      { "data-name": r.name, onclick: () => saveValues(model, { driver: r.name }) },
      r.name,
    );
  const multi = data.results.length > 1;
  const drivers = h(
    "span",
    { class: "kstar-drivers" },
    ...(multi ? [h("span", {}, "result shown: "), ...data.results.map(driver)] : []),
  );
  const button = h(
    "button",
    { class: "kstar-compute-btn", onclick: () => model.send({ action: "compute_approx" }) },
    "compute approximate k*",
  );
  const why = h("span", { class: "kstar-note kstar-compute-why" });
  const compute = h("span", { class: "kstar-compute" }, button, why);
  const status = h("span", { class: "kstar-status kstar-note" });
  const reason = model.get("compute_reason");
  const state = () => {
    const busy = model.get("busy");
    const disabled = model.get("compute_reason");
    button.disabled = Boolean(disabled) || busy;
    why.textContent = busy ? "running…" : disabled ? `(disabled: ${disabled})` : "";
    compute.hidden = reason === undefined;
    status.textContent = model.get("status") || "";
  };
  const restyle = (t, res) => {
    slider.value = t;
    tText.textContent = ctx.fmt.number(t);
    for (const b of drivers.querySelectorAll("button"))
      b.classList.toggle("kstar-on", b.dataset.name === res.name);
  };
  const label = h("label", {}, "threshold t ", slider, " ", tText);
  return {
    el: h("div", { class: "kstar-controls" }, label, drivers, compute, status),
    state,
    restyle,
  };
}
