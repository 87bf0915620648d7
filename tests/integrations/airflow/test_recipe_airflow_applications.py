import pytest
from airflow.providers.amazon.aws.operators.emr import (
    EmrServerlessCreateApplicationOperator,
    EmrServerlessDeleteApplicationOperator,
    EmrServerlessStartJobOperator,
    EmrServerlessStopApplicationOperator,
)
from airflow.providers.amazon.aws.sensors.emr import EmrServerlessApplicationSensor
from moto.moto_api import state_manager

ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}}
MODELS = ("emrserverless::application", "emrserverless::job_run")
FAST = {"aws_conn_id": None, "waiter_delay": 0, "waiter_max_attempts": 20}


@pytest.fixture
def manual_progression():
    """Every poll moves an application (CREATING, CREATED, STARTING, STARTED, STOPPING, ...)
    or a job run (SUBMITTED, PENDING, SCHEDULED, RUNNING, ...) one step."""
    for model in MODELS:
        state_manager.set_transition(model, {"progression": "manual", "times": 1})
    yield
    for model in MODELS:
        state_manager.unset_transition(model)


def create():  # waits for CREATED, starts the application, waits for STARTED
    task = EmrServerlessCreateApplicationOperator(
        task_id="create", release_label="emr-7.1.0", job_type="SPARK", **FAST
    )
    return task.execute(context={})


def job(app):  # starts the application unless it is CREATED or STARTED, waits for the run
    task = EmrServerlessStartJobOperator(
        task_id="job", application_id=app, execution_role_arn=ROLE, job_driver=DRIVER, **FAST
    )
    return task.execute(context={})


def stop(app):  # force_stop: cancels the runs not ended, then stops, waits for STOPPED
    task = EmrServerlessStopApplicationOperator(
        task_id="stop", application_id=app, force_stop=True, **FAST
    )
    task.execute(context={})


def test_the_example_dags_chain(emrs_client, manual_progression):
    app = create()
    sensor = EmrServerlessApplicationSensor(task_id="app", application_id=app, aws_conn_id=None)
    assert sensor.poke(context={})  # CREATED or STARTED
    job_run_id = job(app)
    stop(app)
    delete = EmrServerlessDeleteApplicationOperator(task_id="delete", application_id=app, **FAST)
    delete.execute(context={})  # stops (a STOPPED application stays so), deletes, waits

    run = emrs_client.get_job_run(applicationId=app, jobRunId=job_run_id)["jobRun"]
    assert run["state"] == "SUCCESS"
    assert emrs_client.get_application(applicationId=app)["application"]["state"] == "TERMINATED"


def test_the_job_operator_starts_a_stopped_application(emrs_client, manual_progression):
    app = create()
    stop(app)

    job(app)

    assert emrs_client.get_application(applicationId=app)["application"]["state"] == "STARTED"
