"""dagster-aws's PipesEMRServerlessClient against the plugin.

(No `from __future__ import annotations`: dagster reads the asset's `context` annotation.)
"""

import json
import time
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
CLOSED = json.dumps({"__dagster_pipes_version": "0.1", "method": "closed", "params": {}})


@pytest.fixture
def manual() -> Iterator[None]:
    state_manager.set_transition(MODEL, {"progression": "manual", "times": 1})
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
    client.create_log_group(logGroupName=LOG_GROUP)
    # dagster-aws tails CloudWatch without pausing: AWS's latency, or its threads starve the run.
    client.meta.events.register(
        "before-call.cloudwatch-logs.GetLogEvents", lambda **_: time.sleep(0.01)
    )
    return client


def driver_streams(logs: Any, attempts: range) -> Any:
    """A StartJobRun hook that creates the driver's log streams of the given attempts, each
    stdout ending with Pipes' `closed` message (so that the reader stops at once)."""

    def create(parsed: dict[str, Any], **_: Any) -> None:
        jobs = f"{PREFIX}/applications/{parsed['applicationId']}/jobs/{parsed['jobRunId']}"
        for attempt in attempts:
            driver = f"{jobs}/attempts/{attempt}" if attempt > 1 else jobs
            for name in ("stdout", "stderr"):
                stream = f"{driver}/SPARK_DRIVER/{name}"
                logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=stream)
            logs.put_log_events(
                logGroupName=LOG_GROUP,
                logStreamName=f"{driver}/SPARK_DRIVER/stdout",
                logEvents=[{"timestamp": int(time.time() * 1000), "message": CLOSED}],
            )

    return create


def run_asset(emrs_client: Any, app: str, logs: Any, max_attempts: int) -> tuple[Any, Any]:
    """Materialize an asset that runs one EMR Serverless job through Pipes."""
    reader = PipesCloudWatchMessageReader(client=logs)
    pipes = PipesEMRServerlessClient(client=emrs_client, message_reader=reader, poll_interval=0)
    logging = {
        "enabled": True,
        "logGroupName": LOG_GROUP,
        "logStreamNamePrefix": PREFIX,
    }

    @dg.asset
    def etl(context: dg.AssetExecutionContext) -> Any:
        params: Any = {
            "applicationId": app,
            "executionRoleArn": "arn:aws:iam::123456789012:role/job-role",
            "clientToken": "etl",
            "jobDriver": {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}},
            "retryPolicy": {"maxAttempts": max_attempts},
            "configurationOverrides": {
                "monitoringConfiguration": {"cloudWatchLoggingConfiguration": logging}
            },
        }
        return pipes.run(context=context, start_job_run_params=params).get_materialize_result()

    return dg.materialize([etl], raise_on_error=False), reader


def job_run_id(emrs_client: Any, app: str) -> str:
    [run] = emrs_client.list_job_runs(applicationId=app)["jobRuns"]
    identifier: str = run["id"]
    return identifier


def test_the_log_reader_follows_the_group_prefix_and_types_of_the_job_run(
    emrs_client: Any, app: str, logs: Any
) -> None:
    emrs_client.meta.events.register(
        "after-call.emr-serverless.StartJobRun", driver_streams(logs, range(1, 4))
    )
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])

    result, reader = run_asset(emrs_client, app, logs, max_attempts=3)

    assert result.success
    jobs = f"{PREFIX}/applications/{app}/jobs/{job_run_id(emrs_client, app)}"
    assert sorted((r.log_group, r.log_stream) for r in reader.log_readers.values()) == [
        (LOG_GROUP, f"{jobs}/attempts/3/SPARK_DRIVER/stderr"),
        (LOG_GROUP, f"{jobs}/attempts/3/SPARK_DRIVER/stdout"),
    ]


def test_a_run_that_succeeds_on_its_first_attempt_reads_the_streams_without_attempts(
    emrs_client: Any, app: str, logs: Any
) -> None:
    emrs_client.meta.events.register(
        "after-call.emr-serverless.StartJobRun", driver_streams(logs, range(1, 2))
    )

    result, reader = run_asset(emrs_client, app, logs, max_attempts=3)

    assert result.success
    jobs = f"{PREFIX}/applications/{app}/jobs/{job_run_id(emrs_client, app)}"
    assert sorted(r.log_stream for r in reader.log_readers.values()) == [
        f"{jobs}/SPARK_DRIVER/stderr",
        f"{jobs}/SPARK_DRIVER/stdout",
    ]


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
    emrs_client.meta.events.register(
        "after-call.emr-serverless.StartJobRun", driver_streams(logs, range(1, 4))
    )
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])

    result, reader = run_asset(emrs_client, app, logs, max_attempts=3)

    assert result.success
    assert {(attempt, "RUNNING") for attempt in (1, 2, 3)} <= set(seen)
    assert seen[-1] == (3, "SUCCESS")
    assert sorted(r.log_stream.split("/")[-3:] for r in reader.log_readers.values()) == [
        ["3", "SPARK_DRIVER", "stderr"],
        ["3", "SPARK_DRIVER", "stdout"],
    ]
