"""Airflow's Amazon provider against the plugin: the operator, the sensor and the hook."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from airflow.exceptions import AirflowException
from airflow.providers.amazon.aws.hooks.emr import EmrServerlessHook
from airflow.providers.amazon.aws.operators.emr import EmrServerlessStartJobOperator
from airflow.providers.amazon.aws.sensors.emr import EmrServerlessJobSensor
from moto.moto_api import state_manager

import moto_emrs_attempts as mea

ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}}
MODEL = "emrserverless::job_run"


@pytest.fixture
def manual() -> Iterator[None]:
    """`manual` progression, one step per poll; the default transition again afterwards."""
    state_manager.set_transition(MODEL, {"progression": "manual", "times": 1})
    yield
    state_manager.unset_transition(MODEL)


@pytest.fixture
def app(emrs_client: Any) -> str:
    answer = emrs_client.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    application_id: str = answer["applicationId"]
    return application_id


def operator(app: str, max_attempts: int) -> EmrServerlessStartJobOperator:
    return EmrServerlessStartJobOperator(
        task_id="etl",
        application_id=app,
        execution_role_arn=ROLE,
        job_driver=DRIVER,
        wait_for_completion=True,
        config={"retryPolicy": {"maxAttempts": max_attempts}},
        aws_conn_id=None,
        waiter_delay=0,
        waiter_max_attempts=50,
    )


def sensor(app: str, job_run_id: str) -> EmrServerlessJobSensor:
    return EmrServerlessJobSensor(
        task_id="wait", application_id=app, job_run_id=job_run_id, aws_conn_id=None
    )


def states(client: Any, app: str, job_run_id: str) -> list[str]:
    page = client.list_job_run_attempts(applicationId=app, jobRunId=job_run_id)
    return [attempt["state"] for attempt in page["jobRunAttempts"]]


def latest_state(client: Any, app: str, job_run_id: str) -> str:
    state: str = client.get_job_run(applicationId=app, jobRunId=job_run_id)["jobRun"]["state"]
    return state


# -- EmrServerlessStartJobOperator -------------------------------------------------------------


def test_the_operator_returns_the_id_of_a_run_that_succeeded_on_its_third_attempt(
    emrs_client: Any, app: str
) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])

    job_run_id = operator(app, max_attempts=3).execute(context={})

    assert states(emrs_client, app, job_run_id) == ["FAILED", "FAILED", "SUCCESS"]


def test_the_operator_waits_through_failed_attempts_polled_one_step_at_a_time(
    emrs_client: Any, app: str, manual: None
) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])

    job_run_id = operator(app, max_attempts=3).execute(context={})

    assert states(emrs_client, app, job_run_id) == ["FAILED", "FAILED", "SUCCESS"]


def test_the_operator_raises_when_every_allowed_attempt_fails(emrs_client: Any, app: str) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "FAILED"])

    with pytest.raises(AirflowException, match=r'^Serverless Job failed: .*"FAILED"'):
        operator(app, max_attempts=3).execute(context={})

    [run] = emrs_client.list_job_runs(applicationId=app)["jobRuns"]
    assert states(emrs_client, app, run["id"]) == ["FAILED", "FAILED", "FAILED"]


def test_the_operator_raises_only_after_the_last_allowed_attempt_fails_under_progression(
    emrs_client: Any, app: str, manual: None
) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "FAILED"])

    with pytest.raises(AirflowException, match=r'^Serverless Job failed: .*"FAILED"'):
        operator(app, max_attempts=3).execute(context={})

    [run] = emrs_client.list_job_runs(applicationId=app)["jobRuns"]
    assert states(emrs_client, app, run["id"]) == ["FAILED", "FAILED", "FAILED"]


# -- EmrServerlessJobSensor --------------------------------------------------------------------


def test_the_sensor_is_not_done_until_the_run_succeeds(
    emrs_client: Any, app: str, manual: None
) -> None:
    run = emrs_client.start_job_run(applicationId=app, executionRoleArn=ROLE, jobDriver=DRIVER)
    job_sensor = sensor(app, run["jobRunId"])

    assert [job_sensor.poke(context={}) for _ in range(4)] == [False, False, False, True]


def test_the_sensor_is_not_done_while_a_failed_attempt_is_retried(
    emrs_client: Any, app: str, manual: None
) -> None:
    mea.script_outcomes(["FAILED", "SUCCESS"])
    run = emrs_client.start_job_run(
        applicationId=app,
        executionRoleArn=ROLE,
        jobDriver=DRIVER,
        retryPolicy={"maxAttempts": 2},
    )
    job_sensor = sensor(app, run["jobRunId"])

    # attempt 1: PENDING, SCHEDULED, RUNNING, then FAILED with attempt 2 SUBMITTED in one step;
    # attempt 2: PENDING, SCHEDULED, RUNNING, SUCCESS
    pokes = [job_sensor.poke(context={}) for _ in range(8)]

    assert pokes == [False] * 7 + [True]
    assert states(emrs_client, app, run["jobRunId"]) == ["FAILED", "SUCCESS"]


def test_the_sensor_fails_with_the_last_attempts_state_details(emrs_client: Any, app: str) -> None:
    run = mea.seed_job_run(
        [
            mea.Attempt("FAILED", "Driver ran out of memory"),
            mea.Attempt("FAILED", "Executor lost: spot instance reclaimed"),
            mea.Attempt("FAILED", "Job run timed out after 60 minutes"),
        ],
        application_id=app,
        retry_policy={"maxAttempts": 3},
    )

    with pytest.raises(AirflowException) as failed:
        sensor(app, run.job_run_id).poke(context={})

    assert str(failed.value) == "EMR Serverless job failed: Job run timed out after 60 minutes"


# -- EmrServerlessHook.cancel_running_jobs -----------------------------------------------------

IN_FLIGHT = (["SUBMITTED"], ["PENDING"], ["SCHEDULED"], ["RUNNING"], ["FAILED", "RUNNING"])
ENDED = (["SUCCESS"], ["FAILED", "SUCCESS"], ["FAILED", "FAILED"], ["CANCELLED"])


def test_cancel_running_jobs_cancels_exactly_the_runs_whose_latest_attempt_is_in_flight(
    emrs_client: Any, app: str
) -> None:
    in_flight = [mea.seed_job_run(s, application_id=app).job_run_id for s in IN_FLIGHT]
    ended = {mea.seed_job_run(s, application_id=app).job_run_id: s for s in ENDED}
    elsewhere = mea.seed_job_run(["RUNNING"])  # another application

    cancelled = EmrServerlessHook(aws_conn_id=None).cancel_running_jobs(
        app, waiter_config={"Delay": 0, "MaxAttempts": 3}
    )

    assert cancelled == len(IN_FLIGHT)
    assert [states(emrs_client, app, i) for i in in_flight] == [
        [*s[:-1], "CANCELLED"] for s in IN_FLIGHT
    ]
    assert {i: states(emrs_client, app, i) for i in ended} == ended
    assert latest_state(emrs_client, elsewhere.application_id, elsewhere.job_run_id) == "RUNNING"


def test_cancel_running_jobs_waits_until_cancelling_runs_are_cancelled(
    emrs_client: Any, app: str, manual: None
) -> None:
    streaming = [
        emrs_client.start_job_run(
            applicationId=app, executionRoleArn=ROLE, jobDriver=DRIVER, mode="STREAMING"
        )["jobRunId"]
        for _ in range(2)
    ]
    batch = emrs_client.start_job_run(applicationId=app, executionRoleArn=ROLE, jobDriver=DRIVER)
    for _ in range(4):  # each poll is a step: PENDING, SCHEDULED, RUNNING, SUCCESS
        latest_state(emrs_client, app, batch["jobRunId"])

    cancelled = EmrServerlessHook(aws_conn_id=None).cancel_running_jobs(
        app, waiter_config={"Delay": 0, "MaxAttempts": 5}
    )

    assert cancelled == 2
    assert [states(emrs_client, app, i) for i in streaming] == [["CANCELLED"], ["CANCELLED"]]
    assert states(emrs_client, app, batch["jobRunId"]) == ["SUCCESS"]


def test_cancel_running_jobs_returns_zero_when_nothing_is_in_flight(
    emrs_client: Any, app: str
) -> None:
    done = mea.seed_job_run(["SUCCESS"], application_id=app)

    assert EmrServerlessHook(aws_conn_id=None).cancel_running_jobs(app) == 0
    assert states(emrs_client, app, done.job_run_id) == ["SUCCESS"]
