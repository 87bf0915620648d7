"""The attempt lifecycle (SPEC 4): StartJobRun with mode and retryPolicy, scripted outcomes,
and GetJobRun, ListJobRuns, CancelJobRun and GetDashboardForJobRun consistent with attempts.

Every boto3 answer here is also checked against its botocore output shape by the hook in
conftest.py; raw answers by `raw_get`.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any, Callable

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError
from freezegun import freeze_time
from moto.core import DEFAULT_ACCOUNT_ID
from moto.emrserverless.models import emrserverless_backends

import moto_emrs_attempts as mea
from moto_emrs_attempts.contract.service_model import enum

from .conformance import assert_error_conforms
from .conftest import ENDPOINT, RawGet, error_of

ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/app.py"}}
NO_CHECKS = Config(parameter_validation=False, retries={"total_max_attempts": 1})


def client(config: Config | None = None) -> Any:
    return boto3.client("emr-serverless", region_name="us-east-1", config=config)


def new_application(emr: Any, name: str = "app") -> str:
    application_id: str = emr.create_application(name=name, releaseLabel="emr-7.1.0", type="SPARK")[
        "applicationId"
    ]
    return application_id


def start(emr: Any, application_id: str, **kwargs: Any) -> str:
    """Start a job run with the required members filled in; return its id."""
    job_run_id: str = emr.start_job_run(
        applicationId=application_id, executionRoleArn=ROLE, jobDriver=DRIVER, **kwargs
    )["jobRunId"]
    return job_run_id


def states(emr: Any, application_id: str, job_run_id: str) -> list[str]:
    """The states of every attempt of a job run, in order."""
    pages = emr.get_paginator("list_job_run_attempts").paginate(
        applicationId=application_id, jobRunId=job_run_id
    )
    return [attempt["state"] for page in pages for attempt in page["jobRunAttempts"]]


def get_job_run(emr: Any, application_id: str, job_run_id: str, **kwargs: Any) -> Any:
    return emr.get_job_run(applicationId=application_id, jobRunId=job_run_id, **kwargs)["jobRun"]


def raw(method: str, path: str, body: Any = None) -> tuple[int, Any]:
    """Send a raw request inside the mock; errors must follow the AWS JSON error contract."""
    data = body if isinstance(body, (str, bytes)) or body is None else json.dumps(body)
    response = requests.request(method, ENDPOINT + path, data=data, timeout=30)
    assert response.headers.get("Content-Type") == "application/json", response.text
    if response.status_code >= 400:
        assert_error_conforms(response.status_code, response.headers, response.text)
    return response.status_code, response.json()


@pytest.fixture
def emr(emrs_attempts: mea.EmrsAttempts) -> Any:
    return emrs_attempts.client()


@pytest.fixture
def app(emr: Any) -> str:
    return new_application(emr)


# -- BATCH ------------------------------------------------------------------------------


def test_batch_retries_failed_attempts_until_one_succeeds(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])

    run = start(emr, app, retryPolicy={"maxAttempts": 3})

    assert states(emr, app, run) == ["FAILED", "FAILED", "SUCCESS"]
    job_run = get_job_run(emr, app, run)
    assert (job_run["attempt"], job_run["state"]) == (3, "SUCCESS")


def test_batch_stops_at_max_attempts_and_the_run_fails(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])

    run = start(emr, app, retryPolicy={"maxAttempts": 2})

    assert states(emr, app, run) == ["FAILED", "FAILED"]
    job_run = get_job_run(emr, app, run)
    assert (job_run["attempt"], job_run["state"]) == (2, "FAILED")


def test_batch_without_retry_policy_plays_one_attempt(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])

    run = start(emr, app)

    assert states(emr, app, run) == ["FAILED"]
    assert get_job_run(emr, app, run)["state"] == "FAILED"


def test_a_retry_due_after_the_script_runs_out_succeeds(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED"])

    run = start(emr, app, retryPolicy={"maxAttempts": 5})

    assert states(emr, app, run) == ["FAILED", "SUCCESS"]


def test_a_cancelled_attempt_ends_the_run(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED", "CANCELLED", "FAILED"])

    run = start(emr, app, retryPolicy={"maxAttempts": 5})

    assert states(emr, app, run) == ["FAILED", "CANCELLED"]


def test_a_job_run_started_without_a_script_has_one_successful_attempt(emr: Any, app: str) -> None:
    run = start(emr, app, retryPolicy={"maxAttempts": 3})

    assert states(emr, app, run) == ["SUCCESS"]
    assert get_job_run(emr, app, run)["attempt"] == 1


def test_scripted_attempt_times_start_at_the_job_run_creation_and_increase(
    emr: Any, app: str
) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    run = start(emr, app, retryPolicy={"maxAttempts": 3})

    attempts = emr.list_job_run_attempts(applicationId=app, jobRunId=run)["jobRunAttempts"]

    assert attempts[0]["createdAt"] == attempts[0]["jobCreatedAt"]
    for attempt in attempts:
        assert attempt["updatedAt"] > attempt["createdAt"]
    for previous, following in zip(attempts, attempts[1:]):
        assert following["createdAt"] > previous["updatedAt"]


# -- STREAMING --------------------------------------------------------------------------


def test_streaming_stops_after_max_failed_attempts_per_hour(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED"] * 6)

    run = start(emr, app, mode="STREAMING", retryPolicy={"maxFailedAttemptsPerHour": 3})

    assert states(emr, app, run) == ["FAILED"] * 3
    assert get_job_run(emr, app, run)["state"] == "FAILED"


def test_streaming_allows_five_failed_attempts_per_hour_by_default(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED"] * 8)

    run = start(emr, app, mode="STREAMING")

    assert states(emr, app, run) == ["FAILED"] * 5


def test_streaming_retries_until_an_attempt_succeeds(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS", "FAILED"])

    run = start(emr, app, mode="STREAMING", retryPolicy={"maxFailedAttemptsPerHour": 10})

    assert states(emr, app, run) == ["FAILED", "FAILED", "SUCCESS"]


# -- scripts ----------------------------------------------------------------------------


def test_a_script_for_the_application_comes_before_a_script_for_any(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED"])
    mea.script_outcomes(["CANCELLED"], application_id=app)

    first = start(emr, app)
    second = start(emr, app)

    assert states(emr, app, first) == ["CANCELLED"]
    assert states(emr, app, second) == ["FAILED"]


def test_a_script_for_another_application_is_left_for_it(emr: Any, app: str) -> None:
    other = new_application(emr, "other")
    mea.script_outcomes(["FAILED"], application_id=other)

    mine = start(emr, app)
    theirs = start(emr, other)

    assert states(emr, app, mine) == ["SUCCESS"]
    assert states(emr, other, theirs) == ["FAILED"]


def test_each_script_is_used_once(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED"])

    first = start(emr, app)
    second = start(emr, app)

    assert states(emr, app, first) == ["FAILED"]
    assert states(emr, app, second) == ["SUCCESS"]


def test_a_rejected_start_job_run_leaves_the_script_for_the_next(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED"])
    with pytest.raises(ClientError):
        start(emr, app, retryPolicy={"maxAttempts": 11})

    run = start(emr, app)

    assert states(emr, app, run) == ["FAILED"]


def test_a_script_applies_only_in_its_region(emrs_attempts: mea.EmrsAttempts) -> None:
    west = emrs_attempts.client("us-west-2")
    east = emrs_attempts.client("us-east-1")
    west_app, east_app = new_application(west), new_application(east)
    mea.script_outcomes(["FAILED"], region_name="us-west-2")

    east_run = start(east, east_app)
    west_run = start(west, west_app)

    assert states(east, east_app, east_run) == ["SUCCESS"]
    assert states(west, west_app, west_run) == ["FAILED"]


# -- StartJobRun ------------------------------------------------------------------------


def test_start_job_run_answers_the_job_run_arn(emr: Any, app: str) -> None:
    answer = emr.start_job_run(applicationId=app, executionRoleArn=ROLE, jobDriver=DRIVER)

    assert answer["applicationId"] == app
    assert answer["arn"] == (
        f"arn:aws:emr-serverless:us-east-1:{DEFAULT_ACCOUNT_ID}"
        f":/applications/{app}/jobruns/{answer['jobRunId']}"
    )


def test_start_job_run_stores_mode_and_retry_policy(emr: Any, app: str) -> None:
    run = start(emr, app, mode="STREAMING", retryPolicy={"maxFailedAttemptsPerHour": 7})

    job_run = get_job_run(emr, app, run)

    assert job_run["mode"] == "STREAMING"
    assert job_run["retryPolicy"] == {"maxFailedAttemptsPerHour": 7}


def test_mode_defaults_to_batch_and_retry_policy_is_absent_when_not_set(emr: Any, app: str) -> None:
    run = start(emr, app)

    job_run = get_job_run(emr, app, run)

    assert job_run["mode"] == "BATCH"
    assert "retryPolicy" not in job_run


def test_start_job_run_keeps_what_moto_stores(emr: Any, app: str) -> None:
    run = start(emr, app, name="nightly", tags={"team": "data"}, executionTimeoutMinutes=30)

    job_run = get_job_run(emr, app, run)

    assert job_run["name"] == "nightly"
    assert job_run["tags"] == {"team": "data"}
    assert job_run["executionTimeoutMinutes"] == 30
    assert job_run["jobDriver"] == DRIVER
    assert job_run["executionRole"] == ROLE


@pytest.mark.parametrize(
    ("mode", "policy", "message"),
    [
        (
            "BATCH",
            {"maxAttempts": 0},
            "1 validation error detected: Value '0' at 'retryPolicy.maxAttempts' failed to "
            "satisfy constraint: Member must have value greater than or equal to 1",
        ),
        (
            "BATCH",
            {"maxAttempts": 11},
            "1 validation error detected: Value '11' at 'retryPolicy.maxAttempts' failed to "
            "satisfy constraint: Member must have value less than or equal to 10",
        ),
        (
            "STREAMING",
            {"maxFailedAttemptsPerHour": 0},
            "1 validation error detected: Value '0' at 'retryPolicy.maxFailedAttemptsPerHour' "
            "failed to satisfy constraint: Member must have value greater than or equal to 1",
        ),
        (
            "STREAMING",
            {"maxFailedAttemptsPerHour": 11},
            "1 validation error detected: Value '11' at 'retryPolicy.maxFailedAttemptsPerHour' "
            "failed to satisfy constraint: Member must have value less than or equal to 10",
        ),
        (
            "STREAMING",
            {"maxAttempts": 0, "maxFailedAttemptsPerHour": 11},
            "2 validation errors detected: Value '0' at 'retryPolicy.maxAttempts' failed to "
            "satisfy constraint: Member must have value greater than or equal to 1; "
            "Value '11' at 'retryPolicy.maxFailedAttemptsPerHour' failed to satisfy "
            "constraint: Member must have value less than or equal to 10",
        ),
        (
            "STREAMING",
            {"maxAttempts": 3},
            "retryPolicy.maxAttempts is only applicable for BATCH mode, "
            "not for STREAMING job runs.",
        ),
        (
            "BATCH",
            {"maxFailedAttemptsPerHour": 3},
            "retryPolicy.maxFailedAttemptsPerHour is only applicable for STREAMING mode, "
            "not for BATCH job runs.",
        ),
        (
            "INTERACTIVE",
            {"maxAttempts": 3},
            "1 validation error detected: Value 'INTERACTIVE' at 'mode' failed to satisfy "
            "constraint: Member must satisfy enum value set: [BATCH, STREAMING]",
        ),
    ],
)
def test_start_job_run_rejects_an_invalid_retry_policy(
    emrs_attempts: mea.EmrsAttempts, mode: str, policy: dict[str, int], message: str
) -> None:
    emr = emrs_attempts.client()
    app = new_application(emr)
    unchecked = client(NO_CHECKS)

    found = error_of(
        unchecked.start_job_run,
        applicationId=app,
        executionRoleArn=ROLE,
        jobDriver=DRIVER,
        mode=mode,
        retryPolicy=policy,
    )

    assert found == (400, "ValidationException", message)
    assert emr.list_job_runs(applicationId=app)["jobRuns"] == []


@pytest.mark.parametrize(
    ("mode", "policy"),
    [
        ("BATCH", {"maxAttempts": 1}),
        ("BATCH", {"maxAttempts": 10}),
        ("STREAMING", {"maxFailedAttemptsPerHour": 1}),
        ("STREAMING", {"maxFailedAttemptsPerHour": 10}),
        ("BATCH", {}),
    ],
)
def test_start_job_run_accepts_retry_policies_within_bounds(
    emr: Any, app: str, mode: str, policy: dict[str, int]
) -> None:
    run = start(emr, app, mode=mode, retryPolicy=policy)

    assert get_job_run(emr, app, run)["retryPolicy"] == policy


def test_start_job_run_with_a_role_of_another_account_is_denied(emr: Any, app: str) -> None:
    found = error_of(
        emr.start_job_run,
        applicationId=app,
        executionRoleArn="arn:aws:iam::111111111111:role/job-role",
        jobDriver=DRIVER,
    )

    assert found == (403, "AccessDeniedException", "Cross-account pass role is not allowed.")


def test_start_job_run_keeps_moto_execution_timeout_check(emr: Any, app: str) -> None:
    found = error_of(
        emr.start_job_run,
        applicationId=app,
        executionRoleArn=ROLE,
        jobDriver=DRIVER,
        executionTimeoutMinutes=1,
    )

    assert found == (400, "ValidationException", "RunTimeout must be at least 5 minutes.")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"clientToken": "t", "jobDriver": DRIVER},
            "1 validation error detected: Value null at 'executionRoleArn' failed to satisfy "
            "constraint: Member must not be null",
        ),
        (
            {"clientToken": "t", "executionRoleArn": ROLE, "jobDriver": {}},
            "1 validation error detected: Value '{}' at 'jobDriver' failed to satisfy "
            "constraint: Member must have exactly one of its members set",
        ),
        (
            {"clientToken": "t", "executionRoleArn": ROLE, "retryPolicy": {"maxAttempts": "3"}},
            "1 validation error detected: Value '3' at 'retryPolicy.maxAttempts' failed to "
            "satisfy constraint: Member must be an integer",
        ),
        (
            {
                "clientToken": "t",
                "executionRoleArn": ROLE,
                "jobDriver": {"sparkSubmit": {"entryPoint": " "}},
            },
            "1 validation error detected: Value at 'jobDriver.sparkSubmit.entryPoint' failed "
            "to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*",
        ),
        ("{not json", "The request body is not valid JSON."),
        (
            "[1, 2]",
            "1 validation error detected: Value '[1, 2]' at 'body' failed to satisfy "
            "constraint: Member must be a JSON object",
        ),
    ],
)
def test_raw_start_job_run_validates_its_body_from_the_model(
    emr: Any, app: str, body: Any, message: str
) -> None:
    status, answer = raw("POST", f"/applications/{app}/jobruns", body)

    assert (status, answer["message"]) == (400, message)


# -- GetJobRun --------------------------------------------------------------------------


@pytest.fixture
def three_attempts(emr: Any, app: str) -> str:
    """A BATCH job run that failed twice, then succeeded."""
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    return start(emr, app, retryPolicy={"maxAttempts": 3})


def test_get_job_run_shows_the_latest_attempt(emr: Any, app: str, three_attempts: str) -> None:
    latest = emr.list_job_run_attempts(applicationId=app, jobRunId=three_attempts)[
        "jobRunAttempts"
    ][-1]

    job_run = get_job_run(emr, app, three_attempts)

    assert job_run["attempt"] == 3
    assert job_run["state"] == latest["state"]
    assert job_run["stateDetails"] == latest["stateDetails"]
    assert job_run["updatedAt"] == latest["updatedAt"]
    assert job_run["attemptCreatedAt"] == latest["createdAt"]
    assert job_run["attemptUpdatedAt"] == latest["updatedAt"]
    assert job_run["createdAt"] == latest["jobCreatedAt"]


def test_get_job_run_of_attempt_one_shows_it_failed(
    emr: Any, app: str, three_attempts: str
) -> None:
    first = emr.list_job_run_attempts(applicationId=app, jobRunId=three_attempts)["jobRunAttempts"][
        0
    ]

    job_run = get_job_run(emr, app, three_attempts, attempt=1)

    assert (job_run["attempt"], job_run["state"]) == (1, "FAILED")
    assert job_run["updatedAt"] == first["updatedAt"]
    assert job_run["attemptCreatedAt"] == first["createdAt"]


def test_get_job_run_of_an_attempt_after_the_latest_is_not_found(
    emr: Any, app: str, three_attempts: str
) -> None:
    found = error_of(emr.get_job_run, applicationId=app, jobRunId=three_attempts, attempt=4)

    assert found == (
        404,
        "ResourceNotFoundException",
        f"Attempt 4 of job run {three_attempts} does not exist",
    )


def test_get_job_run_of_attempt_zero_is_invalid(emr: Any, app: str, three_attempts: str) -> None:
    found = error_of(
        client(NO_CHECKS).get_job_run, applicationId=app, jobRunId=three_attempts, attempt=0
    )

    assert found == (
        400,
        "ValidationException",
        "1 validation error detected: Value '0' at 'attempt' failed to satisfy constraint: "
        "Member must have value greater than or equal to 1",
    )


@pytest.mark.parametrize(
    ("attempt", "clause"),
    [
        ("x", "Value 'x' at 'attempt' failed to satisfy constraint: Member must be an integer"),
        ("1.5", "Value '1.5' at 'attempt' failed to satisfy constraint: Member must be an integer"),
        ("", "Value '' at 'attempt' failed to satisfy constraint: Member must be an integer"),
        (
            "-1",
            "Value '-1' at 'attempt' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1",
        ),
    ],
)
def test_raw_get_job_run_with_an_attempt_that_is_not_a_positive_integer_is_invalid(
    raw_get: RawGet, app: str, three_attempts: str, attempt: str, clause: str
) -> None:
    status, _, body = raw_get(
        f"/applications/{app}/jobruns/{three_attempts}",
        f"attempt={attempt}",
        operation="GetJobRun",
    )

    assert (status, body["message"]) == (400, f"1 validation error detected: {clause}")


def test_raw_get_job_run_with_a_huge_attempt_is_not_found(
    raw_get: RawGet, app: str, three_attempts: str
) -> None:
    status, headers, _ = raw_get(
        f"/applications/{app}/jobruns/{three_attempts}",
        {"attempt": "9" * 40},
        operation="GetJobRun",
    )

    assert (status, headers["x-amzn-ErrorType"]) == (404, "ResourceNotFoundException")


def test_get_job_run_adopts_a_job_run_moto_started_outside_the_plugin(emr: Any, app: str) -> None:
    moto_backend = emrserverless_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    job_run = moto_backend.start_job_run(
        application_id=app,
        client_token="token",
        execution_role_arn=ROLE,
        job_driver=None,
        configuration_overrides=None,
        tags=None,
        execution_timeout_minutes=None,
        name=None,
    )

    answer = get_job_run(emr, app, job_run.id)

    assert (answer["attempt"], answer["state"], answer["mode"]) == (1, "SUCCESS", "BATCH")
    assert "sparkSubmit" in answer["jobDriver"]


def test_a_seeded_retry_policy_and_mode_show_in_get_job_run(
    emrs_attempts: mea.EmrsAttempts, emr: Any
) -> None:
    run = emrs_attempts.seed_job_run(
        ["FAILED", "FAILED"], mode="STREAMING", retry_policy={"maxFailedAttemptsPerHour": 2}
    )

    job_run = get_job_run(emr, run.application_id, run.job_run_id)

    assert job_run["mode"] == "STREAMING"
    assert job_run["retryPolicy"] == {"maxFailedAttemptsPerHour": 2}
    assert (job_run["attempt"], job_run["state"]) == (2, "FAILED")


def test_a_history_document_retry_policy_and_mode_show_in_get_job_run(
    emrs_attempts: mea.EmrsAttempts, emr: Any
) -> None:
    [run] = emrs_attempts.load_history(
        {
            "version": 1,
            "jobRuns": [
                {
                    "mode": "BATCH",
                    "retryPolicy": {"maxAttempts": 2},
                    "attempts": [{"state": "FAILED"}, {"state": "FAILED"}],
                }
            ],
        }
    )

    job_run = get_job_run(emr, run.application_id, run.job_run_id)

    assert job_run["retryPolicy"] == {"maxAttempts": 2}
    assert (job_run["mode"], job_run["attempt"], job_run["state"]) == ("BATCH", 2, "FAILED")


# -- ListJobRuns ------------------------------------------------------------------------


def one_second_apart() -> Any:
    """moto's clock, a second later at every reading: runs started in turn list newest first
    (ListJobRuns' order; runs of the same millisecond would list by id)."""
    return freeze_time("2026-03-01T12:00:00Z", auto_tick_seconds=1)


def test_list_job_runs_with_mode_streaming_returns_only_streaming_runs(emr: Any, app: str) -> None:
    start(emr, app)
    streaming = start(emr, app, mode="STREAMING")

    found = emr.list_job_runs(applicationId=app, mode="STREAMING")["jobRuns"]

    assert [(r["id"], r["mode"]) for r in found] == [(streaming, "STREAMING")]


def test_list_job_runs_with_mode_batch_returns_only_batch_runs(emr: Any, app: str) -> None:
    batch = start(emr, app)
    start(emr, app, mode="STREAMING")

    found = emr.list_job_runs(applicationId=app, mode="BATCH")["jobRuns"]

    assert [r["id"] for r in found] == [batch]


def test_list_job_runs_shows_each_run_as_of_its_latest_attempt(
    emr: Any, app: str, three_attempts: str
) -> None:
    job_run = get_job_run(emr, app, three_attempts)

    [summary] = emr.list_job_runs(applicationId=app)["jobRuns"]

    assert (summary["id"], summary["attempt"], summary["state"]) == (three_attempts, 3, "SUCCESS")
    assert summary["updatedAt"] == job_run["updatedAt"]
    assert summary["attemptCreatedAt"] == job_run["attemptCreatedAt"]


def test_list_job_runs_filters_states_on_the_latest_attempt(emr: Any, app: str) -> None:
    with one_second_apart():
        mea.script_outcomes(["FAILED", "SUCCESS"])
        recovered = start(emr, app, retryPolicy={"maxAttempts": 2})
        mea.script_outcomes(["FAILED"])
        failed = start(emr, app)

    succeeded = emr.list_job_runs(applicationId=app, states=["SUCCESS"])["jobRuns"]
    both = emr.list_job_runs(applicationId=app, states=["SUCCESS", "FAILED"])["jobRuns"]

    assert [r["id"] for r in succeeded] == [recovered]
    assert [r["id"] for r in both] == [failed, recovered]  # newest first


def test_list_job_runs_filters_on_creation_time(emrs_attempts: mea.EmrsAttempts, emr: Any) -> None:
    early = emrs_attempts.seed_job_run([mea.Attempt("SUCCESS", created_at=datetime(2025, 1, 1))])
    late = emrs_attempts.seed_job_run(
        [mea.Attempt("SUCCESS", created_at=datetime(2025, 6, 1))],
        application_id=early.application_id,
    )
    app = early.application_id

    after = emr.list_job_runs(applicationId=app, createdAtAfter=datetime(2025, 3, 1))["jobRuns"]
    before = emr.list_job_runs(applicationId=app, createdAtBefore=datetime(2025, 3, 1))["jobRuns"]

    assert [r["id"] for r in after] == [late.job_run_id]
    assert [r["id"] for r in before] == [early.job_run_id]


def test_list_job_runs_pages_every_run_once_in_order(emr: Any, app: str) -> None:
    with one_second_apart():
        runs = [start(emr, app) for _ in range(5)][::-1]  # newest first
    seen: list[str] = []
    pages: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"applicationId": app, "maxResults": 2}
    for _ in range(10):
        page = emr.list_job_runs(**kwargs)
        pages.append(page)
        seen += [r["id"] for r in page["jobRuns"]]
        if "nextToken" not in page:
            break
        kwargs["nextToken"] = page["nextToken"]

    assert seen == runs
    assert [len(p["jobRuns"]) for p in pages] == [2, 2, 1]


def test_list_job_runs_paginator_walks_filtered_runs(emr: Any, app: str) -> None:
    with one_second_apart():
        streaming = [start(emr, app, mode="STREAMING") for _ in range(3)][::-1]
        start(emr, app)
    pages = emr.get_paginator("list_job_runs").paginate(
        applicationId=app, mode="STREAMING", PaginationConfig={"PageSize": 1}
    )

    assert [r["id"] for page in pages for r in page["jobRuns"]] == streaming


def test_list_job_runs_of_an_application_without_runs_is_empty(emr: Any, app: str) -> None:
    answer = emr.list_job_runs(applicationId=app)

    assert answer["jobRuns"] == []
    assert "nextToken" not in answer


def test_list_job_runs_rejects_a_token_of_another_application(emr: Any, app: str) -> None:
    other = new_application(emr, "other")
    for _ in range(2):
        start(emr, other)
    token = emr.list_job_runs(applicationId=other, maxResults=1)["nextToken"]

    found = error_of(emr.list_job_runs, applicationId=app, nextToken=token)

    assert found == (
        400,
        "ValidationException",
        "Invalid nextToken: it was not issued for this application's job runs.",
    )


@pytest.mark.parametrize(
    ("query", "clause"),
    [
        (
            "maxResults=51",
            "Value '51' at 'maxResults' failed to satisfy constraint: "
            "Member must have value less than or equal to 50",
        ),
        (
            "mode=INTERACTIVE",
            "Value 'INTERACTIVE' at 'mode' failed to satisfy constraint: "
            "Member must satisfy enum value set: [BATCH, STREAMING]",
        ),
        (
            "states=SUCCESS&states=DONE",
            "Value 'DONE' at 'states' failed to satisfy constraint: Member must satisfy enum "
            f"value set: [{', '.join(enum('JobRunState'))}]",  # the model's states, in its order
        ),
        (
            "createdAtAfter=yesterday",
            "Value 'yesterday' at 'createdAtAfter' failed to satisfy constraint: "
            "Member must be a timestamp",
        ),
    ],
)
def test_raw_list_job_runs_validates_its_query(
    raw_get: RawGet, app: str, query: str, clause: str
) -> None:
    status, _, body = raw_get(f"/applications/{app}/jobruns", query, operation="ListJobRuns")

    assert (status, body["message"]) == (400, f"1 validation error detected: {clause}")


# -- CancelJobRun -----------------------------------------------------------------------


def test_cancel_job_run_cancels_a_running_attempt(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "RUNNING"])
    run = start(emr, app, retryPolicy={"maxAttempts": 3})
    before = get_job_run(emr, app, run)

    answer = emr.cancel_job_run(applicationId=app, jobRunId=run)

    assert (answer["applicationId"], answer["jobRunId"]) == (app, run)
    after = get_job_run(emr, app, run)
    assert (after["attempt"], after["state"]) == (3, "CANCELLED")
    assert after["updatedAt"] > before["updatedAt"]
    assert states(emr, app, run) == ["FAILED", "FAILED", "CANCELLED"]


@pytest.mark.parametrize("ending", ["SUCCESS", "FAILED", "CANCELLED"])
def test_cancel_job_run_leaves_a_run_that_has_ended_as_it_is(
    emr: Any, app: str, ending: str
) -> None:
    mea.script_outcomes([ending])
    run = start(emr, app)
    before = get_job_run(emr, app, run)

    answer = emr.cancel_job_run(applicationId=app, jobRunId=run)

    assert (answer["applicationId"], answer["jobRunId"]) == (app, run)
    assert get_job_run(emr, app, run) == before
    assert states(emr, app, run) == [ending]


def test_cancelling_a_running_attempt_starts_no_further_attempt(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED", "RUNNING"])
    run = start(emr, app, retryPolicy={"maxAttempts": 3})

    emr.cancel_job_run(applicationId=app, jobRunId=run)

    assert states(emr, app, run) == ["FAILED", "CANCELLED"]
    [summary] = emr.list_job_runs(applicationId=app)["jobRuns"]
    assert (summary["attempt"], summary["state"]) == (2, "CANCELLED")


def test_cancel_job_run_leaves_earlier_attempts_as_they_were(emr: Any, app: str) -> None:
    mea.script_outcomes(["FAILED", "FAILED", "RUNNING"])
    run = start(emr, app, retryPolicy={"maxAttempts": 3})

    emr.cancel_job_run(applicationId=app, jobRunId=run)

    assert get_job_run(emr, app, run, attempt=2)["state"] == "FAILED"


# -- GetDashboardForJobRun --------------------------------------------------------------


def test_dashboard_url_names_the_latest_attempt_by_default(
    emr: Any, app: str, three_attempts: str
) -> None:
    url = emr.get_dashboard_for_job_run(applicationId=app, jobRunId=three_attempts)["url"]

    assert url.startswith("https://")
    assert f"jobRunId={three_attempts}" in url
    assert url.endswith("attempt=3")


def test_dashboard_url_names_the_requested_attempt(emr: Any, app: str, three_attempts: str) -> None:
    url = emr.get_dashboard_for_job_run(applicationId=app, jobRunId=three_attempts, attempt=1)[
        "url"
    ]

    assert url.endswith("attempt=1")


def test_dashboard_of_an_attempt_after_the_latest_is_not_found(
    emr: Any, app: str, three_attempts: str
) -> None:
    found = error_of(
        emr.get_dashboard_for_job_run, applicationId=app, jobRunId=three_attempts, attempt=4
    )

    assert found == (
        404,
        "ResourceNotFoundException",
        f"Attempt 4 of job run {three_attempts} does not exist",
    )


def test_raw_dashboard_with_a_non_integer_attempt_is_invalid(
    raw_get: RawGet, app: str, three_attempts: str
) -> None:
    status, _, body = raw_get(
        f"/applications/{app}/jobruns/{three_attempts}/dashboard",
        "attempt=x",
        operation="GetDashboardForJobRun",
    )

    assert (status, body["message"]) == (
        400,
        "1 validation error detected: Value 'x' at 'attempt' failed to satisfy constraint: "
        "Member must be an integer",
    )


# -- every operation: not found, faults, odd input ---------------------------------------

OPERATIONS: dict[str, Callable[[Any, str, str], Any]] = {
    "StartJobRun": lambda emr, a, j: emr.start_job_run(
        applicationId=a, executionRoleArn=ROLE, jobDriver=DRIVER
    ),
    "GetJobRun": lambda emr, a, j: emr.get_job_run(applicationId=a, jobRunId=j),
    "ListJobRuns": lambda emr, a, j: emr.list_job_runs(applicationId=a),
    "CancelJobRun": lambda emr, a, j: emr.cancel_job_run(applicationId=a, jobRunId=j),
    "GetDashboardForJobRun": lambda emr, a, j: emr.get_dashboard_for_job_run(
        applicationId=a, jobRunId=j
    ),
}
JOB_RUN_OPERATIONS = ("GetJobRun", "CancelJobRun", "GetDashboardForJobRun")


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_an_unknown_application_is_not_found(emr: Any, operation: str) -> None:
    found = error_of(OPERATIONS[operation], emr=emr, a="nosuchapp", j="nosuchrun")

    assert found == (404, "ResourceNotFoundException", "Application nosuchapp does not exist")


@pytest.mark.parametrize("operation", JOB_RUN_OPERATIONS)
def test_an_unknown_job_run_is_not_found(emr: Any, app: str, operation: str) -> None:
    found = error_of(OPERATIONS[operation], emr=emr, a=app, j="nosuchrun")

    assert found == (404, "ResourceNotFoundException", "Job run nosuchrun does not exist")


@pytest.mark.parametrize("operation", JOB_RUN_OPERATIONS)
def test_a_job_run_of_another_application_is_not_found(emr: Any, app: str, operation: str) -> None:
    other = new_application(emr, "other")
    run = start(emr, other)

    found = error_of(OPERATIONS[operation], emr=emr, a=app, j=run)

    assert found == (404, "ResourceNotFoundException", f"Job run {run} does not exist")


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_an_injected_error_answers_once_then_the_operation_works(
    emr: Any, app: str, operation: str
) -> None:
    run = start(emr, app)
    mea.inject_error(operation, "InternalServerException")
    no_retries = client(Config(retries={"total_max_attempts": 1}))

    found = error_of(OPERATIONS[operation], emr=no_retries, a=app, j=run)
    OPERATIONS[operation](no_retries, app, run)

    assert found == (
        500,
        "InternalServerException",
        f"Injected InternalServerException for {operation}.",
    )


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/applications//jobruns"),
        ("POST", "/applications//jobruns"),
        ("GET", "/applications//jobruns/"),
        ("GET", "/applications/abc/jobruns//dashboard"),
        ("DELETE", "/applications/abc/jobruns/"),
        ("GET", "/applications/%C3%A9t%C3%A9/jobruns/abc"),
        ("GET", "/applications/" + "a" * 65 + "/jobruns"),
    ],
)
def test_odd_labels_are_invalid_not_a_server_error(
    emrs_attempts: mea.EmrsAttempts, method: str, path: str
) -> None:
    status, body = raw(method, path, {})

    assert status == 400
    assert re.match(r"\d validation errors? detected: Value ", body["message"])


def test_moto_application_operations_keep_working(emr: Any) -> None:
    app = new_application(emr, "kept")
    emr.stop_application(applicationId=app)
    emr.start_application(applicationId=app)

    assert emr.get_application(applicationId=app)["application"]["state"] == "STARTED"
    assert [a["id"] for a in emr.list_applications()["applications"]] == [app]
