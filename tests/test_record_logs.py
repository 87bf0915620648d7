"""`moto-emrs-attempts record --with-logs`: each attempt's logs, read from S3 and CloudWatch Logs."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from typing import Any

import pytest

import moto_emrs_attempts as mea

from ._server import CREDENTIALS, ServerProcess, clean_server, server
from .test_attempt_logs import (
    BUCKET,
    CLOUDWATCH,
    GROUP,
    S3_LOGS,
    folder,
    keys,
    logs_client,
    make_bucket,
    read_object,
    s3_client,
)
from .test_recorder import _record

__all__ = ["clean_server", "server"]  # fixtures


def _seed(emrs: mea.EmrsAttempts, monitoring: dict[str, Any], *attempts: Any) -> mea.SeededJobRun:
    emrs.load_history(
        {
            "version": 1,
            "applications": [{"applicationId": "00app0001", "monitoringConfiguration": monitoring}],
            "jobRuns": [
                {
                    "applicationId": "00app0001",
                    "retryPolicy": {"maxAttempts": 3},
                    "attempts": list(attempts),
                }
            ],
        }
    )
    [run] = emrs.client().list_job_runs(applicationId="00app0001")["jobRuns"]
    return mea.SeededJobRun("00app0001", run["id"], run["arn"], len(attempts))


def test_with_logs_records_every_attempts_s3_logs_as_they_are(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        make_bucket()
        run = _seed(
            emrs,
            S3_LOGS,
            {
                "state": "FAILED",
                "logs": {"SPARK_DRIVER/stderr": "boom\n", "SPARK_EXECUTOR/3/stdout": b"\xff"},
            },
            "SUCCESS",
        )
        written = {
            key: read_object(key) if not key.endswith("3/stdout.gz") else None for key in keys()
        }

        status, out, err = _record(
            capsys, "--application-id", "00app0001", "--region", "us-east-1", "--with-logs"
        )

    assert (status, err) == (0, "")
    attempts = json.loads(out)["jobRuns"][0]["attempts"]
    first = f"emr/{folder('00app0001', run.job_run_id)}"
    assert attempts[0]["logs"] == {
        "SPARK_DRIVER/stderr": "boom\n",
        "SPARK_DRIVER/stdout": written[f"{first}SPARK_DRIVER/stdout.gz"],
        "SPARK_EXECUTOR/3/stdout": {"base64": "/w=="},
    }
    second = f"emr/{folder('00app0001', run.job_run_id, 2)}"
    assert attempts[1]["logs"] == {
        "SPARK_DRIVER/stderr": written[f"{second}SPARK_DRIVER/stderr.gz"],
        "SPARK_DRIVER/stdout": written[f"{second}SPARK_DRIVER/stdout.gz"],
    }


def test_a_recording_with_logs_replays_the_same_objects(capsys: pytest.CaptureFixture[str]) -> None:
    with mea.mock_emrs_attempts() as emrs:
        make_bucket()
        _seed(emrs, S3_LOGS, "FAILED", "FAILED", "SUCCESS")
        before = {key: read_object(key) for key in keys()}
        status, out, _ = _record(
            capsys, "--application-id", "00app0001", "--region", "us-east-1", "--with-logs"
        )
    assert status == 0

    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(json.loads(out))

        assert {key: read_object(key) for key in keys()} == before


def test_with_logs_reads_cloudwatch_where_only_cloudwatch_has_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        _seed(emrs, CLOUDWATCH, {"state": "SUCCESS", "logs": {"SPARK_DRIVER/stdout": "a\n\nb\n"}})

        status, out, _ = _record(
            capsys, "--application-id", "00app0001", "--region", "us-east-1", "--with-logs"
        )

    assert status == 0
    logs = json.loads(out)["jobRuns"][0]["attempts"][0]["logs"]
    assert logs["SPARK_DRIVER/stdout"] == "a\nb\n"  # CloudWatch keeps no empty event
    assert logs["SPARK_DRIVER/stderr"].endswith(
        "INFO SparkContext: Successfully stopped SparkContext\n"
    )


def test_without_with_logs_no_logs_are_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    with mea.mock_emrs_attempts() as emrs:
        make_bucket()
        _seed(emrs, S3_LOGS, "SUCCESS")

        status, out, _ = _record(capsys, "--application-id", "00app0001", "--region", "us-east-1")

    assert status == 0
    assert "logs" not in json.loads(out)["jobRuns"][0]["attempts"][0]


def test_a_log_above_the_limit_is_cut_and_said_on_stderr(
    capsys: pytest.CaptureFixture[str],
) -> None:
    big = "x" * (1024 * 1024 + 10)
    with mea.mock_emrs_attempts() as emrs:
        make_bucket()
        run = _seed(emrs, S3_LOGS, {"state": "SUCCESS", "logs": {"SPARK_DRIVER/stdout": big}})

        status, out, err = _record(
            capsys, "--application-id", "00app0001", "--region", "us-east-1", "--with-logs"
        )

    assert status == 0
    assert (
        json.loads(out)["jobRuns"][0]["attempts"][0]["logs"]["SPARK_DRIVER/stdout"]
        == big[: 1024 * 1024]
    )
    assert err == (
        f"record: attempt 1 of job run {run.job_run_id}: SPARK_DRIVER/stdout.gz: "
        "1048577 bytes or more; recording the first 1048576\n"
    )


def test_logs_that_cannot_be_read_are_said_on_stderr_and_the_recording_goes_on(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        make_bucket()
        run = _seed(emrs, S3_LOGS, "SUCCESS")
        s3 = s3_client()
        for key in keys():
            s3.delete_object(Bucket=BUCKET, Key=key)
        s3.delete_bucket(Bucket=BUCKET)

        status, out, err = _record(
            capsys, "--application-id", "00app0001", "--region", "us-east-1", "--with-logs"
        )

    assert status == 0
    assert "logs" not in json.loads(out)["jobRuns"][0]["attempts"][0]
    assert err.startswith(
        f"record: cannot read the logs of attempt 1 of job run {run.job_run_id} from "
        f"s3://{BUCKET}/emr/{folder('00app0001', run.job_run_id)}: An error occurred (NoSuchBucket)"
    )


def test_with_logs_reads_a_server_end_to_end(clean_server: ServerProcess) -> None:
    clean_server.client("s3").create_bucket(Bucket=BUCKET)
    clean_server.seed(
        {
            "version": 1,
            "applications": [{"applicationId": "00app0001", "monitoringConfiguration": S3_LOGS}],
            "jobRuns": [{"applicationId": "00app0001", "attempts": [{"state": "SUCCESS", "logs": {"SPARK_DRIVER/stdout": "hi\n"}}]}],
        }
    )  # fmt: skip

    done = subprocess.run(
        [sys.executable, "-m", "moto_emrs_attempts", "record", "--application-id", "00app0001",
         "--region", "us-east-1", "--endpoint-url", clean_server.url, "--with-logs"],
        capture_output=True, text=True, timeout=120, env={**CREDENTIALS, "PATH": "/usr/bin:/bin"},
    )  # fmt: skip

    assert (done.returncode, done.stderr) == (0, "")
    logs = json.loads(done.stdout)["jobRuns"][0]["attempts"][0]["logs"]
    assert logs["SPARK_DRIVER/stdout"] == "hi\n"


# -- every page, and text that no UTF-8 holds ---------------------------------------------------


def _with_logs(capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return _record(capsys, "--application-id", "00app0001", "--region", "us-east-1", "--with-logs")


def _put_stream(stream: str, *messages: str) -> None:
    logs = logs_client()
    logs.create_log_stream(logGroupName=GROUP, logStreamName=stream)
    now = int(time.time() * 1000)  # moto refuses events older than 14 days
    events = [{"timestamp": now, "message": message} for message in messages]
    logs.put_log_events(logGroupName=GROUP, logStreamName=stream, logEvents=events)


def test_with_logs_reads_every_page_of_an_attempts_log_streams(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        run = _seed(emrs, CLOUDWATCH, "SUCCESS")
        for worker in range(60):  # with the driver's two: 62 streams, past one page of 50
            _put_stream(
                f"/{folder('00app0001', run.job_run_id)}SPARK_EXECUTOR/{worker}/stdout", "x"
            )

        status, out, err = _with_logs(capsys)

    assert (status, err) == (0, "")
    logs = json.loads(out)["jobRuns"][0]["attempts"][0]["logs"]
    assert len(logs) == 62
    assert logs["SPARK_EXECUTOR/59/stdout"] == "x\n"


def test_with_logs_reads_every_page_of_the_s3_listing_and_says_the_exact_count(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        make_bucket()
        run = _seed(emrs, S3_LOGS, "SUCCESS")
        s3 = s3_client()
        base = f"emr/{folder('00app0001', run.job_run_id)}"
        for worker in range(1000, 1200):  # with the driver's two: 202 objects, past 128
            s3.put_object(Bucket=BUCKET, Key=f"{base}SPARK_EXECUTOR/{worker}/stdout.gz", Body=b"")

        status, out, err = _with_logs(capsys)

    assert status == 0
    assert err == (
        f"record: attempt 1 of job run {run.job_run_id}: 202 logs; recording the first 64\n"
    )
    logs = json.loads(out)["jobRuns"][0]["attempts"][0]["logs"]
    assert sorted(logs) == sorted(
        [f"SPARK_EXECUTOR/{worker}/stdout" for worker in range(1000, 1062)]
        + ["SPARK_DRIVER/stderr", "SPARK_DRIVER/stdout"]
    )


def test_a_lone_surrogate_in_an_event_is_recorded_as_a_replacement_character_and_said(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        run = _seed(emrs, CLOUDWATCH, "SUCCESS")
        _put_stream(f"/{folder('00app0001', run.job_run_id)}SPARK_EXECUTOR/1/stderr", "a\ud800b")

        status, out, err = _with_logs(capsys)

    assert status == 0
    assert err == (
        f"record: attempt 1 of job run {run.job_run_id}: SPARK_EXECUTOR/1/stderr: "
        "1 lone UTF-16 surrogate; recorded as U+FFFD\n"
    )
    document = json.loads(out)
    assert document["jobRuns"][0]["attempts"][0]["logs"]["SPARK_EXECUTOR/1/stderr"] == "a\ufffdb\n"
    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(document)  # the recording replays
