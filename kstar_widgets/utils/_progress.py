"""Progress bars and status lines that work in notebooks and terminals, and stay quiet when asked."""

from __future__ import annotations

import sys
import time
import uuid


class _Silent:
    def update(self, n=1):
        pass

    def set_description(self, desc):
        pass

    def set_postfix_str(self, s):
        pass

    def close(self):
        pass


def progress_bar(*, total, desc, unit="it", enable=True):
    """A text line in a Jupyter kernel, a tqdm bar in a terminal, or a silent stand-in.

    In a kernel the bar is plain text in one display, updated in place: a widget bar
    would show "model not found" once the page is reloaded or the notebook reopened.
    """
    if not enable:
        return _Silent()
    shell = _kernel_shell()
    if shell is not None and hasattr(shell, "display_pub"):
        return _TextBar(shell.display_pub, total=total, desc=desc, unit=unit)
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False, file=sys.stderr, dynamic_ncols=True)


def _seconds(seconds: float) -> str:
    """Elapsed time for a person: "0.4 s", "12 s"."""
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"


class _TextBar:
    """Progress as one line of text in a notebook output, redrawn a few times a second.

    It publishes through the running kernel's display publisher, as
    ``IPython.display.display(..., display_id=True)`` and its ``update`` do, so the
    saved notebook holds only text.
    """

    redraw_every = 0.25  # seconds between redraws: each one is a message to the front end

    def __init__(self, publisher, *, total, desc, unit):
        self.total, self.desc, self.unit, self.n, self.postfix = total, desc, unit, 0, ""
        self._publisher, self._id = publisher, uuid.uuid4().hex
        self._start = self._drawn = time.monotonic()
        self._closed = False
        self._publish(update=False)

    def _line(self) -> str:
        """The bar's text now: "training: 40/136 batch 29%, 3.1 s" or, closed, "… in 12 s"."""
        done = f"{self.n}/{self.total}" if self.total else f"{self.n}"
        elapsed = _seconds(time.monotonic() - self._start)
        if self._closed:
            finished = not self.total or self.n >= self.total
            tail = f"in {elapsed}" if finished else f"stopped after {elapsed}"
        elif self.total:
            tail = f"{self.n / self.total:.0%}, {elapsed}"
        else:
            tail = elapsed
        postfix = f" ({self.postfix})" if self.postfix else ""
        return f"{self.desc}: {done} {self.unit} {tail}{postfix}"

    def _publish(self, *, update: bool):
        """Show the line as a text-only bundle: nothing a reopened notebook cannot show."""
        self._drawn = time.monotonic()
        data = {"text/plain": self._line()}
        self._publisher.publish(data, {}, transient={"display_id": self._id}, update=update)

    def refresh(self):
        """Redraw the line in place now."""
        self._publish(update=True)

    def update(self, n=1):
        """Count ``n`` more done; redraw when the last redraw is old enough."""
        self.n += n
        if time.monotonic() - self._drawn >= self.redraw_every:
            self.refresh()

    def set_description(self, desc):
        self.desc = desc

    def set_postfix_str(self, s):
        self.postfix = s

    def close(self):
        """Leave the finished line: "training: 136/136 batch in 12 s"."""
        if not self._closed:
            self._closed = True
            self.refresh()


def _kernel_shell():
    """The running shell when it is a Jupyter kernel's, else None; never imports IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell if getattr(shell, "kernel", None) is not None else None


def in_jupyter_kernel() -> bool:
    """True inside a Jupyter kernel (ipykernel), where stderr is shown as an error-styled box."""
    return _kernel_shell() is not None


def say(message: str, enable: bool = True) -> None:
    """One line of status for the person waiting.

    On stderr in a terminal (so pipes of the output stay clean); on stdout in a
    Jupyter kernel, where stderr is styled as an error and a status line is not one.
    """
    if enable:
        stream = sys.stdout if in_jupyter_kernel() else sys.stderr
        print(f"kstar_widgets: {message}", file=stream, flush=True)


_SAID: set[str] = set()


def say_once(message: str) -> None:
    """``say`` a message the first time only in this process (it is shown whatever ``progress`` is)."""
    if message not in _SAID:
        _SAID.add(message)
        say(message)
