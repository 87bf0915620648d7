"""The attempt lifecycle: a pure engine. Given a run's attempts, its policy, its script, the
transition in force and the clock, it says what happens next; the backend applies it.

| mode      | retried when                                | the run ends when                     |
|-----------|---------------------------------------------|---------------------------------------|
| BATCH     | an attempt FAILED and attempts < maxAttempts | SUCCESS, CANCELLED, or the last retry |
| STREAMING | an attempt FAILED and fewer than            | SUCCESS, CANCELLED, or that many      |
|           | maxFailedAttemptsPerHour failures fell      | failures within one hour (of the      |
|           | within the last hour                        | attempts' updatedAt)                  |

When the scripted outcomes run out and a retry is still due, the next attempt succeeds.

Over time (moto's state manager, model `emrserverless::job_run`, whose transitions
`engine.transitions` reads), the steps, cancels and timeouts are `engine.steps`' (re-exported here). Nothing
here reads a backend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..contract.errors import HistoryError
from ..contract.policies import DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR
from .steps import SUCCESS as _SUCCESS
from .steps import Progress as Progress
from .steps import Step as Step
from .steps import cancel as cancel
from .steps import deadline_of as deadline_of
from .steps import execution_timeout as execution_timeout
from .steps import grid_after as grid_after
from .steps import overdue as overdue
from .steps import poll as poll
from .steps import queue_timeout as queue_timeout
from .steps import retry_due as retry_due
from .steps import step as step
from .steps import timeout as timeout
from .stored_attempt import ACTIVE as ACTIVE
from .stored_attempt import ATTEMPT_SECONDS as ATTEMPT_SECONDS
from .stored_attempt import CANCEL_SECONDS as CANCEL_SECONDS
from .stored_attempt import DEFAULT_STATE_DETAILS as DEFAULT_STATE_DETAILS
from .stored_attempt import EXECUTION_TIMEOUT_DETAILS as EXECUTION_TIMEOUT_DETAILS
from .stored_attempt import LATEST_TIME as LATEST_TIME
from .stored_attempt import QUEUE_TIMEOUT_DETAILS as QUEUE_TIMEOUT_DETAILS
from .stored_attempt import RETRY_DELAY_SECONDS as RETRY_DELAY_SECONDS
from .stored_attempt import TERMINAL as TERMINAL
from .stored_attempt import AttemptRecord as AttemptRecord
from .stored_attempt import Outcome as Outcome
from .stored_attempt import SteppedAttemptRecord as SteppedAttemptRecord
from .stored_attempt import started as started
from .transitions import DEFAULT_TRANSITION as DEFAULT_TRANSITION
from .transitions import IMMEDIATE as IMMEDIATE
from .transitions import MODEL_NAME as MODEL_NAME
from .transitions import Transition as Transition
from .transitions import UnusableTransition as UnusableTransition
from .transitions import transition_of as transition_of


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
    exact: bool = False,
) -> list[AttemptRecord]:
    """Turn outcomes into attempt records under a mode and retry policy.

    With `literal`, every outcome becomes an attempt, whatever the policy. Otherwise the policy
    decides: outcomes left once the run has ended are not used, and a retry due when the
    outcomes run out succeeds (a script) — or, with `exact` (a seed, which lists its attempts),
    either is a HistoryError that says what the policy runs. Times that are not given are
    simulated: attempts run minutes apart, never an hour. `after` is the end of the attempt
    before the first outcome, if any. `prior` are the run's attempts so far: the policy counts
    them too, and when they leave no retry due nothing is played (an empty list). Raises
    HistoryError for times that run backwards or past `LATEST_TIME`.
    """
    policy = retry_policy or {}
    records: list[AttemptRecord] = []
    if prior and not literal and not _continues(mode, policy, prior):
        return records
    previous_end = after
    index = 0
    while True:
        if index < len(outcomes):
            outcome = outcomes[index]
        elif literal or index == 0:
            break
        elif exact:
            raise HistoryError(path, _retried(mode, policy, len(prior) + index))
        else:
            outcome = _SUCCESS  # the script ran out while a retry was due
        created = outcome.created_at
        if created is None:
            created = start if previous_end is None else previous_end + RETRY_DELAY_SECONDS
            _check_latest(created, f"{path}[{index}].createdAt")
        elif previous_end is not None and created < previous_end:
            raise HistoryError(
                f"{path}[{index}].createdAt",
                "starts before the previous attempt ends; attempt times must not run backwards",
            )
        updated = outcome.updated_at
        if updated is None:
            updated = created + ATTEMPT_SECONDS
            _check_latest(updated, f"{path}[{index}].updatedAt")
        elif updated < created:
            raise HistoryError(f"{path}[{index}].updatedAt", "is before the attempt's createdAt")
        details = outcome.state_details or DEFAULT_STATE_DETAILS[outcome.state]
        if outcome.queued_ms is None:
            records.append(AttemptRecord(outcome.state, details, created, updated))
        else:
            records.append(
                SteppedAttemptRecord(
                    outcome.state, details, created, updated, outcome.started_at, outcome.queued_ms
                )
            )
        previous_end = updated
        index += 1
        if literal:
            continue
        if not _continues(mode, policy, [*prior, *records]):
            if exact and index < len(outcomes):
                raise HistoryError(
                    f"{path}[{index}]", _ended(mode, policy, len(prior) + index, outcome.state)
                )
            break
    return records


def _check_latest(epoch: float, path: str) -> None:
    if epoch > LATEST_TIME:
        raise HistoryError(
            path,
            "is simulated after 9999-12-31T23:59:59Z, the latest time a job run can have; "
            "give the attempts earlier times",
        )


def _ended(mode: str, policy: Mapping[str, int], number: int, state: str) -> str:
    """Why no attempt follows attempt `number` of a seed: the policy ended the run there."""
    if state != "FAILED":
        return f"attempt {number} ({state}) ends the job run, so no attempt follows it"
    if mode == "STREAMING":
        limit = policy.get("maxFailedAttemptsPerHour", DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR)
        return (
            f"the retryPolicy maxFailedAttemptsPerHour {limit} ends the job run at attempt "
            f"{number} (FAILED, the {limit} failures within one hour it allows), so no attempt "
            "follows it"
        )
    limit = policy.get("maxAttempts", DEFAULT_MAX_ATTEMPTS)
    return (
        f"the retryPolicy maxAttempts {limit} ends the job run at attempt {number} (FAILED, "
        f"with no retry left), so no attempt follows it; list at most {limit} "
        f"attempt{'s' if limit > 1 else ''}"
    )


def _retried(mode: str, policy: Mapping[str, int], number: int) -> str:
    """Why a seed cannot end with attempt `number` FAILED: the policy retries it."""
    if mode == "STREAMING":
        limit = policy.get("maxFailedAttemptsPerHour", DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR)
        return (
            f"attempt {number} FAILED with fewer than {limit} failures within one hour, so the "
            f"retryPolicy maxFailedAttemptsPerHour {limit} retries it; list the attempts that "
            "follow, up to one that ends the job run"
        )
    limit = policy.get("maxAttempts", DEFAULT_MAX_ATTEMPTS)
    return (
        f"attempt {number} FAILED and the retryPolicy maxAttempts {limit} retries it; list the "
        f"attempts that follow, up to one that succeeds, is cancelled, or fails as attempt {limit}"
    )


def _continues(mode: str, policy: Mapping[str, int], attempts: Sequence[AttemptRecord]) -> bool:
    """Whether a job run with these attempts gets another one."""
    return attempts[-1].state == "FAILED" and retry_due(mode, policy, attempts)


def cut(
    records: list[AttemptRecord], *, start: float, timeout_minutes: int | None
) -> list[AttemptRecord]:
    """A history played at once (immediate progression) from `start` whose run would outlive
    its executionTimeoutMinutes (`timeout_minutes`; 0 or None: never), as that timeout leaves
    it: the attempt not ended by then is CANCELLED at that moment (an attempt that would only
    be created later, at its creation), naming the timeout, and no attempt follows."""
    deadline = deadline_of(start, timeout_minutes)
    if deadline is None or not records or records[-1].updated_at <= deadline:
        return records
    index = next(i for i, record in enumerate(records) if record.updated_at > deadline)
    record = records[index]
    details = EXECUTION_TIMEOUT_DETAILS.format(timeout_minutes)
    at = max(deadline, record.created_at)
    return [*records[:index], AttemptRecord("CANCELLED", details, record.created_at, at)]
