"""awslabs' emr-cli (`emr run`) against the plugin's server: it starts the job run, polls it with
`--wait` and reads the driver's stdout from S3 with `--show-stdout`.

emr-cli runs in a venv of its own (tox's EMR_CLI), pointed at the server by AWS_ENDPOINT_URL.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from test_recipe_emrcli import EMR, ROLE, script, server_url

__all__ = ["server_url"]  # a fixture

LOGS = "s3://etl-logs/logs/"
MODEL = "emrserverless::job_run"


def post(url: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    urllib.request.urlopen(request).close()


@pytest.fixture(autouse=True)
def fresh(server_url: str) -> Iterator[None]:
    """Each test starts from an empty server (buckets, applications, scripts)."""
    yield
    post(f"{server_url}/moto-api/reset", {})


@pytest.fixture
def s3(server_url: str) -> Any:
    client = boto3.client("s3", region_name="us-east-1", endpoint_url=server_url)
    client.create_bucket(Bucket="etl-logs")
    return client


@pytest.fixture
def app(server_url: str) -> str:
    emr = boto3.client("emr-serverless", region_name="us-east-1", endpoint_url=server_url)
    answer = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    application_id: str = answer["applicationId"]
    return application_id


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A single-file PySpark project, as emr-cli detects one."""
    (tmp_path / "main.py").write_text("print('Pi is roughly 3.14')\n")
    return tmp_path


def emr_run(url: str, cwd: Path, app: str, *options: str) -> subprocess.CompletedProcess[str]:
    """`emr run` of `cwd`'s main.py on `app`, against the server at `url`."""
    return subprocess.run(
        [
            EMR,
            "run",
            *("--application-id", app, "--job-role", ROLE, "--entry-point", "main.py"),
            *("--s3-code-uri", "s3://etl-code/code/", *options),
        ],
        cwd=cwd,
        env={**os.environ, "AWS_ENDPOINT_URL": url, "AWS_DEFAULT_REGION": "us-east-1"},
        capture_output=True,
        text=True,
    )


def job_run_id(done: subprocess.CompletedProcess[str]) -> str:
    found = re.search(r"\(Job Run ID: (\w+)\)", done.stdout)
    assert found is not None, done.stdout + done.stderr
    return found.group(1)


def shown_stdout(done: subprocess.CompletedProcess[str]) -> str:
    """What `--show-stdout` printed: the text between its rule and emr-cli's next line."""
    after = done.stdout.split("-" * 38 + "\n", 1)[1]
    return after.rsplit("\n[emr-cli]: ", 1)[0]


def test_show_stdout_prints_the_object_at_attempt_ones_driver_path(
    server_url: str, s3: Any, app: str, project: Path
) -> None:
    done = emr_run(server_url, project, app, "--s3-logs-uri", LOGS, "--wait", "--show-stdout")

    assert done.returncode == 0, done.stderr
    key = f"logs/applications/{app}/jobs/{job_run_id(done)}/SPARK_DRIVER/stdout.gz"
    written = gzip.decompress(s3.get_object(Bucket="etl-logs", Key=key)["Body"].read()).decode()
    assert written  # the driver lines the plugin writes when none are seeded
    assert shown_stdout(done) == written


def test_a_failed_job_shows_its_stdout_and_exits_1_with_its_state_details(
    server_url: str, s3: Any, app: str, project: Path
) -> None:
    stdout = "Reading s3://etl-data/2024/\n"
    script(
        server_url,
        [
            {
                "state": "FAILED",
                "stateDetails": "Driver ran out of memory",
                "logs": {"SPARK_DRIVER/stdout": stdout},
            }
        ],
    )

    done = emr_run(server_url, project, app, "--s3-logs-uri", LOGS, "--wait", "--show-stdout")

    assert done.returncode == 1
    assert shown_stdout(done) == stdout
    assert done.stdout.endswith("[emr-cli]: EMR Serverless job failed: Driver ran out of memory\n")


def test_a_log_uri_whose_bucket_does_not_exist_fails_the_job_saying_so(
    server_url: str, app: str, project: Path
) -> None:
    done = emr_run(server_url, project, app, "--s3-logs-uri", "s3://no-such-bucket/logs/", "--wait")

    assert done.returncode == 1
    assert done.stdout.endswith(
        "[emr-cli]: EMR Serverless job failed: Job run failed: cannot write logs to "
        "s3://no-such-bucket/logs/: the S3 bucket no-such-bucket does not exist.\n"
    )


def test_build_uploads_the_entry_point_that_the_job_run_names(
    server_url: str, s3: Any, app: str, project: Path
) -> None:
    s3.create_bucket(Bucket="etl-code")

    done = emr_run(server_url, project, app, "--build", "--wait")

    assert done.returncode == 0, done.stderr
    uploaded = s3.get_object(Bucket="etl-code", Key="code/main.py")["Body"].read()
    assert uploaded == (project / "main.py").read_bytes()
    emr = boto3.client("emr-serverless", region_name="us-east-1", endpoint_url=server_url)
    job_run = emr.get_job_run(applicationId=app, jobRunId=job_run_id(done))["jobRun"]
    assert job_run["jobDriver"]["sparkSubmit"]["entryPoint"] == "s3://etl-code/code/main.py"


def test_wait_reports_each_state_the_job_run_moves_through(
    server_url: str, app: str, project: Path
) -> None:
    transition = {"model_name": MODEL, "transition": {"progression": "manual", "times": 1}}
    post(f"{server_url}/moto-api/state-manager/set-transition", transition)
    try:
        done = emr_run(server_url, project, app, "--wait")
    finally:
        post(f"{server_url}/moto-api/state-manager/unset-transition", {"model_name": MODEL})

    assert done.returncode == 0, done.stderr
    assert re.findall(r"Job state is now: (\w+)", done.stdout) == [
        "PENDING",
        "SCHEDULED",
        "RUNNING",
        "SUCCESS",
    ]
