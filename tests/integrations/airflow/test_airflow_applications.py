"""Airflow's EMR Serverless application operators against the plugin, chained as the provider's
own example DAG (`example_emr_serverless.py`) chains them: create the application, wait for it,
run a job, stop the application with `force_stop`, delete it. In-process and against the server,
under `immediate` and under `manual` progressions of job runs and applications."""

from __future__ import annotations

from typing import Any

import pytest
from airflow.exceptions import AirflowException
from airflow.providers.amazon.aws.hooks.emr import EmrServerlessHook
from airflow.providers.amazon.aws.operators.emr import (
    EmrServerlessCreateApplicationOperator,
    EmrServerlessDeleteApplicationOperator,
    EmrServerlessStartJobOperator,
    EmrServerlessStopApplicationOperator,
)
from airflow.providers.amazon.aws.sensors.emr import (
    EmrServerlessApplicationSensor,
    EmrServerlessJobSensor,
)
from botocore.exceptions import ClientError

ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}}
WAIT = {"aws_conn_id": None, "waiter_delay": 0, "waiter_max_attempts": 20}


@pytest.fixture
def in_process_client(emrs_client: Any) -> Any:
    """In-process: the plugin's mock, which Airflow's boto3 clients meet too (conftest's `emr`)."""
    return emrs_client


def until(state: str, read: Any) -> None:
    """Poll (each poll is a step under `manual`) until `read` answers `state`."""
    seen = [read() for _ in range(10)]
    assert state in seen, seen


# -- the tasks, as the example DAG configures them (with Airflow's waits made short) ------------


def create(*, wait: bool = True) -> EmrServerlessCreateApplicationOperator:
    return EmrServerlessCreateApplicationOperator(
        task_id="create_emr_serverless_task",
        release_label="emr-6.6.0",
        job_type="SPARK",
        config={"name": "new_application"},
        wait_for_completion=wait,
        **WAIT,
    )


def start_job(app: str, *, wait: bool = True, **config: Any) -> EmrServerlessStartJobOperator:
    return EmrServerlessStartJobOperator(
        task_id="start_emr_serverless_job",
        application_id=app,
        execution_role_arn=ROLE,
        job_driver=DRIVER,
        config=config,
        wait_for_completion=wait,
        **WAIT,
    )


def stop(app: str, *, force_stop: bool = True) -> EmrServerlessStopApplicationOperator:
    return EmrServerlessStopApplicationOperator(
        task_id="stop_application", application_id=app, force_stop=force_stop, **WAIT
    )


def delete(app: str) -> EmrServerlessDeleteApplicationOperator:
    return EmrServerlessDeleteApplicationOperator(
        task_id="delete_application", application_id=app, **WAIT
    )


def pokes(sensor: Any) -> list[bool]:
    """The sensor's pokes until it is done (Airflow pokes every `poke_interval`)."""
    done: list[bool] = []
    while not (done and done[-1]):
        assert len(done) < 10, done
        done.append(sensor.poke(context={}))
    return done


def started_application() -> str:
    app = create().execute(context={})
    assert app is not None
    return app


# -- the example DAG's chain --------------------------------------------------------------------


def test_the_example_dags_chain_runs_through_to_a_terminated_application(emr: Any) -> None:
    app = create(wait=False).execute(context={})  # the example DAG's wait_for_completion=False
    assert app is not None
    app_pokes = pokes(
        EmrServerlessApplicationSensor(
            task_id="wait_for_app_creation", application_id=app, aws_conn_id=None
        )
    )
    run = start_job(app, wait=False).execute(context={})
    assert run is not None
    job_pokes = pokes(
        EmrServerlessJobSensor(
            task_id="wait_for_job",
            application_id=app,
            job_run_id=run,
            target_states={*EmrServerlessHook.JOB_SUCCESS_STATES, "RUNNING"},
            aws_conn_id=None,
        )
    )
    stop(app).execute(context={})
    delete(app).execute(context={})

    # immediate: the run is born SUCCESS; manual: PENDING, SCHEDULED, RUNNING, then the force
    # stop's ListJobRuns page is its next poll, which ends it
    assert (app_pokes, job_pokes) == {
        "immediate": ([True], [True]),
        "manual": ([True], [False, False, True]),
    }[emr.progression]
    assert emr.app_state(app) == "TERMINATED"
    assert emr.run_state(app, run) == "SUCCESS"
    assert emr.client.list_applications()["applications"] == []


# -- each task --------------------------------------------------------------------------------


def test_the_create_operator_returns_a_started_application(emr: Any) -> None:
    app = create().execute(context={})

    assert app is not None
    assert emr.app_state(app) == "STARTED"


def test_the_start_job_operator_starts_a_stopped_application_and_waits_for_its_run(
    emr: Any,
) -> None:
    app = started_application()
    emr.client.stop_application(applicationId=app)
    until("STOPPED", lambda: emr.app_state(app))

    run = start_job(app).execute(context={})

    assert run is not None
    assert (emr.app_state(app), emr.run_state(app, run)) == ("STARTED", "SUCCESS")


def test_the_stop_operator_with_force_stop_cancels_a_streaming_run(emr: Any) -> None:
    app = started_application()
    run = start_job(app, wait=False, mode="STREAMING").execute(context={})
    assert run is not None
    until("RUNNING", lambda: emr.run_state(app, run))

    stop(app, force_stop=True).execute(context={})

    assert (emr.app_state(app), emr.run_state(app, run)) == ("STOPPED", "CANCELLED")


def test_the_stop_operator_without_force_stop_is_refused_while_a_run_is_running(
    emr: Any,
) -> None:
    app = started_application()
    run = start_job(app, wait=False, mode="STREAMING").execute(context={})
    assert run is not None
    until("RUNNING", lambda: emr.run_state(app, run))

    with pytest.raises(ClientError) as refused:
        stop(app, force_stop=False).execute(context={})

    assert refused.value.response["Error"]["Code"] == "ValidationException"
    assert (emr.app_state(app), emr.run_state(app, run)) == ("STARTED", "RUNNING")


def test_the_delete_operator_stops_a_started_application_and_waits_for_terminated(
    emr: Any,
) -> None:
    app = started_application()

    delete(app).execute(context={})

    assert emr.app_state(app) == "TERMINATED"
    assert emr.client.list_applications()["applications"] == []


def test_the_delete_operator_deletes_an_application_the_stop_operator_stopped(emr: Any) -> None:
    app = started_application()
    stop(app).execute(context={})

    delete(app).execute(context={})  # StopApplication on a STOPPED application: 200, no change

    assert emr.app_state(app) == "TERMINATED"


def test_the_application_sensor_fails_on_a_stopped_application(emr: Any) -> None:
    app = started_application()
    stop(app).execute(context={})
    sensor = EmrServerlessApplicationSensor(
        task_id="wait_for_app", application_id=app, aws_conn_id=None
    )

    with pytest.raises(AirflowException, match=r"^EMR Serverless application failed: "):
        sensor.poke(context={})


# -- the waits, two polls a step -----------------------------------------------------------------

TWO_POLLS = {"progression": "manual", "times": 2}
#: `manual` with two polls a step: a wait that does not poll again never sees the next state
two_polls_a_step = pytest.mark.parametrize(
    "emr", [("in-process", "manual"), ("server", "manual")], ids="-".join, indirect=True
)


@two_polls_a_step
def test_the_application_sensor_is_not_done_while_the_application_is_starting(emr: Any) -> None:
    emr.progress(TWO_POLLS)
    app = create(wait=False).execute(context={})  # CREATING, CREATED (poll 2), then STARTING
    assert app is not None
    sensor = EmrServerlessApplicationSensor(
        task_id="wait_for_app_creation", application_id=app, aws_conn_id=None
    )

    assert pokes(sensor) == [False, True]
    assert emr.app_state(app) == "STARTED"


@two_polls_a_step
def test_the_create_operator_gives_up_after_waiter_max_attempts_polls(emr: Any) -> None:
    emr.progress(TWO_POLLS)
    task = EmrServerlessCreateApplicationOperator(
        task_id="create_emr_serverless_task",
        release_label="emr-6.6.0",
        job_type="SPARK",
        config={"name": "new_application"},
        aws_conn_id=None,
        waiter_delay=0,
        waiter_max_attempts=1,
    )

    with pytest.raises(AirflowException, match=r"^Waiter error: max attempts reached$"):
        task.execute(context={})

    [application] = emr.client.list_applications()["applications"]
    assert application["state"] == "CREATED"  # this page is the poll the waiter did not make
