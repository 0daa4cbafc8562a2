// kstar_dom.js: small DOM helpers of the views (elements, thumbnails). A part of the
// explorer's module (widgets/_views.py::VIEW_PARTS).

/** An element: h("td", {class: "kstar-l", onclick: fn}, child, "text", null). */
function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v;
    else if (k === "style") e.style.cssText = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  e.append(...children.filter((c) => c !== null && c !== undefined));
  return e;
}

/** A small canvas with sample `id`'s thumbnail, or null when the page has none. */
function thumbCanvas(thumbs, id) {
  const at = thumbs.index.get(id);
  if (at === undefined) return null;
  const s = thumbs.size;
  const px = thumbs.pixels;
  const c = h("canvas", { class: "kstar-thumb", width: s, height: s });
  c.style.width = c.style.height = "26px";
  const img = new ImageData(s, s);
  for (let p = 0, q = at * s * s * 3; p < s * s; p++, q += 3) {
    img.data[4 * p] = px[q];
    img.data[4 * p + 1] = px[q + 1];
    img.data[4 * p + 2] = px[q + 2];
    img.data[4 * p + 3] = 255;
  }
  c.getContext("2d").putImageData(img, 0, 0);
  return c;
}

/** Writes the clicked row's sample into selected_samples, or takes it out again. */
function toggleSample(model, s) {
  const now = new Set(model.get("selected_samples"));
  if (now.has(s)) now.delete(s);
  else now.add(s);
  model.set("selected_samples", [...now]);
  model.save_changes();
}

/** Sets synced values from the page and sends them to the kernel. */
function saveValues(model, values) {
  for (const [k, v] of Object.entries(values)) model.set(k, v);
  model.save_changes();
}

// Concept names come from data sets (CLIP prompts, ImageNet synsets): any length, any
// script, and possibly bidi control characters that would reorder the text beside them.
const NAME_CHARS = 40; // a shortened name in tables and lists
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]/; // Hebrew, Arabic, …

/** `name` in at most `max` characters: its start, "…", and its end (where prompts differ). */
function shortName(name, max = NAME_CHARS) {
  const chars = [...String(name)];
  if (chars.length <= max) return String(name);
  const tail = Math.floor((max - 1) / 3);
  return `${chars.slice(0, max - 1 - tail).join("")}…${chars.slice(chars.length - tail).join("")}`;
}

/** A name as page text: isolated (<bdi>), shortened to `max` characters, whole on hover. */
function nameEl(name, max = NAME_CHARS) {
  const shown = shortName(name, max);
  const attrs = { class: "kstar-name" };
  if (shown !== String(name)) attrs.title = String(name);
  return h("bdi", attrs, shown);
}

/** A name for a Bokeh canvas (no elements there): bidi controls removed, shortened, and
 * when it holds right-to-left letters isolated by FSI … PDI, so they stay inside it. */
function plotName(name, max = Number.POSITIVE_INFINITY) {
  const text = shortName(String(name).replace(BIDI_CONTROLS, ""), max);
  return RIGHT_TO_LEFT.test(text) ? `\u2068${text}\u2069` : text;
}

/** Unique canvas labels of `names` (a categorical axis needs distinct factors). */
function plotNames(names, max) {
  const seen = new Set();
  return names.map((n, i) => {
    let label = plotName(n, max);
    if (seen.has(label)) label = plotName(`${shortName(n, max - 6)} #${i}`);
    seen.add(label);
    return label;
  });
}
