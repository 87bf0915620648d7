"""GetDashboardForJobRun of an attempt that has not been scheduled yet (SUBMITTED, PENDING or
QUEUED) answers what AWS answers, `400 ValidationException: Dashboard cannot be served for job in
PENDING state` (the answer dagster-aws#26933 ran into), and is still a poll: it takes its step
first, and the error names the state that step left.
"""

from __future__ import annotations

from typing import Any

import moto_emrs_attempts as mea

from .conftest import error_of, needs_scheduler

MODEL = "emrserverless::job_run"
ROLE = "arn:aws:iam::123456789012:role/job-role"


def refused(state: str) -> tuple[int, str, str]:
    return (400, "ValidationException", f"Dashboard cannot be served for job in {state} state")


def start(emr: Any, app: str, **kwargs: Any) -> str:
    found: str = emr.start_job_run(applicationId=app, executionRoleArn=ROLE, **kwargs)["jobRunId"]
    return found


def dashboard_error(emr: Any, app: str, run: str, **kwargs: Any) -> tuple[int, str, str]:
    return error_of(emr.get_dashboard_for_job_run, applicationId=app, jobRunId=run, **kwargs)


def poll(emr: Any, app: str, run: str) -> tuple[int, str]:
    job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]
    return job_run["attempt"], job_run["state"]


def test_a_submitted_run_has_no_dashboard(emr: Any, app: str, transition: Any) -> None:
    transition(progression="manual", times=2)
    run = start(emr, app)

    assert dashboard_error(emr, app, run) == refused("SUBMITTED")


def test_a_pending_run_has_no_dashboard(emr: Any, app: str, transition: Any) -> None:
    transition(progression="manual", times=1)
    run = start(emr, app)

    assert dashboard_error(emr, app, run) == refused("PENDING")


@needs_scheduler
def test_a_queued_run_has_no_dashboard(emrs_attempts: mea.EmrsAttempts, emr: Any) -> None:
    app = emr.create_application(
        name="app",
        releaseLabel="emr-7.1.0",
        type="SPARK",
        schedulerConfiguration={"maxConcurrentRuns": 1},
    )["applicationId"]
    start(emr, app, mode="STREAMING")
    queued = start(emr, app)

    assert dashboard_error(emr, app, queued) == refused("QUEUED")


def test_a_refused_dashboard_is_still_a_poll(emr: Any, app: str, transition: Any) -> None:
    transition(progression="manual", times=1)
    run = start(emr, app)
    dashboard_error(emr, app, run)

    assert poll(emr, app, run) == (1, "SCHEDULED")


def test_a_scheduled_run_has_a_dashboard(emr: Any, app: str, transition: Any) -> None:
    transition(progression="manual", times=1)
    run = start(emr, app)
    assert poll(emr, app, run) == (1, "PENDING")

    url = emr.get_dashboard_for_job_run(applicationId=app, jobRunId=run)["url"]

    assert url.endswith(f"?jobRunId={run}&attempt=1")


def test_the_dashboard_of_an_earlier_attempt_is_served_while_the_latest_waits(
    emr: Any, app: str, transition: Any
) -> None:
    transition(progression="manual", times=1)
    mea.script_outcomes(["FAILED", "SUCCESS"])
    run = start(emr, app, retryPolicy={"maxAttempts": 2})
    for _ in range(3):
        poll(emr, app, run)
    assert poll(emr, app, run) == (2, "SUBMITTED")

    url = emr.get_dashboard_for_job_run(applicationId=app, jobRunId=run, attempt=1)["url"]

    assert url.endswith("&attempt=1")
    assert poll(emr, app, run) == (2, "SCHEDULED")  # the dashboard's poll made attempt 2 PENDING


def test_the_latest_attempt_submitted_after_a_retry_has_no_dashboard(
    emr: Any, app: str, transition: Any
) -> None:
    transition(progression="manual", times=2)
    mea.script_outcomes(["FAILED", "SUCCESS"])
    run = start(emr, app, retryPolicy={"maxAttempts": 2})
    for _ in range(7):
        poll(emr, app, run)
    assert poll(emr, app, run) == (2, "SUBMITTED")

    assert dashboard_error(emr, app, run) == refused("SUBMITTED")
    assert dashboard_error(emr, app, run, attempt=2) == refused("PENDING")
