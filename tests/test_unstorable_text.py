"""Text UTF-8 cannot encode (issue 19, item 1): a lone surrogate such as "\\ud800" can ride in a
JSON escape or a Python string, but no log, S3 object or state file can keep it. Every entry
point refuses it before anything is created: the API with a ValidationException naming the
member, seeds and history documents with a HistoryError naming the path. The state file's
encoder is total all the same."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any, Callable

import boto3
import pytest
import requests

import moto_emrs_attempts as mea
from moto_emrs_attempts.server.state_file import save_state

from ._server import start
from .conftest import error_of

ROLE = "arn:aws:iam::123456789012:role/job-role"
ENDPOINT = "https://emr-serverless.us-east-1.amazonaws.com"
BUCKET = "emrs-logs"
S3_LOGS = {"s3MonitoringConfiguration": {"logUri": f"s3://{BUCKET}/logs/"}}
CONSTRAINT = "Member must not contain surrogate code points (U+D800-U+DFFF)"


def refused(member: str, shown: str) -> str:
    return (
        f"1 validation error detected: Value '{shown}' at '{member}' failed to satisfy "
        f"constraint: {CONSTRAINT}"
    )


@pytest.fixture
def logged_app(emr: Any) -> str:
    """An application that writes its runs' logs to S3."""
    boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
    found: str = emr.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK", monitoringConfiguration=S3_LOGS
    )["applicationId"]
    return found


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ({"name": "etl \ud800"}, refused("name", "etl \\ud800")),
        (
            {
                "configurationOverrides": {
                    "applicationConfiguration": [
                        {"classification": "spark-defaults", "properties": {"k": "v\udc00"}}
                    ]
                }
            },
            refused(
                "configurationOverrides.applicationConfiguration.1.member.properties.k", "v\\udc00"
            ),
        ),
        (
            {"jobDriver": {"sparkSubmit": {"entryPoint": "s3://b/\ud800.py"}}},
            # a sensitive member is named without its value, as for every other constraint
            "1 validation error detected: Value at 'jobDriver.sparkSubmit.entryPoint' failed to "
            f"satisfy constraint: {CONSTRAINT}",
        ),
    ],
)
def test_start_job_run_refuses_a_surrogate_and_creates_no_run(
    emr: Any, logged_app: str, members: dict[str, Any], message: str
) -> None:
    call = {"jobDriver": {"sparkSubmit": {"entryPoint": "s3://b/job.py"}}, **members}
    assert error_of(emr.start_job_run, applicationId=logged_app, executionRoleArn=ROLE, **call) == (
        400,
        "ValidationException",
        message,
    )
    assert emr.list_job_runs(applicationId=logged_app)["jobRuns"] == []
    assert "Contents" not in boto3.client("s3", region_name="us-east-1").list_objects_v2(
        Bucket=BUCKET
    )


def test_a_json_escaped_lone_surrogate_in_a_raw_body_is_a_validation_exception(
    emrs_attempts: Any, logged_app: str
) -> None:
    # the JSON text itself: json.dumps would escape the backslash
    body = '{"clientToken":"t","executionRoleArn":"' + ROLE + '","name":"etl \\ud800"}'
    answer = requests.post(f"{ENDPOINT}/applications/{logged_app}/jobruns", data=body, timeout=30)
    assert (answer.status_code, answer.headers["x-amzn-ErrorType"]) == (400, "ValidationException")
    assert answer.json() == {"message": refused("name", "etl \\ud800")}
    assert answer.content.isascii()  # the message quotes the surrogate as an escape


@pytest.mark.parametrize(
    ("operation", "members", "member", "shown"),
    [
        (
            "create_application",
            {
                "monitoringConfiguration": {
                    "s3MonitoringConfiguration": {"logUri": "s3://b/\ud800/"}
                }
            },
            "monitoringConfiguration.s3MonitoringConfiguration.logUri",
            "s3://b/\\ud800/",
        ),
        (
            "update_application",
            {
                "monitoringConfiguration": {
                    "s3MonitoringConfiguration": {"logUri": "s3://b/\ud800/"}
                }
            },
            "monitoringConfiguration.s3MonitoringConfiguration.logUri",
            "s3://b/\\ud800/",
        ),
        (
            "update_application",
            {
                "runtimeConfiguration": [
                    {"classification": "spark-defaults", "properties": {"k": "\ud800"}}
                ]
            },
            "runtimeConfiguration.1.member.properties.k",
            "\\ud800",
        ),
    ],
)
def test_application_operations_refuse_a_surrogate_and_change_nothing(
    emr: Any, app: str, operation: str, members: dict[str, Any], member: str, shown: str
) -> None:
    before = emr.get_application(applicationId=app)["application"]
    listed = emr.list_applications()["applications"]
    if operation == "create_application":
        members = {"name": "etl", "releaseLabel": "emr-7.1.0", "type": "SPARK", **members}
    else:
        members = {"applicationId": app, **members}
    assert error_of(getattr(emr, operation), **members) == (
        400,
        "ValidationException",
        refused(member, shown),
    )
    assert emr.list_applications()["applications"] == listed
    assert emr.get_application(applicationId=app)["application"] == before


FREE_TEXT = "must not contain surrogate code points (U+D800-U+DFFF), which UTF-8 cannot encode"


@pytest.mark.parametrize(
    ("seed", "path", "problem"),
    [
        (
            lambda: mea.seed_job_run(["SUCCESS"], name="etl \ud800"),
            "name",
            CONSTRAINT,
        ),
        (
            lambda: mea.seed_job_run([{"state": "FAILED", "stateDetails": "OOM \udfff"}]),
            "attempts[0].stateDetails",
            CONSTRAINT,
        ),
        (
            lambda: mea.seed_job_run(
                [mea.Attempt("FAILED", logs={"SPARK_DRIVER/stderr": "boom \ud800\n"})]
            ),
            "attempts[0].logs.SPARK_DRIVER/stderr",
            f"{FREE_TEXT}: U+D800 at character 5",
        ),
        (
            lambda: mea.load_history(
                {
                    "version": 1,
                    "applications": [{"applicationId": "app1", "name": "etl\ud800"}],
                    "jobRuns": [],
                }
            ),
            "applications[0].name",
            f"{FREE_TEXT}: U+D800 at character 3",
        ),
        (
            lambda: mea.load_history(
                {"version": 1, "jobRuns": [{"attempts": ["SUCCESS"], "tags": {"team": "\ud800"}}]}
            ),
            "jobRuns[0].tags.team",
            "Member must satisfy regular expression pattern: [A-Za-z0-9 /_.:=+@-]*",
        ),
        (
            lambda: mea.load_history(
                {
                    "version": 1,
                    "jobRuns": [
                        {
                            "attempts": ["SUCCESS"],
                            "jobDriver": {"sparkSubmit": {"entryPoint": "s3://b/\ud800"}},
                        }
                    ],
                }
            ),
            "jobRuns[0].jobDriver.sparkSubmit.entryPoint",
            CONSTRAINT,
        ),
        (
            lambda: mea.inject_error("GetJobRun", message="Slow \ud800 down."),
            "message",
            f"{FREE_TEXT}: U+D800 at character 5",
        ),
    ],
)
def test_seeds_and_documents_refuse_a_surrogate_naming_its_path(
    emrs_attempts: Any, seed: Callable[[], Any], path: str, problem: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        seed()
    assert (caught.value.path, caught.value.problem) == (path, problem)
    assert mea.export_history()["jobRuns"] == []


def test_a_scripted_log_with_a_surrogate_is_refused(emrs_attempts: Any, app: str) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.script_outcomes(
            [{"state": "SUCCESS", "logs": {"SPARK_DRIVER/stdout": "\ud800"}}], application_id=app
        )
    assert caught.value.path == "outcomes[0].logs.SPARK_DRIVER/stdout"
    assert "script" not in json.dumps(mea.export_history())  # nothing queued


def test_posting_a_history_with_a_surrogate_is_a_400_that_leaves_no_logs(
    emrs_attempts: Any, logged_app: str
) -> None:
    logged = {"attempts": [{"state": "SUCCESS"}], "applicationId": logged_app}
    document = {"version": 1, "jobRuns": [logged, logged, {**logged, "name": "etl \ud800"}]}
    answer = requests.post(
        "http://motoapi.amazonaws.com/moto-api/emrs-attempts/history", json=document, timeout=30
    )
    assert answer.status_code == 400
    assert answer.json()["message"] == f"jobRuns[2].name: {CONSTRAINT}"
    assert mea.export_history()["jobRuns"] == []
    s3 = boto3.client("s3", region_name="us-east-1")
    assert "Contents" not in s3.list_objects_v2(Bucket=BUCKET)


def test_the_state_file_writer_never_writes_what_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    document = {"version": 1, "jobRuns": [{"attempts": ["SUCCESS"], "name": "etl \ud800"}]}
    save_state(path, document)  # no validated input holds one; the writer copes all the same
    assert json.loads(path.read_bytes().decode("utf-8"))["jobRuns"][0]["name"] == "etl \ufffd"


@pytest.mark.slow
def test_a_server_that_refused_a_surrogate_restarts_with_every_run(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    server = start("serve", "--port", "0", "--state-file", str(state))
    try:
        emr = server.client()
        app = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
        kept = emr.start_job_run(
            applicationId=app["applicationId"], executionRoleArn=ROLE, name="kept"
        )["jobRunId"]
        assert error_of(
            emr.start_job_run,
            applicationId=app["applicationId"],
            executionRoleArn=ROLE,
            name="etl \ud800",
        )[:2] == (400, "ValidationException")
        server.process.send_signal(signal.SIGTERM)
        assert server.process.wait(timeout=60) == 0, server.errors()
    finally:
        server.close()
    restarted = start("serve", "--port", "0", "--state-file", str(state))
    try:
        runs = restarted.client().list_job_runs(applicationId=app["applicationId"])["jobRuns"]
        assert [run["id"] for run in runs] == [kept]
    finally:
        restarted.close()
