"""`EmrServerlessStartJobOperator(deferrable=True)` against the plugin: `execute` defers to
`EmrServerlessStartJobTrigger`, whose `run()` polls with aiobotocore's waiter, and
`execute_complete` takes its event. In-process through aiomoto, and against the server through
`AWS_ENDPOINT_URL_EMR_SERVERLESS`."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest
from aiobotocore.session import AioSession
from aiomoto import mock_aws
from airflow.providers.amazon.aws.operators.emr import EmrServerlessStartJobOperator
from airflow.providers.amazon.aws.triggers.emr import EmrServerlessStartJobTrigger
from airflow.sdk.exceptions import TaskDeferred
from moto.moto_api import state_manager

import moto_emrs_attempts as mea

ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}}
MODEL = "emrserverless::job_run"
MANUAL = {"progression": "manual", "times": 1}


def operator(app: str, *, delay: int = 0, polls: int = 20) -> EmrServerlessStartJobOperator:
    return EmrServerlessStartJobOperator(
        task_id="etl",
        application_id=app,
        execution_role_arn=ROLE,
        job_driver=DRIVER,
        config={"retryPolicy": {"maxAttempts": 3}},
        aws_conn_id=None,
        deferrable=True,
        waiter_delay=delay,
        waiter_max_attempts=polls,
    )


def defer(task: EmrServerlessStartJobOperator) -> TaskDeferred:
    with pytest.raises(TaskDeferred) as deferred:
        task.execute(context={})
    return deferred.value


def fire(trigger: Any) -> dict[str, Any]:
    """Run the trigger as Airflow's triggerer does, to its first event; that event's payload."""

    async def first() -> dict[str, Any]:
        async for event in trigger.run():
            payload: dict[str, Any] = event.payload
            return payload
        raise AssertionError("the trigger ended without an event")

    return asyncio.run(first())


def create_application(emr: Any) -> str:
    answer = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    application_id: str = answer["applicationId"]
    return application_id


def states(emr: Any, app: str, job_run_id: str) -> list[str]:
    page = emr.list_job_run_attempts(applicationId=app, jobRunId=job_run_id)
    return [attempt["state"] for attempt in page["jobRunAttempts"]]


# -- in-process, through aiomoto ----------------------------------------------------------------


@pytest.fixture
def emr() -> Iterator[Any]:
    """A boto3 client inside aiomoto's mock, which the trigger's aiobotocore client shares."""
    with mock_aws():
        yield boto3.client("emr-serverless", region_name="us-east-1")


@pytest.fixture
def manual() -> Iterator[None]:
    state_manager.set_transition(MODEL, MANUAL)
    yield
    state_manager.unset_transition(MODEL)


def test_execute_defers_to_the_job_run_trigger_of_the_run_it_started(emr: Any) -> None:
    app = create_application(emr)

    deferred = defer(operator(app))

    [run] = emr.list_job_runs(applicationId=app)["jobRuns"]
    assert isinstance(deferred.trigger, EmrServerlessStartJobTrigger)
    assert (deferred.trigger.application_id, deferred.trigger.job_id) == (app, run["id"])
    assert deferred.method_name == "execute_complete"


@pytest.mark.parametrize(
    ("delay", "polls", "timeout"),
    [(0, 20, timedelta(0)), (1, 60, timedelta(minutes=1)), (60, 25, timedelta(minutes=25))],
)
def test_the_deferral_times_out_after_waiter_delay_times_waiter_max_attempts(
    emr: Any, delay: int, polls: int, timeout: timedelta
) -> None:
    deferred = defer(operator(create_application(emr), delay=delay, polls=polls))

    assert deferred.timeout == timeout


def test_the_trigger_succeeds_on_the_twelfth_poll_of_a_run_of_three_attempts(
    emr: Any, manual: None
) -> None:
    app = create_application(emr)
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    task = operator(app, polls=12)  # four steps an attempt: PENDING, SCHEDULED, RUNNING, outcome

    event = fire(defer(task).trigger)

    assert event == {
        "status": "success",
        "job_details": {"application_id": app, "job_id": task.job_id},
    }
    assert task.execute_complete(context={}, event=event) == task.job_id
    assert states(emr, app, task.job_id) == ["FAILED", "FAILED", "SUCCESS"]


def test_the_trigger_gives_up_when_the_run_needs_more_polls_than_waiter_max_attempts(
    emr: Any, manual: None
) -> None:
    app = create_application(emr)
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    task = operator(app, polls=11)

    event = fire(defer(task).trigger)

    assert event == {"status": "failure", "message": "Waiter error: max attempts reached"}
    # this read is the twelfth poll, the one the trigger did not make: it sees the run succeed
    assert states(emr, app, task.job_id) == ["FAILED", "FAILED", "SUCCESS"]


def test_the_trigger_fails_with_the_last_attempts_state_details(emr: Any) -> None:
    app = create_application(emr)
    mea.script_outcomes(
        [
            mea.Attempt("FAILED", "Driver ran out of memory"),
            mea.Attempt("FAILED", "Executor lost"),
            mea.Attempt("FAILED", "Job run timed out after 60 minutes"),
        ]
    )

    event = fire(defer(operator(app)).trigger)

    assert event["status"] == "failure"
    assert event["message"].startswith(
        "Serverless Job failed: FAILED - Job run timed out after 60 minutes\n"
        "Waiter serverless_job_completed failed: Waiter encountered a terminal failure state"
    )
    assert "job_details" not in event


def test_execute_complete_of_a_failure_event_raises_the_providers_key_error(emr: Any) -> None:
    """Provider 9.39.0: the trigger's failure event carries no `job_details`, which
    `execute_complete` reads to cancel the run; the task fails with a KeyError, the run is left."""
    app = create_application(emr)
    mea.script_outcomes(["FAILED", "FAILED", "FAILED"])
    task = operator(app)
    event = fire(defer(task).trigger)

    with pytest.raises(KeyError, match=r"^'job_details'$"):
        task.execute_complete(context={}, event=event)

    assert states(emr, app, task.job_id) == ["FAILED", "FAILED", "FAILED"]


# -- against the server, through AWS_ENDPOINT_URL_EMR_SERVERLESS ------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "moto_emrs_attempts", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    found = re.search(r"http://\S+", process.stdout.readline())
    assert found is not None
    yield found.group(0)
    process.terminate()
    process.wait()


def post(url: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    urllib.request.urlopen(request).close()


@pytest.fixture
def server_url(server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The server, where every EMR Serverless client goes; empty again after the test."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_EMR_SERVERLESS", server)
    yield server
    post(f"{server}/moto-api/state-manager/unset-transition", {"model_name": MODEL})
    post(f"{server}/moto-api/reset", {})


def test_boto3_and_aiobotocore_clients_take_their_endpoint_from_the_variable(
    server_url: str,
) -> None:
    async def aiobotocore_endpoint() -> str:
        async with AioSession().create_client("emr-serverless", region_name="us-east-1") as emr:
            endpoint: str = emr.meta.endpoint_url
            return endpoint

    boto3_endpoint = boto3.client("emr-serverless", region_name="us-east-1").meta.endpoint_url

    assert (boto3_endpoint, asyncio.run(aiobotocore_endpoint())) == (server_url, server_url)


def test_the_trigger_polls_a_server_run_through_its_attempts(server_url: str) -> None:
    emr = boto3.client("emr-serverless", region_name="us-east-1")
    app = create_application(emr)
    post(f"{server_url}/moto-api/emrs-attempts/scripts", {"outcomes": ["FAILED", "SUCCESS"]})
    post(
        f"{server_url}/moto-api/state-manager/set-transition",
        {"model_name": MODEL, "transition": MANUAL},
    )
    task = operator(app, polls=8)  # two attempts of four steps

    event = fire(defer(task).trigger)

    assert event["status"] == "success"
    assert task.execute_complete(context={}, event=event) == task.job_id
    assert states(emr, app, task.job_id) == ["FAILED", "SUCCESS"]


def test_the_trigger_reports_a_server_runs_failure(server_url: str) -> None:
    emr = boto3.client("emr-serverless", region_name="us-east-1")
    app = create_application(emr)
    failed = {"state": "FAILED", "stateDetails": "Driver ran out of memory"}
    post(f"{server_url}/moto-api/emrs-attempts/scripts", {"outcomes": [failed] * 3})

    event = fire(defer(operator(app)).trigger)

    assert event["status"] == "failure"
    assert event["message"].startswith("Serverless Job failed: FAILED - Driver ran out of memory\n")
