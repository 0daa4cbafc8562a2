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


class UsesBokehJS(traitlets.HasTraits):
    """What every widget that draws with BokehJS shares: the shared model, its version,
    and the kernel's answer when the page cannot reach that model.

    A subclass passes ``**bokehjs_traits()`` to its ``__init__`` (so the first state the
    page gets already names the model) and calls ``self.on_msg(self._send_bokehjs)``.
    """

    bokehjs = traitlets.Instance(
        BokehJSSource,
        allow_none=True,
        help="The kernel's shared model holding BokehJS (saved once per notebook, not per widget).",
    ).tag(sync=True, **ipywidgets.widget_serialization)
    bokehjs_version = traitlets.Unicode(
        "", help="Version of BokehJS the page needs; a loaded BokehJS of that version is reused."
    ).tag(sync=True)

    def _send_bokehjs(self, _widget, content, _buffers):
        if isinstance(content, dict) and content.get("action") == "bokehjs":
            self.send({"bokehjs": bokehjs_source()})  # the page could not reach the shared model


def bokehjs_traits() -> dict:
    """``bokehjs`` and ``bokehjs_version`` for a new widget: the kernel's one model."""
    return {"bokehjs": shared_bokehjs(), "bokehjs_version": bokehjs_version()}
