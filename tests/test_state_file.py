"""`moto-emrs-attempts serve --state-file PATH`: a restart loses no attempt, in any account or region.

Every test runs real servers in subprocesses: state goes in over HTTP, the server stops on
SIGTERM or Ctrl-C, a new server starts on the same file, and the plugin's export must be the
same as before. A crash while writing (SIGKILL at moments spread over a write) leaves the
previous file whole.
"""

from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

import moto_emrs_attempts as mea
from moto_emrs_attempts.contract.service_model import enum

from ._server import ServerProcess, start

pytestmark = pytest.mark.slow

HISTORY = "/moto-api/emrs-attempts/history"
PROG = "python -m moto_emrs_attempts serve"
OTHER = {"region": "eu-west-1", "account": "111111111111"}
ROLE = "arn:aws:iam::123456789012:role/job-role"
SPARK = {"sparkSubmit": {"entryPoint": "s3://bucket/job.py"}}


def _serve(state_file: Path) -> ServerProcess:
    return start("serve", "--port", "0", "--state-file", str(state_file))


def _stop(server: ServerProcess, signum: int = signal.SIGTERM) -> tuple[int, str]:
    """Send the signal, wait for the exit; return the exit status and stderr."""
    server.process.send_signal(signum)
    status = server.process.wait(timeout=60)
    errors = server.errors()
    server.close()
    return status, errors


def _export(server: ServerProcess, region: str = "us-east-1", account: str = "") -> Any:
    query = f"?region={region}" + (f"&account={account}" if account else "")
    response = server.get(HISTORY + query, headers={})
    assert response.status_code == 200, response.text
    return response.json()


def _history(*states: str, **place: str) -> dict[str, Any]:
    return {"version": 1, **place, "jobRuns": [{"name": "etl", "attempts": list(states)}]}


def _fill(server: ServerProcess) -> None:
    """State in two accounts and regions: seeded runs, and a StartJobRun'd run with a script."""
    server.seed(_history("FAILED", "FAILED", "SUCCESS"))
    server.seed(_history("FAILED", "RUNNING", **OTHER))
    [run] = server.seed(_history("SUCCESS"))
    assert server.post("/moto-api/emrs-attempts/scripts", {"outcomes": ["FAILED"]}).ok
    server.client().start_job_run(
        applicationId=run["applicationId"],
        executionRoleArn=ROLE,
        jobDriver=SPARK,
        retryPolicy={"maxAttempts": 2},
        tags={"kept": "yes"},
    )


def test_a_restart_keeps_every_attempt_in_every_account_and_region(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    first = _serve(state_file)
    _fill(first)
    before = [_export(first), _export(first, "eu-west-1", OTHER["account"])]
    assert (len(before[0]["jobRuns"]), len(before[1]["jobRuns"])) == (3, 1)

    assert _stop(first)[0] == 0
    second = _serve(state_file)
    try:
        after = [_export(second), _export(second, "eu-west-1", OTHER["account"])]
    finally:
        status, _ = _stop(second)

    assert after == before
    assert status == 0


def test_a_state_file_of_several_places_lists_one_history_document_each(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    server = _serve(state_file)
    _fill(server)
    exported = [_export(server, "eu-west-1", OTHER["account"]), _export(server)]

    status, errors = _stop(server)

    assert status == 0
    assert "Traceback" not in errors
    assert json.loads(state_file.read_text()) == {"version": 1, "histories": exported}


def test_a_state_file_of_one_place_is_a_history_document_load_history_takes(
    tmp_path: Path,
) -> None:
    state_file = tmp_path / "state.json"
    server = _serve(state_file)
    [seeded] = server.seed(_history("FAILED", "SUCCESS"))
    exported = _export(server)

    status, _ = _stop(server, signal.SIGINT)

    assert status == 0
    document = json.loads(state_file.read_text())
    assert document == exported
    with mea.mock_emrs_attempts() as emrs:
        [loaded] = emrs.load_history(state_file)
        assert (loaded.job_run_id, loaded.attempts) == (seeded["jobRunId"], 2)


def test_an_empty_server_writes_a_history_document_without_job_runs(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    server = _serve(state_file)
    exported = _export(server)

    assert _stop(server)[0] == 0

    assert json.loads(state_file.read_text()) == exported
    assert exported["jobRuns"] == []


def test_a_hand_written_history_document_is_loaded_on_start(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(_history("FAILED", "SUCCESS", **OTHER)))

    server = _serve(state_file)
    try:
        exported = _export(server, "eu-west-1", OTHER["account"])
    finally:
        _stop(server)

    assert [a["state"] for a in exported["jobRuns"][0]["attempts"]] == ["FAILED", "SUCCESS"]


def test_the_state_file_keeps_its_permissions_and_leaves_no_temporary_file(
    tmp_path: Path,
) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(_history("SUCCESS")))
    state_file.chmod(0o640)

    server = _serve(state_file)
    _stop(server)

    assert state_file.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == [".state.json.lock", "state.json"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "not json",
            "the state file {path} is not JSON: Expecting value: line 1 column 1 (char 0)",
        ),
        (
            '{"version": 1, "jobRuns": [{"attempts": ["DONE"]}]}',
            "the state file {path} is not a state document: jobRuns[0].attempts[0].state: "
            "'DONE' is not a job run state; use one of " + ", ".join(enum("JobRunState")),
        ),
        (
            '{"version": 1, "histories": [{"version": 1, "jobRuns": []}, '
            '{"version": 1, "jobRuns": [{"attempts": []}]}]}',
            "the state file {path} is not a state document: "
            "histories[1].jobRuns[0].attempts: must list at least one attempt",
        ),
        (
            '{"version": 2, "histories": []}',
            "the state file {path} is not a state document: version: must be 1, not 2",
        ),
        (
            '{"version": 1, "histories": {}}',
            "the state file {path} is not a state document: "
            "histories: must be a list of history documents",
        ),
        (
            "[]",
            "the state file {path} is not a state document: must be a history document, not list",
        ),
        (
            '{"version": 1, "jobRuns": ' + "[" * 1_000 + "]" * 1_000 + "}",
            "the state file {path} is not a state document: it is nested too deeply",
        ),
    ],
    ids=[
        "not JSON",
        "bad document",
        "bad second document",
        "bad version",
        "not a list",
        "a list",
        "nested 1,000 deep",
    ],
)
def test_a_bad_state_file_is_one_line_and_exit_status_1(
    tmp_path: Path, content: str, message: str
) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(content)

    done = _run_serve(state_file)

    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == f"{PROG}: {message.format(path=state_file)}\n"
    assert state_file.read_text() == content


@pytest.mark.parametrize(
    ("where", "message"),
    [
        ("missing/state.json", "cannot write the state file {path}: {parent} is not a directory"),
        (".", "the state file {path} is a directory"),
    ],
    ids=["missing directory", "a directory"],
)
def test_a_state_file_that_cannot_be_written_is_refused_on_start(
    tmp_path: Path, where: str, message: str
) -> None:
    state_file = tmp_path / where

    done = _run_serve(state_file)

    assert (done.returncode, done.stdout) == (1, "")
    expected = message.format(path=state_file, parent=state_file.parent)
    assert done.stderr == f"{PROG}: {expected}\n"


def _run_serve(state_file: Path) -> subprocess.CompletedProcess[str]:
    arguments = ["serve", "--port", "0", "--state-file", str(state_file)]
    return subprocess.run(
        [sys.executable, "-m", "moto_emrs_attempts", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_kill_at_any_moment_of_a_write_leaves_the_previous_file_whole(tmp_path: Path) -> None:
    """SIGKILL after SIGTERM at moments spread over a whole write (timed once, first): the
    file always parses, and holds the job runs of before the write or of after it."""
    state_file = tmp_path / "state.json"
    big = {"version": 1, "jobRuns": [{"attempts": ["FAILED"] * 2_000 + ["SUCCESS"]}]}
    server = _serve(state_file)
    server.seed(big)
    started = time.monotonic()
    assert _stop(server)[0] == 0
    write_seconds = time.monotonic() - started
    saved = len(json.loads(state_file.read_text())["jobRuns"])
    chance = random.Random(20261130)

    for _ in range(8):
        server = _serve(state_file)
        server.seed(big)
        server.process.send_signal(signal.SIGTERM)
        time.sleep(chance.uniform(0, write_seconds))
        server.process.kill()
        server.process.wait(timeout=60)
        server.close()

        runs = len(json.loads(state_file.read_text())["jobRuns"])
        assert runs in (saved, saved + 1)
        saved = runs

    with mea.mock_emrs_attempts() as emrs:
        assert len(emrs.load_history(state_file)) == saved
