import asyncio

import boto3
import pytest
from aiomoto import mock_aws
from airflow.providers.amazon.aws.operators.emr import (
    EmrServerlessCreateApplicationOperator,
    EmrServerlessStopApplicationOperator,
)
from airflow.sdk.exceptions import TaskDeferred
from moto.moto_api import state_manager

ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}}
MODELS = ("emrserverless::application", "emrserverless::job_run")
DEFERRABLE = {"aws_conn_id": None, "deferrable": True, "waiter_delay": 0, "waiter_max_attempts": 20}


def run_deferred(operator):
    """What Airflow does with a deferrable task: execute; each time it defers, run the trigger
    to its first event and resume the task at the method it names, with that event."""
    resume = operator.execute
    kwargs = {}
    while True:
        try:
            return resume(context={}, **kwargs)
        except TaskDeferred as deferred:

            async def fire(trigger):
                async for event in trigger.run():
                    return event

            event = asyncio.run(fire(deferred.trigger))
            resume = getattr(operator, deferred.method_name)
            kwargs = {"event": event.payload}


@pytest.fixture
def manual_progression():
    for model in MODELS:
        state_manager.set_transition(model, {"progression": "manual", "times": 1})
    yield
    for model in MODELS:
        state_manager.unset_transition(model)


def test_create_then_force_stop_deferred(manual_progression):
    with mock_aws():  # aiomoto's: the operators' boto3 and the triggers' aiobotocore share it
        emr = boto3.client("emr-serverless", region_name="us-east-1")
        app = run_deferred(  # defers until CREATED, starts, defers until STARTED
            EmrServerlessCreateApplicationOperator(
                task_id="create", release_label="emr-7.1.0", job_type="SPARK", **DEFERRABLE
            )
        )
        streaming = emr.start_job_run(
            applicationId=app, executionRoleArn=ROLE, jobDriver=DRIVER, mode="STREAMING"
        )

        run_deferred(  # cancels the run, defers until it is cancelled, stops, defers until STOPPED
            EmrServerlessStopApplicationOperator(
                task_id="stop", application_id=app, force_stop=True, **DEFERRABLE
            )
        )

        run = emr.get_job_run(applicationId=app, jobRunId=streaming["jobRunId"])["jobRun"]
        assert run["state"] == "CANCELLED"
        assert emr.get_application(applicationId=app)["application"]["state"] == "STOPPED"
