"""Concurrency and queueing (SPEC 8): `schedulerConfiguration` on CreateApplication,
UpdateApplication and GetApplication, QUEUED job runs that leave in order, and the queue
timeout on moto's clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
import requests
from freezegun import freeze_time
from moto import mock_aws

import moto_emrs_attempts as mea
from moto_emrs_attempts.contract.policies import scheduler_limits

from .conftest import error_of

pytestmark = pytest.mark.skipif(
    scheduler_limits() is None, reason="this botocore's model has no schedulerConfiguration"
)

MODEL = "emrserverless::job_run"
ROLE = "arn:aws:iam::123456789012:role/job-role"
T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
DEFAULT = {"maxConcurrentRuns": 15, "queueTimeoutMinutes": 360}


def create(emr: Any, release: str = "emr-7.1.0", **kwargs: Any) -> str:
    found: str = emr.create_application(name="app", releaseLabel=release, type="SPARK", **kwargs)[
        "applicationId"
    ]
    return found


def configuration(emr: Any, app: str) -> Any:
    return emr.get_application(applicationId=app)["application"].get("schedulerConfiguration")


def start(emr: Any, app: str, **kwargs: Any) -> str:
    found: str = emr.start_job_run(applicationId=app, executionRoleArn=ROLE, **kwargs)["jobRunId"]
    return found


def state(emr: Any, app: str, run: str) -> str:
    found: str = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]["state"]
    return found


# -- schedulerConfiguration -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ({}, DEFAULT),
        ({"maxConcurrentRuns": 2}, {"maxConcurrentRuns": 2, "queueTimeoutMinutes": 360}),
        ({"queueTimeoutMinutes": 15}, {"maxConcurrentRuns": 15, "queueTimeoutMinutes": 15}),
        (
            {"maxConcurrentRuns": 1000, "queueTimeoutMinutes": 720},
            {"maxConcurrentRuns": 1000, "queueTimeoutMinutes": 720},
        ),
    ],
)
def test_create_application_takes_a_scheduler_configuration(
    emr: Any, given: dict[str, int], shown: dict[str, int]
) -> None:
    app = create(emr, schedulerConfiguration=given)

    assert configuration(emr, app) == shown


@pytest.mark.parametrize(
    ("release", "shown"),
    [("emr-7.3.0", DEFAULT), ("emr-7.10.0", DEFAULT), ("emr-7.2.0", None), ("emr-6.15.0", None)],
)
def test_an_application_without_one_has_the_default_from_emr_7_3_0(
    emr: Any, release: str, shown: Any
) -> None:
    app = create(emr, release)

    assert configuration(emr, app) == shown


CLAUSE = "Value '{}' at 'schedulerConfiguration.{}' failed to satisfy constraint: Member must {}"


@pytest.mark.parametrize(
    ("given", "clauses"),
    [
        (
            {"maxConcurrentRuns": 0},
            [CLAUSE.format(0, "maxConcurrentRuns", "have value greater than or equal to 1")],
        ),
        (
            {"maxConcurrentRuns": 1001},
            [CLAUSE.format(1001, "maxConcurrentRuns", "have value less than or equal to 1000")],
        ),
        (
            {"queueTimeoutMinutes": 14},
            [CLAUSE.format(14, "queueTimeoutMinutes", "have value greater than or equal to 15")],
        ),
        (
            {"queueTimeoutMinutes": 721},
            [CLAUSE.format(721, "queueTimeoutMinutes", "have value less than or equal to 720")],
        ),
        ({"maxConcurrentRuns": "2"}, [CLAUSE.format(2, "maxConcurrentRuns", "be an integer")]),
        (
            {"maxConcurrentRuns": 0, "queueTimeoutMinutes": 721},
            [
                CLAUSE.format(721, "queueTimeoutMinutes", "have value less than or equal to 720"),
                CLAUSE.format(0, "maxConcurrentRuns", "have value greater than or equal to 1"),
            ],
        ),
    ],
)
def test_an_out_of_range_configuration_is_a_validation_error_and_creates_nothing(
    emr: Any, given: dict[str, Any], clauses: list[str]
) -> None:
    response = requests.post(
        "https://emr-serverless.us-east-1.amazonaws.com/applications",
        json={
            "name": "bad",
            "releaseLabel": "emr-7.1.0",
            "type": "SPARK",
            "clientToken": "t",
            "schedulerConfiguration": given,
        },
        timeout=30,
    )
    count = len(clauses)
    noun = "error" if count == 1 else "errors"

    assert (response.status_code, response.headers["x-amzn-ErrorType"]) == (
        400,
        "ValidationException",
    )
    assert response.json()["message"] == f"{count} validation {noun} detected: {'; '.join(clauses)}"
    assert emr.list_applications()["applications"] == []


def test_update_application_changes_the_configuration(emr: Any) -> None:
    app = create(emr, schedulerConfiguration={"maxConcurrentRuns": 2})
    emr.stop_application(applicationId=app)

    answer = emr.update_application(
        applicationId=app, schedulerConfiguration={"queueTimeoutMinutes": 30}
    )

    assert answer["application"]["schedulerConfiguration"] == {
        "maxConcurrentRuns": 15,
        "queueTimeoutMinutes": 30,
    }
    assert configuration(emr, app) == {"maxConcurrentRuns": 15, "queueTimeoutMinutes": 30}


def test_an_invalid_update_changes_nothing(emr: Any) -> None:
    app = create(emr, schedulerConfiguration={"maxConcurrentRuns": 2})
    emr.stop_application(applicationId=app)

    status, code, message = error_of(
        emr.update_application, applicationId=app, schedulerConfiguration={"maxConcurrentRuns": 0}
    )

    assert (status, code) == (400, "ValidationException")
    assert message == "1 validation error detected: " + CLAUSE.format(
        0, "maxConcurrentRuns", "have value greater than or equal to 1"
    )
    assert configuration(emr, app) == {"maxConcurrentRuns": 2, "queueTimeoutMinutes": 360}


def test_an_update_moto_refuses_changes_no_configuration(emr: Any) -> None:
    app = create(emr, schedulerConfiguration={"maxConcurrentRuns": 2})
    emr.start_application(applicationId=app)  # STARTED: moto refuses

    status, code, _ = error_of(
        emr.update_application, applicationId=app, schedulerConfiguration={"maxConcurrentRuns": 5}
    )

    assert (status, code) == (400, "ValidationException")
    assert configuration(emr, app) == {"maxConcurrentRuns": 2, "queueTimeoutMinutes": 360}


# -- queueing ---------------------------------------------------------------------------------


def test_immediate_a_run_waits_queued_while_a_streaming_run_holds_the_only_slot(emr: Any) -> None:
    app = create(emr, schedulerConfiguration={"maxConcurrentRuns": 1})
    streaming = start(emr, app, mode="STREAMING")
    first, second = start(emr, app), start(emr, app)

    assert [state(emr, app, r) for r in (streaming, first, second)] == [
        "RUNNING",
        "QUEUED",
        "QUEUED",
    ]

    emr.cancel_job_run(applicationId=app, jobRunId=streaming)

    assert [state(emr, app, r) for r in (streaming, first, second)] == [
        "CANCELLED",
        "SUCCESS",
        "SUCCESS",
    ]


@pytest.mark.parametrize(
    ("polls", "seen"),
    [
        pytest.param(
            [
                ("holder", 3),
                ("second", 1),
                ("first", 1),
                ("second", 1),
                ("holder", 1),
                ("second", 1),
                ("first", 1),
            ],
            [
                "SCHEDULED",
                "RUNNING",
                "SUCCESS",
                "QUEUED",
                "PENDING",
                "QUEUED",
                "SUCCESS",
                "QUEUED",
                "SCHEDULED",
            ],
            id="a freed slot goes to the run queued first",
        ),
    ],
)
def test_manual_queue_sequence(
    emr: Any, transition: Any, polls: list[tuple[str, int]], seen: list[str]
) -> None:
    transition(progression="manual", times=1)
    app = create(emr, schedulerConfiguration={"maxConcurrentRuns": 1})
    runs = {"holder": start(emr, app)}
    assert state(emr, app, runs["holder"]) == "PENDING"
    runs["first"] = start(emr, app)
    assert state(emr, app, runs["first"]) == "QUEUED"
    runs["second"] = start(emr, app)
    assert state(emr, app, runs["second"]) == "QUEUED"

    found = [state(emr, app, runs[name]) for name, count in polls for _ in range(count)]

    assert found == seen


def test_queue_timeout_with_a_frozen_clock(emr: Any, transition: Any) -> None:
    transition(progression="manual", times=1)
    app = create(emr, schedulerConfiguration={"maxConcurrentRuns": 1, "queueTimeoutMinutes": 15})
    with freeze_time(T0) as frozen:
        holder = start(emr, app, mode="STREAMING")
        state(emr, app, holder)
        waiting = start(emr, app)
        assert state(emr, app, waiting) == "QUEUED"
        frozen.move_to(T0 + timedelta(minutes=15))
        assert state(emr, app, waiting) == "QUEUED"
        frozen.move_to(T0 + timedelta(minutes=15, seconds=1))

        cancelling = emr.get_job_run(applicationId=app, jobRunId=waiting)["jobRun"]
        cancelled = emr.get_job_run(applicationId=app, jobRunId=waiting)["jobRun"]

    details = (
        "Job run was cancelled: it stayed QUEUED longer than the application's "
        "queueTimeoutMinutes (15 minutes)."
    )
    assert (cancelling["state"], cancelling["stateDetails"]) == ("CANCELLING", details)
    assert (cancelled["state"], cancelled["stateDetails"]) == ("CANCELLED", details)
    assert cancelled["queuedDurationMilliseconds"] == (15 * 60 + 1) * 1000
    assert "startedAt" not in cancelled
    assert cancelled["totalExecutionDurationSeconds"] == 0


def test_queue_timeout_under_immediate_progression_cancels_at_once(emr: Any) -> None:
    app = create(emr, schedulerConfiguration={"maxConcurrentRuns": 1, "queueTimeoutMinutes": 15})
    with freeze_time(T0) as frozen:
        start(emr, app, mode="STREAMING")
        waiting = start(emr, app)
        frozen.move_to(T0 + timedelta(minutes=16))

        assert state(emr, app, waiting) == "CANCELLED"


def test_raising_max_concurrent_runs_lets_queued_runs_go(emr: Any) -> None:
    app = create(emr, schedulerConfiguration={"maxConcurrentRuns": 1})
    start(emr, app, mode="STREAMING")
    waiting = start(emr, app)
    # AWS updates only an application that is stopped, which no run in flight lets happen:
    # a new configuration reaches a running application through the backend (a load does).
    backend = mea.attempts_backends["123456789012"]["us-east-1"]
    backend.set_scheduler_configuration(
        backend.application(app), {"maxConcurrentRuns": 2, "queueTimeoutMinutes": 360}
    )

    assert state(emr, app, waiting) == "SUCCESS"


def test_a_cancelled_queued_run_gives_its_place_to_the_next(emr: Any, transition: Any) -> None:
    transition(progression="manual", times=1)
    app = create(emr, schedulerConfiguration={"maxConcurrentRuns": 1})
    holder = start(emr, app)
    state(emr, app, holder)
    first, second = start(emr, app), start(emr, app)
    state(emr, app, first), state(emr, app, second)

    emr.cancel_job_run(applicationId=app, jobRunId=first)
    for _ in range(3):
        state(emr, app, holder)

    assert [state(emr, app, r) for r in (first, second)] == ["CANCELLED", "PENDING"]


@pytest.mark.parametrize("order", ["as exported", "reversed"])
def test_a_run_cancelled_before_its_slot_holds_none_after_export_and_load(
    transition: Any, order: str
) -> None:
    """Found by the export round-trip property (issue 19 item 4): a run cancelled while
    SUBMITTED never held a slot, and loaded back it takes none, whatever the order of the
    document's job runs; the run started after it gets the only slot at its first poll."""
    transition(progression="manual", times=1)
    with mock_aws():
        emr = boto3.client("emr-serverless", region_name="us-east-1")
        app = create(emr, schedulerConfiguration={"maxConcurrentRuns": 1})
        cancelled = start(emr, app)
        emr.cancel_job_run(applicationId=app, jobRunId=cancelled)  # SUBMITTED: no slot yet
        following = start(emr, app)
        document = mea.export_history()
    if order == "reversed":
        document["jobRuns"].reverse()

    with mock_aws():
        emr = boto3.client("emr-serverless", region_name="us-east-1")
        mea.load_history(document)

        assert [state(emr, app, run) for run in (following, cancelled)] == [
            "PENDING",
            "CANCELLED",
        ]
