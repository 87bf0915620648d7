import pytest
from airflow.providers.amazon.aws.operators.emr import EmrServerlessStartJobOperator
from airflow.providers.amazon.aws.sensors.emr import EmrServerlessJobSensor
from moto.moto_api import state_manager

import moto_emrs_attempts as mea

ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}}


@pytest.fixture
def manual_progression():
    """Every poll of a job run moves it one step: SUBMITTED, PENDING, SCHEDULED, RUNNING, ..."""
    state_manager.set_transition("emrserverless::job_run", {"progression": "manual", "times": 1})
    yield
    state_manager.unset_transition("emrserverless::job_run")


def test_the_operator_waits_through_two_failed_attempts(emrs_client, manual_progression):
    app = emrs_client.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    app = app["applicationId"]
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])

    job_run_id = EmrServerlessStartJobOperator(
        task_id="etl",
        application_id=app,
        execution_role_arn=ROLE,
        job_driver=DRIVER,
        wait_for_completion=True,
        config={"retryPolicy": {"maxAttempts": 3}},
        aws_conn_id=None,  # boto3's own credentials: no Airflow connection, no database
        waiter_delay=0,
        waiter_max_attempts=20,
    ).execute(context={})

    attempts = emrs_client.list_job_run_attempts(applicationId=app, jobRunId=job_run_id)
    assert [a["state"] for a in attempts["jobRunAttempts"]] == ["FAILED", "FAILED", "SUCCESS"]


def test_the_sensor_is_not_done_until_the_run_succeeds(emrs_client, manual_progression):
    app = emrs_client.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    app = app["applicationId"]
    run = emrs_client.start_job_run(applicationId=app, executionRoleArn=ROLE, jobDriver=DRIVER)
    sensor = EmrServerlessJobSensor(
        task_id="wait", application_id=app, job_run_id=run["jobRunId"], aws_conn_id=None
    )

    # each poke is one GetJobRun, and each poll one step: PENDING, SCHEDULED, RUNNING, SUCCESS
    assert [sensor.poke(context={}) for _ in range(4)] == [False, False, False, True]
