"""`python -m moto_emrs_attempts`: the same as `moto-emrs-attempts-server`.

`python -m moto_emrs_attempts serve ...` and `... record ...` run the `moto-emrs-attempts`
subcommands.
"""

from __future__ import annotations

import sys

from .cli import main, server_main

#: What this is called by, for its messages.
PROG = "python -m moto_emrs_attempts"

if __name__ == "__main__":
    if sys.argv[1:2] in (["serve"], ["record"]):
        sys.exit(main(prog=PROG))
    sys.exit(server_main(prog=PROG))
