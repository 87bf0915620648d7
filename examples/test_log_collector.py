"""Tests of the retry-aware log collector in log_collector.py, against scripted attempts."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import moto_emrs_attempts as mea

sys.path.insert(0, str(Path(__file__).parent))

from log_collector import collect_attempt_logs, main

ROLE = "arn:aws:iam::123456789012:role/job-role"
LOGS = "s3://my-bucket/emr-logs"


def test_every_attempt_of_a_retried_run_gets_its_own_log_folder(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    run = emrs_attempts.seed_job_run(
        ["FAILED", "FAILED", "SUCCESS"], retry_policy={"maxAttempts": 3}
    )

    logs = collect_attempt_logs(
        emrs_attempts.client(), run.application_id, run.job_run_id, log_uri=LOGS
    )

    base = f"{LOGS}/applications/{run.application_id}/jobs/{run.job_run_id}"
    assert [(e.attempt, e.state, e.path) for e in logs] == [
        (1, "FAILED", f"{base}/attempts/1/"),
        (2, "FAILED", f"{base}/attempts/2/"),
        (3, "SUCCESS", f"{base}/attempts/3/"),
    ]


def test_a_run_started_with_a_script_is_collected_the_same_way(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    # typed clients (the `types` extra) want the clientToken that botocore would fill in
    application_id = client.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK", clientToken="etl"
    )["applicationId"]
    emrs_attempts.script_outcomes(["FAILED", "SUCCESS"], application_id=application_id)
    job_run_id = client.start_job_run(
        applicationId=application_id,
        executionRoleArn=ROLE,
        jobDriver={"sparkSubmit": {"entryPoint": "s3://my-bucket/etl.py"}},
        retryPolicy={"maxAttempts": 3},
        clientToken="etl-run",
    )["jobRunId"]

    logs = collect_attempt_logs(client, application_id, job_run_id, log_uri=LOGS + "/")

    assert [(e.attempt, e.state) for e in logs] == [(1, "FAILED"), (2, "SUCCESS")]
    assert logs[1].path.endswith(f"/jobs/{job_run_id}/attempts/2/")


def test_a_run_without_retries_has_one_log_folder(emrs_attempts: mea.EmrsAttempts) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"])

    logs = collect_attempt_logs(
        emrs_attempts.client(), run.application_id, run.job_run_id, log_uri=LOGS
    )

    assert [(e.attempt, e.state) for e in logs] == [(1, "FAILED")]


def test_main_prints_one_line_per_attempt(capsys: pytest.CaptureFixture[str]) -> None:
    assert main() == 0

    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[:2] for line in lines] == [
        ["1", "FAILED"],
        ["2", "FAILED"],
        ["3", "SUCCESS"],
    ]
    assert all("/attempts/" in line for line in lines)
