"""Progress bars that work in notebooks and terminals, and stay quiet when asked."""

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


def say(message: str, enable: bool = True) -> None:
    """One line of status for the person waiting, on stderr (visible in notebooks too)."""
    if enable:
        print(f"kstar_widgets: {message}", file=sys.stderr, flush=True)
