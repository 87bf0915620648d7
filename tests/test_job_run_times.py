"""The times of a job run started under `immediate` progression (SPEC 4, 8): created at moto's
clock when StartJobRun is called, to the millisecond as AWS stamps them, and run for the simulated
durations (an attempt runs 5 minutes, a retry starts 1 minute after the attempt before it ended).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from freezegun import freeze_time
from moto.core import DEFAULT_ACCOUNT_ID
from moto.emrserverless.models import emrserverless_backends

import moto_emrs_attempts as mea
from moto_emrs_attempts.contract.service_model import shape
from moto_emrs_attempts.engine.job_run import to_epoch

ROLE = "arn:aws:iam::123456789012:role/job-role"
#: A clock reading finer than a millisecond: AWS's times are whole milliseconds.
T0 = datetime(2026, 3, 1, 12, 34, 56, 789654, tzinfo=timezone.utc)
T0_MS = T0.replace(microsecond=790000)
ATTEMPT = timedelta(minutes=5)
RETRY_DELAY = timedelta(minutes=1)

needs_time_members = pytest.mark.skipif(
    "startedAt" not in shape("JobRun").members,
    reason="this botocore's model has no startedAt/endedAt/queuedDurationMilliseconds",
)


def new_application(emr: Any, **kwargs: Any) -> str:
    found: str = emr.create_application(
        name="app", releaseLabel="emr-7.1.0", type="SPARK", **kwargs
    )["applicationId"]
    return found


def start(emr: Any, app: str, **kwargs: Any) -> str:
    found: str = emr.start_job_run(applicationId=app, executionRoleArn=ROLE, **kwargs)["jobRunId"]
    return found


def get_job_run(emr: Any, app: str, run: str, **kwargs: Any) -> Any:
    return emr.get_job_run(applicationId=app, jobRunId=run, **kwargs)["jobRun"]


def test_a_run_is_created_at_the_clock_of_start_job_run_to_the_millisecond(emr: Any) -> None:
    app = new_application(emr)
    with freeze_time(T0):
        run = start(emr, app)

    job_run = get_job_run(emr, app, run)

    assert (job_run["createdAt"], job_run["attemptCreatedAt"]) == (T0_MS, T0_MS)


@needs_time_members
def test_a_run_without_a_script_runs_one_simulated_attempt(emr: Any) -> None:
    app = new_application(emr)
    with freeze_time(T0):
        run = start(emr, app)

    job_run = get_job_run(emr, app, run)

    assert job_run["state"] == "SUCCESS"
    assert job_run["startedAt"] == T0_MS
    assert job_run["endedAt"] == job_run["updatedAt"] == job_run["attemptUpdatedAt"]
    assert job_run["endedAt"] == T0_MS + ATTEMPT
    assert job_run["totalExecutionDurationSeconds"] == 300


@needs_time_members
def test_a_scripted_run_plays_its_attempts_from_the_clock(emr: Any) -> None:
    app = new_application(emr)
    mea.script_outcomes(["FAILED", "SUCCESS"])
    with freeze_time(T0):
        run = start(emr, app, retryPolicy={"maxAttempts": 2})

    first = get_job_run(emr, app, run, attempt=1)
    latest = get_job_run(emr, app, run)

    assert (first["attemptCreatedAt"], first["attemptUpdatedAt"]) == (T0_MS, T0_MS + ATTEMPT)
    second_start = T0_MS + ATTEMPT + RETRY_DELAY
    assert (latest["attemptCreatedAt"], latest["endedAt"]) == (second_start, second_start + ATTEMPT)
    assert latest["createdAt"] == T0_MS
    assert latest["startedAt"] <= latest["endedAt"]
    assert latest["totalExecutionDurationSeconds"] == (latest["endedAt"] - T0_MS).total_seconds()


def test_the_attempts_list_the_run_created_at_the_clock(emr: Any) -> None:
    app = new_application(emr)
    with freeze_time(T0):
        run = start(emr, app)

    [attempt] = emr.list_job_run_attempts(applicationId=app, jobRunId=run)["jobRunAttempts"]

    assert (attempt["jobCreatedAt"], attempt["createdAt"]) == (T0_MS, T0_MS)
    assert attempt["updatedAt"] == T0_MS + ATTEMPT


def test_moto_s_own_job_run_is_created_at_the_same_time(emr: Any) -> None:
    app = new_application(emr)
    with freeze_time(T0):
        run = start(emr, app)

    [job_run] = emrserverless_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].job_runs[app]

    assert job_run.id == run
    assert to_epoch(job_run.created_at) == T0_MS.timestamp()  # moto 5.0 keeps an ISO string


@needs_time_members
def test_a_queued_run_is_created_at_start_job_run_and_runs_once_a_slot_frees(emr: Any) -> None:
    app = new_application(emr, schedulerConfiguration={"maxConcurrentRuns": 1})
    with freeze_time(T0) as frozen:
        holder = start(emr, app, mode="STREAMING")
        frozen.move_to(T0 + timedelta(seconds=10))
        queued = start(emr, app)
        waiting = get_job_run(emr, app, queued)
        frozen.move_to(T0 + timedelta(seconds=70))
        emr.cancel_job_run(applicationId=app, jobRunId=holder)
        ended = get_job_run(emr, app, queued)

    created = T0_MS + timedelta(seconds=10)
    freed = T0_MS + timedelta(seconds=70)
    assert (waiting["state"], waiting["createdAt"], waiting["updatedAt"]) == (
        "QUEUED",
        created,
        created,
    )
    assert (ended["state"], ended["createdAt"]) == ("SUCCESS", created)
    assert (ended["startedAt"], ended["endedAt"]) == (freed, freed + ATTEMPT)
    assert ended["totalExecutionDurationSeconds"] == 300
    assert ended["queuedDurationMilliseconds"] == 60_000
