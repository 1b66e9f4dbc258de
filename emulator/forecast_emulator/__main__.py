"""`python -m forecast_emulator serve ...`: the same as the `forecast-emulator` command."""

import sys

from forecast_emulator.cli import main

sys.exit(main())
