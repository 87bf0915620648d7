"""A retry-aware poller for EMR Serverless job runs, tested against job runs that take time
(moto's state manager, manual progression) and against seeded attempt histories.

The poller waits for the *latest attempt* to finish, and keeps waiting while a FAILED attempt
is still going to be retried — the case a naive `GetJobRun` poller gets wrong.
"""

from __future__ import annotations

from typing import Any, Callable

import pytest

import moto_emrs_attempts as mea

TERMINAL = {"SUCCESS", "FAILED", "CANCELLED"}


def latest_attempt(client: Any, application_id: str, job_run_id: str) -> dict[str, Any]:
    """Return the job run's latest attempt, paging through ListJobRunAttempts."""
    pages = client.get_paginator("list_job_run_attempts").paginate(
        applicationId=application_id, jobRunId=job_run_id
    )
    attempts: list[dict[str, Any]] = [item for page in pages for item in page["jobRunAttempts"]]
    return attempts[-1]


def wait_for_job_run(
    client: Any,
    application_id: str,
    job_run_id: str,
    *,
    max_attempts: int = 1,
    max_polls: int = 60,
    sleep: Callable[[float], None],
    interval: float = 30.0,
) -> dict[str, Any]:
    """Poll until the latest attempt is final: terminal, and not a FAILED one still to be retried."""
    for _ in range(max_polls):
        attempt = latest_attempt(client, application_id, job_run_id)
        retry_due = attempt["state"] == "FAILED" and attempt["attempt"] < max_attempts
        if attempt["state"] in TERMINAL and not retry_due:
            return attempt
        sleep(interval)
    raise TimeoutError(f"job run {job_run_id} did not finish after {max_polls} polls")


def test_poller_returns_the_successful_final_attempt(emrs_attempts: mea.EmrsAttempts) -> None:
    run = emrs_attempts.seed_job_run(
        ["FAILED", "FAILED", "SUCCESS"], retry_policy={"maxAttempts": 3}
    )

    final = wait_for_job_run(
        emrs_attempts.client(), run.application_id, run.job_run_id, max_attempts=3, sleep=print
    )

    assert (final["attempt"], final["state"]) == (3, "SUCCESS")


@pytest.fixture
def manual(emrs_attempts: mea.EmrsAttempts) -> None:
    """Every poll of a job run moves it one step, as time would.
    It ends with the test's mock."""
    emrs_attempts.progression("manual", times=1)


def test_poller_keeps_waiting_while_a_failed_attempt_will_be_retried(
    emrs_attempts: mea.EmrsAttempts, manual: None
) -> None:
    emr = emrs_attempts.client()
    app = emr.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK", clientToken="etl"
    )
    emrs_attempts.script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    run = emr.start_job_run(
        clientToken="etl-run",
        applicationId=app["applicationId"],
        executionRoleArn="arn:aws:iam::123456789012:role/job-role",
        retryPolicy={"maxAttempts": 3},
    )
    sleeps: list[float] = []

    final = wait_for_job_run(
        emr, app["applicationId"], run["jobRunId"], max_attempts=3, sleep=sleeps.append
    )

    assert (final["attempt"], final["state"]) == (3, "SUCCESS")
    assert len(sleeps) == 11  # 3 steps to RUNNING per attempt, 1 each to end and retry


def test_poller_reports_failure_once_retries_are_exhausted(emrs_attempts: mea.EmrsAttempts) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "FAILED"], retry_policy={"maxAttempts": 2})

    final = wait_for_job_run(
        emrs_attempts.client(), run.application_id, run.job_run_id, max_attempts=2, sleep=print
    )

    assert (final["attempt"], final["state"]) == (2, "FAILED")


def test_poller_survives_a_transient_server_error(emrs_attempts: mea.EmrsAttempts) -> None:
    run = emrs_attempts.seed_job_run(["SUCCESS"])
    emrs_attempts.inject_error("ListJobRunAttempts", "InternalServerException", times=1)

    final = wait_for_job_run(
        emrs_attempts.client(), run.application_id, run.job_run_id, sleep=print
    )

    assert final["state"] == "SUCCESS"


def test_poller_times_out_while_the_attempt_keeps_running(emrs_attempts: mea.EmrsAttempts) -> None:
    run = emrs_attempts.seed_job_run(["RUNNING"])

    with pytest.raises(TimeoutError, match=run.job_run_id):
        wait_for_job_run(
            emrs_attempts.client(),
            run.application_id,
            run.job_run_id,
            max_polls=3,
            sleep=lambda s: None,
        )
