"""A late poll under `time` progression (issue 19, item 6; SPEC 8): every step it applies is
stamped with the moment it fell due (start + k * S), not with the poll's clock, and so are
queue timeouts and the attempts' log events.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
from freezegun import freeze_time

from .conftest import needs_scheduler, needs_time_members
from .conftest import start_run as start

T0 = datetime(2026, 3, 1, 10, 0, 0, tzinfo=timezone.utc)
LATE = timedelta(seconds=10_000)  # 12:46:40


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def retried_late(emrs: Any, emr: Any, app: str, transition: Any) -> str:
    """Attempt 1 FAILED and attempt 2 SUCCESS, every step of both applied by one late poll."""
    transition(progression="time", seconds=60)
    emrs.script_outcomes(["FAILED", "SUCCESS"])
    with freeze_time(T0) as frozen:
        run = start(emr, app, retryPolicy={"maxAttempts": 2})
        frozen.move_to(T0 + LATE)
        emr.get_job_run(applicationId=app, jobRunId=run)
    return run


@needs_time_members
def test_a_late_poll_stamps_every_step_with_the_moment_it_fell_due(
    emrs_attempts: Any, emr: Any, app: str, transition: Any
) -> None:
    run = retried_late(emrs_attempts, emr, app, transition)

    first = emr.get_job_run(applicationId=app, jobRunId=run, attempt=1)["jobRun"]
    second = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    assert (first["state"], first["attemptCreatedAt"], first["attemptUpdatedAt"]) == (
        "FAILED",
        at(0),
        at(4),
    )
    assert (first["startedAt"], first["endedAt"]) == (at(3), at(4))
    assert (second["attempt"], second["state"]) == (2, "SUCCESS")
    assert (second["attemptCreatedAt"], second["attemptUpdatedAt"]) == (at(4), at(8))
    assert (second["startedAt"], second["endedAt"], second["updatedAt"]) == (at(7), at(8), at(8))
    assert second["totalExecutionDurationSeconds"] == 5 * 60  # the first startedAt to endedAt


def test_the_attempts_listed_after_a_late_poll_are_steps_apart(
    emrs_attempts: Any, emr: Any, app: str, transition: Any
) -> None:
    run = retried_late(emrs_attempts, emr, app, transition)

    listed = emr.list_job_run_attempts(applicationId=app, jobRunId=run)["jobRunAttempts"]

    assert [(a["state"], a["createdAt"], a["updatedAt"]) for a in listed] == [
        ("FAILED", at(0), at(4)),
        ("SUCCESS", at(4), at(8)),
    ]


def test_log_events_are_stamped_when_the_attempt_wrote_them(
    emrs_attempts: Any, emr: Any, logged_app: str, transition: Any
) -> None:
    app = logged_app
    run = retried_late(emrs_attempts, emr, app, transition)
    logs = boto3.client("logs", region_name="us-east-1")

    def stamps(stream: str) -> list[datetime]:
        events = logs.get_log_events(logGroupName="/aws/emr-serverless", logStreamName=stream)
        return [
            datetime.fromtimestamp(e["timestamp"] / 1000, tz=timezone.utc) for e in events["events"]
        ]

    base = f"/applications/{app}/jobs/{run}"
    assert stamps(f"{base}/SPARK_DRIVER/stderr") == [at(3), at(3), at(3), at(4)]
    assert stamps(f"{base}/attempts/2/SPARK_DRIVER/stderr") == [at(7), at(7), at(7), at(8)]


@needs_scheduler
def test_a_queue_timeout_found_late_is_stamped_when_it_fell_due(emr: Any, transition: Any) -> None:
    transition(progression="time", seconds=60)
    app = emr.create_application(
        name="etl",
        releaseLabel="emr-7.1.0",
        type="SPARK",
        schedulerConfiguration={"maxConcurrentRuns": 1, "queueTimeoutMinutes": 15},
    )["applicationId"]
    with freeze_time(T0) as frozen:
        holder = start(emr, app, mode="STREAMING")
        frozen.move_to(at(1))
        emr.get_job_run(applicationId=app, jobRunId=holder)  # PENDING: it holds the only slot
        waiting = start(emr, app)  # QUEUED at 10:02, when its first step falls due
        frozen.move_to(T0 + LATE)
        job_run = emr.get_job_run(applicationId=app, jobRunId=waiting)["jobRun"]

    assert (job_run["state"], job_run["stateDetails"]) == (
        "CANCELLED",
        "Job run was cancelled: it stayed QUEUED longer than the application's "
        "queueTimeoutMinutes (15 minutes).",
    )
    assert job_run["queuedDurationMilliseconds"] == 15 * 60 * 1000  # QUEUED 10:02 to 10:17
    assert job_run["endedAt"] == at(18)  # CANCELLING at 10:17, CANCELLED at the next step
