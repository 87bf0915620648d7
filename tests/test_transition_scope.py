"""Transitions of the plugin's models end with the mock that was active when they were set
(SPEC 2), and `EmrsAttempts.progression` sets one for the current mock.

moto's state manager is global to the process: a test that sets `manual` and forgets to unset it
must not make the next test's runs come back `PENDING`. Every kind of mock is checked through
`pytester` (the fixture, the decorator, the context manager, a plain `@mock_aws`), nesting in
process, and the server, which runs no mock, through moto's own endpoints.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from moto import mock_aws
from moto.moto_api import state_manager

import moto_emrs_attempts as mea
from moto_emrs_attempts.engine.transitions import UnusableTransition

from ._server import ServerProcess, clean_server, server

__all__ = ["clean_server", "server"]  # fixtures

#: Inner runs skip the hypothesis plugin, which would re-import hypothesis in every run.
FAST = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")
JOB_RUN = "emrserverless::job_run"
APPLICATION = "emrserverless::application"
MANUAL = {"progression": "manual", "times": 1}
ROLE = "arn:aws:iam::123456789012:role/job-role"
SET_TRANSITION = "http://motoapi.amazonaws.com/moto-api/state-manager/set-transition"

#: A second test that starts a run in a mock of its own and sees it born whole.
SECOND = """
import boto3

def first_poll(emr):
    app = emr.create_application(name="a", releaseLabel="emr-7.1.0", type="SPARK")
    run = emr.start_job_run(applicationId=app["applicationId"], executionRoleArn="{role}")
    return emr.get_job_run(applicationId=app["applicationId"], jobRunId=run["jobRunId"])

def test_second_sees_its_run_born_whole(emrs_client):
    assert first_poll(emrs_client)["jobRun"]["state"] == "SUCCESS"
""".replace("{role}", ROLE)

#: The first test, under each kind of mock: it sets `manual` and never unsets it.
FORGETFUL = {
    "fixture": """
def test_first_forgets(emrs_attempts):
    state_manager.set_transition("emrserverless::job_run", {"progression": "manual", "times": 1})
""",
    "handle": """
def test_first_forgets(emrs_attempts):
    emrs_attempts.progression("manual", times=1)
""",
    "decorator": """
@mea.mock_emrs_attempts
def test_first_forgets():
    state_manager.set_transition("emrserverless::job_run", {"progression": "manual", "times": 1})
""",
    "context-manager": """
def test_first_forgets():
    with mea.mock_emrs_attempts():
        state_manager.set_transition(
            "emrserverless::job_run", {"progression": "manual", "times": 1}
        )
""",
    "plain-mock_aws": """
@mock_aws
def test_first_forgets():
    state_manager.set_transition("emrserverless::job_run", {"progression": "manual", "times": 1})
""",
    "over-moto-api": """
def test_first_forgets(emrs_attempts):
    requests.post(
        "http://motoapi.amazonaws.com/moto-api/state-manager/set-transition",
        json={"model_name": "emrserverless::job_run", "transition": {"progression": "manual", "times": 1}},
    ).raise_for_status()
""",
}
IMPORTS = """
import requests
from moto import mock_aws
from moto.moto_api import state_manager
import moto_emrs_attempts as mea
"""


@pytest.mark.parametrize("how", FORGETFUL)
def test_a_transition_a_test_forgets_does_not_reach_the_next_test(
    pytester: pytest.Pytester, how: str
) -> None:
    pytester.makepyfile(IMPORTS + FORGETFUL[how] + SECOND)

    pytester.runpytest(*FAST).assert_outcomes(passed=2)


def test_the_readmes_manual_fixture_lasts_one_test(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        IMPORTS
        + """
import pytest

@pytest.fixture
def manual(emrs_attempts):
    \"\"\"Every poll of a job run moves it one step, for one test.\"\"\"
    emrs_attempts.progression("manual", times=1)

def test_first_polls_step_by_step(emrs_client, manual):
    assert first_poll(emrs_client)["jobRun"]["state"] == "PENDING"
"""
        + SECOND
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=2)


def test_a_transition_set_inside_a_module_mock_ends_with_the_test(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        IMPORTS
        + """
import pytest

@pytest.fixture(scope="module", autouse=True)
def module_mock():
    with mea.mock_emrs_attempts() as emrs:
        yield emrs
"""
        + FORGETFUL["fixture"]
        + SECOND
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=2)


# -- nesting, in process --------------------------------------------------------------------


@pytest.fixture
def restored() -> Any:
    """Whatever a failing test left in force is unset afterwards, for the next tests."""
    yield
    for model in (JOB_RUN, APPLICATION):
        state_manager.unset_transition(model)


def test_nested_mocks_each_restore_what_was_in_force_when_they_started(restored: None) -> None:
    state_manager.set_transition(JOB_RUN, {"progression": "time", "seconds": 5})
    with mea.mock_emrs_attempts() as outer:
        outer.progression("time", seconds=60)
        with mock_aws():
            state_manager.set_transition(JOB_RUN, MANUAL)
            with mea.mock_emrs_attempts() as inner:
                inner.progression("immediate")
                assert state_manager.get_transition(JOB_RUN) == {"progression": "immediate"}
            assert state_manager.get_transition(JOB_RUN) == MANUAL
        assert state_manager.get_transition(JOB_RUN) == {"progression": "time", "seconds": 60}
    assert state_manager.get_transition(JOB_RUN) == {"progression": "time", "seconds": 5}


def test_a_transition_set_before_the_mock_is_in_force_in_it_and_after_it(restored: None) -> None:
    state_manager.set_transition(JOB_RUN, MANUAL)
    with mea.mock_emrs_attempts() as emrs:
        emr = emrs.client()
        app = emr.create_application(name="a", releaseLabel="emr-7.1.0", type="SPARK")
        run = emr.start_job_run(applicationId=app["applicationId"], executionRoleArn=ROLE)
        job_run = emr.get_job_run(applicationId=app["applicationId"], jobRunId=run["jobRunId"])
        assert job_run["jobRun"]["state"] == "PENDING"

    assert state_manager.get_transition(JOB_RUN) == MANUAL


def test_an_unset_transition_comes_back_unset(restored: None) -> None:
    with mea.mock_emrs_attempts():
        state_manager.set_transition(JOB_RUN, MANUAL)
        state_manager.set_transition(APPLICATION, MANUAL)

    assert state_manager.get_transition(JOB_RUN) == {"progression": "immediate"}
    assert JOB_RUN not in _user_transitions()
    assert APPLICATION not in _user_transitions()


def test_another_models_transition_is_left_to_its_owner(restored: None) -> None:
    with mea.mock_emrs_attempts():
        state_manager.set_transition("glue::job_run", MANUAL)
    try:
        assert state_manager.get_transition("glue::job_run") == MANUAL
    finally:
        state_manager.unset_transition("glue::job_run")


def test_a_transition_set_over_moto_api_in_process_ends_with_the_mock(restored: None) -> None:
    with mea.mock_emrs_attempts():
        answer = requests.post(
            SET_TRANSITION, json={"model_name": JOB_RUN, "transition": MANUAL}, timeout=30
        )
        assert answer.status_code == 201, answer.text
        assert state_manager.get_transition(JOB_RUN) == MANUAL

    assert state_manager.get_transition(JOB_RUN) == {"progression": "immediate"}


def _user_transitions() -> dict[str, Any]:
    found: dict[str, Any] = getattr(state_manager, "_transitions", {})
    return found


# -- EmrsAttempts.progression ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "in_force"),
    [
        ({"progression": "manual", "times": 3}, {"progression": "manual", "times": 3}),
        ({"progression": "time", "seconds": 60}, {"progression": "time", "seconds": 60}),
        ({"progression": "time", "seconds": 0.5}, {"progression": "time", "seconds": 0.5}),
        ({"progression": "immediate"}, {"progression": "immediate"}),
        (
            {"progression": "manual", "times": 1, "model": APPLICATION},
            {"progression": "manual", "times": 1},
        ),
    ],
)
def test_progression_sets_the_models_transition_for_the_mock(
    restored: None, arguments: dict[str, Any], in_force: dict[str, Any]
) -> None:
    model = arguments.get("model", JOB_RUN)
    with mea.mock_emrs_attempts() as emrs:
        emrs.progression(**arguments)
        assert state_manager.get_transition(model) == in_force

    assert model not in _user_transitions()


def test_progression_manual_moves_a_run_one_step_a_poll(emrs_attempts: mea.EmrsAttempts) -> None:
    emrs_attempts.progression("manual", times=1)
    emr = emrs_attempts.client()
    app = emr.create_application(name="a", releaseLabel="emr-7.1.0", type="SPARK")["applicationId"]
    run = emr.start_job_run(applicationId=app, executionRoleArn=ROLE)["jobRunId"]

    states = [emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]["state"] for _ in "1234"]

    assert states == ["PENDING", "SCHEDULED", "RUNNING", "SUCCESS"]


FORMS = (
    'use {"progression": "immediate"}, {"progression": "manual", "times": N} with N >= 1, '
    'or {"progression": "time", "seconds": S} with S >= 0.'
)


@pytest.mark.parametrize(
    ("arguments", "shown"),
    [
        ({"progression": "manul", "times": 1}, "{'progression': 'manul', 'times': 1}"),
        ({"progression": "manual"}, "{'progression': 'manual'}"),
        ({"progression": "manual", "times": 0}, "{'progression': 'manual', 'times': 0}"),
        ({"progression": "manual", "times": True}, "{'progression': 'manual', 'times': True}"),
        ({"progression": "manual", "times": 1.5}, "{'progression': 'manual', 'times': 1.5}"),
        ({"progression": "time"}, "{'progression': 'time'}"),
        ({"progression": "time", "seconds": -1}, "{'progression': 'time', 'seconds': -1}"),
        ({"progression": "time", "seconds": "60"}, "{'progression': 'time', 'seconds': '60'}"),
        ({"progression": "immediate", "times": 2}, "{'progression': 'immediate', 'times': 2}"),
        (
            {"progression": "manual", "times": 1, "seconds": 5},
            "{'progression': 'manual', 'times': 1, 'seconds': 5}",
        ),
        ({"progression": "time", "times": 2}, "{'progression': 'time', 'times': 2}"),
    ],
)
def test_progression_refuses_a_transition_the_model_cannot_use(
    emrs_attempts: mea.EmrsAttempts, arguments: dict[str, Any], shown: str
) -> None:
    with pytest.raises(UnusableTransition) as caught:
        emrs_attempts.progression(**arguments)

    assert str(caught.value) == (
        f"The state manager's transition for {JOB_RUN}, {shown}, is not one this model can "
        f"use: {FORMS}"
    )
    assert JOB_RUN not in _user_transitions()


def test_progression_of_an_applications_transition_names_that_model(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    with pytest.raises(UnusableTransition) as caught:
        emrs_attempts.progression("manual", times=0, model=APPLICATION)

    assert str(caught.value).startswith(f"The state manager's transition for {APPLICATION}, ")


def test_progression_refuses_a_model_the_plugin_does_not_have(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.progression("manual", times=1, model="emrserverless::jobrun")

    assert str(caught.value) == (
        "model: 'emrserverless::jobrun' is not a model of the plugin: use "
        "'emrserverless::job_run' or 'emrserverless::application'"
    )


def test_progression_needs_a_mock() -> None:
    with pytest.raises(RuntimeError, match=r"^Start a moto mock before calling progression\(\)"):
        mea.EmrsAttempts().progression("manual", times=1)


# -- the server runs no mock: moto's endpoints set transitions until they are unset ----------


@pytest.mark.slow
def test_the_server_keeps_a_transition_set_over_http_across_requests_and_resets(
    clean_server: ServerProcess,
) -> None:
    try:
        answer = clean_server.post(
            "/moto-api/state-manager/set-transition",
            {"model_name": JOB_RUN, "transition": MANUAL},
        )
        assert answer.status_code == 201, answer.text
        assert clean_server.post("/moto-api/reset", {}).status_code == 200
        client = clean_server.client()
        app = client.create_application(name="a", releaseLabel="emr-7.1.0", type="SPARK")
        run = client.start_job_run(applicationId=app["applicationId"], executionRoleArn=ROLE)
        job_run = client.get_job_run(applicationId=app["applicationId"], jobRunId=run["jobRunId"])

        assert job_run["jobRun"]["state"] == "PENDING"
    finally:
        clean_server.post("/moto-api/state-manager/unset-transition", {"model_name": JOB_RUN})


# -- a plain mock_aws nested in another ends what was set under it, faults included ----------


def test_a_fault_set_under_a_nested_plain_mock_aws_ends_with_it(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    run = emrs_attempts.seed_job_run(["SUCCESS"])
    with mock_aws():
        mea.inject_error("ListJobRunAttempts", "ThrottlingException", times=5)

    page = emrs_attempts.client().list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id
    )
    assert [a["state"] for a in page["jobRunAttempts"]] == ["SUCCESS"]
