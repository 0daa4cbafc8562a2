"""Notebook plumbing of the explorer: BokehJS in the page, the approximate result in a thread."""

from __future__ import annotations

import html
import threading
import time

_BOKEHJS_SENT = False


def ensure_bokehjs(*, force: bool = False) -> bool:
    """Load BokehJS into the notebook page from the installed bokeh (inline, never a CDN).

    jupyter_bokeh's view needs ``window.Bokeh``; ``output_notebook()`` with default
    resources would fetch it from a CDN and fail offline. The explorer calls this the
    first time it is shown in a kernel; call it with ``force=True`` after clearing
    all outputs or reloading the page. Returns whether it was sent.

    Examples
    --------
    >>> from kstar_widgets.widgets import ensure_bokehjs
    >>> ensure_bokehjs()  # outside a kernel: nothing to do
    False
    """
    global _BOKEHJS_SENT
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or not hasattr(shell, "kernel") or (_BOKEHJS_SENT and not force):
        return False
    from bokeh.io import output_notebook
    from bokeh.resources import INLINE

    output_notebook(resources=INLINE, hide_banner=True)
    _BOKEHJS_SENT = True
    return True


class ApproxMixin:
    """Compute the approximate result from the widget without freezing the page."""

    def compute_approx(self, *, n_neighbors=None, random_state=0, wait=False):
        """Compute the approximate result in a background thread, then add it to the views.

        The page stays responsive: a progress bar and the elapsed time show while it
        runs. ``wait=True`` blocks until done (for scripts and tests).
        """
        if self._features is None:
            raise ValueError(
                "compute_approx() needs the features: call kw.explore(result, features=x)."
            )
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("the approximate result is already being computed.")
        self.compute_button.disabled = True
        self.progress.layout.visibility = "visible"
        self.progress.bar_style = "info"
        done = threading.Event()
        self._thread = threading.Thread(
            target=self._run_approx, args=(n_neighbors, random_state, done), daemon=True
        )
        self._ticker = threading.Thread(
            target=self._tick, args=(done, time.perf_counter()), daemon=True
        )
        self._ticker.start()
        self._thread.start()
        if wait:
            self._thread.join()

    def _tick(self, done, t0):
        while not done.wait(0.25):
            self.progress.value = (self.progress.value + 4) % 100
            self.status.value = f"computing approximate k* … {time.perf_counter() - t0:.0f} s"

    def _run_approx(self, n_neighbors, random_state, done):
        from .. import _kstar

        first = next(iter(self.results.values()))
        try:
            res = _kstar.kstar(
                self._features,
                first.labels,
                method="approx",
                n_neighbors=n_neighbors,
                random_state=random_state,
                progress=False,
                name="approx",
                threshold=self.threshold,
            )
            self.results = {**self.results, "approx": res}
            self._build()
            status, style = f"approximate k* ready ({res.timings.get('total', 0):.1f} s)", "success"
        except Exception as exc:  # the page must say what went wrong, not hang
            err = html.escape(str(exc))
            status, style = (
                f"<span style='color:#c62828'>approximate k* failed: {err}</span>",
                "danger",
            )
            self.compute_button.disabled = False
        finally:
            done.set()
            self._ticker.join()  # the ticker's last write must not overwrite the outcome
        self.progress.value = 100
        self.status.value = status
        self.progress.bar_style = style
