import asyncio
import re
import subprocess
import sys

import boto3
import pytest
from aiomoto import mock_aws
from airflow.providers.amazon.aws.operators.emr import EmrServerlessStartJobOperator
from airflow.sdk.exceptions import TaskDeferred
from moto.moto_api import state_manager

import moto_emrs_attempts as mea

ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}}


def deferrable_operator(app):
    return EmrServerlessStartJobOperator(
        task_id="etl",
        application_id=app,
        execution_role_arn=ROLE,
        job_driver=DRIVER,
        config={"retryPolicy": {"maxAttempts": 3}},
        aws_conn_id=None,
        deferrable=True,
        waiter_delay=0,  # no pause between polls; see the docs on a real triggerer
        waiter_max_attempts=20,
    )


def run_deferred(operator):
    """What Airflow does with a deferrable task: execute, run the trigger, execute_complete."""
    with pytest.raises(TaskDeferred) as deferred:
        operator.execute(context={})

    async def fire(trigger):
        async for event in trigger.run():
            return event

    event = asyncio.run(fire(deferred.value.trigger))
    return operator.execute_complete(context={}, event=event.payload)


@pytest.fixture
def manual_progression():
    state_manager.set_transition("emrserverless::job_run", {"progression": "manual", "times": 1})
    yield
    state_manager.unset_transition("emrserverless::job_run")


def test_the_trigger_waits_through_two_failed_attempts(manual_progression):
    with mock_aws():  # aiomoto's: the operator's boto3 and the trigger's aiobotocore share it
        emr = boto3.client("emr-serverless", region_name="us-east-1")
        app = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
        app = app["applicationId"]
        mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])

        job_run_id = run_deferred(deferrable_operator(app))

        attempts = emr.list_job_run_attempts(applicationId=app, jobRunId=job_run_id)
        assert [a["state"] for a in attempts["jobRunAttempts"]] == ["FAILED", "FAILED", "SUCCESS"]


@pytest.fixture
def server_url(monkeypatch):
    """moto's server with the plugin; boto3 and aiobotocore clients of EMR Serverless go there."""
    server = subprocess.Popen(
        [sys.executable, "-m", "moto_emrs_attempts", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    url = re.search(r"http://\S+", server.stdout.readline()).group(0)
    monkeypatch.setenv("AWS_ENDPOINT_URL_EMR_SERVERLESS", url)
    yield url
    server.terminate()
    server.wait()


def test_the_trigger_polls_the_server(server_url):
    emr = boto3.client("emr-serverless", region_name="us-east-1")  # at the server, by the variable
    app = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    app = app["applicationId"]

    job_run_id = run_deferred(deferrable_operator(app))

    assert emr.get_job_run(applicationId=app, jobRunId=job_run_id)["jobRun"]["state"] == "SUCCESS"
