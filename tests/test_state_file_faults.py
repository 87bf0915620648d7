"""`serve --state-file PATH` when something else goes wrong: another server, a failing disk, links.

Every test runs real servers in subprocesses and makes real faults: a second server on the same
file (or on another link to it), the state file's directory removed or its path made a
directory after the start, a file size limit (`RLIMIT_FSIZE`, with SIGXFSZ ignored) that makes
the write fail with EFBIG as a full disk does. No code of the server is replaced.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import moto_emrs_attempts as mea

from ._server import ServerProcess, start

pytestmark = pytest.mark.slow

HISTORY = "/moto-api/emrs-attempts/history"
PROG = "python -m moto_emrs_attempts serve"
TWO = {"version": 1, "jobRuns": [{"name": "etl", "attempts": ["FAILED", "SUCCESS"]}]}

#: `python -m moto_emrs_attempts` under a file size limit, as a full disk makes writes fail.
LIMITED = """\
import resource, runpy, signal, sys
limit = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
sys.argv[0] = "moto_emrs_attempts"
runpy.run_module("moto_emrs_attempts", run_name="__main__", alter_sys=True)
"""


_started: list[ServerProcess] = []


@pytest.fixture(autouse=True)
def _no_server_left() -> Iterator[None]:
    """Stop every server the test started, also when it fails halfway."""
    yield
    while _started:
        _started.pop().close()


def _serve(state_file: Path, *, limit: int | None = None) -> ServerProcess:
    """A server on `state_file`; with `limit`, under that file size limit (bytes)."""
    program = [sys.executable, "-m", "moto_emrs_attempts"]
    if limit is not None:
        program = [sys.executable, "-c", LIMITED, str(limit)]
    server = start("serve", "--port", "0", "--state-file", str(state_file), program=program)
    _started.append(server)
    return server


def _temporary_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A directory of its own for the servers' temporary files (TMPDIR), so recovery files show."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    return tmp


def _run_serve(state_file: Path) -> subprocess.CompletedProcess[str]:
    arguments = ["serve", "--port", "0", "--state-file", str(state_file)]
    return subprocess.run(
        [sys.executable, "-m", "moto_emrs_attempts", *arguments],
        capture_output=True,
        text=True,
        timeout=60,
    )


def _stop(server: ServerProcess) -> tuple[int, str]:
    server.process.send_signal(signal.SIGTERM)
    status = server.process.wait(timeout=60)
    errors = server.errors()
    server.close()
    return status, errors


def _export(server: ServerProcess) -> Any:
    response = server.get(HISTORY, headers={})
    assert response.status_code == 200, response.text
    return response.json()


def _loaded(path: Path) -> list[mea.SeededJobRun]:
    with mea.mock_emrs_attempts() as emrs:
        return emrs.load_history(path)


# -- one server per state file -----------------------------------------------------------


def test_a_second_server_on_the_same_state_file_exits_1_naming_the_holders_pid(
    tmp_path: Path,
) -> None:
    state_file = tmp_path / "state.json"
    first = _serve(state_file)
    first.seed(TWO)
    exported = _export(first)

    second = _run_serve(state_file)
    status, errors = _stop(first)

    assert (second.returncode, second.stdout) == (1, "")
    assert second.stderr == (
        f"{PROG}: the state file {state_file} is in use by another server "
        f"(pid {first.process.pid}); stop it or use another --state-file\n"
    )
    assert (status, errors.count("Traceback")) == (0, 0)
    assert json.loads(state_file.read_text()) == exported


@pytest.mark.parametrize("second_on", ["the file", "a second link"])
def test_two_links_to_one_state_file_conflict(tmp_path: Path, second_on: str) -> None:
    target = tmp_path / "data" / "state.json"
    target.parent.mkdir()
    first_link, second_link = tmp_path / "a.json", tmp_path / "b.json"
    first_link.symlink_to(target)
    second_link.symlink_to(target)
    first = _serve(first_link)

    other = target if second_on == "the file" else second_link
    second = _run_serve(other)
    _stop(first)

    assert second.returncode == 1
    assert second.stderr == (
        f"{PROG}: the state file {other} is in use by another server "
        f"(pid {first.process.pid}); stop it or use another --state-file\n"
    )


def test_the_lock_file_stays_beside_the_state_file_with_the_holders_pid(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    server = _serve(state_file)
    held = (tmp_path / ".state.json.lock").read_text()

    assert _stop(server)[0] == 0

    assert held == f"{server.process.pid}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == [".state.json.lock", "state.json"]


def test_a_killed_servers_lock_does_not_stop_the_next_server(tmp_path: Path) -> None:
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(TWO))
    killed = _serve(state_file)
    killed.process.kill()
    killed.process.wait(timeout=60)
    killed.close()

    server = _serve(state_file)
    held = (tmp_path / ".state.json.lock").read_text()
    status, _ = _stop(server)

    assert (status, held) == (0, f"{server.process.pid}\n")
    assert [run.attempts for run in _loaded(state_file)] == [2]


# -- a write that fails at shutdown ------------------------------------------------------


def _remove_the_directory(state_file: Path) -> None:
    shutil.rmtree(state_file.parent)


def _make_the_path_a_directory(state_file: Path) -> None:
    state_file.unlink()
    state_file.mkdir()


def _replace_the_directory_by_a_file(state_file: Path) -> None:
    shutil.rmtree(state_file.parent)
    state_file.parent.write_text("not a directory")


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (_remove_the_directory, "No such file or directory"),
        (_make_the_path_a_directory, "Is a directory"),
        (_replace_the_directory_by_a_file, "Not a directory"),
    ],
    ids=["directory removed", "path made a directory", "directory replaced by a file"],
)
def test_a_state_file_that_cannot_be_written_at_shutdown_is_saved_to_a_recovery_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: Callable[[Path], None], reason: str
) -> None:
    state_file, tmp = tmp_path / "data" / "state.json", _temporary_directory(monkeypatch, tmp_path)
    state_file.parent.mkdir()
    state_file.write_text(json.dumps({"version": 1, "jobRuns": []}))
    server = _serve(state_file)
    server.seed(TWO)
    exported = _export(server)
    fault(state_file)

    status, errors = _stop(server)

    [recovery] = tmp.iterdir()
    assert status == 1
    assert errors.splitlines()[-1:] == [
        f"{PROG}: cannot write the state file {state_file}: {reason}; "
        f"the state is saved in {recovery} instead"
    ]
    assert "Traceback" not in errors
    assert re.fullmatch(r"moto-emrs-attempts-recovery-state\.json-\w+\.json", recovery.name)
    assert json.loads(recovery.read_text()) == exported
    assert [run.attempts for run in _loaded(recovery)] == [2]


def _skip_without_chattr(tmp_path: Path) -> None:
    """Skip unless `chattr +i` works here (root, and a file system with the attribute)."""
    probe = tmp_path / "probe"
    probe.touch()
    if (
        shutil.which("chattr") is None
        or subprocess.run(["chattr", "+i", str(probe)], capture_output=True).returncode
    ):
        pytest.skip("chattr +i does not work here")
    subprocess.run(["chattr", "-i", str(probe)], check=True)
    probe.unlink()


def test_an_immutable_state_file_is_left_as_it_was_and_the_state_is_saved_to_a_recovery_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _skip_without_chattr(tmp_path)
    state_file, tmp = tmp_path / "state.json", _temporary_directory(monkeypatch, tmp_path)
    previous = json.dumps({"version": 1, "jobRuns": []})
    state_file.write_text(previous)
    server = _serve(state_file)
    server.seed(TWO)
    exported = _export(server)
    subprocess.run(["chattr", "+i", str(state_file)], check=True)
    try:
        status, errors = _stop(server)
    finally:
        subprocess.run(["chattr", "-i", str(state_file)], check=True)

    [recovery] = tmp.iterdir()
    assert (status, errors.splitlines()[-1]) == (
        1,
        f"{PROG}: cannot write the state file {state_file}: Operation not permitted; "
        f"the state is saved in {recovery} instead",
    )
    assert state_file.read_text() == previous
    assert json.loads(recovery.read_text()) == exported


def test_a_write_that_fails_like_a_full_disk_leaves_the_previous_file_and_says_all_is_lost(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a 32 KiB file size limit, the state file and the recovery file both fail (EFBIG)."""
    state_file, tmp = tmp_path / "state.json", _temporary_directory(monkeypatch, tmp_path)
    previous = json.dumps(TWO)
    state_file.write_text(previous)
    server = _serve(state_file, limit=32 * 1024)
    server.seed({"version": 1, "jobRuns": [{"attempts": ["FAILED"] * 500 + ["SUCCESS"]}]})

    status, errors = _stop(server)

    assert status == 1
    [line] = [line for line in errors.splitlines() if line.startswith(PROG)]
    assert line == (
        f"{PROG}: cannot write the state file {state_file}: File too large; the state is "
        f"lost: a recovery file in {tmp} cannot be written either: File too large"
    )
    assert "Traceback" not in errors
    assert state_file.read_text() == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == [".state.json.lock", "state.json", "tmp"]
    assert list(tmp.iterdir()) == []


# -- symbolic links ----------------------------------------------------------------------


@pytest.mark.parametrize("target_exists", [True, False], ids=["target exists", "target missing"])
def test_a_symlinked_state_file_is_written_through_to_its_target(
    tmp_path: Path, target_exists: bool
) -> None:
    target, link = tmp_path / "data" / "state.json", tmp_path / "state.json"
    target.parent.mkdir()
    if target_exists:
        target.write_text(json.dumps({"version": 1, "jobRuns": []}))
    link.symlink_to(target)
    server = _serve(link)
    server.seed(TWO)
    exported = _export(server)

    assert _stop(server)[0] == 0

    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert json.loads(target.read_text()) == exported
    assert sorted(p.name for p in target.parent.iterdir()) == [".state.json.lock", "state.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "state.json"]
