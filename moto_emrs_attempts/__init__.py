"""Amazon EMR Serverless job-run attempts for moto.

Importing this package registers the plugin with moto, so a plain ``@mock_aws`` test can call
``ListJobRunAttempts``.
"""

from __future__ import annotations

from ._inputs import Attempt
from ._mock import EmrsAttempts, inject_error, mock_emrs_attempts, script_outcomes
from ._registration import register as _register
from .exceptions import HistoryError
from .history import export_history, load_history
from .models import attempts_backends
from .seeding import SeededJobRun, seed_attempts, seed_job_run

__all__ = [
    "Attempt",
    "EmrsAttempts",
    "HistoryError",
    "SeededJobRun",
    "attempts_backends",
    "export_history",
    "inject_error",
    "load_history",
    "mock_emrs_attempts",
    "script_outcomes",
    "seed_attempts",
    "seed_job_run",
]

_register()
