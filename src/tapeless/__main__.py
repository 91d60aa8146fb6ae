"""``python -m tapeless``: see :mod:`tapeless.cli`."""

import sys

from .cli import main

sys.exit(main())
