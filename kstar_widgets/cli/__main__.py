"""``python -m kstar_widgets.cli``: the same as the ``kstar-widgets`` command."""

import sys

from . import main

sys.exit(main())
