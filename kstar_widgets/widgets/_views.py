"""The front end: one ES module (static/kstar_views.js) and what it needs, for both hosts.

The live widget runs the module as its anywidget ``_esm``; the saved report inlines
the same module in a page with a static model (static/report_host.js). Both get
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
ESM = STATIC / "kstar_views.js"
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


def esm_source(module: Path = ESM) -> str:
    """A widget's ES module (its anywidget ``_esm``): the shared BokehJS loader, then ``module``.

    One module text, so ``loadBokeh`` is in the module's scope: the explorer and the
    figure widget load BokehJS by the same code, at most once per page.
    """
    return LOADER.read_text(encoding="utf-8") + "\n" + module.read_text(encoding="utf-8")


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


def report_page(state: dict, *, title: str, intro: str) -> str:
    """One standalone HTML page: BokehJS, the state as JSON, the module and its static host."""
    import html

    data = _script_safe(json.dumps(_encode(state), allow_nan=False, separators=(",", ":")))
    module = _script_safe(esm_source()) + "\n" + _script_safe(REPORT_HOST.read_text("utf-8"))
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)}</title>
<style>body {{ font: 14px/1.4 system-ui, sans-serif; margin: 16px 24px; color: #222; }}
h1 {{ font-size: 22px; margin: 0 0 6px; }} p.kstar-intro {{ max-width: 980px; margin: 0 0 12px; }}</style>
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
