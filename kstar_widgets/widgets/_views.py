"""The front end: one ES module joined from the files in static/, and what it needs, for both hosts.

The explorer's module is its parts (``VIEW_PARTS``: rules, payload decoding, DOM helpers,
Bokeh views, HTML panels, the explorer) joined in that order after the shared BokehJS
loader: no part imports another, so no bundler is needed, and the rules part imports on
its own in Node for the unit tests (tests/js). Its style is one file (``CSS``).
The live widget runs the module as its anywidget ``_esm`` with ``_css``; the saved
report inlines both in a page with a static model (static/report_host.js). Both get
BokehJS from the installed bokeh package, never from a CDN: only the core bundle and
the plotting API (the views draw tables and controls as plain HTML, so the widgets,
tables, gl and mathjax bundles are not needed).
"""

from __future__ import annotations

import base64
import functools
import json
from pathlib import Path

STATIC = Path(__file__).parent / "static"
# the explorer's module, in this order; the parts share one scope, so their top-level
# names are unique, and they use each other's names only inside functions
VIEW_PARTS = tuple(
    STATIC / f"kstar_{part}.js"
    for part in ("rules", "payload", "dom", "bokeh", "controls", "sections", "panels", "views")
)
CSS = STATIC / "kstar_views.css"  # the explorer's style: anywidget's _css, inlined in the report
LOADER = STATIC / "bokeh_loader.js"  # prepended to every widget's module
REPORT_HOST = STATIC / "report_host.js"
BOKEHJS_BUNDLES = ("bokeh.min.js", "bokeh-api.min.js")
API_MARK = "/*kstar:bokeh-api*/"  # the module splits the source here (core, then the API)


def bokehjs_version() -> str:
    """Version of the installed bokeh (the module checks ``window.Bokeh[version]``)."""
    import bokeh

    return bokeh.__version__


@functools.cache
def bokehjs_source() -> str:
    """BokehJS core and its plotting API, from the installed bokeh package (~1.4 MB)."""
    import bokeh

    folder = Path(bokeh.__file__).parent / "server" / "static" / "js"
    core, api = ((folder / name).read_text(encoding="utf-8") for name in BOKEHJS_BUNDLES)
    return f"{core}\n;{API_MARK}\n{api}"


def esm_source(*parts: Path) -> str:
    """A widget's ES module (its anywidget ``_esm``): the shared BokehJS loader, then ``parts``
    (default: the explorer's ``VIEW_PARTS``), joined in order.

    One module text, so ``loadBokeh`` is in the module's scope: the explorer and the
    figure widget load BokehJS by the same code, at most once per page.
    """
    files = (LOADER, *(parts or VIEW_PARTS))
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def css_source() -> str:
    """The explorer's style sheet (its anywidget ``_css``; the report inlines it)."""
    return CSS.read_text(encoding="utf-8")


def _encode(value):
    """A state with memoryviews as ``{"$buffer": base64}`` (the report's JSON)."""
    if isinstance(value, memoryview):
        return {"$buffer": base64.b64encode(value.tobytes()).decode("ascii")}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _script_safe(text: str) -> str:
    """Text that cannot close the <script> element it sits in."""
    return text.replace("</", "<\\/")


# JSON's own escapes for what HTML reads inside a <script>: "<!--" and "<script" in a string
# otherwise put the parser in the "double escaped" state, where </script> does not end it
_JSON_IN_HTML = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def json_in_script(value) -> str:
    """``value`` as JSON text that an HTML <script> holds verbatim (``<``, ``>``, ``&``,
    U+2028 and U+2029 written as \\uXXXX escapes); ``json.loads`` gives ``value`` back."""
    text = json.dumps(_encode(value), allow_nan=False, separators=(",", ":"))
    return text.translate(str.maketrans(_JSON_IN_HTML))


def report_page(state: dict, *, title: str, intro: str) -> str:
    """One standalone HTML page: BokehJS, the state as JSON, the module and its static host."""
    import html

    data = json_in_script(state)
    module = _script_safe(esm_source()) + "\n" + _script_safe(REPORT_HOST.read_text("utf-8"))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>body {{ font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #222; }}
h1 {{ font-size: 22px; margin: 0 0 6px; }} p.kstar-intro {{ max-width: 980px; margin: 0 0 12px; }}</style>
<style>{_script_safe(css_source())}</style>
<script>{_script_safe(bokehjs_source())}</script>
</head>
<body>
<h1>{html.escape(title)}</h1>
<p class="kstar-intro">{intro}</p>
<div id="kstar-root"></div>
<script type="application/json" id="kstar-state">{data}</script>
<script type="module">
{module}
</script>
</body>
</html>
"""
