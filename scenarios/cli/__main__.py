"""``python -m scenarios.cli``: the same as the ``ccplan`` console command."""

import sys

from scenarios.cli import main

sys.exit(main())
