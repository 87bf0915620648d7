"""Attempts over time (SPEC 8): job runs move through moto's state manager, model
`emrserverless::job_run`: the exact states polls see under manual, time and immediate
progression, retries in flight, cancels, and what GetJobRun shows about times.

Queueing has its own file, test_queueing.py.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
from botocore.exceptions import ClientError
from freezegun import freeze_time
from moto.moto_api import state_manager

import moto_emrs_attempts as mea

from ._server import ServerProcess, clean_server, server
from .conftest import error_of, needs_time_members

__all__ = ["clean_server", "server"]  # fixtures

MODEL = "emrserverless::job_run"
ROLE = "arn:aws:iam::123456789012:role/job-role"
T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


def start(emr: Any, app: str, **kwargs: Any) -> str:
    found: str = emr.start_job_run(applicationId=app, executionRoleArn=ROLE, **kwargs)["jobRunId"]
    return found


def poll(emr: Any, app: str, run: str) -> tuple[int, str]:
    job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]
    return job_run["attempt"], job_run["state"]


def polls(emr: Any, app: str, run: str, count: int) -> list[tuple[int, str]]:
    return [poll(emr, app, run) for _ in range(count)]


def attempt_states(emr: Any, app: str, run: str) -> list[str]:
    page = emr.list_job_run_attempts(applicationId=app, jobRunId=run)["jobRunAttempts"]
    return [a["state"] for a in page]


def test_the_model_is_registered_with_immediate_progression() -> None:
    assert MODEL in state_manager.get_registered_models()
    assert state_manager.get_transition(MODEL) == {"progression": "immediate"}


# -- manual progression: the exact states polls see --------------------------------------

WALK = ["PENDING", "SCHEDULED", "RUNNING"]

MANUAL_TIMES_1 = [
    pytest.param(
        {},
        [],
        [(1, s) for s in WALK] + [(1, "SUCCESS")] * 2,
        ["SUCCESS"],
        id="BATCH without a script",
    ),
    pytest.param(
        {"retryPolicy": {"maxAttempts": 3}},
        ["FAILED", "FAILED", "SUCCESS"],
        [(1, s) for s in WALK]
        + [(2, "SUBMITTED")]
        + [(2, s) for s in WALK]
        + [(3, "SUBMITTED")]
        + [(3, s) for s in WALK]
        + [(3, "SUCCESS")] * 2,
        ["FAILED", "FAILED", "SUCCESS"],
        id="BATCH with retries",
    ),
    pytest.param(
        {"retryPolicy": {"maxAttempts": 2}},
        ["FAILED", "FAILED", "SUCCESS"],
        [(1, s) for s in WALK] + [(2, "SUBMITTED")] + [(2, s) for s in WALK] + [(2, "FAILED")] * 2,
        ["FAILED", "FAILED"],
        id="BATCH out of retries",
    ),
    pytest.param(
        {"mode": "STREAMING"},
        [],
        [(1, s) for s in WALK] + [(1, "RUNNING")] * 4,
        ["RUNNING"],
        id="STREAMING without a script",
    ),
    pytest.param(
        {"mode": "STREAMING", "retryPolicy": {"maxFailedAttemptsPerHour": 2}},
        ["FAILED", "FAILED", "SUCCESS"],
        [(1, s) for s in WALK] + [(2, "SUBMITTED")] + [(2, s) for s in WALK] + [(2, "FAILED")] * 2,
        ["FAILED", "FAILED"],
        id="STREAMING thrash prevention",
    ),
]


@pytest.mark.parametrize(("start_args", "script", "seen", "attempts"), MANUAL_TIMES_1)
def test_manual_times_1_every_poll_is_a_step(
    emr: Any,
    app: str,
    transition: Any,
    start_args: dict[str, Any],
    script: list[str],
    seen: list[tuple[int, str]],
    attempts: list[str],
) -> None:
    transition(progression="manual", times=1)
    if script:
        mea.script_outcomes(script)
    run = start(emr, app, **start_args)

    assert polls(emr, app, run, len(seen)) == seen
    assert attempt_states(emr, app, run) == attempts


def test_manual_times_2_shows_submitted_and_steps_every_second_poll(
    emr: Any, app: str, transition: Any
) -> None:
    transition(progression="manual", times=2)
    run = start(emr, app)

    assert [s for _, s in polls(emr, app, run, 9)] == [
        "SUBMITTED",
        "PENDING",
        "PENDING",
        "SCHEDULED",
        "SCHEDULED",
        "RUNNING",
        "RUNNING",
        "SUCCESS",
        "SUCCESS",
    ]


def test_a_failed_attempt_with_a_retry_due_is_failed_in_the_attempts_and_not_in_the_run(
    emr: Any, app: str, transition: Any
) -> None:
    transition(progression="manual", times=1)
    mea.script_outcomes(["FAILED", "SUCCESS"])
    run = start(emr, app, retryPolicy={"maxAttempts": 2})
    polls(emr, app, run, 3)  # RUNNING

    assert poll(emr, app, run) == (2, "SUBMITTED")
    first = emr.get_job_run(applicationId=app, jobRunId=run, attempt=1)["jobRun"]
    assert first["state"] == "FAILED"


def read_dashboard(emr: Any, app: str, run: str) -> None:
    """GetDashboardForJobRun, which answers 400 while the run is PENDING (test_dashboard.py)."""
    try:
        emr.get_dashboard_for_job_run(applicationId=app, jobRunId=run)
    except ClientError as error:
        assert error.response["Error"]["Code"] == "ValidationException"


READS = [
    pytest.param(
        lambda emr, app, run: emr.list_job_run_attempts(applicationId=app, jobRunId=run),
        id="ListJobRunAttempts",
    ),
    pytest.param(read_dashboard, id="GetDashboardForJobRun"),
    pytest.param(lambda emr, app, run: emr.list_job_runs(applicationId=app), id="ListJobRuns"),
    pytest.param(
        lambda emr, app, run: emr.get_job_run(applicationId=app, jobRunId=run), id="GetJobRun"
    ),
]


@pytest.mark.parametrize("read", READS)
def test_every_read_of_a_run_is_a_poll(emr: Any, app: str, transition: Any, read: Any) -> None:
    transition(progression="manual", times=1)
    run = start(emr, app)

    read(emr, app, run)
    read(emr, app, run)

    assert poll(emr, app, run) == (1, "RUNNING")


def test_a_list_job_runs_page_that_does_not_return_a_run_does_not_poll_it(
    emr: Any, app: str, transition: Any
) -> None:
    transition(progression="manual", times=1)
    run = start(emr, app)

    for _ in range(3):
        assert emr.list_job_runs(applicationId=app, states=["SUCCESS"])["jobRuns"] == []

    assert poll(emr, app, run) == (1, "PENDING")


def test_a_transition_set_later_moves_runs_already_started(
    emr: Any, app: str, transition: Any
) -> None:
    transition(progression="manual", times=1)
    run = start(emr, app, mode="STREAMING")
    mea.script_outcomes(["FAILED", "SUCCESS"])
    scripted = start(emr, app, retryPolicy={"maxAttempts": 2})
    assert poll(emr, app, scripted) == (1, "PENDING")

    state_manager.unset_transition(MODEL)

    assert poll(emr, app, scripted) == (2, "SUCCESS")
    assert attempt_states(emr, app, scripted) == ["FAILED", "SUCCESS"]
    assert poll(emr, app, run) == (1, "RUNNING")


def test_seeded_runs_never_progress(emr: Any, transition: Any) -> None:
    transition(progression="manual", times=1)
    run = mea.seed_job_run(["FAILED", "RUNNING"])

    seen = polls(emr, run.application_id, run.job_run_id, 4)

    assert seen == [(2, "RUNNING")] * 4


# -- cancelling ---------------------------------------------------------------------------

CANCELS = [
    pytest.param(1, ["CANCELLED", "CANCELLED"], id="times 1"),
    pytest.param(3, ["CANCELLING", "CANCELLING", "CANCELLED", "CANCELLED"], id="times 3"),
]


@pytest.mark.parametrize(("times", "after"), CANCELS)
def test_cancel_mid_run_is_cancelling_then_cancelled_at_the_next_step(
    emr: Any, app: str, transition: Any, times: int, after: list[str]
) -> None:
    transition(progression="manual", times=times)
    run = start(emr, app, retryPolicy={"maxAttempts": 3})
    polls(emr, app, run, 2 * times)  # SCHEDULED

    emr.cancel_job_run(applicationId=app, jobRunId=run)

    assert [s for _, s in polls(emr, app, run, len(after))] == after
    assert attempt_states(emr, app, run) == ["CANCELLED"]


def test_cancelling_a_seeded_running_run_under_manual_progression_ends_it(
    emr: Any, transition: Any
) -> None:
    transition(progression="manual", times=1)
    run = mea.seed_job_run(["RUNNING"])

    emr.cancel_job_run(applicationId=run.application_id, jobRunId=run.job_run_id)

    assert poll(emr, run.application_id, run.job_run_id) == (1, "CANCELLED")


def test_cancel_under_immediate_progression_ends_a_streaming_run_at_once(
    emr: Any, app: str
) -> None:
    run = start(emr, app, mode="STREAMING")
    assert poll(emr, app, run) == (1, "RUNNING")

    emr.cancel_job_run(applicationId=app, jobRunId=run)

    assert poll(emr, app, run) == (1, "CANCELLED")


def test_cancel_answers_the_ids_of_a_run_that_has_ended(emr: Any, app: str) -> None:
    run = start(emr, app)

    answer = emr.cancel_job_run(applicationId=app, jobRunId=run)

    assert (answer["applicationId"], answer["jobRunId"]) == (app, run)
    assert poll(emr, app, run) == (1, "SUCCESS")


# -- time progression ---------------------------------------------------------------------

TIME_TABLE = [
    pytest.param(
        {},
        [],
        [
            (0, (1, "SUBMITTED")),
            (9, (1, "SUBMITTED")),
            (10, (1, "PENDING")),
            (35, (1, "RUNNING")),
            (40, (1, "SUCCESS")),
            (500, (1, "SUCCESS")),
        ],
        id="BATCH",
    ),
    pytest.param(
        {"retryPolicy": {"maxAttempts": 2}},
        ["FAILED", "SUCCESS"],
        [(40, (2, "SUBMITTED")), (50, (2, "PENDING")), (80, (2, "SUCCESS"))],
        id="BATCH with a retry",
    ),
    pytest.param(
        {"mode": "STREAMING"},
        [],
        [(30, (1, "RUNNING")), (3600, (1, "RUNNING"))],
        id="STREAMING without a script",
    ),
]


@pytest.mark.parametrize(("start_args", "script", "seen"), TIME_TABLE)
def test_time_progression_applies_every_step_that_is_due(
    emr: Any,
    app: str,
    transition: Any,
    start_args: dict[str, Any],
    script: list[str],
    seen: list[tuple[int, tuple[int, str]]],
) -> None:
    transition(progression="time", seconds=10)
    if script:
        mea.script_outcomes(script)
    with freeze_time(T0) as frozen:
        run = start(emr, app, **start_args)
        for seconds, expected in seen:
            frozen.move_to(T0 + timedelta(seconds=seconds))
            assert poll(emr, app, run) == expected


@needs_time_members
def test_time_progression_stamps_the_steps_with_the_moment_they_fell_due(
    emr: Any, app: str, transition: Any
) -> None:
    transition(progression="time", seconds=10)
    with freeze_time(T0) as frozen:
        run = start(emr, app)
        frozen.move_to(T0 + timedelta(seconds=30))
        running = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]
        frozen.move_to(T0 + timedelta(seconds=45))  # SUCCESS fell due at 40 s
        ended = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    assert running["attemptCreatedAt"] == T0
    assert running["startedAt"] == running["updatedAt"] == T0 + timedelta(seconds=30)
    assert ended["endedAt"] == T0 + timedelta(seconds=40)
    assert ended["totalExecutionDurationSeconds"] == 10


# -- GetJobRun's time members -------------------------------------------------------------


@needs_time_members
def test_time_members_appear_once_known(emr: Any, app: str, transition: Any) -> None:
    transition(progression="manual", times=1)
    run = start(emr, app)
    members = (
        "startedAt",
        "endedAt",
        "totalExecutionDurationSeconds",
        "queuedDurationMilliseconds",
    )

    seen = []
    for _ in range(4):
        job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]
        seen.append((job_run["state"], [m for m in members if m in job_run]))

    assert seen == [
        ("PENDING", ["queuedDurationMilliseconds"]),
        ("SCHEDULED", ["queuedDurationMilliseconds"]),
        ("RUNNING", ["startedAt", "queuedDurationMilliseconds"]),
        ("SUCCESS", list(members)),
    ]


@needs_time_members
def test_a_run_born_ended_has_its_time_members(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED", "SUCCESS"])
    run = start(emr, app, retryPolicy={"maxAttempts": 2})

    job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    assert job_run["startedAt"] == job_run["attemptCreatedAt"]
    assert job_run["endedAt"] == job_run["updatedAt"]
    assert job_run["totalExecutionDurationSeconds"] == 300 + 60 + 300
    assert job_run["queuedDurationMilliseconds"] == 0


# -- concurrency --------------------------------------------------------------------------


def test_concurrent_polls_of_one_run_lose_and_double_no_step(
    emr: Any, app: str, transition: Any
) -> None:
    transition(progression="manual", times=1)
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    run = start(emr, app, retryPolicy={"maxAttempts": 3})
    expected = (
        [(1, s) for s in WALK]
        + [(2, "SUBMITTED")]
        + [(2, s) for s in WALK]
        + [(3, "SUBMITTED")]
        + [(3, s) for s in WALK]
        + [(3, "SUCCESS")]
    )
    seen: list[tuple[int, str]] = []
    lock = threading.Lock()

    def work() -> None:
        client = mea.EmrsAttempts().client()
        for _ in range(3):
            found = poll(client, app, run)
            with lock:
                seen.append(found)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(seen, key=expected.index) == expected


# -- moto's own state-manager endpoints on the server ---------------------------------------


def test_the_server_state_manager_endpoints_move_runs_already_started(
    clean_server: ServerProcess,
) -> None:
    client = clean_server.client()
    app = client.create_application(name="a", releaseLabel="emr-7.1.0", type="SPARK")[
        "applicationId"
    ]
    run = client.start_job_run(applicationId=app, executionRoleArn=ROLE, mode="STREAMING")[
        "jobRunId"
    ]
    try:
        answer = clean_server.post(
            "/moto-api/state-manager/set-transition",
            {"model_name": MODEL, "transition": {"progression": "manual", "times": 1}},
        )
        assert answer.status_code == 201, answer.text
        batch = client.start_job_run(applicationId=app, executionRoleArn=ROLE)["jobRunId"]

        assert polls(client, app, batch, 4) == [(1, s) for s in WALK] + [(1, "SUCCESS")]
        client.cancel_job_run(applicationId=app, jobRunId=run)
        assert poll(client, app, run) == (1, "CANCELLED")
    finally:
        clean_server.post("/moto-api/state-manager/unset-transition", {"model_name": MODEL})

    again = client.start_job_run(applicationId=app, executionRoleArn=ROLE)["jobRunId"]
    assert poll(client, app, again) == (1, "SUCCESS")


def test_get_job_run_of_an_unknown_run_still_answers_404_under_manual_progression(
    emr: Any, app: str, transition: Any
) -> None:
    transition(progression="manual", times=1)

    status, code, _ = error_of(emr.get_job_run, applicationId=app, jobRunId="nosuchrun")

    assert (status, code) == (404, "ResourceNotFoundException")
