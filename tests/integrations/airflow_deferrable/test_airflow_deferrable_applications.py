"""The deferrable application operators against the plugin: `EmrServerlessCreateApplicationOperator`
(its create trigger, then its start trigger) and `EmrServerlessStopApplicationOperator` (with
`force_stop`: its cancel-jobs trigger, then its stop trigger), each trigger polled with
aiobotocore's waiter; in-process through aiomoto and against the server, under `immediate` and
`manual` progressions of job runs and applications."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from aiomoto import mock_aws
from airflow.providers.amazon.aws.operators.emr import (
    EmrServerlessCreateApplicationOperator,
    EmrServerlessDeleteApplicationOperator,
    EmrServerlessStartJobOperator,
    EmrServerlessStopApplicationOperator,
)
from airflow.providers.amazon.aws.triggers.emr import (
    EmrServerlessCancelJobsTrigger,
    EmrServerlessCreateApplicationTrigger,
    EmrServerlessDeleteApplicationTrigger,
    EmrServerlessStartApplicationTrigger,
    EmrServerlessStartJobTrigger,
    EmrServerlessStopApplicationTrigger,
)
from airflow.sdk.exceptions import TaskDeferred

ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}}
DEFER = {"aws_conn_id": None, "deferrable": True, "waiter_delay": 0, "waiter_max_attempts": 20}


@pytest.fixture
def in_process_client() -> Iterator[Any]:
    """In-process: aiomoto's mock, which the operators' boto3 clients and the triggers'
    aiobotocore clients share (conftest's `emr`)."""
    with mock_aws():
        yield boto3.client("emr-serverless", region_name="us-east-1")


def fire(trigger: Any) -> dict[str, Any]:
    """Run the trigger as Airflow's triggerer does, to its first event; that event's payload."""

    async def first() -> dict[str, Any]:
        async for event in trigger.run():
            payload: dict[str, Any] = event.payload
            return payload
        raise AssertionError("the trigger ended without an event")

    return asyncio.run(first())


def run(task: Any, triggers: list[type]) -> Any:
    """What Airflow does with a deferrable task: execute, and each time it defers, run the
    trigger to its first event and resume the task where it asked; `triggers` gets each
    trigger's class."""
    resume: Callable[[], Any] = lambda: task.execute(context={})  # noqa: E731
    while True:
        try:
            return resume()
        except TaskDeferred as deferred:
            triggers.append(type(deferred.trigger))
            event = fire(deferred.trigger)
            method = getattr(task, deferred.method_name)
            resume = lambda m=method, e=event: m(context={}, event=e)  # noqa: E731


# -- the tasks ----------------------------------------------------------------------------------


def create() -> EmrServerlessCreateApplicationOperator:
    return EmrServerlessCreateApplicationOperator(
        task_id="create_emr_serverless_task",
        release_label="emr-6.6.0",
        job_type="SPARK",
        config={"name": "new_application"},
        **DEFER,
    )


def start_job(app: str, **config: Any) -> EmrServerlessStartJobOperator:
    return EmrServerlessStartJobOperator(
        task_id="start_emr_serverless_job",
        application_id=app,
        execution_role_arn=ROLE,
        job_driver=DRIVER,
        config=config,
        **DEFER,
    )


def stop(app: str) -> EmrServerlessStopApplicationOperator:
    return EmrServerlessStopApplicationOperator(
        task_id="stop_application", application_id=app, force_stop=True, **DEFER
    )


def delete(app: str) -> EmrServerlessDeleteApplicationOperator:
    return EmrServerlessDeleteApplicationOperator(
        task_id="delete_application", application_id=app, **DEFER
    )


# -- the tests ----------------------------------------------------------------------------------


def test_the_create_operator_defers_until_created_then_until_started(emr: Any) -> None:
    triggers: list[type] = []

    app = run(create(), triggers)

    assert triggers == [EmrServerlessCreateApplicationTrigger, EmrServerlessStartApplicationTrigger]
    assert emr.app_state(app) == "STARTED"


def test_the_stop_operator_defers_until_the_streaming_run_is_cancelled_then_until_stopped(
    emr: Any,
) -> None:
    app = emr.client.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    app = app["applicationId"]
    assert emr.app_state(app) == "CREATED"  # manual: this poll is the step from CREATING
    job_run = emr.client.start_job_run(  # auto-starts the application
        applicationId=app, executionRoleArn=ROLE, jobDriver=DRIVER, mode="STREAMING"
    )["jobRunId"]
    # manual: the application's polls start it, then the run's polls move it a step each
    assert [emr.app_state(app) for _ in range(2)][-1] == "STARTED"
    states = [emr.run_state(app, job_run) for _ in range(4)]
    triggers: list[type] = []

    run(stop(app), triggers)

    assert states[-1] == "RUNNING"
    assert triggers == [EmrServerlessCancelJobsTrigger, EmrServerlessStopApplicationTrigger]
    assert (emr.app_state(app), emr.run_state(app, job_run)) == ("STOPPED", "CANCELLED")


def test_the_stop_operator_with_no_run_to_cancel_defers_only_until_stopped(emr: Any) -> None:
    app = run(create(), [])
    triggers: list[type] = []

    run(stop(app), triggers)

    assert triggers == [EmrServerlessStopApplicationTrigger]
    assert emr.app_state(app) == "STOPPED"


def test_the_example_dags_chain_deferred_ends_with_a_terminated_application(emr: Any) -> None:
    triggers: list[type] = []

    app = run(create(), triggers)
    job_run = run(start_job(app), triggers)
    run(stop(app), triggers)
    run(delete(app), triggers)  # stops the stopped application (200, no change), then deletes

    assert triggers == [
        EmrServerlessCreateApplicationTrigger,
        EmrServerlessStartApplicationTrigger,
        EmrServerlessStartJobTrigger,
        EmrServerlessStopApplicationTrigger,
        EmrServerlessStopApplicationTrigger,
        EmrServerlessDeleteApplicationTrigger,
    ]
    assert (emr.app_state(app), emr.run_state(app, job_run)) == ("TERMINATED", "SUCCESS")
