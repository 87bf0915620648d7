"""The examples run as the docs show them (docs/getting-started.md lists them)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from ._server import CREDENTIALS, ServerProcess, clean_server, server

__all__ = ["clean_server", "server"]  # fixtures

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, env={**os.environ, **CREDENTIALS}
    )


def test_the_quickstart_prints_three_attempts_as_a_table() -> None:
    result = run(sys.executable, str(EXAMPLES / "quickstart.py"))

    assert result.returncode == 0, result.stderr
    rows = [line.split()[:2] for line in result.stdout.splitlines()[1:]]
    assert rows == [
        ["ATTEMPT", "STATE"],
        ["1", "FAILED"],
        ["2", "FAILED"],
        ["3", "SUCCESS"],
    ]
    assert re.match(r"Job run [0-9a-z]+ of application [0-9a-z]+: 3 attempts", result.stdout)


def test_the_log_collector_prints_each_attempts_log_folder_and_last_line() -> None:
    result = run(sys.executable, str(EXAMPLES / "log_collector.py"))

    assert result.returncode == 0, result.stderr
    assert [line.split()[:2] for line in result.stdout.splitlines()] == [
        ["1", "FAILED"],
        ["2", "FAILED"],
        ["3", "SUCCESS"],
    ]
    # attempt 1's logs are in the job run's own folder, as AWS lays them out
    assert re.findall(r"/attempts/(\d+)/", result.stdout) == ["2", "3"]
    assert result.stdout.splitlines()[2].endswith("rows written: 1204")


@pytest.mark.slow
def test_the_server_demo_seeds_over_http_and_lists_with_the_aws_cli(
    clean_server: ServerProcess,
) -> None:
    if subprocess.run(["bash", "-c", "command -v curl aws"], capture_output=True).returncode:
        pytest.skip("curl or the aws command is not installed")

    result = run("bash", str(EXAMPLES / "server_demo.sh"), clean_server.url)

    assert result.returncode == 0, result.stderr
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        ["1", "FAILED"],
        ["2", "FAILED"],
        ["3", "SUCCESS"],
    ]
