"""The botocore the plugin needs: the first release whose EMR Serverless model has
ListJobRunAttempts. Checked at import by the version alone (the model itself loads later, when
first needed, and `contract.service_model` checks it then)."""

from __future__ import annotations

import re

#: The first botocore release whose EMR Serverless model has ListJobRunAttempts.
MIN_BOTOCORE = "1.34.116"


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"[0-9]+", version)[:3])


def needed(found: str) -> ImportError:
    """The error for a botocore without ListJobRunAttempts (`found` is its version)."""
    return ImportError(
        f"moto-emrs-attempts needs botocore>={MIN_BOTOCORE}, whose EMR Serverless model "
        f"has ListJobRunAttempts; this environment has botocore {found}. "
        f"Upgrade with: pip install 'botocore>={MIN_BOTOCORE}' 'boto3'"
    )


def require_botocore() -> None:
    """Raise `needed` when the installed botocore is older than MIN_BOTOCORE."""
    import botocore

    if _numbers(botocore.__version__) < _numbers(MIN_BOTOCORE):
        raise needed(botocore.__version__)
