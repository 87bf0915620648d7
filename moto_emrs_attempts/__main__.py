"""`python -m moto_emrs_attempts`: the same as `moto-emrs-attempts-server`."""

from __future__ import annotations

import sys

from .server import main

if __name__ == "__main__":
    sys.exit(main())
