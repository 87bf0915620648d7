"""Real non-Python clients against the server: the AWS CLI v1 and the AWS SDK for JavaScript v3.

Both page through 120 seeded attempts with their own automatic pagination, and show our
errors, and their own client-side validation errors, readably.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from ._server import ServerProcess, clean_server, server

__all__ = ["clean_server", "server"]  # fixtures

pytestmark = pytest.mark.slow

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "js"
STATES = ["FAILED"] * 119 + ["SUCCESS"]


@pytest.fixture
def run_120(clean_server: ServerProcess) -> dict[str, Any]:
    """A job run with 120 attempts (119 FAILED, then SUCCESS), seeded over HTTP."""
    [run] = clean_server.seed({"version": 1, "jobRuns": [{"name": "etl", "attempts": STATES}]})
    assert run["attempts"] == 120
    return run


def _environment(tmp_path: Path) -> dict[str, str]:
    """Dummy credentials, and no user configuration that could change what a client does."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("AWS_") and k not in ("EMRS_ENDPOINT", "NODE_OPTIONS")
    }
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=str(tmp_path / "no-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "no-credentials"),
        AWS_PAGER="",
        NODE_NO_WARNINGS="1",  # the SDK warns about Node versions it will drop some day
    )
    return env


# -- AWS CLI v1 -------------------------------------------------------------------------


def _aws(
    server: ServerProcess, tmp_path: Path, *arguments: str
) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "awscli", "emr-serverless", *arguments]
    command += ["--endpoint-url", server.url, "--region", "us-east-1", "--output", "json"]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, env=_environment(tmp_path)
    )


def _ids(run: dict[str, Any]) -> list[str]:
    return ["--application-id", run["applicationId"], "--job-run-id", run["jobRunId"]]


def test_aws_cli_auto_paginates_through_all_120_attempts(
    clean_server: ServerProcess, run_120: dict[str, Any], tmp_path: Path
) -> None:
    done = _aws(clean_server, tmp_path, "list-job-run-attempts", *_ids(run_120))

    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assert list(listed) == ["jobRunAttempts"]
    attempts = listed["jobRunAttempts"]
    assert [a["attempt"] for a in attempts] == list(range(1, 121))
    assert [a["state"] for a in attempts] == STATES
    assert {a["id"] for a in attempts} == {run_120["jobRunId"]}


def test_aws_cli_page_size_changes_the_pages_not_the_result(
    clean_server: ServerProcess, run_120: dict[str, Any], tmp_path: Path
) -> None:
    done = _aws(clean_server, tmp_path, "list-job-run-attempts", *_ids(run_120), "--page-size", "7")

    assert done.returncode == 0, done.stderr
    assert [a["attempt"] for a in json.loads(done.stdout)["jobRunAttempts"]] == list(range(1, 121))


def test_aws_cli_max_items_stops_with_a_token_that_resumes(
    clean_server: ServerProcess, run_120: dict[str, Any], tmp_path: Path
) -> None:
    first = _aws(
        clean_server, tmp_path, "list-job-run-attempts", *_ids(run_120), "--max-items", "75"
    )
    token = json.loads(first.stdout)["NextToken"]
    rest = _aws(
        clean_server,
        tmp_path,
        "list-job-run-attempts",
        *_ids(run_120),
        "--starting-token",
        token,
    )

    assert [a["attempt"] for a in json.loads(first.stdout)["jobRunAttempts"]] == list(range(1, 76))
    assert [a["attempt"] for a in json.loads(rest.stdout)["jobRunAttempts"]] == list(range(76, 121))


def test_aws_cli_shows_our_404_readably(clean_server: ServerProcess, tmp_path: Path) -> None:
    done = _aws(
        clean_server,
        tmp_path,
        "list-job-run-attempts",
        "--application-id",
        "doesnotexist",
        "--job-run-id",
        "doesnotexist",
    )

    assert done.returncode == 255
    assert done.stdout == ""
    assert done.stderr.strip() == (
        "An error occurred (ResourceNotFoundException) when calling the ListJobRunAttempts "
        "operation: Application doesnotexist does not exist"
    )


def test_aws_cli_shows_our_validation_error_readably(
    clean_server: ServerProcess, run_120: dict[str, Any], tmp_path: Path
) -> None:
    done = _aws(
        clean_server, tmp_path, "list-job-run-attempts", *_ids(run_120), "--max-results", "51"
    )

    assert done.returncode == 255
    assert done.stderr.strip() == (
        "An error occurred (ValidationException) when calling the ListJobRunAttempts operation: "
        "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 50"
    )


@pytest.mark.parametrize(
    ("arguments", "status", "message"),
    [
        (
            ["--application-id", "", "--job-run-id", "j"],
            255,
            "Parameter validation failed:\n"
            "Invalid length for parameter applicationId, value: 0, valid min length: 1",
        ),
        (
            ["--application-id", "a", "--job-run-id", "j", "--max-results", "0"],
            255,
            "Parameter validation failed:\n"
            "Invalid value for parameter maxResults, value: 0, valid min value: 1",
        ),
        (
            ["--application-id", "a", "--job-run-id", "j", "--page-size", "abc"],
            2,
            "argument --page-size: invalid int value: 'abc'",
        ),
    ],
    ids=["empty application id", "maxResults 0", "page size not a number"],
)
def test_aws_cli_validation_errors_reach_the_user(
    server: ServerProcess, tmp_path: Path, arguments: list[str], status: int, message: str
) -> None:
    done = _aws(server, tmp_path, "list-job-run-attempts", *arguments)

    assert done.returncode == status
    assert message in done.stderr
    assert "Traceback" not in done.stderr


# -- AWS SDK for JavaScript v3 ----------------------------------------------------------


@pytest.fixture(scope="session")
def js_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """examples/js with `@aws-sdk/client-emr-serverless` installed by npm, once per session."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            pytest.skip(f"`{tool}` is not installed, so the JavaScript SDK cannot run")
    directory = tmp_path_factory.mktemp("js")
    for name in ("package.json", "package-lock.json", "list_attempts.mjs"):
        shutil.copy(EXAMPLE / name, directory / name)
    installed = subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund"],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert installed.returncode == 0, f"npm install failed:\n{installed.stdout}\n{installed.stderr}"
    return directory


def _node(js_example: Path, tmp_path: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", "list_attempts.mjs", *arguments],
        cwd=js_example,
        capture_output=True,
        text=True,
        timeout=120,
        env=_environment(tmp_path),
    )


@pytest.mark.parametrize("page_size", [None, "7"], ids=["default pages", "pages of 7"])
def test_javascript_sdk_pages_through_all_120_attempts_in_order(
    clean_server: ServerProcess,
    run_120: dict[str, Any],
    js_example: Path,
    tmp_path: Path,
    page_size: str | None,
) -> None:
    arguments = [run_120["applicationId"], run_120["jobRunId"], "--endpoint", clean_server.url]
    if page_size is not None:
        arguments += ["--page-size", page_size]

    done = _node(js_example, tmp_path, *arguments)

    assert done.returncode == 0, done.stderr
    attempts = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["attempt"] for a in attempts] == list(range(1, 121))
    assert [a["state"] for a in attempts] == STATES
    assert {(a["applicationId"], a["id"], a["name"]) for a in attempts} == {
        (run_120["applicationId"], run_120["jobRunId"], "etl")
    }


def test_javascript_sdk_reads_the_endpoint_from_the_environment(
    clean_server: ServerProcess, run_120: dict[str, Any], js_example: Path, tmp_path: Path
) -> None:
    env = {**_environment(tmp_path), "EMRS_ENDPOINT": clean_server.url}
    done = subprocess.run(
        ["node", "list_attempts.mjs", run_120["applicationId"], run_120["jobRunId"]],
        cwd=js_example,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )

    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 120


def test_javascript_sdk_shows_our_404_readably(
    clean_server: ServerProcess, js_example: Path, tmp_path: Path
) -> None:
    done = _node(
        js_example, tmp_path, "doesnotexist", "doesnotexist", "--endpoint", clean_server.url
    )

    assert done.returncode == 1
    assert done.stdout == ""
    assert (
        done.stderr.strip() == "ResourceNotFoundException: Application doesnotexist does not exist"
    )
