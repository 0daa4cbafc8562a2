// bokeh_loader.js: BokehJS into the page at most once, whichever widget asks first.
//
// Python prepends this file to each widget's ES module (kstar_views.js, figure.js;
// widgets/_views.py::esm_source), so every front end loads BokehJS by one protocol:
// window.Bokeh[version] (with its plotting API) is reused; a load in progress is shared
// through window.__kstarBokehLoading[version]; the source comes from the shared
// BokehJSSource model the widget references (else from the kernel), split at API_MARK.

const API_MARK = "/*kstar:bokeh-api*/";

function bokehOf(version, { api = true } = {}) {
  const root = window.Bokeh;
  const B = root && (root[version] || (root.version === version ? root : null));
  return B && (!api || B.Plotting) ? B : null;
}

function withTimeout(promise, ms, what) {
  return Promise.race([
    promise,
    new Promise((_, no) =>
      setTimeout(() => no(new Error(`${what}: no answer in ${ms / 1000} s`)), ms),
    ),
  ]);
}

/** BokehJS source text: from the shared model the widget references, else asked of the kernel. */
async function bokehSource(model) {
  const ref = model.get("bokehjs");
  if (typeof ref === "string" && ref.startsWith("IPY_MODEL_") && model.widget_manager?.get_model) {
    try {
      const shared = await withTimeout(
        model.widget_manager.get_model(ref.slice(10)),
        15000,
        "shared BokehJS model",
      );
      const source = shared?.get("source");
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

/** Resolves with `el` once it is in the document (null if `alive()` turns false first).
 *
 * A host may render a widget's view before it attaches the output to the page (JupyterLab
 * does after a reload, the kernel alive), and BokehJS draws only under <body> ("element
 * must be under <body>"). A MutationObserver sees the attachment; the timer covers the
 * shadow roots (marimo), whose insides the observer of the document does not see. */
export function whenConnected(el, alive = () => true) {
  if (el.isConnected) return Promise.resolve(el);
  return new Promise((resolve) => {
    const check = () => {
      const done = el.isConnected || !alive();
      if (done) {
        observer.disconnect();
        clearInterval(timer);
        resolve(el.isConnected ? el : null);
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document, { childList: true, subtree: true });
    const timer = setInterval(check, 100);
  });
}

function inject(code) {
  const s = document.createElement("script");
  s.textContent = code; // inline, from the installed bokeh: no CDN, works offline
  document.head.appendChild(s);
}

/** Load BokehJS once per page (idempotent across re-renders, reloads, second tabs, and hosts). */
export function loadBokeh(model) {
  const version = model.get("bokehjs_version");
  const ready = bokehOf(version);
  if (ready) return Promise.resolve(ready);
  window.__kstarBokehLoading ??= {};
  const pending = window.__kstarBokehLoading;
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
