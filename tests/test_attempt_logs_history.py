"""Attempt logs in history documents, export and load, the state file and the server (SPEC 11)."""

from __future__ import annotations

import base64
import gzip
import signal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import moto_emrs_attempts as mea
from moto_emrs_attempts.history import document as history

from ._server import ServerProcess, clean_server, server, start
from .test_attempt_logs import BUCKET, S3_LOGS, folder, keys, make_bucket, read_object

__all__ = ["clean_server", "server"]  # fixtures

MONITORED_APP = {"applicationId": "00app0001", "monitoringConfiguration": S3_LOGS}


def document(*attempts: Any, **run: Any) -> dict[str, Any]:
    return {
        "version": 1,
        "applications": [MONITORED_APP],
        "jobRuns": [{"applicationId": "00app0001", "attempts": list(attempts), **run}],
    }


def test_export_carries_the_logs_that_were_given_and_bytes_as_base64(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    run = emrs_attempts.seed_job_run(
        [
            mea.Attempt("FAILED", logs={"SPARK_DRIVER/stderr": "boom\n"}),
            mea.Attempt("SUCCESS", logs={"SPARK_DRIVER/stdout": b"\x00\x01"}),
        ],
        retry_policy={"maxAttempts": 2},
    )

    [job_run] = emrs_attempts.export_history()["jobRuns"]
    assert job_run["jobRunId"] == run.job_run_id
    assert [a.get("logs") for a in job_run["attempts"]] == [
        {"SPARK_DRIVER/stderr": "boom\n"},
        {"SPARK_DRIVER/stdout": {"base64": base64.b64encode(b"\x00\x01").decode()}},
    ]


def test_export_leaves_made_up_logs_out(emrs_attempts: mea.EmrsAttempts) -> None:
    emrs_attempts.load_history(document("FAILED"))

    [job_run] = emrs_attempts.export_history()["jobRuns"]
    assert "logs" not in job_run["attempts"][0]
    assert keys() != []  # they were written all the same


def test_an_exported_document_with_logs_satisfies_the_schema(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    emrs_attempts.load_history(
        document({"state": "SUCCESS", "logs": {"SPARK_DRIVER/stdout": {"base64": "AAE="}}})
    )

    jsonschema.validate(emrs_attempts.export_history(), history.schema())


def test_logs_survive_export_and_load_into_a_fresh_mock() -> None:
    with mea.mock_emrs_attempts() as emrs:
        make_bucket()
        emrs.load_history(
            document(
                {"state": "FAILED", "stateDetails": "OOM", "logs": {"SPARK_DRIVER/stdout": "a\n"}},
                "SUCCESS",
                retryPolicy={"maxAttempts": 2},
            )
        )
        exported = emrs.export_history()
        before = {key: read_object(key) for key in keys()}
    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(exported)  # the bucket is gone: loading creates it

        assert {key: read_object(key) for key in keys()} == before
        assert emrs.export_history() == exported
        application = emrs.client().get_application(applicationId="00app0001")["application"]
        assert application["monitoringConfiguration"] == S3_LOGS


@pytest.mark.parametrize(
    ("logs", "message"),
    [
        pytest.param({"SPARK_DRIVER/stdout": {"base64": "!!"}}, "jobRuns[0].attempts[0].logs.SPARK_DRIVER/stdout.base64: is not base64 text", id="bad base64"),
        pytest.param({"SPARK_DRIVER/stdout": {"text": "x"}}, 'jobRuns[0].attempts[0].logs.SPARK_DRIVER/stdout: bytes are written {"base64": "<base64 text>"}, and nothing else', id="another member"),
        pytest.param({"SPARK_DRIVER/stdout": 1}, 'jobRuns[0].attempts[0].logs.SPARK_DRIVER/stdout: must be a string or {"base64": ...}, not 1', id="a number"),
        pytest.param({"driver": "x"}, "jobRuns[0].attempts[0].logs: 'driver' is not a log name; use a driver's such as 'SPARK_DRIVER/stdout' or 'HIVE_DRIVER/stderr', or a worker's such as 'SPARK_EXECUTOR/1/stdout' (log types: stdout, stderr, hive_log, tez_am, system_logs)", id="a name"),
        pytest.param("x", "jobRuns[0].attempts[0].logs: must be an object of log names to their text, not 'x'", id="not an object"),
    ],
)  # fmt: skip
def test_bad_logs_in_a_document_name_their_path_and_seed_nothing(
    emrs_attempts: mea.EmrsAttempts, logs: Any, message: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(document({"state": "SUCCESS", "logs": logs}))

    assert str(caught.value) == message
    assert emrs_attempts.export_history()["jobRuns"] == []


def test_a_bad_monitoring_configuration_in_a_document_names_its_path(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    bad = {**MONITORED_APP, "monitoringConfiguration": {"s3MonitoringConfiguration": {"logUri": 1}}}

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history({"version": 1, "applications": [bad], "jobRuns": []})

    assert str(caught.value).startswith(
        "applications[0].monitoringConfiguration.s3MonitoringConfiguration.logUri: "
    )


# -- over HTTP ---------------------------------------------------------------------------------


def test_the_server_writes_logs_into_its_own_s3_and_cloudwatch(clean_server: ServerProcess) -> None:
    s3 = clean_server.client("s3")
    s3.create_bucket(Bucket=BUCKET)
    emr = clean_server.client()
    app = emr.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK", clientToken="a",
        monitoringConfiguration={**S3_LOGS, "cloudWatchLoggingConfiguration": {"enabled": True}},
    )["applicationId"]  # fmt: skip
    assert clean_server.post(
        "/moto-api/emrs-attempts/scripts",
        {"outcomes": [{"state": "FAILED", "logs": {"SPARK_DRIVER/stderr": "boom\n"}}, "SUCCESS"]},
    ).ok
    run = emr.start_job_run(
        applicationId=app,
        executionRoleArn="arn:aws:iam::123456789012:role/job-role",
        clientToken="r",
        retryPolicy={"maxAttempts": 2},
    )["jobRunId"]

    body = s3.get_object(Bucket=BUCKET, Key=f"emr/{folder(app, run)}SPARK_DRIVER/stderr.gz")["Body"]
    assert gzip.decompress(body.read()) == b"boom\n"
    logs = clean_server.client("logs")
    stream = f"/{folder(app, run, 2)}SPARK_DRIVER/stdout"
    events = logs.get_log_events(logGroupName="/aws/emr-serverless", logStreamName=stream)
    assert events["events"][-1]["message"] == "Pi is roughly 3.141592"


@pytest.mark.slow
def test_a_restart_on_the_state_file_writes_the_logs_again(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    first = start("serve", "--port", "0", "--state-file", str(state))
    try:
        first.seed(document({"state": "SUCCESS", "logs": {"SPARK_DRIVER/stdout": "kept\n"}}))
        first.process.send_signal(signal.SIGTERM)
        first.process.wait(timeout=60)
    finally:
        first.close()
    second = start("serve", "--port", "0", "--state-file", str(state))
    try:
        emr = second.client()
        [run] = emr.list_job_runs(applicationId="00app0001")["jobRuns"]
        key = f"emr/{folder('00app0001', run['id'])}SPARK_DRIVER/stdout.gz"
        body = second.client("s3").get_object(Bucket=BUCKET, Key=key)["Body"].read()
        assert gzip.decompress(body) == b"kept\n"
    finally:
        second.close()
