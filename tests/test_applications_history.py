"""Applications over time in history documents (SPEC 12, issue 20 item 6): export carries their
states, configurations and what one in flight needs to go on; loading it into a fresh mock, or
restarting a server on its state file, changes nothing a client sees."""

from __future__ import annotations

import json
import signal
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from moto.moto_api import state_manager

import moto_emrs_attempts as mea
from moto_emrs_attempts import cli
from moto_emrs_attempts.contract.errors import HistoryError
from moto_emrs_attempts.engine.transitions import APPLICATION_MODEL_NAME

from ._server import ServerProcess, start

ROLE = "arn:aws:iam::123456789012:role/job-role"
MANUAL_2 = {"progression": "manual", "times": 2}


@pytest.fixture
def manual_apps() -> Iterator[None]:
    state_manager.set_transition(APPLICATION_MODEL_NAME, MANUAL_2)
    yield
    state_manager.unset_transition(APPLICATION_MODEL_NAME)


def create(emr: Any, **extra: Any) -> str:
    found: str = emr.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK", **extra
    )["applicationId"]
    return found


def app_state(emr: Any, application_id: str) -> str:
    found: str = emr.get_application(applicationId=application_id)["application"]["state"]
    return found


def test_export_carries_state_configurations_and_progress(manual_apps: None) -> None:
    with mea.mock_emrs_attempts() as emrs:
        emr = emrs.client()
        app = create(emr, autoStopConfiguration={"enabled": True, "idleTimeoutMinutes": 30})
        app_state(emr, app)  # one poll counted toward CREATED

        [entry] = emrs.export_history()["applications"]

    assert entry["state"] == "CREATING"
    assert entry["autoStartConfiguration"] == {"enabled": True}
    assert entry["autoStopConfiguration"] == {"enabled": True, "idleTimeoutMinutes": 30}
    assert entry["progress"]["tick"] == 1
    assert entry["progress"]["since"] == entry["updatedAt"]


def test_an_application_in_flight_goes_on_after_a_round_trip(manual_apps: None) -> None:
    with mea.mock_emrs_attempts() as emrs:
        emr = emrs.client()
        app = create(emr)
        app_state(emr, app)
        document = emrs.export_history()

    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(document)
        emr = emrs.client()

        assert [app_state(emr, app), app_state(emr, app)] == ["CREATED", "CREATED"]


def test_a_restored_run_waiting_for_its_application_goes_on_when_it_starts(
    manual_apps: None,
) -> None:
    with mea.mock_emrs_attempts() as emrs:
        emr = emrs.client()
        app = create(emr)
        app_state(emr, app), app_state(emr, app)  # CREATED
        emr.start_job_run(applicationId=app, executionRoleArn=ROLE)  # STARTING; run SUBMITTED
        document = emrs.export_history()

    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(document)
        emr = emrs.client()
        assert [app_state(emr, app), app_state(emr, app)] == ["STARTING", "STARTED"]

        [run] = emrs.export_history()["jobRuns"]  # no poll of the run: it went on at the start

    assert run["attempts"][-1]["state"] == "SUCCESS"


def test_a_stopped_application_with_auto_start_off_loads_as_it_was() -> None:
    with mea.mock_emrs_attempts() as emrs:
        emr = emrs.client()
        app = create(emr, autoStartConfiguration={"enabled": False})
        emr.start_application(applicationId=app)
        emr.stop_application(applicationId=app)
        document = emrs.export_history()
        before = emr.get_application(applicationId=app)["application"]

    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(document)
        after = emrs.client().get_application(applicationId=app)["application"]

    keys = ("state", "createdAt", "updatedAt", "autoStartConfiguration", "autoStopConfiguration")
    assert {k: after[k] for k in keys} == {k: before[k] for k in keys}
    assert after["state"] == "STOPPED"


def test_a_recording_replays_the_application_as_it_was(
    capsys: pytest.CaptureFixture[str],
) -> None:
    keys = ("state", "createdAt", "updatedAt", "autoStartConfiguration", "autoStopConfiguration")
    with mea.mock_emrs_attempts() as emrs:
        emr = emrs.client()
        app = create(
            emr,
            autoStartConfiguration={"enabled": False},
            autoStopConfiguration={"enabled": True, "idleTimeoutMinutes": 45},
        )
        emr.start_application(applicationId=app)
        emr.stop_application(applicationId=app)
        before = emr.get_application(applicationId=app)["application"]
        assert cli.main(["record", "--application-id", app, "--region", "us-east-1"]) == 0
        document = json.loads(capsys.readouterr().out)

    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(document)
        after = emrs.client().get_application(applicationId=app)["application"]

    assert {k: after[k] for k in keys} == {k: before[k] for k in keys}
    assert after["state"] == "STOPPED"


def test_a_document_without_states_loads_as_before(emrs_attempts: Any) -> None:
    emrs_attempts.load_history(
        {"version": 1, "applications": [{"applicationId": "oldapp", "name": "old"}], "jobRuns": []}
    )

    assert app_state(emrs_attempts.client(), "oldapp") == "STARTED"


@pytest.mark.parametrize(
    ("member", "value", "path", "problem"),
    [
        ("state", "RUNNING", "applications[0].state", "'RUNNING' is not an application state"),
        (
            "autoStopConfiguration",
            {"idleTimeoutMinutes": 0},
            "applications[0].autoStopConfiguration.idleTimeoutMinutes",
            "Member must have value greater than or equal to 1",
        ),
        (
            "progress",
            {"since": "2026-01-01T00:00:00Z"},
            "applications[0].progress.since",
            "belongs to an application in flight",
        ),
        ("progress", {"tick": -1}, "applications[0].progress.tick", "must be an integer of 0"),
        ("progress", {"steps": 1}, "applications[0].progress.steps", "is not a progress member"),
    ],
)
def test_an_invalid_application_member_is_refused_with_its_path(
    emrs_attempts: Any, member: str, value: Any, path: str, problem: str
) -> None:
    document = {
        "version": 1,
        "applications": [{"applicationId": "badapp", "state": "STARTED", member: value}],
        "jobRuns": [],
    }

    with pytest.raises(HistoryError) as caught:
        emrs_attempts.load_history(document)

    assert caught.value.path == path
    assert problem in caught.value.problem
    assert emrs_attempts.export_history()["applications"] == []


# -- a restart stays invisible ---------------------------------------------------------------


def _serve(state_file: Path) -> ServerProcess:
    server = start("serve", "--port", "0", "--state-file", str(state_file))
    for model in ("emrserverless::job_run", APPLICATION_MODEL_NAME):
        answer = server.post(
            "/moto-api/state-manager/set-transition",
            {"model_name": model, "transition": MANUAL_2},
        )
        assert answer.status_code == 201, answer.text
    return server


def _life(state_file: Path, restart: bool) -> list[Any]:
    """Create, poll, start a job run (auto-start), poll: the states a client sees."""
    server = _serve(state_file)
    try:
        emr = server.client()
        app = create(emr)
        seen: list[Any] = [app_state(emr, app), app_state(emr, app)]  # CREATING, CREATED
        run = emr.start_job_run(applicationId=app, executionRoleArn=ROLE)["jobRunId"]
        seen.append(app_state(emr, app))  # STARTING, one poll counted
        if restart:
            server.process.send_signal(signal.SIGTERM)
            assert server.process.wait(timeout=60) == 0, server.errors()
            server.close()
            server = _serve(state_file)
            emr = server.client()
        seen.append(app_state(emr, app))  # STARTED
        seen += [
            emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]["state"] for _ in range(2)
        ]
        return seen
    finally:
        server.close()


@pytest.mark.slow
def test_an_application_starting_for_a_job_run_goes_on_after_a_restart(tmp_path: Path) -> None:
    straight = _life(tmp_path / "a.json", restart=False)
    restarted = _life(tmp_path / "b.json", restart=True)

    assert restarted == straight
    assert straight == ["CREATING", "CREATED", "STARTING", "STARTED", "SUBMITTED", "PENDING"]
