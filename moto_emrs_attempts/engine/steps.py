"""The engine over time: what one step, a cancel or a timeout does to a started job run that
still moves. Pure, like `lifecycle` (which re-exports every public name here): given the run's
attempts and `Progress`, the moment and what its application's slots allow, it returns the
records to store; the backend (`progression`) applies them.

One step moves the latest attempt one state along
`SUBMITTED -> (QUEUED ->) PENDING -> SCHEDULED -> RUNNING -> outcome`; the step that fails an
attempt with a retry due also creates the next attempt in SUBMITTED. `CANCELLING` ends in
`CANCELLED` at the next step (under time progression, not before a graceful cancel's period
has passed). Timeouts are not steps: they fall due at a moment on the run's own timeline.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ..contract.policies import DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR
from .stored_attempt import (
    ACTIVE,
    ATTEMPT_SECONDS,
    CANCEL_SECONDS,
    DEFAULT_STATE_DETAILS,
    EXECUTION_TIMEOUT_DETAILS,
    QUEUE_TIMEOUT_DETAILS,
    RETRY_DELAY_SECONDS,
    TERMINAL,
    AttemptRecord,
    Outcome,
    SteppedAttemptRecord,
    started,
)
from .transitions import Transition

_HOUR = 3600.0
SUCCESS = Outcome("SUCCESS")
_NEXT = {"PENDING": "SCHEDULED", "SCHEDULED": "RUNNING"}


class Progress:
    """What the engine keeps about a started job run that still moves: `start` (the clock at
    StartJobRun), `tick` (polls toward the next manual step), `steps` (steps due so far, time
    progression), `queued_since` (the clock when the latest attempt was QUEUED),
    `queued_ms` (QUEUED time before that), `deadline` (when its executionTimeoutMinutes run
    out; None: never) and `grace_until` (the end of a graceful cancel's period; None: none)."""

    __slots__ = (
        "cancel_details",
        "deadline",
        "done",
        "grace_until",
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
        timeout_minutes: int | None = None,
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
        self.deadline = deadline_of(start, timeout_minutes)
        self.grace_until: float | None = None

    def outcome(self, number: int) -> Outcome | None:
        """The outcome of attempt `number` (its state, and the stateDetails a script gave it),
        or None when it keeps running (STREAMING, no script)."""
        outcomes = self.outcomes
        if outcomes is None:
            return None if self.mode == "STREAMING" else SUCCESS
        return outcomes[number - 1] if number <= len(outcomes) else SUCCESS


def deadline_of(start: float, timeout_minutes: int | None) -> float | None:
    """When a run started at `start` times out: `timeout_minutes` later (0 or None: never)."""
    return start + timeout_minutes * 60.0 if timeout_minutes else None


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


def grid_after(progress: Progress, seconds: float, moment: float) -> int:
    """The number of the first time-progression step due at or after `moment`."""
    return max(math.ceil((moment - progress.start) / seconds), 0)


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
    timed: bool = False,
) -> Step | None:
    """One step of a job run, or None when it cannot move now (ended, keeps running, waits).

    `at` is the moment of the step; with `simulated` (immediate progression) the outcome comes
    ATTEMPT_SECONDS after `at` and a retry RETRY_DELAY_SECONDS after that, as in `play`, unless
    the run times out first. `holds_slot`: the run has a concurrency slot; `slot_free`: a slot
    is there to take. With `timed` (time progression) a graceful cancel holds CANCELLING until
    its period has passed.
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
        grace = progress.grace_until
        if timed and grace is not None and at < grace:
            return None
        progress.done = True
        return Step((_record(progress, latest, "CANCELLED", at, progress.cancel_details),), "free")
    if state != "RUNNING":  # a scripted state that is not an outcome: the run stays there
        return None
    scripted = progress.outcome(len(attempts))
    if scripted is None or scripted.state == "RUNNING":
        return None
    outcome = scripted.state
    ended = at + ATTEMPT_SECONDS if simulated else at
    deadline = progress.deadline
    if simulated and deadline is not None and ended > deadline:  # it times out while it runs
        return execution_timeout(progress, latest, now=ended, simulated=True)
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


def cancel(
    progress: Progress,
    latest: AttemptRecord,
    *,
    at: float,
    simulated: bool,
    grace_seconds: int | None = None,
) -> Step | None:
    """CancelJobRun: None for a run that has ended or is already CANCELLING (AWS ignores a
    second cancel), else CANCELLING now (CANCELLED at once under immediate progression,
    CANCEL_SECONDS after the attempt's last update). `grace_seconds`: a graceful cancel's
    period, which only a RUNNING attempt gets (time progression holds CANCELLING that long)."""
    if latest.state in TERMINAL or latest.state == "CANCELLING":
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
    progress.grace_until = (
        at + grace_seconds if grace_seconds and latest.state == "RUNNING" else None
    )
    # A run that holds a slot keeps it until CANCELLED; one that waited for a slot leaves the queue.
    slot = None if latest.state in ACTIVE else "free"
    return Step((_record(progress, latest, "CANCELLING", at),), slot)


def _timed_out(
    progress: Progress, latest: AttemptRecord, at: float, details: str, simulated: bool
) -> Step:
    """A timeout at `at`: CANCELLING (immediate progression: CANCELLED at once), naming it."""
    _leave_queue(progress, at)
    progress.cancel_details = details
    progress.tick = 0
    progress.grace_until = None
    if simulated:
        progress.done = True
        return Step((_record(progress, latest, "CANCELLED", at, details),), "free")
    slot = None if latest.state in ACTIVE else "free"
    return Step((_record(progress, latest, "CANCELLING", at, details),), slot)


def execution_timeout(
    progress: Progress,
    latest: AttemptRecord,
    *,
    now: float,
    simulated: bool,
    exact: bool = True,
) -> Step | None:
    """A run not ended `executionTimeoutMinutes` after its start (`progress.deadline`) by `now`
    is cancelled, naming the timeout: stamped at the moment it fell due (`exact`; never before
    the attempt's last update), else at `now` (manual progression: the poll that finds it)."""
    deadline = progress.deadline
    if deadline is None or now <= deadline or latest.state in TERMINAL:
        return None
    if latest.state == "CANCELLING":
        return None
    minutes = round((deadline - progress.start) / 60.0)
    at = max(deadline, latest.updated_at) if exact else now
    return _timed_out(progress, latest, at, EXECUTION_TIMEOUT_DETAILS.format(minutes), simulated)


def queue_timeout(
    progress: Progress,
    latest: AttemptRecord,
    *,
    now: float,
    timeout_minutes: int | None,
    simulated: bool,
    exact: bool = False,
) -> Step | None:
    """A poll that finds the latest attempt QUEUED for longer than `timeout_minutes` cancels it:
    CANCELLING (CANCELLED at once under immediate progression), naming the queue timeout;
    stamped at `now`, or with `exact` at the moment it fell due."""
    since = progress.queued_since
    if latest.state != "QUEUED" or timeout_minutes is None or since is None:
        return None
    if now - since <= timeout_minutes * 60:
        return None
    at = max(since + timeout_minutes * 60, latest.updated_at) if exact else now
    return _timed_out(
        progress, latest, at, QUEUE_TIMEOUT_DETAILS.format(timeout_minutes), simulated
    )


def timeout(
    progress: Progress,
    latest: AttemptRecord,
    *,
    now: float,
    queue_timeout_minutes: int | None,
    simulated: bool,
    exact: bool,
) -> Step | None:
    """The first timeout due by `now`, if any: the queue's (`queue_timeout_minutes`; None for a
    run that holds a slot or whose application has no scheduler) or the run's own execution
    timeout; `exact` as `execution_timeout` takes it."""
    since = progress.queued_since
    if latest.state == "QUEUED" and since is not None and queue_timeout_minutes is not None:
        deadline = progress.deadline
        if deadline is None or since + queue_timeout_minutes * 60 <= deadline:
            found = queue_timeout(
                progress,
                latest,
                now=now,
                timeout_minutes=queue_timeout_minutes,
                simulated=simulated,
                exact=exact,
            )
            if found is not None:
                return found
    return execution_timeout(progress, latest, now=now, simulated=simulated, exact=exact)


def _leave_queue(progress: Progress, at: float) -> None:
    if progress.queued_since is not None:
        progress.queued_ms += round(max(at - progress.queued_since, 0.0) * 1000)
        progress.queued_since = None


def overdue(progress: Progress | None, now: float, timeout_minutes: int | None) -> bool:
    """Whether a queued run has waited longer than the queue timeout (it gets no slot)."""
    if progress is None or progress.queued_since is None or timeout_minutes is None:
        return False
    return now - progress.queued_since > timeout_minutes * 60
