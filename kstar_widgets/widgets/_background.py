"""The approximate result computed from the explorer in a thread, so the page stays responsive."""

from __future__ import annotations

import threading
import time


class ApproxMixin:
    """``compute_approx()`` for the explorer: runs kw.kstar(method='approx') in the background."""

    def compute_approx(self, *, n_neighbors=None, random_state=0, wait=False):
        """Compute the approximate result in a background thread, then add it to the views.

        The page stays responsive and shows the elapsed time while it runs (``status``,
        ``busy``). ``wait=True`` blocks until done (for scripts and tests).
        """
        if self._features is None:
            raise ValueError(
                "compute_approx() needs the features: call kw.explore(result, features=x)."
            )
        if self._thread is not None and self._thread.is_alive():
            raise RuntimeError("the approximate result is already being computed.")
        self.busy = True
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
        while not done.wait(0.5):
            self.status = f"computing approximate k* … {time.perf_counter() - t0:.0f} s"

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
            self._rebuild()
            status = f"approximate k* ready ({res.timings.get('total', 0):.1f} s)"
        except Exception as exc:  # the page must say what went wrong, not hang
            status = f"approximate k* failed: {exc}"
        finally:
            done.set()
            self._ticker.join()  # the ticker's last write must not overwrite the outcome
        self.status = status
        self.busy = False
