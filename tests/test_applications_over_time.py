"""Applications over time (SPEC 12, issue 20 items 1-3 and 7): their states through moto's state
manager (model `emrserverless::application`), what AWS refuses in a state, auto-start and
auto-stop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import boto3
import pytest
import requests
from botocore.config import Config
from freezegun import freeze_time
from moto.moto_api import state_manager

from moto_emrs_attempts.engine.transitions import APPLICATION_MODEL_NAME

from .conftest import MODEL, error_of

ROLE = "arn:aws:iam::123456789012:role/job-role"
T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)


@pytest.fixture
def apps() -> Iterator[Callable[..., None]]:
    """`apps(progression=..., times=...)` sets the applications' transition for one test."""
    yield lambda **given: state_manager.set_transition(APPLICATION_MODEL_NAME, given)
    state_manager.unset_transition(APPLICATION_MODEL_NAME)


def create(emr: Any, **extra: Any) -> str:
    found: str = emr.create_application(
        name="app", releaseLabel="emr-7.1.0", type="SPARK", **extra
    )["applicationId"]
    return found


def state(emr: Any, application_id: str) -> str:
    found: str = emr.get_application(applicationId=application_id)["application"]["state"]
    return found


def run(emr: Any, application_id: str, **extra: Any) -> str:
    found: str = emr.start_job_run(applicationId=application_id, executionRoleArn=ROLE, **extra)[
        "jobRunId"
    ]
    return found


def run_state(emr: Any, application_id: str, job_run_id: str) -> str:
    found: str = emr.get_job_run(applicationId=application_id, jobRunId=job_run_id)["jobRun"][
        "state"
    ]
    return found


# -- states ---------------------------------------------------------------------------------


def test_the_model_is_registered_with_the_immediate_default() -> None:
    assert APPLICATION_MODEL_NAME == "emrserverless::application"
    assert APPLICATION_MODEL_NAME in state_manager.get_registered_models()
    assert state_manager.get_transition(APPLICATION_MODEL_NAME) == {"progression": "immediate"}


def test_a_new_application_is_created_not_started(emr: Any) -> None:
    assert state(emr, create(emr)) == "CREATED"


def test_manual_a_new_application_is_creating_until_its_step(emr: Any, apps: Any) -> None:
    apps(progression="manual", times=2)
    app = create(emr)

    assert [state(emr, app) for _ in range(3)] == ["CREATING", "CREATED", "CREATED"]


def test_manual_times_1_the_first_poll_already_sees_created(emr: Any, apps: Any) -> None:
    apps(progression="manual", times=1)
    app = create(emr)

    assert state(emr, app) == "CREATED"


def test_manual_start_and_stop_go_through_starting_and_stopping(emr: Any, apps: Any) -> None:
    apps(progression="manual", times=1)
    app = create(emr)
    seen = [state(emr, app)]
    emr.start_application(applicationId=app)
    seen += [state(emr, app), state(emr, app)]
    emr.stop_application(applicationId=app)
    seen += [state(emr, app)]

    assert seen == ["CREATED", "STARTED", "STARTED", "STOPPED"]


def test_manual_with_times_2_each_transition_is_seen(emr: Any, apps: Any) -> None:
    apps(progression="manual", times=2)
    app = create(emr)
    seen = [state(emr, app), state(emr, app)]
    emr.start_application(applicationId=app)
    seen += [state(emr, app), state(emr, app)]
    emr.stop_application(applicationId=app)
    seen += [state(emr, app), state(emr, app)]

    assert seen == ["CREATING", "CREATED", "STARTING", "STARTED", "STOPPING", "STOPPED"]


def test_polls_of_an_application_at_rest_count_toward_nothing(emr: Any, apps: Any) -> None:
    apps(progression="manual", times=2)
    app = create(emr)
    state(emr, app), state(emr, app)  # CREATED
    for _ in range(3):  # at rest: an odd number of polls that count nothing
        state(emr, app)
    emr.start_application(applicationId=app)  # the count starts here

    assert [state(emr, app), state(emr, app)] == ["STARTING", "STARTED"]


def test_a_list_applications_page_that_returns_it_is_a_poll(emr: Any, apps: Any) -> None:
    apps(progression="manual", times=2)
    app = create(emr)

    listed = [emr.list_applications()["applications"][0]["state"] for _ in range(2)]

    assert listed == ["CREATING", "CREATED"]
    assert state(emr, app) == "CREATED"


def test_the_transition_is_read_on_every_poll_for_applications_already_created(
    emr: Any, apps: Any
) -> None:
    apps(progression="manual", times=5)
    app = create(emr)
    assert state(emr, app) == "CREATING"

    state_manager.unset_transition(APPLICATION_MODEL_NAME)

    assert state(emr, app) == "CREATED"


def test_time_the_step_falls_due_after_the_seconds_and_is_stamped_then(emr: Any, apps: Any) -> None:
    apps(progression="time", seconds=30)
    with freeze_time(T0) as clock:
        app = create(emr)
        clock.tick(29)
        assert state(emr, app) == "CREATING"
        clock.tick(600)  # a late poll: the step is stamped when it fell due
        found = emr.get_application(applicationId=app)["application"]

    assert found["state"] == "CREATED"
    assert found["updatedAt"] == T0 + timedelta(seconds=30)


def test_delete_terminates_and_list_applications_no_longer_shows_it(emr: Any) -> None:
    kept, deleted = create(emr), create(emr)

    emr.delete_application(applicationId=deleted)

    assert state(emr, deleted) == "TERMINATED"
    assert [a["id"] for a in emr.list_applications()["applications"]] == [kept]


def test_an_unusable_transition_is_a_validation_exception(emr: Any, apps: Any) -> None:
    apps(progression="manual", times=5)
    app = create(emr)  # CREATING: its next poll reads the transition
    apps(progression="manual", times=0)

    status, code, message = error_of(emr.get_application, applicationId=app)

    assert (status, code) == (400, "ValidationException")
    assert message.startswith(
        "The state manager's transition for emrserverless::application, "
        "{'progression': 'manual', 'times': 0}, is not one this model can use"
    )


def test_the_server_endpoint_sets_the_transition(emr: Any) -> None:
    try:
        requests.post(
            "http://motoapi.amazonaws.com/moto-api/state-manager/set-transition",
            json={
                "model_name": APPLICATION_MODEL_NAME,
                "transition": {"progression": "manual", "times": 2},
            },
            timeout=10,
        ).raise_for_status()
        app = create(emr)

        assert state(emr, app) == "CREATING"
    finally:
        state_manager.unset_transition(APPLICATION_MODEL_NAME)


# -- refusals -------------------------------------------------------------------------------


def started(emr: Any) -> str:
    app = create(emr)
    emr.start_application(applicationId=app)
    return app


@pytest.mark.parametrize("operation", ["update_application", "delete_application"])
def test_update_and_delete_are_refused_outside_created_and_stopped(
    emr: Any, operation: str
) -> None:
    app = started(emr)

    status, code, message = error_of(getattr(emr, operation), applicationId=app)

    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"Application {app} must be in one of the following statuses [CREATED, STOPPED]. "
        "Current status: STARTED"
    )


def test_stop_is_refused_while_a_job_run_has_not_ended(emr: Any) -> None:
    app = started(emr)
    run(emr, app, mode="STREAMING")  # keeps running

    status, code, message = error_of(emr.stop_application, applicationId=app)

    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"Application {app} cannot be STOPPED while it has job runs that have not ended (1); "
        "cancel them or wait for them to end first. Current status: STARTED"
    )
    assert state(emr, app) == "STARTED"


def test_stop_goes_through_once_the_runs_are_cancelled(emr: Any) -> None:
    app = started(emr)
    job_run_id = run(emr, app, mode="STREAMING")
    emr.cancel_job_run(applicationId=app, jobRunId=job_run_id)

    emr.stop_application(applicationId=app)

    assert state(emr, app) == "STOPPED"


@pytest.mark.parametrize("resting", ["CREATED", "STOPPED"])
def test_stop_of_an_application_that_is_not_running_answers_200_and_changes_nothing(
    emr: Any, resting: str
) -> None:
    app = create(emr)
    if resting == "STOPPED":
        emr.start_application(applicationId=app)
        emr.stop_application(applicationId=app)
    before = emr.get_application(applicationId=app)["application"]["updatedAt"]

    answer = emr.stop_application(applicationId=app)

    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    after = emr.get_application(applicationId=app)["application"]
    assert (after["state"], after["updatedAt"]) == (resting, before)


def test_start_of_a_started_application_answers_200_and_changes_nothing(emr: Any) -> None:
    app = started(emr)
    before = emr.get_application(applicationId=app)["application"]["updatedAt"]

    answer = emr.start_application(applicationId=app)

    assert answer["ResponseMetadata"]["HTTPStatusCode"] == 200
    after = emr.get_application(applicationId=app)["application"]
    assert (after["state"], after["updatedAt"]) == ("STARTED", before)


def test_stop_of_a_deleted_application_is_refused_in_aws_words(emr: Any) -> None:
    app = create(emr)
    emr.delete_application(applicationId=app)

    assert error_of(emr.stop_application, applicationId=app) == (
        400,
        "ValidationException",
        "Application cannot be STOPPED. Applications must be in one of the following "
        "statuses: [STARTING, STARTED]",
    )


def test_start_of_a_deleted_application_is_refused(emr: Any) -> None:
    app = create(emr)
    emr.delete_application(applicationId=app)

    assert error_of(emr.start_application, applicationId=app) == (
        400,
        "ValidationException",
        f"Application {app} cannot be STARTED. Applications must be in one of the following "
        "statuses: [CREATED, STOPPED]. Current status: TERMINATED",
    )


def test_start_of_an_unknown_application_is_not_found(emr: Any) -> None:
    assert error_of(emr.start_application, applicationId="nosuchapp") == (
        404,
        "ResourceNotFoundException",
        "Application nosuchapp does not exist",
    )


# -- auto-start ------------------------------------------------------------------------------


def test_a_job_run_on_a_created_application_starts_it(emr: Any) -> None:
    app = create(emr)

    job_run_id = run(emr, app)

    assert state(emr, app) == "STARTED"
    assert run_state(emr, app, job_run_id) == "SUCCESS"


def test_the_first_attempt_waits_submitted_until_the_application_has_started(
    emr: Any, apps: Any
) -> None:
    state_manager.set_transition(MODEL, {"progression": "manual", "times": 1})
    try:
        apps(progression="manual", times=2)
        app = create(emr)
        state(emr, app), state(emr, app)  # CREATED
        job_run_id = run(emr, app)

        seen = [run_state(emr, app, job_run_id), run_state(emr, app, job_run_id)]
        seen += [state(emr, app), state(emr, app)]
        seen += [run_state(emr, app, job_run_id)]
    finally:
        state_manager.unset_transition(MODEL)

    assert seen == ["SUBMITTED", "SUBMITTED", "STARTING", "STARTED", "PENDING"]


def test_a_job_run_on_a_stopped_application_starts_it_again(emr: Any, apps: Any) -> None:
    app = started(emr)
    emr.stop_application(applicationId=app)
    apps(progression="manual", times=2)

    job_run_id = run(emr, app)

    assert state(emr, app) == "STARTING"
    assert state(emr, app) == "STARTED"
    assert run_state(emr, app, job_run_id) == "SUCCESS"  # immediate job runs go on at once


def test_with_auto_start_off_a_job_run_is_refused_and_nothing_is_created(emr: Any) -> None:
    app = create(emr, autoStartConfiguration={"enabled": False})

    status, code, message = error_of(emr.start_job_run, applicationId=app, executionRoleArn=ROLE)

    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"Application {app} is CREATED and its autoStartConfiguration is disabled: start the "
        "application before submitting a job run."
    )
    assert emr.list_job_runs(applicationId=app)["jobRuns"] == []
    assert state(emr, app) == "CREATED"


def test_a_job_run_on_a_creating_application_is_refused(emr: Any, apps: Any) -> None:
    apps(progression="manual", times=3)
    app = create(emr)

    assert error_of(emr.start_job_run, applicationId=app, executionRoleArn=ROLE) == (
        400,
        "ValidationException",
        f"Application {app} cannot accept job runs while it is CREATING. Current status: CREATING",
    )


# -- auto-stop -------------------------------------------------------------------------------


def test_an_idle_started_application_stops_after_its_idle_timeout(emr: Any) -> None:
    with freeze_time(T0) as clock:
        app = started(emr)
        clock.tick(15 * 60 - 1)
        assert state(emr, app) == "STARTED"
        clock.tick(3600)
        found = emr.get_application(applicationId=app)["application"]

    assert found["state"] == "STOPPED"
    assert found["updatedAt"] == T0 + timedelta(minutes=15)


def test_manual_auto_stop_is_seen_stopping_then_stopped(emr: Any, apps: Any) -> None:
    with freeze_time(T0) as clock:
        app = started(emr)
        apps(progression="manual", times=1)
        clock.tick(16 * 60)

        assert [state(emr, app), state(emr, app)] == ["STOPPING", "STOPPED"]


def test_idle_time_counts_from_the_last_job_run_s_end(emr: Any) -> None:
    with freeze_time(T0) as clock:
        app = started(emr)
        clock.tick(10 * 60)
        job_run_id = run(emr, app, mode="STREAMING")
        clock.tick(60 * 60)
        assert state(emr, app) == "STARTED"  # a run in flight: never idle
        emr.cancel_job_run(applicationId=app, jobRunId=job_run_id)
        clock.tick(14 * 60)
        assert state(emr, app) == "STARTED"
        clock.tick(2 * 60)

        assert state(emr, app) == "STOPPED"


def test_an_idle_timeout_of_its_own_applies(emr: Any) -> None:
    with freeze_time(T0) as clock:
        app = create(emr, autoStopConfiguration={"enabled": True, "idleTimeoutMinutes": 1})
        emr.start_application(applicationId=app)
        clock.tick(61)

        assert state(emr, app) == "STOPPED"


def test_with_auto_stop_off_an_idle_application_keeps_running(emr: Any) -> None:
    with freeze_time(T0) as clock:
        app = create(emr, autoStopConfiguration={"enabled": False})
        emr.start_application(applicationId=app)
        clock.tick(24 * 3600)

        assert state(emr, app) == "STARTED"


def test_get_application_shows_the_auto_configurations_with_their_defaults(emr: Any) -> None:
    app = create(emr, autoStopConfiguration={"enabled": True})

    found = emr.get_application(applicationId=app)["application"]

    assert found["autoStartConfiguration"] == {"enabled": True}
    assert found["autoStopConfiguration"] == {"enabled": True, "idleTimeoutMinutes": 15}


@pytest.mark.parametrize(
    ("minutes", "constraint"),
    [
        (0, "Member must have value greater than or equal to 1"),
        (10081, "Member must have value less than or equal to 10080"),
    ],
)
def test_an_idle_timeout_out_of_range_is_refused(
    emrs_attempts: Any, minutes: int, constraint: str
) -> None:
    emr = boto3.client(
        "emr-serverless", region_name="us-east-1", config=Config(parameter_validation=False)
    )
    status, code, message = error_of(
        emr.create_application,
        name="app",
        releaseLabel="emr-7.1.0",
        type="SPARK",
        autoStopConfiguration={"idleTimeoutMinutes": minutes},
    )

    assert (status, code) == (400, "ValidationException")
    assert message == (
        f"1 validation error detected: Value '{minutes}' at "
        f"'autoStopConfiguration.idleTimeoutMinutes' failed to satisfy constraint: {constraint}"
    )
    assert emr.list_applications()["applications"] == []


def test_time_auto_stop_is_stopping_then_stopped_stamped_when_due(emr: Any, apps: Any) -> None:
    apps(progression="time", seconds=60)
    with freeze_time(T0) as clock:
        app = create(emr)  # CREATED at +60s
        clock.tick(120)
        emr.start_application(applicationId=app)  # STARTED at +180s, idle from then
        clock.tick(60 + 15 * 60 + 20)  # +1100s: the idle timeout fell due at +1080s
        seen = [state(emr, app)]
        clock.tick(100)  # +1200s
        found = emr.get_application(applicationId=app)["application"]

    assert seen == ["STOPPING"]
    assert found["state"] == "STOPPED"
    assert found["updatedAt"] == T0 + timedelta(seconds=1140)


def test_list_applications_filters_see_the_steps_the_clock_made_due(emr: Any, apps: Any) -> None:
    apps(progression="time", seconds=30)
    with freeze_time(T0) as clock:
        app = create(emr)
        clock.tick(31)

        listed = emr.list_applications(states=["CREATED"])["applications"]

    assert [(a["id"], a["state"]) for a in listed] == [(app, "CREATED")]


def test_time_the_first_step_of_a_waiting_run_falls_due_once_the_application_started(
    emr: Any, apps: Any
) -> None:
    apps(progression="time", seconds=60)
    state_manager.set_transition(MODEL, {"progression": "time", "seconds": 10})
    try:
        with freeze_time(T0) as clock:
            app = create(emr)
            clock.tick(100)
            job_run_id = run(emr, app)  # the application starts: STARTED at +160s
            clock.tick(59)
            waiting = run_state(emr, app, job_run_id)
            clock.tick(6)
            found = emr.get_job_run(applicationId=app, jobRunId=job_run_id)["jobRun"]
    finally:
        state_manager.unset_transition(MODEL)

    assert waiting == "SUBMITTED"
    assert (found["state"], found["updatedAt"]) == ("PENDING", T0 + timedelta(seconds=160))


def test_the_handle_sets_the_applications_progression_until_the_mock_ends() -> None:
    import moto_emrs_attempts as mea

    with mea.mock_emrs_attempts() as emrs:
        emrs.progression("manual", times=2, model=APPLICATION_MODEL_NAME)
        emr = emrs.client()
        app = create(emr)

        assert [state(emr, app), state(emr, app)] == ["CREATING", "CREATED"]

    assert state_manager.get_transition(APPLICATION_MODEL_NAME) == {"progression": "immediate"}
