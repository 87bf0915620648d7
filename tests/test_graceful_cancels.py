"""Graceful cancels (issue 20, item 5; SPEC 12): CancelJobRun's `shutdownGracePeriodInSeconds`
is 0 or 15-1800 (the user guide's range; the model gives none) and, under `time` progression,
keeps a RUNNING attempt CANCELLING for the longer of one step and that period. By default BATCH
job runs get none and STREAMING ones 120 seconds, from emr-7.9.0 on; earlier releases accept the
member and terminate at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import botocore.session
import pytest
from freezegun import freeze_time

import moto_emrs_attempts as mea

from .conftest import error_of
from .conftest import run_state as state
from .conftest import start_run as start

T0 = datetime(2026, 3, 1, 10, 0, 0, tzinfo=timezone.utc)

pytestmark = pytest.mark.skipif(
    "shutdownGracePeriodInSeconds"
    not in botocore.session.get_session()
    .get_service_model("emr-serverless")
    .operation_model("CancelJobRun")
    .input_shape.members,
    reason="this botocore's model has no shutdownGracePeriodInSeconds",
)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def application(emr: Any, release: str = "emr-7.9.0") -> str:
    found: str = emr.create_application(name="etl", releaseLabel=release, type="SPARK")[
        "applicationId"
    ]
    return found


MESSAGE = (
    "1 validation error detected: Value '{}' at 'shutdownGracePeriodInSeconds' failed to "
    "satisfy constraint: {}"
)
BELOW = "Member must be 0 or have value greater than or equal to 15"


@pytest.mark.parametrize(
    ("grace", "constraint"),
    [
        pytest.param(1, BELOW, id="1"),
        pytest.param(14, BELOW, id="14"),
        pytest.param(-1, BELOW, id="negative"),
        pytest.param(1801, "Member must have value less than or equal to 1800", id="1801"),
    ],
)
def test_a_grace_period_out_of_range_is_refused_and_cancels_nothing(
    emr: Any, grace: int, constraint: str
) -> None:
    app = application(emr)
    run = start(emr, app, mode="STREAMING")  # keeps RUNNING

    found = error_of(
        emr.cancel_job_run, applicationId=app, jobRunId=run, shutdownGracePeriodInSeconds=grace
    )

    assert found == (400, "ValidationException", MESSAGE.format(grace, constraint))
    assert state(emr, app, run) == "RUNNING"


@pytest.mark.parametrize("grace", [0, 15, 1800])
def test_a_grace_period_in_range_is_accepted(emr: Any, grace: int) -> None:
    app = application(emr)
    run = start(emr, app, mode="STREAMING")

    emr.cancel_job_run(applicationId=app, jobRunId=run, shutdownGracePeriodInSeconds=grace)

    assert state(emr, app, run) == "CANCELLED"  # immediate progression: at once


# Under time progression (a step every minute) a run is RUNNING from 10:03 and cancelled at
# 10:03:30; the attempt is CANCELLED at the first step due once its period has passed.
CASES = [
    pytest.param("emr-7.9.0", "BATCH", {}, 4, id="BATCH: none by default"),
    pytest.param("emr-7.9.0", "BATCH", {"shutdownGracePeriodInSeconds": 300}, 9, id="BATCH: 300 s"),
    pytest.param("emr-7.9.0", "STREAMING", {}, 6, id="STREAMING: 120 s by default"),
    pytest.param("emr-7.9.0", "STREAMING", {"shutdownGracePeriodInSeconds": 0}, 4, id="STREAMING: 0"),
    pytest.param("emr-7.9.0", "STREAMING", {"shutdownGracePeriodInSeconds": 15}, 4, id="shorter than a step"),
    pytest.param("emr-7.1.0", "STREAMING", {}, 4, id="before emr-7.9.0: no default"),
    pytest.param("emr-7.1.0", "BATCH", {"shutdownGracePeriodInSeconds": 300}, 4, id="before emr-7.9.0: none"),
]  # fmt: skip


@pytest.mark.parametrize(("release", "mode", "grace", "ended"), CASES)
def test_a_graceful_cancel_holds_cancelling_for_its_period_under_time_progression(
    emr: Any, transition: Any, release: str, mode: str, grace: dict[str, int], ended: int
) -> None:
    transition(progression="time", seconds=60)
    app = application(emr, release)
    with freeze_time(T0) as frozen:
        run = start(emr, app, mode=mode)
        frozen.move_to(at(3.5))
        assert state(emr, app, run) == "RUNNING"
        emr.cancel_job_run(applicationId=app, jobRunId=run, **grace)
        frozen.move_to(at(ended) - timedelta(seconds=1))
        assert state(emr, app, run) == "CANCELLING"
        frozen.move_to(at(60))
        job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    assert (job_run["state"], job_run["endedAt"]) == ("CANCELLED", at(ended))


def test_only_a_running_attempt_gets_a_grace_period(emr: Any, transition: Any) -> None:
    transition(progression="time", seconds=60)
    app = application(emr)
    with freeze_time(T0) as frozen:
        run = start(emr, app)
        frozen.move_to(at(2.5))
        assert state(emr, app, run) == "SCHEDULED"
        emr.cancel_job_run(applicationId=app, jobRunId=run, shutdownGracePeriodInSeconds=300)
        frozen.move_to(at(60))
        job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    assert (job_run["state"], job_run["endedAt"]) == ("CANCELLED", at(3))


def test_manual_progression_ends_a_graceful_cancel_at_the_next_step(emr: Any, manual: None) -> None:
    app = application(emr)
    run = start(emr, app, mode="STREAMING")
    for _ in range(3):  # PENDING, SCHEDULED, RUNNING
        state(emr, app, run)

    emr.cancel_job_run(applicationId=app, jobRunId=run, shutdownGracePeriodInSeconds=1800)

    assert state(emr, app, run) == "CANCELLED"


def test_a_second_cancel_keeps_the_first_one_s_period(emr: Any, transition: Any) -> None:
    transition(progression="time", seconds=60)
    app = application(emr)
    with freeze_time(T0) as frozen:
        run = start(emr, app)
        frozen.move_to(at(3.5))
        emr.cancel_job_run(applicationId=app, jobRunId=run, shutdownGracePeriodInSeconds=300)
        frozen.move_to(at(4.5))
        emr.cancel_job_run(applicationId=app, jobRunId=run)  # ignored while CANCELLING (AWS)
        frozen.move_to(at(60))
        job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    assert (job_run["updatedAt"], job_run["endedAt"]) == (at(9), at(9))


def test_a_graceful_cancel_in_its_period_survives_export_and_load(transition: Any) -> None:
    transition(progression="time", seconds=60)
    with freeze_time(T0) as frozen:
        with mea.mock_emrs_attempts() as emrs:
            emr = emrs.client()
            app = application(emr)
            run = start(emr, app, mode="STREAMING")
            frozen.move_to(at(3.5))
            emr.cancel_job_run(applicationId=app, jobRunId=run)  # 120 s: until 10:05:30
            document = emrs.export_history()
        with mea.mock_emrs_attempts() as emrs:
            emrs.load_history(document)
            frozen.move_to(at(60))
            job_run = emrs.client().get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    assert document["jobRuns"][0]["progress"]["graceUntil"] == "2026-03-01T10:05:30Z"
    assert (job_run["state"], job_run["endedAt"]) == ("CANCELLED", at(6))
