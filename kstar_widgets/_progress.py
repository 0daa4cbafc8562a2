"""Progress bars and status lines that work in notebooks and terminals, and stay quiet when asked."""

from __future__ import annotations

import sys


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
    """A tqdm.auto bar, or a silent stand-in when enable is False."""
    if not enable:
        return _Silent()
    from tqdm.auto import tqdm

    return tqdm(total=total, desc=desc, unit=unit, leave=False, file=sys.stderr, dynamic_ncols=True)


def in_jupyter_kernel() -> bool:
    """True inside a Jupyter kernel (ipykernel), where stderr is shown as an error-styled box."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


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
