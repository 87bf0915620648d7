"""Retry policies: which members belong to which mode, and their documented bounds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._service import shape
from ._validation import integer_clauses
from .exceptions import ValidationException

MODES = tuple(shape("JobRunMode").enum)
#: The documented upper bound of both retry settings; the model only gives their minimum.
MAX_RETRY_SETTING = 10
DEFAULT_MAX_ATTEMPTS = 1
DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR = 5
_POLICY_MEMBERS = {"maxAttempts": "BATCH", "maxFailedAttemptsPerHour": "STREAMING"}
_POLICY_MIN = {name: m.metadata.get("min", 1) for name, m in shape("RetryPolicy").members.items()}


def retry_policy_problems(mode: str, policy: Any) -> list[tuple[str, str]]:
    """Return `(member, problem)` pairs for a retry policy under a mode; empty when valid."""
    if not isinstance(policy, dict):
        return [
            ("", f"must be an object with maxAttempts or maxFailedAttemptsPerHour, not {policy!r}")
        ]
    problems = []
    for name, value in policy.items():
        if name not in _POLICY_MEMBERS:
            problems.append((name, "is not a retry policy member"))
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append((name, f"must be an integer, not {value!r}"))
        elif not _POLICY_MIN[name] <= value <= MAX_RETRY_SETTING:
            problems.append((name, f"must be between {_POLICY_MIN[name]} and {MAX_RETRY_SETTING}"))
        elif _POLICY_MEMBERS[name] != mode:
            problems.append((name, f"applies to {_POLICY_MEMBERS[name]} job runs only, not {mode}"))
    return problems


def retry_policy_clauses(policy: Any, name: str = "retryPolicy") -> list[str]:
    """Return AWS validation clauses for the documented bounds the model does not carry.

    The model's own constraints (types, minimums) are checked from the model; this adds the
    documented maximum of both settings.
    """
    if not isinstance(policy, dict):
        return []
    return [
        found
        for member, value in policy.items()
        if member in _POLICY_MEMBERS and isinstance(value, int) and not isinstance(value, bool)
        for found in integer_clauses(value, f"{name}.{member}", {"max": MAX_RETRY_SETTING})
    ]


def check_mode(mode: str, policy: Mapping[str, Any] | None) -> None:
    """Raise ValidationException when a retry policy member is given for the other mode."""
    for member in policy or ():
        applies_to = _POLICY_MEMBERS.get(member)
        if applies_to is not None and applies_to != mode:
            raise ValidationException(
                f"retryPolicy.{member} is only applicable for {applies_to} mode, "
                f"not for {mode} job runs."
            )
