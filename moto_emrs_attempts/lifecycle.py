"""The attempt lifecycle: retry policies and how a run plays its attempt outcomes.

| mode      | retried when                                | the run ends when                     |
|-----------|---------------------------------------------|---------------------------------------|
| BATCH     | an attempt FAILED and attempts < maxAttempts | SUCCESS, CANCELLED, or the last retry |
| STREAMING | an attempt FAILED and fewer than            | SUCCESS, CANCELLED, or that many      |
|           | maxFailedAttemptsPerHour failures fell      | failures within one hour              |
|           | within the last hour of simulated time      |                                       |

When the scripted outcomes run out and a retry is still due, the next attempt succeeds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ._service import shape
from ._validation import integer_clauses
from .exceptions import HistoryError, ValidationException
from .models import ATTEMPT_SECONDS, DEFAULT_STATE_DETAILS, RETRY_DELAY_SECONDS, AttemptRecord

MODES = tuple(shape("JobRunMode").enum)
#: The documented upper bound of both retry settings; the model only gives their minimum.
MAX_RETRY_SETTING = 10
DEFAULT_MAX_ATTEMPTS = 1
DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR = 5
_POLICY_MEMBERS = {"maxAttempts": "BATCH", "maxFailedAttemptsPerHour": "STREAMING"}
_POLICY_MIN = {name: m.metadata.get("min", 1) for name, m in shape("RetryPolicy").members.items()}
_HOUR = 3600.0


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


@dataclass(frozen=True)
class Outcome:
    """One attempt to play: its state, and optionally its details and times (epoch seconds)."""

    state: str
    state_details: str | None = None
    created_at: float | None = None
    updated_at: float | None = None


def play(
    outcomes: Sequence[Outcome],
    *,
    start: float,
    mode: str = "BATCH",
    retry_policy: dict[str, int] | None = None,
    path: str = "attempts",
    literal: bool = False,
    after: float | None = None,
    prior: Sequence[AttemptRecord] = (),
) -> list[AttemptRecord]:
    """Turn outcomes into attempt records under a mode and retry policy.

    With `literal`, every outcome becomes an attempt, whatever the policy. Times that are not
    given are simulated: attempts run minutes apart, never an hour. `after` is the end of the
    attempt before the first outcome, if any. `prior` are the run's attempts so far: the
    policy counts them too, and when they leave no retry due nothing is played (an empty
    list). Raises HistoryError for times that run backwards.
    """
    policy = retry_policy or {}
    records: list[AttemptRecord] = []
    failures = [a.updated_at for a in prior if a.state == "FAILED"]
    if prior and not literal and not _retry_due(prior[-1], len(prior), failures, mode, policy):
        return records
    previous_end = after
    index = 0
    while True:
        if index < len(outcomes):
            outcome = outcomes[index]
        elif literal or index == 0:
            break
        else:
            outcome = Outcome("SUCCESS")  # the script ran out while a retry was due
        created = outcome.created_at
        if created is None:
            created = start if previous_end is None else previous_end + RETRY_DELAY_SECONDS
        elif previous_end is not None and created < previous_end:
            raise HistoryError(
                f"{path}[{index}].createdAt",
                "starts before the previous attempt ends; attempt times must not run backwards",
            )
        updated = outcome.updated_at
        if updated is None:
            updated = created + ATTEMPT_SECONDS
        elif updated < created:
            raise HistoryError(f"{path}[{index}].updatedAt", "is before the attempt's createdAt")
        details = outcome.state_details or DEFAULT_STATE_DETAILS[outcome.state]
        records.append(AttemptRecord(outcome.state, details, created, updated))
        previous_end = updated
        index += 1
        if literal:
            continue
        if outcome.state == "FAILED":
            failures.append(updated)
        if not _retry_due(records[-1], len(prior) + len(records), failures, mode, policy):
            break
    return records


def _retry_due(
    last: AttemptRecord, count: int, failures: list[float], mode: str, policy: Mapping[str, int]
) -> bool:
    """Whether a run whose `count`-th attempt is `last` retries, given its failure times."""
    if last.state != "FAILED":
        return False
    if mode == "STREAMING":
        limit = policy.get("maxFailedAttemptsPerHour", DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR)
        return sum(1 for t in failures if t > last.updated_at - _HOUR) < limit
    return count < policy.get("maxAttempts", DEFAULT_MAX_ATTEMPTS)


def script(
    outcomes: Any,
    *,
    application_id: str | None,
    region_name: str,
    account_id: str,
) -> None:
    """Queue outcomes for the next StartJobRun of an application (None: of any application)."""
    from .models import attempts_backends
    from .seeding import _STATES

    if isinstance(outcomes, (str, bytes)) or not hasattr(outcomes, "__iter__"):
        raise ValueError(f"Pass script_outcomes a list of states, not {outcomes!r}.")
    states = list(outcomes)
    if not states:
        raise ValueError("Pass script_outcomes at least one state.")
    for state in states:
        if state not in _STATES:
            raise ValueError(f"Pass job run states ({', '.join(_STATES)}), not {state!r}.")
    backend = attempts_backends[account_id][region_name]
    with backend.lock:
        backend.scripts.append((application_id, states))
