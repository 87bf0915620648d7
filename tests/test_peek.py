"""`EmrsAttempts.peek_job_run`: look at a job run without polling it (issue 15, docs).

Under `manual` progression every GetJobRun is a poll that may step the run, a test's own
assertions included; peeking reads the same `jobRun` GetJobRun would answer and moves nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

import moto_emrs_attempts as mea

ROLE = "arn:aws:iam::123456789012:role/job-role"


@pytest.fixture
def started(emrs_attempts: Any, manual: None) -> tuple[Any, str, str]:
    emr = emrs_attempts.client()
    application_id = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")[
        "applicationId"
    ]
    job_run_id = emr.start_job_run(applicationId=application_id, executionRoleArn=ROLE)["jobRunId"]
    return emr, application_id, job_run_id


def test_peeking_does_not_step_a_manual_run(emrs_attempts: Any, started: Any) -> None:
    emr, application_id, job_run_id = started

    peeked = [emrs_attempts.peek_job_run(application_id, job_run_id)["state"] for _ in range(3)]
    polled = emr.get_job_run(applicationId=application_id, jobRunId=job_run_id)["jobRun"]["state"]

    assert peeked == ["SUBMITTED"] * 3
    assert polled == "PENDING"  # the first poll is still the first step


def test_a_peek_is_what_get_job_run_answers(emrs_attempts: Any, started: Any) -> None:
    emr, application_id, job_run_id = started
    polled = emr.get_job_run(applicationId=application_id, jobRunId=job_run_id)["jobRun"]

    peeked = emrs_attempts.peek_job_run(application_id, job_run_id)

    assert peeked == polled
    assert isinstance(peeked["createdAt"], datetime)


def test_a_peek_reads_an_earlier_attempt(emrs_attempts: Any) -> None:
    run = emrs_attempts.seed_job_run([mea.Attempt("FAILED", "Driver OOM"), "SUCCESS"])

    first = emrs_attempts.peek_job_run(run.application_id, run.job_run_id, attempt=1)

    assert (first["attempt"], first["state"], first["stateDetails"]) == (1, "FAILED", "Driver OOM")


BAD_PEEKS = [
    pytest.param({"application_id": "nope"}, "application_id: application nope does not exist in account 123456789012, region us-east-1", id="an unknown application"),
    pytest.param({"job_run_id": "nope"}, "job_run_id: Job run nope does not exist", id="an unknown job run"),
    pytest.param({"attempt": 3}, "attempt: Attempt 3 of job run", id="an attempt above the latest"),
    pytest.param({"attempt": 0}, "attempt: must be an attempt number (1 or more) or None, not 0", id="attempt 0"),
    pytest.param({"attempt": "1"}, "attempt: must be an attempt number (1 or more) or None, not '1'", id="attempt a string"),
    pytest.param({"application_id": "UPPER"}, "application_id: Member must satisfy regular expression pattern", id="a malformed id"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), BAD_PEEKS)
def test_a_bad_peek_is_a_history_error(emrs_attempts: Any, change: Any, message: str) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])
    arguments = {"application_id": run.application_id, "job_run_id": run.job_run_id, **change}

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.peek_job_run(**arguments)

    assert str(caught.value).startswith(message)


def test_peeking_outside_a_mock_says_to_start_one() -> None:
    with pytest.raises(RuntimeError) as caught:
        mea.EmrsAttempts().peek_job_run("app", "run")

    assert str(caught.value).startswith("Start a moto mock before calling peek_job_run(): ")


def test_a_peek_at_an_application_of_another_region_names_the_account_and_region(
    emrs_attempts: Any,
) -> None:
    run = emrs_attempts.seed_job_run(["SUCCESS"])

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.peek_job_run(run.application_id, run.job_run_id, region_name="eu-west-1")

    assert isinstance(caught.value, LookupError)
    assert str(caught.value) == (
        f"application_id: application {run.application_id} does not exist in account "
        "123456789012, region eu-west-1"
    )
