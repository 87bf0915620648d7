"""ListJobRunAttempts over the wire: answers, pagination and errors (SPEC 3.1-3.3)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

import moto_emrs_attempts as mea

from .conftest import RawGet, attempts_path, error_of

ROLE = "arn:aws:iam::123456789012:role/job-role"


def client(**config: Any) -> Any:
    return boto3.client("emr-serverless", region_name="us-east-1", config=Config(**config))


def start_moto_job_run(emr: Any) -> tuple[str, str]:
    """Create an application and start a job run with moto's own operations."""
    application_id = emr.create_application(name="app", releaseLabel="emr-7.1.0", type="SPARK")[
        "applicationId"
    ]
    job_run_id = emr.start_job_run(
        applicationId=application_id,
        executionRoleArn=ROLE,
        jobDriver={"sparkSubmit": {"entryPoint": "local:///app.py"}},
        name="moto-run",
    )["jobRunId"]
    return application_id, job_run_id


# -- under a plain mock_aws ---------------------------------------------------------------


@mock_aws
def test_a_job_run_started_with_moto_has_one_attempt_mirroring_it() -> None:
    emr = client()
    application_id, job_run_id = start_moto_job_run(emr)
    job_run = emr.get_job_run(applicationId=application_id, jobRunId=job_run_id)["jobRun"]

    answer = emr.list_job_run_attempts(applicationId=application_id, jobRunId=job_run_id)

    [attempt] = answer["jobRunAttempts"]
    assert "nextToken" not in answer
    assert attempt["attempt"] == 1
    assert (attempt["applicationId"], attempt["id"]) == (application_id, job_run_id)
    assert attempt["name"] == "moto-run"
    assert attempt["arn"] == job_run["arn"]
    assert attempt["state"] == job_run["state"]
    assert attempt["executionRole"] == ROLE
    assert attempt["releaseLabel"] == "emr-7.1.0"
    assert attempt["jobCreatedAt"] == job_run["createdAt"]
    assert attempt["mode"] == "BATCH"


@mock_aws
def test_pages_of_seven_return_120_attempts_once_each_in_order(raw_get: RawGet) -> None:
    run = mea.seed_job_run(["FAILED"] * 119 + ["SUCCESS"])
    path = attempts_path(run.application_id, run.job_run_id)
    numbers: list[int] = []
    pages: list[dict[str, Any]] = []
    query: dict[str, Any] = {"maxResults": 7}
    while True:
        status, _, body = raw_get(path, query)
        assert status == 200
        pages.append(body)
        numbers += [a["attempt"] for a in body["jobRunAttempts"]]
        if "nextToken" not in body:
            break
        query = {"maxResults": 7, "nextToken": body["nextToken"]}

    assert numbers == list(range(1, 121))
    assert [len(p["jobRunAttempts"]) for p in pages] == [7] * 17 + [1]
    assert list(pages[-1]) == ["jobRunAttempts"]


@mock_aws
def test_boto3_paginator_walks_every_attempt() -> None:
    run = mea.seed_job_run(["FAILED"] * 11 + ["SUCCESS"])
    paginator = client().get_paginator("list_job_run_attempts")

    pages = list(
        paginator.paginate(
            applicationId=run.application_id,
            jobRunId=run.job_run_id,
            PaginationConfig={"PageSize": 5},
        )
    )

    assert [len(p["jobRunAttempts"]) for p in pages] == [5, 5, 2]
    states = [a["state"] for p in pages for a in p["jobRunAttempts"]]
    assert states == ["FAILED"] * 11 + ["SUCCESS"]


@mock_aws
def test_max_results_51_answers_validation_exception() -> None:
    run = mea.seed_job_run()

    assert error_of(
        client(parameter_validation=False).list_job_run_attempts,
        applicationId=run.application_id,
        jobRunId=run.job_run_id,
        maxResults=51,
    ) == (
        400,
        "ValidationException",
        "1 validation error detected: Value '51' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 50",
    )


@mock_aws
def test_an_unknown_job_run_answers_404() -> None:
    run = mea.seed_job_run()

    assert error_of(
        client().list_job_run_attempts, applicationId=run.application_id, jobRunId="nosuchrun"
    ) == (404, "ResourceNotFoundException", "Job run nosuchrun does not exist")


@mock_aws
def test_an_unknown_application_answers_404() -> None:
    assert error_of(
        client().list_job_run_attempts, applicationId="nosuchapp", jobRunId="nosuchrun"
    ) == (404, "ResourceNotFoundException", "Application nosuchapp does not exist")


@mock_aws
def test_a_job_run_of_another_application_answers_404() -> None:
    run = mea.seed_job_run()
    other = mea.seed_job_run()

    assert error_of(
        client().list_job_run_attempts,
        applicationId=other.application_id,
        jobRunId=run.job_run_id,
    ) == (404, "ResourceNotFoundException", f"Job run {run.job_run_id} does not exist")


# -- answers ------------------------------------------------------------------------------


def test_the_answer_is_json_with_a_json_content_type(emrs_attempts: Any, raw_get: RawGet) -> None:
    run = emrs_attempts.seed_job_run()

    status, headers, body = raw_get(attempts_path(run.application_id, run.job_run_id))

    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert [a["attempt"] for a in body["jobRunAttempts"]] == [1]


def test_the_default_page_size_is_50(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"] * 50 + ["SUCCESS"])

    first = emrs_client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id
    )
    rest = emrs_client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id, nextToken=first["nextToken"]
    )

    assert [a["attempt"] for a in first["jobRunAttempts"]] == list(range(1, 51))
    assert [a["attempt"] for a in rest["jobRunAttempts"]] == [51]
    assert "nextToken" not in rest


def test_a_page_that_ends_exactly_at_the_last_attempt_has_no_token(
    emrs_attempts: Any, raw_get: RawGet
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "FAILED", "SUCCESS"])

    _, _, body = raw_get(attempts_path(run.application_id, run.job_run_id), {"maxResults": 3})

    assert len(body["jobRunAttempts"]) == 3
    assert "nextToken" not in body


def test_attempts_are_ordered_by_attempt_number(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "FAILED", "CANCELLED"])

    attempts = emrs_client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id
    )["jobRunAttempts"]

    assert [(a["attempt"], a["state"]) for a in attempts] == [
        (1, "FAILED"),
        (2, "FAILED"),
        (3, "CANCELLED"),
    ]


def test_pagination_is_stable_when_attempts_are_appended_between_pages(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"] * 6)
    ids = {"applicationId": run.application_id, "jobRunId": run.job_run_id}

    first = emrs_client.list_job_run_attempts(**ids, maxResults=4)
    emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["FAILED", "SUCCESS"])
    second = emrs_client.list_job_run_attempts(**ids, maxResults=4, nextToken=first["nextToken"])

    numbers = [a["attempt"] for a in first["jobRunAttempts"] + second["jobRunAttempts"]]
    assert numbers == list(range(1, 9))
    assert second["jobRunAttempts"][-1]["state"] == "SUCCESS"
    assert "nextToken" not in second


def test_a_last_page_token_resumes_at_attempts_appended_later(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"] * 3)
    ids = {"applicationId": run.application_id, "jobRunId": run.job_run_id}

    first = emrs_client.list_job_run_attempts(**ids, maxResults=2)
    emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["SUCCESS"])
    second = emrs_client.list_job_run_attempts(**ids, maxResults=2, nextToken=first["nextToken"])

    assert [a["attempt"] for a in second["jobRunAttempts"]] == [3, 4]


# -- errors -------------------------------------------------------------------------------

ERRORS = [
    ("validation", "/applications/UPPER/jobruns/abc/attempts", "", 400, "ValidationException"),
    ("bad maxResults", "/applications/abc/jobruns/abc/attempts", "maxResults=x", 400, "ValidationException"),
    ("bad token", "/applications/abc/jobruns/abc/attempts", "nextToken=AAAA", 400, "ValidationException"),
    ("unknown application", "/applications/abc/jobruns/abc/attempts", "", 404, "ResourceNotFoundException"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "query", "status", "code"), [e[1:] for e in ERRORS], ids=[e[0] for e in ERRORS]
)
def test_errors_carry_the_error_type_header_and_a_message_body(
    emrs_attempts: Any, raw_get: RawGet, path: str, query: str, status: int, code: str
) -> None:
    answered, headers, body = raw_get(path, query)

    assert answered == status
    assert headers["x-amzn-ErrorType"] == code
    assert list(body) == ["message"]
    assert isinstance(body["message"], str)


def test_not_found_messages_name_the_application(emrs_attempts: Any, raw_get: RawGet) -> None:
    _, _, body = raw_get(attempts_path("nosuchapp", "nosuchrun"))

    assert body == {"message": "Application nosuchapp does not exist"}


def test_not_found_messages_name_the_job_run(emrs_attempts: Any, raw_get: RawGet) -> None:
    run = emrs_attempts.seed_job_run()

    _, _, body = raw_get(attempts_path(run.application_id, "nosuchrun"))

    assert body == {"message": "Job run nosuchrun does not exist"}


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/applications/doesnotexist"), ("POST", "/applications/doesnotexist/start")],
)
def test_moto_operations_answer_not_found_with_the_model_status(
    emrs_attempts: Any, raw_get: RawGet, method: str, path: str
) -> None:
    import requests

    response = requests.request(method, f"https://emr-serverless.us-east-1.amazonaws.com{path}")

    assert response.status_code == 404
    assert response.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert response.json()["message"] == "Application doesnotexist does not exist"
