"""The lifecycle engine on its own (SPEC 8): no mock, no backend; attempts, a policy, a script,
a transition and a clock in, the next step out."""

from __future__ import annotations

from typing import Any

import pytest

from moto_emrs_attempts.engine import lifecycle
from moto_emrs_attempts.engine.lifecycle import AttemptRecord, Progress, Transition


def submitted(at: float = 0.0) -> list[AttemptRecord]:
    return [lifecycle.SteppedAttemptRecord("SUBMITTED", "Job run submitted.", at, at, None, 0)]


def walk(progress: Progress, attempts: list[AttemptRecord], **kwargs: Any) -> list[list[str]]:
    """Apply steps until the engine says the run cannot move; the states after each."""
    seen = []
    at = 0.0
    while True:
        at += 1.0
        step = lifecycle.step(progress, attempts, at=at, simulated=False, **kwargs)
        if step is None:
            return seen
        attempts[-1:] = step.records
        seen.append([a.state for a in attempts])


@pytest.mark.parametrize(
    ("raw", "parsed"),
    [
        ({"progression": "immediate"}, Transition("immediate")),
        ({"progression": "manual", "times": 3}, Transition("manual", times=3)),
        ({"progression": "time", "seconds": 2}, Transition("time", seconds=2.0)),
        ({"progression": "time", "seconds": 0}, Transition("time", seconds=0.0)),
    ],
)
def test_transition_of_reads_what_this_model_can_use(raw: Any, parsed: Transition) -> None:
    assert lifecycle.transition_of(raw) == parsed


@pytest.mark.parametrize(
    "raw",
    [
        {"progression": "manual", "times": 0},
        {"progression": "manual", "times": True},
        {"progression": "time", "seconds": -0.5},
        {"progression": "later"},
        "manual",
    ],
)
def test_transition_of_refuses_what_this_model_cannot_use(raw: Any) -> None:
    with pytest.raises(lifecycle.UnusableTransition) as caught:
        lifecycle.transition_of(raw)

    assert str(caught.value) == (
        f"The state manager's transition for emrserverless::job_run, {raw!r}, is not one this "
        'model can use: use {"progression": "immediate"}, {"progression": "manual", "times": N} '
        'with N >= 1, or {"progression": "time", "seconds": S} with S >= 0.'
    )


def test_manual_poll_makes_a_step_every_nth_poll() -> None:
    progress = Progress(mode="BATCH", policy=None, outcomes=None, start=0.0)
    manual = Transition("manual", times=3)

    assert [lifecycle.poll(progress, manual, 0.0) for _ in range(6)] == [0, 0, 1, 0, 0, 1]


def test_a_poll_that_is_not_counted_makes_no_manual_step() -> None:
    progress = Progress(mode="BATCH", policy=None, outcomes=None, start=0.0)

    assert lifecycle.poll(progress, Transition("manual"), 0.0, counted=False) == 0
    assert progress.tick == 0


def test_time_poll_makes_the_steps_due_since_the_last_poll() -> None:
    progress = Progress(mode="BATCH", policy=None, outcomes=None, start=100.0)
    every_10 = Transition("time", seconds=10.0)

    due = [lifecycle.poll(progress, every_10, now) for now in (105.0, 131.0, 131.0, 150.0)]

    assert due == [0, 3, 0, 2]


def test_a_batch_run_with_a_retry_walks_every_attempt() -> None:
    progress = Progress(
        mode="BATCH", policy={"maxAttempts": 2}, outcomes=["FAILED", "SUCCESS"], start=0.0
    )

    seen = walk(progress, submitted(), holds_slot=True, slot_free=True)

    assert seen == [
        ["PENDING"],
        ["SCHEDULED"],
        ["RUNNING"],
        ["FAILED", "SUBMITTED"],
        ["FAILED", "PENDING"],
        ["FAILED", "SCHEDULED"],
        ["FAILED", "RUNNING"],
        ["FAILED", "SUCCESS"],
    ]


def test_a_streaming_run_without_a_script_stops_at_running() -> None:
    progress = Progress(mode="STREAMING", policy=None, outcomes=None, start=0.0)

    assert walk(progress, submitted(), holds_slot=True, slot_free=True)[-1] == ["RUNNING"]


def test_a_run_without_a_free_slot_waits_queued() -> None:
    progress = Progress(mode="BATCH", policy=None, outcomes=None, start=0.0)
    attempts = submitted()

    step = lifecycle.step(
        progress, attempts, at=5.0, simulated=False, holds_slot=False, slot_free=False
    )

    assert step is not None
    assert (step.records[0].state, step.slot, progress.queued_since) == ("QUEUED", "wait", 5.0)
    attempts[-1:] = step.records
    assert (
        lifecycle.step(
            progress, attempts, at=6.0, simulated=False, holds_slot=False, slot_free=True
        )
        is None
    )


def test_a_queued_run_past_its_timeout_is_cancelling_with_the_timeout_named() -> None:
    progress = Progress(mode="BATCH", policy=None, outcomes=None, start=0.0)
    progress.queued_since = 0.0
    queued = lifecycle.SteppedAttemptRecord("QUEUED", "Job run is queued.", 0.0, 0.0, None, 0)

    kept = lifecycle.queue_timeout(
        progress, queued, now=15 * 60.0, timeout_minutes=15, simulated=False
    )
    step = lifecycle.queue_timeout(
        progress, queued, now=15 * 60.0 + 1, timeout_minutes=15, simulated=False
    )

    assert kept is None
    assert step is not None
    record = step.records[0]
    assert (record.state, record.state_details, step.slot) == (
        "CANCELLING",
        lifecycle.QUEUE_TIMEOUT_DETAILS.format(15),
        "free",
    )


def test_cancel_leaves_a_run_that_has_ended() -> None:
    progress = Progress(mode="BATCH", policy=None, outcomes=None, start=0.0)
    ended = AttemptRecord("SUCCESS", "Job run completed successfully.", 0.0, 1.0)

    assert lifecycle.cancel(progress, ended, at=2.0, simulated=False) is None
