"""A job run in flight, in a history document: what it needs to go on after a restart.

A run that `StartJobRun` started and that still moves carries the engine's `Progress`: where its
script is, how many polls it has counted toward its next manual step, how many time steps it has
made, since when it is queued, until when a graceful cancel holds it, and whether it holds a
concurrency slot or waits in the queue (and where). `export_history` writes it as the job run's `progress` member, and `load_history` restores
the run from it, so that a server restarted on its state file goes on exactly where it stopped.
A job run without `progress` is a seeded snapshot, as always: it never moves.

    "progress": {"start": "2026-12-03T09:00:00.123000Z", "tick": 0, "steps": 0,
                 "outcomes": [{"state": "FAILED"}, {"state": "SUCCESS"}],
                 "queuedSince": null, "queuedMs": 0, "cancelDetails": "Job run was cancelled.",
                 "slot": "held"}

A graceful cancel still in its period (time progression) adds `"graceUntil"`: the moment its
attempt may be CANCELLED. The run's execution timeout is not written: it follows from `start`
and the job run's `executionTimeoutMinutes`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..contract.errors import HistoryError, shown
from ..engine.job_run import JobRunHistory
from ..engine.lifecycle import TERMINAL, Outcome, Progress, deadline_of
from ..engine.scheduler import Slots
from .attempt_input import _milliseconds, _model_string, _scripted, _time

MEMBERS = (
    "start",
    "tick",
    "steps",
    "outcomes",
    "queuedSince",
    "queuedMs",
    "cancelDetails",
    "slot",
    "queuePosition",
    "graceUntil",
)
#: Where a queued run stands with its application's slots.
SLOTS = ("held", "queued")


@dataclass(frozen=True)
class Restored:
    """A validated `progress` member: the engine's progress, and the run's slot."""

    progress: Progress
    #: Logs the script gives to attempts not made yet, by attempt number.
    logs: Mapping[int, Any]
    slot: str | None
    queue_position: int


def render(
    history: JobRunHistory,
    slots: Slots | None,
    time: Callable[[float], Any],
    logs: Callable[[Any], Any],
) -> dict[str, Any] | None:
    """The `progress` member of a job run that still moves, else None (a snapshot, or ended)."""
    progress = history.progress
    if progress is None or progress.done or history.attempts[-1].state in TERMINAL:
        return None
    rendered: dict[str, Any] = {"start": time(progress.start), "tick": progress.tick}
    rendered["steps"] = progress.steps
    if progress.outcomes is None:
        rendered["outcomes"] = None
    else:  # the logs a script gives to attempts not made yet (made ones carry their own)
        given, made = history.given_logs or {}, len(history.attempts)
        rendered["outcomes"] = [
            _outcome_member(outcome, logs(given[n]) if n > made and n in given else None)
            for n, outcome in enumerate(progress.outcomes, 1)
        ]
    since = progress.queued_since
    rendered.update(
        queuedSince=None if since is None else time(since),
        queuedMs=progress.queued_ms,
        cancelDetails=progress.cancel_details,
    )
    if progress.grace_until is not None:  # a graceful cancel in its period
        rendered["graceUntil"] = time(progress.grace_until)
    job_run_id = history.job_run_id
    if slots is None:
        return rendered
    if job_run_id in slots.holders:
        rendered["slot"] = "held"
    elif job_run_id in slots.queue:
        rendered["slot"] = "queued"
        rendered["queuePosition"] = list(slots.queue).index(job_run_id)
    return rendered


def _outcome_member(outcome: Outcome, logs: Any) -> dict[str, Any]:
    member: dict[str, Any] = {"state": outcome.state}
    if outcome.state_details is not None:
        member["stateDetails"] = outcome.state_details
    if logs is not None:
        member["logs"] = logs
    return member


def parse(
    value: Any, path: str, *, mode: str, policy: Mapping[str, int] | None, latest: str
) -> Restored:
    """Check a `progress` member of a job run whose latest attempt is `latest`."""
    if not isinstance(value, Mapping):
        raise HistoryError(path, f"must be an object, not {shown(value)}")
    for key in value:
        if key not in MEMBERS:
            raise HistoryError(
                f"{path}.{key}", f"is not a progress member; use {', '.join(MEMBERS)}"
            )
    if latest in TERMINAL:
        raise HistoryError(path, f"belongs to a job run in flight; this one has ended ({latest})")
    start = _time(value.get("start"), f"{path}.start")
    if start is None:
        raise HistoryError(f"{path}.start", "is required")
    outcomes, logs = _script(value.get("outcomes"), path)
    progress = Progress(mode=mode, policy=policy, outcomes=outcomes, start=start)
    progress.tick = _count(value.get("tick", 0), f"{path}.tick")
    progress.steps = _count(value.get("steps", 0), f"{path}.steps")
    progress.queued_since = _time(value.get("queuedSince"), f"{path}.queuedSince")
    progress.queued_ms = _milliseconds(value.get("queuedMs", 0), f"{path}.queuedMs") or 0
    progress.grace_until = _time(value.get("graceUntil"), f"{path}.graceUntil")
    details = value.get("cancelDetails")
    if details is not None:
        progress.cancel_details = _model_string(details, f"{path}.cancelDetails", "String256")
    slot = value.get("slot")
    if slot is not None and slot not in SLOTS:
        raise HistoryError(f"{path}.slot", f"{shown(slot)} is not a slot; use {', '.join(SLOTS)}")
    position = _count(value.get("queuePosition", 0), f"{path}.queuePosition")
    return Restored(progress, logs, slot, position)


def _script(value: Any, path: str) -> tuple[list[Outcome] | None, dict[int, Any]]:
    """The outcomes left to play (as `script_outcomes` takes them) and their logs by attempt."""
    if value is None:
        return None, {}
    if not isinstance(value, list):
        raise HistoryError(
            f"{path}.outcomes", f"must be a list of outcomes or null, not {shown(value)}"
        )
    try:
        return _scripted(value)
    except HistoryError as error:  # its paths start at `outcomes`
        raise HistoryError(f"{path}.{error.path}", error.problem) from None


def _count(value: Any, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise HistoryError(path, f"must be an integer of 0 or more, not {shown(value)}")
    return value


def restore(history: JobRunHistory, restored: Restored, slots: Slots) -> None:
    """Make a just-created job run move on from where `restored` says it stood. A run that
    waits in the queue is queued by `queue_in_order`, once every run of the document exists."""
    history.progress = progress = restored.progress
    progress.deadline = deadline_of(progress.start, history.timeout_minutes)
    if restored.logs:
        given = history.given_logs = dict(history.given_logs or {})
        for number, logs in restored.logs.items():
            given.setdefault(number, logs)
    if restored.slot == "held":
        slots.take(history.job_run_id)
    elif history.attempts[-1].state == "CANCELLING":
        # cancelled before it took a slot (SUBMITTED or QUEUED): it never holds one, although
        # a CANCELLING snapshot would (`adopt` counts it by its state)
        slots.release(history.job_run_id)


def queue_in_order(
    waiting: list[tuple[Restored, JobRunHistory]], slots_of: Callable[[str], Slots]
) -> None:
    """Queue restored runs behind their applications' queues, in the order they stood."""
    for _, history in sorted(waiting, key=lambda found: found[0].queue_position):
        slots_of(history.application_id).wait(history.job_run_id, history)
