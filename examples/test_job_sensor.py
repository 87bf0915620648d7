"""A job-run sensor tested against runs that take time: moto's state manager, manual
progression. Each `GetJobRun` the sensor makes is one step of the run."""

from __future__ import annotations

from typing import Any

import pytest

import moto_emrs_attempts as mea

ROLE = "arn:aws:iam::123456789012:role/job-role"
DONE = {"SUCCESS", "FAILED", "CANCELLED"}


def wait_for(client: Any, application_id: str, job_run_id: str, max_polls: int = 50) -> list[str]:
    """Poll GetJobRun until the job run has ended; return every state seen."""
    seen = []
    for _ in range(max_polls):
        job_run = client.get_job_run(applicationId=application_id, jobRunId=job_run_id)["jobRun"]
        seen.append(f"{job_run['attempt']}:{job_run['state']}")
        if job_run["state"] in DONE:
            return seen
    raise TimeoutError(f"job run {job_run_id} still runs after {max_polls} polls")


@pytest.fixture
def manual(emrs_attempts: mea.EmrsAttempts) -> None:
    """Every poll of a job run moves it one step: SUBMITTED, PENDING, SCHEDULED, RUNNING, ...
    It ends with the test's mock."""
    emrs_attempts.progression("manual", times=1)


def test_the_sensor_sees_the_run_in_flight_through_a_retry(
    emrs_attempts: mea.EmrsAttempts, manual: None
) -> None:
    emr = emrs_attempts.client()
    app = emr.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK", clientToken="etl"
    )
    app_id = app["applicationId"]
    emrs_attempts.script_outcomes(["FAILED", "SUCCESS"])
    run = emr.start_job_run(
        applicationId=app_id,
        executionRoleArn=ROLE,
        retryPolicy={"maxAttempts": 2},
        clientToken="etl-run",
    )

    seen = wait_for(emr, app_id, run["jobRunId"])

    assert seen == [
        "1:PENDING", "1:SCHEDULED", "1:RUNNING",
        "2:SUBMITTED",  # attempt 1 FAILED, and the run is never FAILED while it retries
        "2:PENDING", "2:SCHEDULED", "2:RUNNING", "2:SUCCESS",
    ]  # fmt: skip


def test_the_sensor_sees_a_cancel_through_cancelling(
    emrs_attempts: mea.EmrsAttempts, manual: None
) -> None:
    emr = emrs_attempts.client()
    app_id = emr.create_application(
        name="stream", releaseLabel="emr-7.1.0", type="SPARK", clientToken="stream"
    )["applicationId"]
    run = emr.start_job_run(
        applicationId=app_id, executionRoleArn=ROLE, mode="STREAMING", clientToken="stream-run"
    )
    emr.get_job_run(applicationId=app_id, jobRunId=run["jobRunId"])  # PENDING

    emr.cancel_job_run(applicationId=app_id, jobRunId=run["jobRunId"])

    assert wait_for(emr, app_id, run["jobRunId"]) == ["1:CANCELLED"]
