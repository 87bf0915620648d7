"""Amazon EMR Serverless job-run attempts for moto.

Importing this package registers the plugin with moto, so a plain ``@mock_aws`` test can call
``ListJobRunAttempts``. The names below load their modules when first used, as moto loads a
backend when first needed: the pytest plugin imports this package in every pytest run.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from ._registration import register as _register

if TYPE_CHECKING:
    from ._mock import EmrsAttempts, inject_error, mock_emrs_attempts, script_outcomes
    from .contract.errors import HistoryError
    from .history.attempt_input import Attempt
    from .history.document import export_history, load_history
    from .history.seeding import SeededJobRun, seed_attempts, seed_job_run
    from .models.backend import attempts_backends

#: Each public name, and the module that defines it.
_HOMES = {
    "Attempt": "moto_emrs_attempts.history.attempt_input",
    "EmrsAttempts": "moto_emrs_attempts._mock",
    "HistoryError": "moto_emrs_attempts.contract.errors",
    "SeededJobRun": "moto_emrs_attempts.history.seeding",
    "attempts_backends": "moto_emrs_attempts.models.backend",
    "export_history": "moto_emrs_attempts.history.document",
    "inject_error": "moto_emrs_attempts._mock",
    "load_history": "moto_emrs_attempts.history.document",
    "mock_emrs_attempts": "moto_emrs_attempts._mock",
    "script_outcomes": "moto_emrs_attempts._mock",
    "seed_attempts": "moto_emrs_attempts.history.seeding",
    "seed_job_run": "moto_emrs_attempts.history.seeding",
}

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


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


_register()
