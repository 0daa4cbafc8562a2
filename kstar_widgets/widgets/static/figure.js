// figure.js: a Bokeh figure or layout sent from Python as bokeh.embed.json_item (JSON
// text), drawn with Bokeh.embed.embed_item; a new item replaces the drawing in place.
//
// BokehJS arrives as in kstar_views.js, by the same protocol, so the two widgets never
// load it twice in a page: window.Bokeh[version] (with its plotting API) is reused;
// a load in progress is shared through window.__kstarBokehLoading[version]; the source
// comes from the shared BokehJSSource model (else from the kernel), split at API_MARK.

const API_MARK = "/*kstar:bokeh-api*/";

function bokehOf(version, { api = true } = {}) {
  const root = window.Bokeh;
  const B = root && (root[version] || (root.version === version ? root : null));
  return B && (!api || B.Plotting) ? B : null;
}

function withTimeout(promise, ms, what) {
  return Promise.race([promise, new Promise((_, no) => setTimeout(() => no(new Error(`${what}: no answer in ${ms / 1000} s`)), ms))]);
}

async function bokehSource(model) {
  const ref = model.get("bokehjs");
  if (typeof ref === "string" && ref.startsWith("IPY_MODEL_") && model.widget_manager?.get_model) {
    try {
      const shared = await withTimeout(model.widget_manager.get_model(ref.slice(10)), 15000, "shared BokehJS model");
      const source = shared && shared.get("source");
      if (source) return source;
    } catch (err) {
      console.warn("kstar_widgets: shared BokehJS model unavailable, asking the kernel", err);
    }
  }
  return withTimeout(
    new Promise((resolve) => {
      const answer = (msg) => {
        if (msg && typeof msg.bokehjs === "string") {
          model.off("msg:custom", answer);
          resolve(msg.bokehjs);
        }
      };
      model.on("msg:custom", answer);
      model.send({ action: "bokehjs" });
    }),
    120000,
    "BokehJS from the kernel",
  );
}

function inject(code) {
  const s = document.createElement("script");
  s.textContent = code; // inline, from the installed bokeh: no CDN, works offline
  document.head.appendChild(s);
}

/** BokehJS of the model's version, loaded at most once per page whichever widget asks first. */
function loadBokeh(model) {
  const version = model.get("bokehjs_version");
  const ready = bokehOf(version);
  if (ready) return Promise.resolve(ready);
  const pending = (window.__kstarBokehLoading ??= {});
  if (!pending[version]) {
    pending[version] = (async () => {
      const source = await bokehSource(model);
      if (!bokehOf(version)) {
        const [core, api] = source.split(API_MARK);
        if (!bokehOf(version, { api: false })) inject(core);
        inject(api);
      }
      const B = bokehOf(version);
      if (!B) throw new Error(`BokehJS ${version} did not load`);
      return B;
    })();
    pending[version].catch(() => delete pending[version]);
  }
  return pending[version];
}

function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "kstar-figure";
  const note = document.createElement("div");
  note.textContent = "loading the figure (BokehJS)…";
  box.append(note);
  el.replaceChildren(box);
  let alive = true;
  let shown = null; // { roots: [views], target: element }
  let queue = Promise.resolve();

  const fail = (err) => {
    console.error("kstar_widgets:", err);
    const msg = document.createElement("div");
    msg.className = "kstar-error";
    msg.style.color = "#b00020";
    msg.textContent = `The figure could not be drawn: ${err.message || err}`;
    note.remove();
    box.append(msg);
  };

  const clear = (old) => {
    if (!old) return;
    old.roots.forEach((v) => v.remove());
    old.target.remove();
  };

  // draws run one after another, so quick re-assignments end on the last figure
  const draw = (B) =>
    (queue = queue.then(async () => {
      if (!alive) return;
      const text = model.get("item");
      const item = text ? JSON.parse(text) : null; // JSON text keeps Bokeh's key order
      const target = document.createElement("div");
      let roots = [];
      if (item) {
        // drawn out of sight beside the old drawing, which goes once the new one is ready
        target.style.cssText = "visibility: hidden; position: absolute;";
        box.appendChild(target);
        const views = await B.embed.embed_item(item, target);
        roots = views.roots;
        target.style.cssText = "";
      }
      if (!alive) return clear({ roots, target });
      note.remove();
      clear(shown);
      shown = { roots, target };
      box.kstarFigure = roots[0] ?? null; // the root view, for tests
      box.dataset.root = item?.root_id ?? "";
      box.dataset.ready = "1";
    }).catch(fail));

  const redraw = () => loadBokeh(model).then(draw, fail);
  model.on("change:item", redraw);
  redraw();
  return () => {
    alive = false;
    model.off("change:item", redraw);
    clear(shown);
  };
}

export default { render };
