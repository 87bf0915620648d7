"""The engine's records: what a stored attempt is, and the constants its times and details come
from. Pure data, shared by the engine (`lifecycle`, which re-exports every name here) and by the
modules that store, render and restore attempts."""

from __future__ import annotations

from dataclasses import dataclass

#: Seconds a simulated attempt runs, and the pause before the next attempt starts.
ATTEMPT_SECONDS = 300.0
RETRY_DELAY_SECONDS = 60.0
#: Seconds a cancelled attempt takes to stop (immediate progression).
CANCEL_SECONDS = 1.0

#: What `stateDetails` says when nobody said anything more specific.
DEFAULT_STATE_DETAILS = {
    "SUBMITTED": "Job run submitted.",
    "PENDING": "Job run is pending.",
    "SCHEDULED": "Job run is scheduled.",
    "RUNNING": "Job run is running.",
    "SUCCESS": "Job run completed successfully.",
    "FAILED": "Job run failed.",
    "CANCELLING": "Job run is being cancelled.",
    "CANCELLED": "Job run was cancelled.",
    "QUEUED": "Job run is queued.",
}


#: The `stateDetails` of a job run cancelled because it waited too long in the queue.
QUEUE_TIMEOUT_DETAILS = (
    "Job run was cancelled: it stayed QUEUED longer than the application's "
    "queueTimeoutMinutes ({} minutes)."
)

#: The `stateDetails` of a job run cancelled because it ran past its executionTimeoutMinutes.
EXECUTION_TIMEOUT_DETAILS = (
    "Job run was cancelled: it did not end within its executionTimeoutMinutes ({} minutes)."
)


class AttemptRecord:
    """One stored attempt; strings shared between records, times in epoch seconds. Never changed
    once stored: a step replaces the latest record, so a poll's records stay its answer."""

    __slots__ = ("created_at", "state", "state_details", "updated_at")

    def __init__(self, state: str, state_details: str, created_at: float, updated_at: float):
        self.state = state
        self.state_details = state_details
        self.created_at = created_at
        self.updated_at = updated_at


class SteppedAttemptRecord(AttemptRecord):
    """An attempt the engine moved: it also knows when it reached RUNNING (None: not yet) and
    how long the job run had been QUEUED up to it, in milliseconds."""

    __slots__ = ("queued_ms", "started_at")

    def __init__(
        self,
        state: str,
        state_details: str,
        created_at: float,
        updated_at: float,
        started_at: float | None,
        queued_ms: int,
    ):
        super().__init__(state, state_details, created_at, updated_at)
        self.started_at = started_at
        self.queued_ms = queued_ms


@dataclass(frozen=True)
class Outcome:
    """One attempt to play: its state, and optionally its details and times (epoch seconds)."""

    state: str
    state_details: str | None = None
    created_at: float | None = None
    updated_at: float | None = None
    #: What a stepped attempt also knew (a restored run): when it reached RUNNING, and the
    #: milliseconds its run had been QUEUED; with `queued_ms` the record is a stepped one.
    started_at: float | None = None
    queued_ms: int | None = None


#: The latest time a job run can carry: 9999-12-31T23:59:59Z (datetime, and so moto and every
#: SDK, ends with year 9999).
LATEST_TIME = 253402300799.0


TERMINAL = frozenset(("SUCCESS", "FAILED", "CANCELLED"))
#: States in which a job run takes one of its application's `maxConcurrentRuns` slots.
ACTIVE = frozenset(("PENDING", "SCHEDULED", "RUNNING", "CANCELLING"))

#: States a stored record that the engine did not move has passed RUNNING in (its startedAt).
_RAN = frozenset(("RUNNING", "SUCCESS", "FAILED", "CANCELLING", "CANCELLED"))


def started(record: AttemptRecord) -> float | None:
    """When an attempt reached RUNNING, None before. A record the engine did not move (seeded,
    or played at once) is taken to have run from its createdAt if its state says it ran."""
    if isinstance(record, SteppedAttemptRecord):
        return record.started_at
    return record.created_at if record.state in _RAN else None
