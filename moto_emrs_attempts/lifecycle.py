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
`_transitions` reads), one step moves the latest
attempt one state along `SUBMITTED -> (QUEUED ->) PENDING -> SCHEDULED -> RUNNING -> outcome`;
the step that fails an attempt with a retry due also creates the next attempt in SUBMITTED.
`CANCELLING` ends in `CANCELLED` at the next step. Nothing here reads a backend.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ._records import ACTIVE as ACTIVE
from ._records import ATTEMPT_SECONDS as ATTEMPT_SECONDS
from ._records import CANCEL_SECONDS as CANCEL_SECONDS
from ._records import DEFAULT_STATE_DETAILS as DEFAULT_STATE_DETAILS
from ._records import LATEST_TIME as LATEST_TIME
from ._records import QUEUE_TIMEOUT_DETAILS as QUEUE_TIMEOUT_DETAILS
from ._records import RETRY_DELAY_SECONDS as RETRY_DELAY_SECONDS
from ._records import TERMINAL as TERMINAL
from ._records import AttemptRecord as AttemptRecord
from ._records import Outcome as Outcome
from ._records import SteppedAttemptRecord as SteppedAttemptRecord
from ._records import started as started
from ._transitions import DEFAULT_TRANSITION as DEFAULT_TRANSITION
from ._transitions import IMMEDIATE as IMMEDIATE
from ._transitions import MODEL_NAME as MODEL_NAME
from ._transitions import Transition as Transition
from ._transitions import UnusableTransition as UnusableTransition
from ._transitions import transition_of as transition_of
from ._validation import DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR
from .exceptions import HistoryError

_HOUR = 3600.0


_SUCCESS = Outcome("SUCCESS")


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


# -- over time ----------------------------------------------------------------------------

_NEXT = {"PENDING": "SCHEDULED", "SCHEDULED": "RUNNING"}


class Progress:
    """What the engine keeps about a started job run that still moves: `start` (the clock at
    StartJobRun), `tick` (polls toward the next manual step), `steps` (steps due so far, time
    progression), `queued_since` (the clock when the latest attempt was QUEUED) and
    `queued_ms` (QUEUED time before that)."""

    __slots__ = (
        "cancel_details",
        "done",
        "mode",
        "outcomes",
        "policy",
        "queued_ms",
        "queued_since",
        "start",
        "steps",
        "tick",
    )

    def __init__(
        self,
        *,
        mode: str,
        policy: Mapping[str, int] | None,
        outcomes: Sequence[str | Outcome] | None,
        start: float,
    ) -> None:
        self.mode = mode
        self.policy: Mapping[str, int] = policy or {}
        self.outcomes = (
            tuple(o if isinstance(o, Outcome) else Outcome(o) for o in outcomes)
            if outcomes is not None
            else None
        )
        self.start = start
        self.tick = 0
        self.steps = 0
        self.queued_since: float | None = None
        self.queued_ms = 0
        self.cancel_details = DEFAULT_STATE_DETAILS["CANCELLED"]
        self.done = False

    def outcome(self, number: int) -> Outcome | None:
        """The outcome of attempt `number` (its state, and the stateDetails a script gave it),
        or None when it keeps running (STREAMING, no script)."""
        outcomes = self.outcomes
        if outcomes is None:
            return None if self.mode == "STREAMING" else _SUCCESS
        return outcomes[number - 1] if number <= len(outcomes) else _SUCCESS


class Step(NamedTuple):
    """What one step does: `records[0]` replaces the latest attempt and any further records
    are new attempts; `slot` says what happens to the run's concurrency slot."""

    records: tuple[AttemptRecord, ...]
    slot: str | None = None  # "take", "wait" (join the queue), "free" (slot and queue)


def poll(
    progress: Progress, transition: Transition, now: float, *, counted: bool = True
) -> int | None:
    """Count one poll; return how many steps it makes (None: as many as the run can take).

    Under manual progression only a `counted` poll moves a run; under time progression the
    steps due by `now` are made whoever asks.
    """
    progression = transition.progression
    if progression == "manual":
        if not counted:
            return 0
        progress.tick += 1
        if progress.tick < transition.times:
            return 0
        progress.tick = 0
        return 1
    if progression == "time" and transition.seconds > 0:
        due = int((now - progress.start) // transition.seconds)
        budget = due - progress.steps
        progress.steps = max(progress.steps, due)
        return max(budget, 0)
    return None


def retry_due(mode: str, policy: Mapping[str, int], attempts: Sequence[AttemptRecord]) -> bool:
    """Whether a job run whose latest attempt (the last of `attempts`) FAILED gets another."""
    if mode == "STREAMING":
        latest = attempts[-1].updated_at
        limit = policy.get("maxFailedAttemptsPerHour", DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR)
        failures = sum(1 for a in attempts if a.state == "FAILED" and a.updated_at > latest - _HOUR)
        return failures < limit
    return len(attempts) < policy.get("maxAttempts", DEFAULT_MAX_ATTEMPTS)


def _record(
    progress: Progress,
    latest: AttemptRecord,
    state: str,
    at: float,
    details: str | None = None,
    started_at: float | None = None,
) -> SteppedAttemptRecord:
    return SteppedAttemptRecord(
        state,
        details or DEFAULT_STATE_DETAILS[state],
        latest.created_at,
        at,
        started_at if started_at is not None else started(latest),
        progress.queued_ms,
    )


def step(
    progress: Progress,
    attempts: Sequence[AttemptRecord],
    *,
    at: float,
    simulated: bool,
    holds_slot: bool,
    slot_free: bool,
) -> Step | None:
    """One step of a job run, or None when it cannot move now (ended, keeps running, waits).

    `at` is the clock; with `simulated` (immediate progression) the outcome comes
    ATTEMPT_SECONDS after `at` and a retry RETRY_DELAY_SECONDS after that, as in `play`.
    `holds_slot`: the run has a concurrency slot; `slot_free`: a slot is there to take.
    """
    latest = attempts[-1]
    state = latest.state
    if progress.done or state in TERMINAL:
        return None
    if state == "SUBMITTED":
        if slot_free:
            return Step((_record(progress, latest, "PENDING", at),), "take")
        progress.queued_since = at
        return Step((_record(progress, latest, "QUEUED", at),), "wait")
    if state == "QUEUED":
        if not holds_slot:
            return None
        if progress.queued_since is not None:
            progress.queued_ms += round((at - progress.queued_since) * 1000)
            progress.queued_since = None
        return Step((_record(progress, latest, "PENDING", at),))
    following = _NEXT.get(state)
    if following is not None:
        started_at = at if following == "RUNNING" else None
        return Step((_record(progress, latest, following, at, started_at=started_at),))
    if state == "CANCELLING":
        progress.done = True
        return Step((_record(progress, latest, "CANCELLED", at, progress.cancel_details),), "free")
    if state != "RUNNING":  # a scripted state that is not an outcome: the run stays there
        return None
    scripted = progress.outcome(len(attempts))
    if scripted is None or scripted.state == "RUNNING":
        return None
    outcome = scripted.state
    ended = at + ATTEMPT_SECONDS if simulated else at
    record = _record(progress, latest, outcome, ended, scripted.state_details)
    if outcome == "FAILED" and retry_due(progress.mode, progress.policy, [*attempts[:-1], record]):
        created = ended + RETRY_DELAY_SECONDS if simulated else ended
        following_attempt = SteppedAttemptRecord(
            "SUBMITTED",
            DEFAULT_STATE_DETAILS["SUBMITTED"],
            created,
            created,
            None,
            progress.queued_ms,
        )
        return Step((record, following_attempt), "free")
    if outcome in TERMINAL:
        progress.done = True
        return Step((record,), "free")
    progress.done = True  # a scripted state that is not an outcome: the run stays there
    return Step((record,), None if outcome in ACTIVE else "free")


def cancel(progress: Progress, latest: AttemptRecord, *, at: float, simulated: bool) -> Step | None:
    """CancelJobRun: None for a run that has ended, else CANCELLING now (CANCELLED at once
    under immediate progression, CANCEL_SECONDS after the attempt's last update)."""
    if latest.state in TERMINAL:
        return None
    _leave_queue(progress, at)
    progress.cancel_details = DEFAULT_STATE_DETAILS["CANCELLED"]
    progress.done = False
    if simulated:
        progress.done = True
        return Step(
            (_record(progress, latest, "CANCELLED", latest.updated_at + CANCEL_SECONDS),), "free"
        )
    progress.tick = 0
    # A run that holds a slot keeps it until CANCELLED; one that waited for a slot leaves the queue.
    slot = None if latest.state in ACTIVE else "free"
    return Step((_record(progress, latest, "CANCELLING", at),), slot)


def queue_timeout(
    progress: Progress,
    latest: AttemptRecord,
    *,
    now: float,
    timeout_minutes: int | None,
    simulated: bool,
) -> Step | None:
    """A poll that finds the latest attempt QUEUED for longer than `timeout_minutes` cancels it:
    CANCELLING (CANCELLED at once under immediate progression), naming the queue timeout."""
    since = progress.queued_since
    if latest.state != "QUEUED" or timeout_minutes is None or since is None:
        return None
    if now - since <= timeout_minutes * 60:
        return None
    _leave_queue(progress, now)
    details = progress.cancel_details = QUEUE_TIMEOUT_DETAILS.format(timeout_minutes)
    progress.tick = 0
    if simulated:
        progress.done = True
        return Step((_record(progress, latest, "CANCELLED", now, details),), "free")
    return Step((_record(progress, latest, "CANCELLING", now, details),), "free")


def _leave_queue(progress: Progress, at: float) -> None:
    if progress.queued_since is not None:
        progress.queued_ms += round(max(at - progress.queued_since, 0.0) * 1000)
        progress.queued_since = None


def overdue(progress: Progress | None, now: float, timeout_minutes: int | None) -> bool:
    """Whether a queued run has waited longer than the queue timeout (it gets no slot)."""
    if progress is None or progress.queued_since is None or timeout_minutes is None:
        return False
    return now - progress.queued_since > timeout_minutes * 60
