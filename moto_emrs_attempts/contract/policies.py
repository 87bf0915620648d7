"""The settings AWS bounds beyond its model, with AWS's wording: an application's scheduler
configuration (its members' documented ranges) and a job run's retry policy (which member belongs
to which mode, the documented maximum of both, their defaults).

The model's own constraints (types, minimums) are checked by `contract.validation`; this adds
what AWS's guides document.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .errors import ValidationException, shown
from .service_model import MODEL, documented_range, shape
from .validation import integer_clauses, value_clauses

# -- scheduler configurations: the documented ranges of their members ------------------------


def scheduler_limits() -> dict[str, tuple[int, int, int]] | None:
    """`SchedulerConfiguration` members with their documented (minimum, maximum, default);
    None when the installed botocore model has no scheduler configuration."""
    global _SCHEDULER_LIMITS
    if _SCHEDULER_LIMITS is None:
        try:
            members = MODEL.shape_for("SchedulerConfiguration").members
            _SCHEDULER_LIMITS = {
                name: documented_range("SchedulerConfiguration", name) for name in members
            }
        except Exception:  # an older model: the member is unknown, and ignored like any other
            _SCHEDULER_LIMITS = {}
    return _SCHEDULER_LIMITS or None


_SCHEDULER_LIMITS: dict[str, tuple[int, int, int]] | None = None


def scheduler_configuration_clauses(value: Any, name: str = "schedulerConfiguration") -> list[str]:
    """Return the clauses a `schedulerConfiguration` violates: the model's types, then the
    documented ranges of its members."""
    limits = scheduler_limits()
    if limits is None:
        return []
    out = value_clauses(value, name, MODEL.shape_for("SchedulerConfiguration"))
    if isinstance(value, dict):
        for member, (low, high, _) in limits.items():
            found = value.get(member)
            if isinstance(found, int) and not isinstance(found, bool):
                out += integer_clauses(found, f"{name}.{member}", {"min": low, "max": high})
    return out


# -- retry policies: which members belong to which mode, and their documented bounds --------

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
            (
                "",
                f"must be an object with maxAttempts or maxFailedAttemptsPerHour, not {shown(policy)}",
            )
        ]
    problems = []
    for name, value in policy.items():
        if name not in _POLICY_MEMBERS:
            members = ", ".join(_POLICY_MEMBERS)
            problems.append((name, f"is not a retry policy member; use {members}"))
        elif isinstance(value, bool) or not isinstance(value, int):
            problems.append((name, f"must be an integer, not {shown(value)}"))
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
