"""dagster-aws's PipesEMRServerlessClient against the plugin: the Pipes messages come from the
CloudWatch stdout stream the plugin writes for the attempt that succeeded.

(No `from __future__ import annotations`: dagster reads the asset's `context` annotation.)
"""

import json
from collections.abc import Iterator
from typing import Any

import boto3
import dagster as dg
import pytest
from dagster_aws.pipes import PipesCloudWatchMessageReader, PipesEMRServerlessClient
from moto.moto_api import state_manager

import moto_emrs_attempts as mea

LOG_GROUP = "/emr/etl"
PREFIX = "nightly"
MODEL = "emrserverless::job_run"
ROLE = "arn:aws:iam::123456789012:role/job-role"


@pytest.fixture
def manual() -> Iterator[None]:
    # times 2: dagster-aws asks for the dashboard when it sees RUNNING; with times 1 that call is
    # itself the step that fails attempt 1 and starts attempt 2 in SUBMITTED, whose dashboard AWS
    # (and the plugin) refuse with a ValidationException.
    state_manager.set_transition(MODEL, {"progression": "manual", "times": 2})
    yield
    state_manager.unset_transition(MODEL)


@pytest.fixture
def app(emrs_client: Any) -> str:
    answer = emrs_client.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    application_id: str = answer["applicationId"]
    return application_id


@pytest.fixture
def logs() -> Any:
    client = boto3.client("logs", region_name="us-east-1")
    client.create_log_group(logGroupName=LOG_GROUP)  # a named group must exist, as on AWS
    return client


def pipes_stdout(attempt: int) -> str:
    """A driver's stdout with dagster-pipes: it reports the asset, naming its attempt."""
    report = {
        "asset_key": "etl",
        "metadata": {"attempt": {"raw_value": attempt, "type": "int"}},
        "data_version": None,
    }
    messages = [("opened", {}), ("report_asset_materialization", report), ("closed", {})]
    return "".join(
        json.dumps({"__dagster_pipes_version": "0.1", "method": m, "params": p}) + "\n"
        for m, p in messages
    )


def succeeding(attempt: int, **logs: str) -> mea.Attempt:
    """The outcome of the attempt that succeeds, its stdout carrying the Pipes messages."""
    return mea.Attempt("SUCCESS", logs={"SPARK_DRIVER/stdout": pipes_stdout(attempt), **logs})


CLOUDWATCH = {"enabled": True, "logGroupName": LOG_GROUP, "logStreamNamePrefix": PREFIX}


def run_asset(
    emrs_client: Any,
    app: str,
    logs: Any,
    max_attempts: int,
    cloudwatch: Any = CLOUDWATCH,
) -> tuple[Any, Any]:
    """Materialize an asset that runs one EMR Serverless job through Pipes."""
    reader = PipesCloudWatchMessageReader(client=logs)
    pipes = PipesEMRServerlessClient(client=emrs_client, message_reader=reader, poll_interval=0)
    overrides = {"monitoringConfiguration": {"cloudWatchLoggingConfiguration": cloudwatch}}

    @dg.asset
    def etl(context: dg.AssetExecutionContext) -> Any:
        params: Any = {
            "applicationId": app,
            "executionRoleArn": ROLE,
            "clientToken": "etl",
            "jobDriver": {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}},
            "retryPolicy": {"maxAttempts": max_attempts},
            "configurationOverrides": overrides if cloudwatch is not None else {},
        }
        return pipes.run(context=context, start_job_run_params=params).get_materialize_result()

    return dg.materialize([etl], raise_on_error=False), reader


def reported_attempt(result: Any) -> int:
    [materialization] = result.asset_materializations_for_node("etl")
    attempt: int = materialization.metadata["attempt"].value
    return attempt


def job_run_id(emrs_client: Any, app: str) -> str:
    [run] = emrs_client.list_job_runs(applicationId=app)["jobRuns"]
    identifier: str = run["id"]
    return identifier


def test_the_messages_come_from_the_last_attempts_stream_under_the_group_and_prefix(
    emrs_client: Any, app: str, logs: Any
) -> None:
    mea.script_outcomes(["FAILED", "FAILED", succeeding(3)])

    result, reader = run_asset(emrs_client, app, logs, max_attempts=3)

    assert result.success
    assert reported_attempt(result) == 3
    jobs = f"{PREFIX}/applications/{app}/jobs/{job_run_id(emrs_client, app)}"
    assert sorted((r.log_group, r.log_stream) for r in reader.log_readers.values()) == [
        (LOG_GROUP, f"{jobs}/attempts/3/SPARK_DRIVER/stderr"),
        (LOG_GROUP, f"{jobs}/attempts/3/SPARK_DRIVER/stdout"),
    ]


def test_a_run_that_succeeds_on_its_first_attempt_is_read_from_the_streams_without_attempts(
    emrs_client: Any, app: str, logs: Any
) -> None:
    mea.script_outcomes([succeeding(1)])

    result, reader = run_asset(emrs_client, app, logs, max_attempts=3)

    assert reported_attempt(result) == 1
    jobs = f"{PREFIX}/applications/{app}/jobs/{job_run_id(emrs_client, app)}"
    assert sorted(r.log_stream for r in reader.log_readers.values()) == [
        f"{jobs}/SPARK_DRIVER/stderr",
        f"{jobs}/SPARK_DRIVER/stdout",
    ]


def test_dagster_forwards_the_driver_stderr_of_the_attempt_that_succeeded(
    emrs_client: Any, app: str, logs: Any, capfd: pytest.CaptureFixture[str]
) -> None:
    stderr = "24/05/01 10:00:00 INFO SparkContext: attempt 2's own stderr\n"
    mea.script_outcomes(["FAILED", succeeding(2, **{"SPARK_DRIVER/stderr": stderr})])

    result, _ = run_asset(emrs_client, app, logs, max_attempts=2)

    assert reported_attempt(result) == 2
    assert stderr in capfd.readouterr().err


def test_the_applications_monitoring_configuration_alone_sends_the_messages(
    emrs_client: Any, logs: Any
) -> None:
    app = emrs_client.create_application(
        name="etl",
        releaseLabel="emr-7.1.0",
        type="SPARK",
        monitoringConfiguration={"cloudWatchLoggingConfiguration": CLOUDWATCH},
    )["applicationId"]
    mea.script_outcomes(["FAILED", succeeding(2)])

    result, reader = run_asset(emrs_client, app, logs, max_attempts=2, cloudwatch=None)

    assert reported_attempt(result) == 2
    assert sorted(r.log_stream.split("/", 1)[0] for r in reader.log_readers.values()) == [
        PREFIX,
        PREFIX,
    ]


def test_with_log_types_the_messages_are_read_but_no_stream_is_forwarded(
    emrs_client: Any, app: str, logs: Any
) -> None:
    """dagster-aws 0.29 intersects logTypes' upper-case `STDOUT` with `{"stdout", "stderr"}`:
    it forwards no stream, though its message reader still reads the stdout stream."""
    mea.script_outcomes(["FAILED", succeeding(2)])
    cloudwatch = {**CLOUDWATCH, "logTypes": {"SPARK_DRIVER": ["STDOUT", "STDERR"]}}

    result, reader = run_asset(emrs_client, app, logs, max_attempts=2, cloudwatch=cloudwatch)

    assert reported_attempt(result) == 2
    assert reader.log_readers == {}


def test_the_run_fails_when_every_allowed_attempt_fails(
    emrs_client: Any, app: str, logs: Any
) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "FAILED"])

    result, reader = run_asset(emrs_client, app, logs, max_attempts=3)

    assert not result.success
    [failure] = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"]
    assert "EMR Serverless job failed" in str(failure.event_specific_data.error)
    assert reader.log_readers == {}


def test_the_run_is_polled_through_every_attempt_under_manual_progression(
    emrs_client: Any, app: str, logs: Any, manual: None
) -> None:
    seen: list[tuple[int, str]] = []
    emrs_client.meta.events.register(
        "after-call.emr-serverless.GetJobRun",
        lambda parsed, **_: seen.append((parsed["jobRun"]["attempt"], parsed["jobRun"]["state"])),
    )
    mea.script_outcomes(["FAILED", "FAILED", succeeding(3)])

    result, reader = run_asset(emrs_client, app, logs, max_attempts=3)

    assert reported_attempt(result) == 3
    assert {(attempt, "RUNNING") for attempt in (1, 2, 3)} <= set(seen)
    assert seen[-1] == (3, "SUCCESS")
    assert sorted(r.log_stream.split("/")[-3:] for r in reader.log_readers.values()) == [
        ["3", "SPARK_DRIVER", "stderr"],
        ["3", "SPARK_DRIVER", "stdout"],
    ]
