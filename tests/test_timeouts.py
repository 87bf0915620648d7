"""Job runs that time out (issue 20, item 4; SPEC 12 "Job-run timeouts"): a run not ended
`executionTimeoutMinutes` after its start (StartJobRun), on its own timeline, is CANCELLING then
CANCELLED, naming the timeout; no retry follows, and its attempt's logs end with it. 0 never
times out; the default is moto's (and AWS's) 720.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

import moto_emrs_attempts as mea

from .conftest import needs_time_members
from .conftest import start_run as start

T0 = datetime(2026, 3, 1, 10, 0, 0, tzinfo=timezone.utc)


def details(minutes: int) -> str:
    return (
        "Job run was cancelled: it did not end within its executionTimeoutMinutes "
        f"({minutes} minutes)."
    )


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def seen(emr: Any, app: str, run: str) -> tuple[int, str, str]:
    job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]
    return job_run["attempt"], job_run["state"], job_run["stateDetails"]


def states(emr: Any, app: str, run: str) -> list[str]:
    listed = emr.list_job_run_attempts(applicationId=app, jobRunId=run)["jobRunAttempts"]
    return [a["state"] for a in listed]


# -- manual progression: the clock at the polls ---------------------------------------------


def test_a_manual_run_past_its_timeout_is_cancelling_then_cancelled(
    emrs_attempts: Any, emr: Any, app: str, manual: None
) -> None:
    emrs_attempts.script_outcomes(["FAILED", "SUCCESS"])
    with freeze_time(T0) as frozen:
        run = start(emr, app, executionTimeoutMinutes=5, retryPolicy={"maxAttempts": 2})
        assert seen(emr, app, run)[1] == "PENDING"
        frozen.move_to(at(5))
        assert seen(emr, app, run)[1] == "SCHEDULED"  # 5 minutes exactly: not longer yet
        frozen.move_to(at(5) + timedelta(seconds=1))

        found = [seen(emr, app, run) for _ in range(3)]

    assert found == [
        (1, "CANCELLING", details(5)),  # the poll that finds it: its step is the timeout
        (1, "CANCELLED", details(5)),
        (1, "CANCELLED", details(5)),
    ]
    assert states(emr, app, run) == ["CANCELLED"]  # no retry follows a timeout


# -- time progression: the moments the timeout and the steps fell due ------------------------


@needs_time_members
def test_a_streaming_run_times_out_on_the_clock_under_time_progression(
    emr: Any, app: str, transition: Any
) -> None:
    transition(progression="time", seconds=60)
    with freeze_time(T0) as frozen:
        run = start(emr, app, mode="STREAMING", executionTimeoutMinutes=5)
        frozen.move_to(at(4))
        assert seen(emr, app, run)[1] == "RUNNING"
        frozen.move_to(at(60))  # a late poll: CANCELLING at 10:05, CANCELLED at 10:06
        job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    assert (job_run["state"], job_run["stateDetails"]) == ("CANCELLED", details(5))
    assert (job_run["startedAt"], job_run["endedAt"]) == (at(3), at(6))
    assert job_run["totalExecutionDurationSeconds"] == 3 * 60


# -- immediate progression: the simulated history --------------------------------------------


def test_a_simulated_history_that_outlives_its_timeout_is_cut_there(
    emrs_attempts: Any, emr: Any, app: str
) -> None:
    emrs_attempts.script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    with freeze_time(T0):
        run = start(emr, app, executionTimeoutMinutes=10, retryPolicy={"maxAttempts": 3})

    listed = emr.list_job_run_attempts(applicationId=app, jobRunId=run)["jobRunAttempts"]
    job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    # attempts run 5 simulated minutes, a minute apart: attempt 2 would end at 10:11
    assert [(a["state"], a["createdAt"], a["updatedAt"]) for a in listed] == [
        ("FAILED", at(0), at(5)),
        ("CANCELLED", at(6), at(10)),
    ]
    assert (job_run["state"], job_run["stateDetails"], job_run["updatedAt"]) == (
        "CANCELLED",
        details(10),
        at(10),
    )


def test_a_history_that_ends_in_time_is_left_whole(emrs_attempts: Any, emr: Any, app: str) -> None:
    emrs_attempts.script_outcomes(["FAILED", "SUCCESS"])
    run = start(emr, app, executionTimeoutMinutes=11, retryPolicy={"maxAttempts": 2})

    assert states(emr, app, run) == ["FAILED", "SUCCESS"]  # ended at 11 minutes, not later


def test_a_streaming_run_without_a_script_times_out_on_the_clock_when_polled(
    emr: Any, app: str
) -> None:
    with freeze_time(T0) as frozen:
        run = start(emr, app, mode="STREAMING", executionTimeoutMinutes=5)
        frozen.move_to(at(5))
        assert seen(emr, app, run)[1] == "RUNNING"
        frozen.move_to(at(7))
        job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    assert (job_run["state"], job_run["stateDetails"]) == ("CANCELLED", details(5))
    assert job_run["updatedAt"] == at(5)


@pytest.mark.parametrize(
    ("given", "minutes", "after", "state"),
    [
        pytest.param({}, 720, timedelta(minutes=720), "RUNNING", id="720 by default: not yet"),
        pytest.param({}, 720, timedelta(minutes=721), "CANCELLED", id="720 by default"),
        pytest.param({"executionTimeoutMinutes": 0}, 0, timedelta(days=3650), "RUNNING", id="0: never"),
    ],
)  # fmt: skip
def test_the_default_timeout_and_zero(
    emr: Any, app: str, given: dict[str, int], minutes: int, after: timedelta, state: str
) -> None:
    with freeze_time(T0) as frozen:
        run = start(emr, app, mode="STREAMING", **given)
        frozen.move_to(T0 + after)
        job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    assert (job_run["state"], job_run["executionTimeoutMinutes"]) == (state, minutes)


# -- what else a timeout leaves -----------------------------------------------------------


def test_the_logs_of_a_timed_out_attempt_end_with_the_timeout(
    emr: Any, logged_app: str, manual: None
) -> None:
    app = logged_app
    with freeze_time(T0) as frozen:
        run = start(emr, app, executionTimeoutMinutes=5)
        for _ in range(3):  # PENDING, SCHEDULED, RUNNING
            seen(emr, app, run)
        frozen.move_to(at(6))
        seen(emr, app, run)  # CANCELLING
        seen(emr, app, run)  # CANCELLED
    logs = boto3.client("logs", region_name="us-east-1")

    events = logs.get_log_events(
        logGroupName="/aws/emr-serverless",
        logStreamName=f"/applications/{app}/jobs/{run}/SPARK_DRIVER/stderr",
    )["events"]

    assert events[-1]["message"].endswith(f" WARN SPARK_DRIVER: {details(5)}")


def test_a_restored_run_in_flight_keeps_its_timeout(manual: None) -> None:
    with freeze_time(T0) as frozen:
        with mea.mock_emrs_attempts() as emrs:
            emr = emrs.client()
            app = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")[
                "applicationId"
            ]
            run = start(emr, app, executionTimeoutMinutes=5)
            seen(emr, app, run)  # PENDING
            document = emrs.export_history()
        with mea.mock_emrs_attempts() as emrs:
            emrs.load_history(document)
            frozen.move_to(at(6))

            found = seen(emrs.client(), app, run)

    assert found == (1, "CANCELLING", details(5))
