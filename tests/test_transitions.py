"""State-manager transitions this model cannot use are rejected loudly (SPEC 8): StartJobRun and
every poll of a moving run answer `400 ValidationException` showing the transition given and the
forms this model takes, and change nothing. A transition set for a mistyped model name close to
`emrserverless::job_run` is the same error at StartJobRun, naming both names.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

import pytest
from moto.core import DEFAULT_ACCOUNT_ID
from moto.emrserverless.models import emrserverless_backends
from moto.moto_api import state_manager

import moto_emrs_attempts as mea

from ._server import ServerProcess, clean_server, server
from .conftest import error_of

__all__ = ["clean_server", "server"]  # fixtures

MODEL = "emrserverless::job_run"
ROLE = "arn:aws:iam::123456789012:role/job-role"
FORMS = (
    'use {"progression": "immediate"}, {"progression": "manual", "times": N} with N >= 1, '
    'or {"progression": "time", "seconds": S} with S >= 0.'
)


def rejected(raw: Any) -> tuple[int, str, str]:
    return (
        400,
        "ValidationException",
        f"The state manager's transition for {MODEL}, {raw!r}, is not one this model can use: "
        + FORMS,
    )


def mistyped(name: str, raw: Any) -> tuple[int, str, str]:
    return (
        400,
        "ValidationException",
        f"The state manager's transition for {name}, {raw!r}, is for a model name no moto "
        f"backend registered: did you mean {MODEL}?",
    )


UNUSABLE = [
    pytest.param({"progression": "manul"}, id="unknown progression"),
    pytest.param({}, id="no progression"),
    pytest.param({"progression": "manual"}, id="times missing"),
    pytest.param({"progression": "manual", "times": 0}, id="times 0"),
    pytest.param({"progression": "manual", "times": -2}, id="times below 0"),
    pytest.param({"progression": "manual", "times": "2"}, id="times a string"),
    pytest.param({"progression": "manual", "times": 1.5}, id="times not an integer"),
    pytest.param({"progression": "manual", "times": True}, id="times a bool"),
    pytest.param({"progression": "time"}, id="seconds missing"),
    pytest.param({"progression": "time", "seconds": -1}, id="seconds below 0"),
    pytest.param({"progression": "time", "seconds": "10"}, id="seconds a string"),
    pytest.param({"progression": "time", "seconds": False}, id="seconds a bool"),
    pytest.param(None, id="not a dict"),
]


@pytest.fixture
def transition() -> Iterator[Callable[..., None]]:
    """Set transitions for one test (any model name); every one is unset afterwards."""
    names: list[str] = []

    def set_transition(raw: Any, name: str = MODEL) -> None:
        names.append(name)
        state_manager.set_transition(model_name=name, transition=raw)

    yield set_transition
    for name in names:
        state_manager.unset_transition(name)


def start(emr: Any, app: str, **kwargs: Any) -> str:
    found: str = emr.start_job_run(applicationId=app, executionRoleArn=ROLE, **kwargs)["jobRunId"]
    return found


def start_error(emr: Any, app: str) -> tuple[int, str, str]:
    return error_of(emr.start_job_run, applicationId=app, executionRoleArn=ROLE)


def poll(emr: Any, app: str, run: str) -> tuple[int, str]:
    job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]
    return job_run["attempt"], job_run["state"]


# -- StartJobRun ----------------------------------------------------------------------------


@pytest.mark.parametrize("raw", UNUSABLE)
def test_start_job_run_rejects_a_transition_this_model_cannot_use(
    emr: Any, app: str, transition: Any, raw: Any
) -> None:
    transition(raw)

    assert start_error(emr, app) == rejected(raw)


def test_a_rejected_start_job_run_creates_no_job_run_and_keeps_the_script(
    emr: Any, app: str, transition: Any
) -> None:
    mea.script_outcomes(["FAILED", "SUCCESS"])
    transition({"progression": "manul"})
    start_error(emr, app)

    state_manager.unset_transition(MODEL)

    assert emr.list_job_runs(applicationId=app)["jobRuns"] == []
    assert emrserverless_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].job_runs.get(app, []) == []
    run = start(emr, app, retryPolicy={"maxAttempts": 2})
    assert poll(emr, app, run) == (2, "SUCCESS")


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param({"progression": "immediate"}, id="immediate"),
        pytest.param({"progression": "immediate", "times": 3}, id="immediate with extra keys"),
        pytest.param({"progression": "manual", "times": 2}, id="manual"),
        pytest.param({"progression": "time", "seconds": 0}, id="time, 0 seconds"),
        pytest.param({"progression": "time", "seconds": 2.5}, id="time, a float"),
    ],
)
def test_start_job_run_takes_every_form_this_model_can_use(
    emr: Any, app: str, transition: Any, raw: Any
) -> None:
    transition(raw)

    run = start(emr, app)

    assert emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]["jobRunId"] == run


# -- polls of a moving run --------------------------------------------------------------

POLLS = [
    pytest.param(lambda e, a, r: e.get_job_run(applicationId=a, jobRunId=r), id="GetJobRun"),
    pytest.param(
        lambda e, a, r: e.list_job_run_attempts(applicationId=a, jobRunId=r),
        id="ListJobRunAttempts",
    ),
    pytest.param(lambda e, a, r: e.list_job_runs(applicationId=a), id="ListJobRuns"),
    pytest.param(
        lambda e, a, r: e.get_dashboard_for_job_run(applicationId=a, jobRunId=r),
        id="GetDashboardForJobRun",
    ),
    pytest.param(lambda e, a, r: e.cancel_job_run(applicationId=a, jobRunId=r), id="CancelJobRun"),
]


@pytest.mark.parametrize("call", POLLS)
def test_a_poll_of_a_moving_run_rejects_a_transition_this_model_cannot_use(
    emr: Any, app: str, transition: Any, call: Any
) -> None:
    transition({"progression": "manual", "times": 1})
    run = start(emr, app)
    assert poll(emr, app, run) == (1, "PENDING")
    raw = {"progression": "manual", "times": 0}
    transition(raw)

    assert error_of(lambda: call(emr, app, run)) == rejected(raw)


@pytest.mark.parametrize("call", POLLS)
def test_a_rejected_poll_changes_nothing(emr: Any, app: str, transition: Any, call: Any) -> None:
    transition({"progression": "manual", "times": 1})
    run = start(emr, app)
    assert poll(emr, app, run) == (1, "PENDING")
    transition({"progression": "time"})
    error_of(lambda: call(emr, app, run))

    transition({"progression": "manual", "times": 1})

    assert poll(emr, app, run) == (1, "SCHEDULED")


def test_a_run_that_has_ended_answers_whatever_the_transition(
    emr: Any, app: str, transition: Any
) -> None:
    run = start(emr, app)
    transition({"progression": "manul"})

    assert poll(emr, app, run) == (1, "SUCCESS")


# -- a mistyped model name --------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "emrserverless::jobrun",
        "emrserverless::job_runs",
        "emr-serverless::job_run",
        "EMRServerless::job_run",
        "emrserverless::job-run",
        "emrserverless::attempt",
    ],
)
def test_start_job_run_rejects_a_transition_for_a_mistyped_model_name(
    emr: Any, app: str, transition: Any, name: str
) -> None:
    raw = {"progression": "manual", "times": 1}
    transition(raw, name)

    assert start_error(emr, app) == mistyped(name, raw)
    assert emr.list_job_runs(applicationId=app)["jobRuns"] == []


def test_a_transition_for_another_model_name_is_left_alone(
    emr: Any, app: str, transition: Any
) -> None:
    transition({"progression": "manual", "times": 1}, "mytests::widget")

    run = start(emr, app)

    assert poll(emr, app, run) == (1, "SUCCESS")


# -- on the server ------------------------------------------------------------------------


@pytest.mark.slow
def test_the_server_rejects_a_transition_set_over_http(clean_server: ServerProcess) -> None:
    client = clean_server.client()
    app = client.create_application(name="a", releaseLabel="emr-7.1.0", type="SPARK")[
        "applicationId"
    ]
    raw = {"progression": "manual", "times": "1"}
    try:
        answer = clean_server.post(
            "/moto-api/state-manager/set-transition", {"model_name": MODEL, "transition": raw}
        )
        assert answer.status_code == 201, answer.text

        assert start_error(client, app) == rejected(raw)
    finally:
        clean_server.post("/moto-api/state-manager/unset-transition", {"model_name": MODEL})
    assert client.list_job_runs(applicationId=app)["jobRuns"] == []
