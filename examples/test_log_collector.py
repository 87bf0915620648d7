"""Tests of the retry-aware log collector in log_collector.py: it reads every attempt's text."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import boto3
import pytest

import moto_emrs_attempts as mea

sys.path.insert(0, str(Path(__file__).parent))

from log_collector import collect_attempt_logs, main

ROLE = "arn:aws:iam::123456789012:role/job-role"
BUCKET = "my-emr-logs"
LOGS = f"s3://{BUCKET}/emr-logs"
MONITORING = {"s3MonitoringConfiguration": {"logUri": LOGS}}


@pytest.fixture
def s3(emrs_attempts: mea.EmrsAttempts) -> Any:
    client = boto3.client("s3", region_name="us-east-1")
    client.create_bucket(Bucket=BUCKET)
    return client


def _application(client: Any, **monitoring: Any) -> str:
    # typed clients (the `types` extra) want the clientToken that botocore would fill in
    application_id: str = client.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK", clientToken="etl", **monitoring
    )["applicationId"]
    return application_id


def test_every_attempt_of_a_retried_run_is_read_from_its_own_folder(
    emrs_attempts: mea.EmrsAttempts, s3: Any
) -> None:
    client = emrs_attempts.client()
    application_id = _application(client, monitoringConfiguration=MONITORING)
    run = emrs_attempts.seed_job_run(
        [
            mea.Attempt("FAILED", "Driver OOM"),
            mea.Attempt("FAILED", logs={"SPARK_DRIVER/stderr": "java.lang.OutOfMemoryError\n"}),
            "SUCCESS",
        ],
        application_id=application_id,
        retry_policy={"maxAttempts": 3},
    )

    logs = collect_attempt_logs(client, s3, application_id, run.job_run_id)

    base = f"{LOGS}/applications/{application_id}/jobs/{run.job_run_id}/"
    assert [(e.attempt, e.state, e.path) for e in logs] == [
        (1, "FAILED", base),
        (2, "FAILED", f"{base}attempts/2/"),
        (3, "SUCCESS", f"{base}attempts/3/"),
    ]
    assert logs[0].stderr.splitlines()[-1].endswith("Driver OOM")
    assert logs[1].stderr == "java.lang.OutOfMemoryError\n"
    assert logs[2].stdout.splitlines()[-1] == "Pi is roughly 3.141592"


def test_a_run_started_with_a_script_is_collected_the_same_way(
    emrs_attempts: mea.EmrsAttempts, s3: Any
) -> None:
    client = emrs_attempts.client()
    application_id = _application(client)
    emrs_attempts.script_outcomes(
        [mea.Attempt("FAILED", "Executor lost"), "SUCCESS"], application_id=application_id
    )
    job_run_id = client.start_job_run(
        applicationId=application_id,
        executionRoleArn=ROLE,
        jobDriver={"sparkSubmit": {"entryPoint": "s3://my-bucket/etl.py"}},
        retryPolicy={"maxAttempts": 3},
        configurationOverrides={
            "monitoringConfiguration": {"s3MonitoringConfiguration": {"logUri": LOGS}}
        },
        clientToken="etl-run",
    )["jobRunId"]

    logs = collect_attempt_logs(client, s3, application_id, job_run_id)

    assert [(e.attempt, e.state) for e in logs] == [(1, "FAILED"), (2, "SUCCESS")]
    assert logs[0].stderr.rstrip("\n").endswith("Executor lost")
    assert logs[1].path.endswith(f"/jobs/{job_run_id}/attempts/2/")


def test_a_log_uri_given_to_the_collector_wins(emrs_attempts: mea.EmrsAttempts, s3: Any) -> None:
    client = emrs_attempts.client()
    application_id = _application(client, monitoringConfiguration=MONITORING)
    run = emrs_attempts.seed_job_run(["FAILED"], application_id=application_id)

    logs = collect_attempt_logs(
        client, s3, application_id, run.job_run_id, log_uri=f"s3://{BUCKET}/elsewhere/"
    )

    assert [(e.attempt, e.stdout, e.stderr) for e in logs] == [(1, "", "")]


def test_a_run_without_s3_logs_is_refused(emrs_attempts: mea.EmrsAttempts, s3: Any) -> None:
    client = emrs_attempts.client()
    run = emrs_attempts.seed_job_run(["SUCCESS"])

    with pytest.raises(ValueError, match="writes no logs to S3"):
        collect_attempt_logs(client, s3, run.application_id, run.job_run_id)


def test_main_prints_each_attempts_last_log_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main() == 0

    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["1", "FAILED"],
        ["2", "FAILED"],
        ["3", "SUCCESS"],
    ]
    assert lines[0].endswith("ERROR SPARK_DRIVER: Driver ran out of memory")
    assert lines[1].endswith("ERROR SPARK_DRIVER: Executor lost: spot instance reclaimed")
    assert lines[2].endswith("rows written: 1204")
