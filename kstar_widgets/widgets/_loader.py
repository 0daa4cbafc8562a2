"""One widget model per kernel that holds BokehJS, referenced by every explorer.

A notebook saves each widget model's state once, so the ~1.4 MB of BokehJS is
stored once per notebook however many explorers it shows; after a page reload or
in a second tab the explorers fetch it from this model again.
"""

from __future__ import annotations

import ipywidgets
import traitlets

from ._views import bokehjs_source, bokehjs_version


class BokehJSSource(ipywidgets.Widget):
    """A model with no view: the BokehJS bundles the explorers load into the page."""

    source = traitlets.Unicode("", help="BokehJS core and plotting API, as script text.").tag(
        sync=True
    )
    version = traitlets.Unicode(
        "", help="Version of that BokehJS (the page reuses a loaded BokehJS of that version)."
    ).tag(sync=True)


_SHARED: BokehJSSource | None = None


def shared_bokehjs() -> BokehJSSource:
    """The kernel's one BokehJSSource (made again if it was closed)."""
    global _SHARED
    if _SHARED is None or _SHARED.comm is None:
        _SHARED = BokehJSSource(source=bokehjs_source(), version=bokehjs_version())
    return _SHARED
