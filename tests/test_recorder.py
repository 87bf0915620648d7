"""`moto-emrs-attempts record`: a recording replays with the same answers; every failure is one line.

In-process, the recorder reads the mock through `cli.main`; end to end, `python -m
moto_emrs_attempts record` reads a server in a subprocess, and the document it writes is loaded
into a fresh mock, which must answer ListJobRunAttempts, GetJobRun (every attempt) and
ListJobRuns as the server did.
"""

from __future__ import annotations

import json
import os
import pty
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.config import Config

import moto_emrs_attempts as mea
from moto_emrs_attempts import cli

from ._server import ServerProcess, clean_server, server

__all__ = ["clean_server", "server"]  # fixtures

PROG = "moto-emrs-attempts record"
ROLE = "arn:aws:iam::123456789012:role/job-role"
SPARK = {"sparkSubmit": {"entryPoint": "s3://bucket/job.py", "entryPointArguments": ["--day", "1"]}}


def _record(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    """Run `moto-emrs-attempts record` in-process: exit status, stdout, stderr."""
    try:
        status = cli.main(["record", *arguments])
    except SystemExit as exit:
        status = exit.code if isinstance(exit.code, int) else 1
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _answers(client: Any, application_id: str) -> dict[str, Any]:
    """What an endpoint answers about an application's job runs: ListJobRuns, every page of
    ListJobRunAttempts (one attempt a page) and GetJobRun for every attempt."""
    runs = [
        run
        for page in client.get_paginator("list_job_runs").paginate(applicationId=application_id)
        for run in page["jobRuns"]
    ]
    answers: dict[str, Any] = {"ListJobRuns": sorted(runs, key=lambda run: run["id"])}
    for run in runs:
        pages = client.get_paginator("list_job_run_attempts").paginate(
            applicationId=application_id,
            jobRunId=run["id"],
            PaginationConfig={"PageSize": 1},
        )
        attempts = [page["jobRunAttempts"] for page in pages]
        answers[run["id"]] = {
            "ListJobRunAttempts": attempts,
            "GetJobRun": [
                client.get_job_run(
                    applicationId=application_id, jobRunId=run["id"], attempt=attempt
                )["jobRun"]
                for attempt in range(1, len(attempts) + 1)
            ],
        }
    return answers


def _seed_nightly(emrs: mea.EmrsAttempts) -> mea.SeededJobRun:
    """An application with a seeded retried run and a StartJobRun'd run with every member."""
    nightly = emrs.seed_job_run(
        [
            {"state": "FAILED", "stateDetails": "Driver OOM"},
            {"state": "FAILED", "stateDetails": "Executor lost"},
            "SUCCESS",
        ],
        name="nightly-etl",
        retry_policy={"maxAttempts": 3},
    )
    emrs.script_outcomes(["FAILED", "SUCCESS"])
    emrs.client().start_job_run(
        applicationId=nightly.application_id,
        executionRoleArn=ROLE,
        jobDriver=SPARK,
        name="backfill",
        retryPolicy={"maxAttempts": 2},
        tags={"team": "data"},
        executionTimeoutMinutes=90,
    )
    return nightly


# -- in-process, under the mock ----------------------------------------------------------


def test_a_recording_is_the_export_of_the_application(capsys: pytest.CaptureFixture[str]) -> None:
    with mea.mock_emrs_attempts() as emrs:
        nightly = _seed_nightly(emrs)

        status, out, err = _record(
            capsys, "--application-id", nightly.application_id, "--region", "us-east-1"
        )

        assert (status, err) == (0, "")
        assert json.loads(out) == emrs.export_history()


def _seed_out_of_order(emrs: mea.EmrsAttempts) -> tuple[str, list[str]]:
    """A started run, then a seeded run older than it and one newer: return the application's
    id and the runs' ids in ListJobRuns' order (newest first)."""
    client = emrs.client()
    application_id = emrs.seed_job_run(name="first").application_id
    started = client.start_job_run(applicationId=application_id, executionRoleArn=ROLE)["jobRunId"]
    older = emrs.seed_job_run(
        [mea.Attempt("SUCCESS", created_at=datetime(2020, 1, 1))], application_id=application_id
    )
    newer = emrs.seed_job_run(
        [mea.Attempt("SUCCESS", created_at=datetime(2099, 1, 1))], application_id=application_id
    )
    listed = [run["id"] for run in client.list_job_runs(applicationId=application_id)["jobRuns"]]
    assert listed[:2] == [newer.job_run_id, started] and older.job_run_id in listed
    return application_id, listed


def test_a_recording_and_an_export_list_job_runs_as_list_job_runs_does(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        application_id, listed = _seed_out_of_order(emrs)

        status, out, err = _record(
            capsys, "--application-id", application_id, "--region", "us-east-1"
        )

        assert (status, err) == (0, "")
        recorded, exported = json.loads(out), emrs.export_history()
        assert recorded == exported
        assert [run["jobRunId"] for run in recorded["jobRuns"]] == listed


def test_a_recording_replays_with_the_same_answers(capsys: pytest.CaptureFixture[str]) -> None:
    with mea.mock_emrs_attempts() as emrs:
        nightly = _seed_nightly(emrs)
        before = _answers(emrs.client(), nightly.application_id)
        status, out, _ = _record(
            capsys, "--application-id", nightly.application_id, "--region", "us-east-1"
        )
    assert status == 0

    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(json.loads(out))

        assert _answers(emrs.client(), nightly.application_id) == before


def test_named_job_runs_are_recorded_once_each_in_the_order_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        first = emrs.seed_job_run(["SUCCESS"])
        second = emrs.seed_job_run(["FAILED"], application_id=first.application_id)
        emrs.seed_job_run(["SUCCESS"], application_id=first.application_id)
        named = [second.job_run_id, first.job_run_id, second.job_run_id]

        status, out, _ = _record(
            capsys,
            "--application-id",
            first.application_id,
            "--region",
            "us-east-1",
            *(f"--job-run-id={job_run_id}" for job_run_id in named),
        )

    assert status == 0
    recorded = [run["jobRunId"] for run in json.loads(out)["jobRuns"]]
    assert recorded == [second.job_run_id, first.job_run_id]


def test_an_application_without_job_runs_records_an_empty_history(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        application = emrs.client().create_application(
            name="empty", releaseLabel="emr-7.1.0", type="SPARK"
        )

        status, out, _ = _record(
            capsys, "--application-id", application["applicationId"], "--region", "us-east-1"
        )

        assert status == 0
        assert json.loads(out)["jobRuns"] == []
        assert json.loads(out) == emrs.export_history()


def test_output_goes_to_the_file_and_nothing_to_the_terminal(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        run = emrs.seed_job_run(["FAILED", "SUCCESS"])

        status, out, err = _record(
            capsys,
            "--application-id",
            run.application_id,
            "--region",
            "us-east-1",
            "-o",
            str(tmp_path / "run.json"),
        )

        assert (status, out, err) == (0, "", "")
        document = json.loads((tmp_path / "run.json").read_text())
        assert document == emrs.export_history()


def test_a_recording_of_another_region_and_account_names_them(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111111111111")
    with mea.mock_emrs_attempts() as emrs:
        run = emrs.seed_job_run(["SUCCESS"], region_name="eu-west-1", account_id="111111111111")

        status, out, _ = _record(
            capsys, "--application-id", run.application_id, "--region", "eu-west-1"
        )

        assert status == 0
        document = json.loads(out)
        assert (document["region"], document["account"]) == ("eu-west-1", "111111111111")
        assert document == emrs.export_history(region_name="eu-west-1", account_id="111111111111")


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ["--application-id", "nosuchapp", "--region", "us-east-1"],
            "Not found in https://emr-serverless.us-east-1.amazonaws.com: "
            "Application nosuchapp does not exist",
        ),
        (
            ["--application-id", "{app}", "--job-run-id", "nosuchrun", "--region", "us-east-1"],
            "Not found in https://emr-serverless.us-east-1.amazonaws.com: "
            "Job run nosuchrun does not exist",
        ),
        (
            ["--application-id", "{app}", "--region", "mars-1"],
            "--region 'mars-1' is not a region EMR Serverless serves.",
        ),
        (
            ["--application-id", "{app}", "--region", "us-east-1", "--profile", "nosuchprofile"],
            "The config profile (nosuchprofile) could not be found.",
        ),
        (
            ["--application-id", "{app}", "--region", "us-east-1", "--endpoint-url", "notaurl"],
            "Invalid endpoint: notaurl.",
        ),
        (
            ["--application-id", "{app}", "--region", "us-east-1", "-o", "/nonexistent/run.json"],
            "Cannot write /nonexistent/run.json: No such file or directory.",
        ),
    ],
    ids=[
        "unknown application",
        "unknown job run",
        "bad region",
        "unknown profile",
        "bad endpoint",
        "unwritable output",
    ],
)
def test_a_failure_is_one_line_and_exit_status_1(
    capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        run = emrs.seed_job_run(["SUCCESS"])
        filled = [argument.replace("{app}", run.application_id) for argument in arguments]

        status, out, err = _record(capsys, *filled)

    assert (status, out) == (1, "")
    assert err == f"{PROG}: {message}\n"


def test_no_region_is_one_line_and_exit_status_1(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    with mea.mock_emrs_attempts():
        for name in ("AWS_DEFAULT_REGION", "AWS_REGION"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))

        status, out, err = _record(capsys, "--application-id", "someapp")

    assert (status, out) == (1, "")
    assert err == f"{PROG}: Name a region: pass --region or set AWS_DEFAULT_REGION.\n"


# -- end to end, against a server in a subprocess ---------------------------------------------


def _environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    """No AWS settings from the user's environment or files; credentials only when given."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        **extra,
    )
    return env


CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def _run(
    tmp_path: Path, *arguments: str, credentials: bool = True
) -> subprocess.CompletedProcess[str]:
    env = _environment(tmp_path, **(CREDENTIALS if credentials else {}))
    return subprocess.run(
        [sys.executable, "-m", "moto_emrs_attempts", "record", *arguments],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def _record_from(
    tmp_path: Path,
    endpoint: str,
    application_id: str,
    *extra: str,
    region: str = "us-east-1",
    credentials: bool = True,
) -> subprocess.CompletedProcess[str]:
    """`record` one application from an endpoint, in a subprocess."""
    arguments = ["--application-id", application_id, "--endpoint-url", endpoint]
    return _run(tmp_path, *arguments, "--region", region, *extra, credentials=credentials)


def _seed_on_server(server: ServerProcess) -> str:
    """Two job runs of one application on the server; return the application's id."""
    runs = server.seed(
        {
            "version": 1,
            "jobRuns": [
                {
                    "name": "nightly-etl",
                    "retryPolicy": {"maxAttempts": 3},
                    "attempts": [
                        {"state": "FAILED", "stateDetails": "Driver OOM"},
                        {"state": "FAILED", "stateDetails": "Executor lost"},
                        {"state": "SUCCESS"},
                    ],
                }
            ],
        }
    )
    application_id: str = runs[0]["applicationId"]
    assert server.post("/moto-api/emrs-attempts/scripts", {"outcomes": ["FAILED"]}).ok
    server.client().start_job_run(
        applicationId=application_id,
        executionRoleArn=ROLE,
        jobDriver=SPARK,
        mode="STREAMING",
        retryPolicy={"maxFailedAttemptsPerHour": 2},
        tags={"team": "data"},
    )
    return application_id


@pytest.mark.slow
def test_a_recording_of_a_server_replays_in_process_with_the_servers_answers(
    clean_server: ServerProcess, tmp_path: Path
) -> None:
    application_id = _seed_on_server(clean_server)
    on_server = _answers(clean_server.client(), application_id)
    output = tmp_path / "recorded.json"

    done = _record_from(tmp_path, clean_server.url, application_id, "-o", str(output))

    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(output)
        assert _answers(emrs.client(), application_id) == on_server


@pytest.mark.slow
def test_a_recording_of_a_server_is_its_export(clean_server: ServerProcess, tmp_path: Path) -> None:
    application_id = _seed_on_server(clean_server)

    done = _record_from(tmp_path, clean_server.url, application_id)

    assert (done.returncode, done.stderr) == (0, "")
    exported = clean_server.get("/moto-api/emrs-attempts/history", headers={}).json()
    assert json.loads(done.stdout) == exported


@pytest.mark.slow
def test_a_recording_of_a_server_is_its_export_whatever_order_runs_were_made_in(
    clean_server: ServerProcess, tmp_path: Path
) -> None:
    application_id = _seed_on_server(clean_server)
    clean_server.seed(
        {"version": 1, "jobRuns": [{"applicationId": application_id, "createdAt": "2020-01-01T00:00:00Z", "attempts": ["SUCCESS"]}]}
    )  # fmt: skip

    done = _record_from(tmp_path, clean_server.url, application_id)

    assert (done.returncode, done.stderr) == (0, "")
    exported = clean_server.get("/moto-api/emrs-attempts/history", headers={}).json()
    assert json.loads(done.stdout) == exported
    listed = clean_server.client().list_job_runs(applicationId=application_id)["jobRuns"]
    assert [run["jobRunId"] for run in exported["jobRuns"]] == [run["id"] for run in listed]


@pytest.mark.slow
def test_progress_shows_on_stderr_when_it_is_a_terminal(
    clean_server: ServerProcess, tmp_path: Path
) -> None:
    application_id = _seed_on_server(clean_server)
    controller, terminal = pty.openpty()
    try:
        arguments = ["--application-id", application_id, "--endpoint-url", clean_server.url]
        arguments += ["--region", "us-east-1", "-o", str(tmp_path / "out.json")]
        process = subprocess.Popen(
            [sys.executable, "-m", "moto_emrs_attempts", "record", *arguments],
            stdout=subprocess.DEVNULL,
            stderr=terminal,
            env=_environment(tmp_path, **CREDENTIALS),
        )
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(timeout=120) == 0
    finally:
        os.close(controller)

    text = shown.decode().replace("\r\n", "\n")
    assert text.endswith("\rrecorded 2 job runs, 5 attempts\n"), text
    assert "\rrecorded 0 job runs, 1 attempts" in text


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _fault(server: ServerProcess, error: str) -> None:
    response = server.post(
        "/moto-api/emrs-attempts/faults",
        {
            "operation": "ListJobRuns",
            "error": error,
            "times": 1000,
            "message": f"Denied by {error}",
        },
    )
    assert response.status_code == 200, response.text


@pytest.mark.slow
@pytest.mark.parametrize(
    ("case", "message"),
    [
        (
            "no credentials",
            "No AWS credentials found (Unable to locate credentials); configure them "
            "(aws configure, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) or pass --profile.",
        ),
        ("unknown application", "Not found in {url}: Application nosuchapp does not exist"),
        (
            "unreachable endpoint",
            "Cannot reach the endpoint {closed}: Could not connect to the endpoint URL: "
            '"{closed}/applications/{app}".',
        ),
        ("access denied", "Access denied: Denied by AccessDeniedException"),
        (
            "throttling that does not clear",
            "Still throttled after 4 tries (Denied by ThrottlingException); try again later.",
        ),
        ("bad region", "--region 'moon-1' is not a region EMR Serverless serves."),
    ],
)
def test_a_failure_against_an_endpoint_is_one_line_and_exit_status_1(
    clean_server: ServerProcess, tmp_path: Path, case: str, message: str
) -> None:
    application_id = _seed_on_server(clean_server)
    endpoint, region, credentials = clean_server.url, "us-east-1", True
    if case == "no credentials":
        credentials = False
    elif case == "unknown application":
        application_id = "nosuchapp"
    elif case == "unreachable endpoint":
        endpoint = f"http://127.0.0.1:{_closed_port()}"
    elif case == "access denied":
        _fault(clean_server, "AccessDeniedException")
    elif case == "throttling that does not clear":
        _fault(clean_server, "ThrottlingException")
    elif case == "bad region":
        region = "moon-1"

    done = _record_from(tmp_path, endpoint, application_id, region=region, credentials=credentials)

    expected = message.format(url=clean_server.url, closed=endpoint, app=application_id)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"python -m moto_emrs_attempts record: {expected}\n"


@pytest.mark.slow
def test_throttling_that_clears_is_retried_and_the_recording_completes(
    clean_server: ServerProcess, tmp_path: Path
) -> None:
    application_id = _seed_on_server(clean_server)
    response = clean_server.post(
        "/moto-api/emrs-attempts/faults",
        {"operation": "ListJobRunAttempts", "error": "ThrottlingException", "times": 2},
    )
    assert response.status_code == 200

    done = _record_from(tmp_path, clean_server.url, application_id)

    assert (done.returncode, done.stderr) == (0, "")
    assert [len(run["attempts"]) for run in json.loads(done.stdout)["jobRuns"]] == [
        2,
        3,
    ]  # newest first


def test_the_client_retries_adaptively() -> None:
    from moto_emrs_attempts.recording.recorder import client

    with mea.mock_emrs_attempts():
        emr = client("us-east-1", None, None)

    config: Config = emr.meta.config
    assert config.retries == {"mode": "adaptive", "total_max_attempts": 4}
