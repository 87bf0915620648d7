"""The conformance checker catches every kind of departure from the botocore output shape."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from moto_emrs_attempts.contract.service_model import enum

from .conformance import assert_conforms, error_problems, problems

#: The model's job run states: botocore 1.34 (tox -e moto-min) has no QUEUED yet.
JOB_RUN_STATES = ", ".join(enum("JobRunState"))

APP = "00fabcdefghij012"
RUN = "00fjobrun0000001"
ARN = f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APP}/jobruns/{RUN}"


def valid_body() -> dict[str, Any]:
    return {
        "jobRunAttempts": [
            {
                "applicationId": APP,
                "id": RUN,
                "name": "nightly",
                "mode": "BATCH",
                "arn": ARN,
                "createdBy": "arn:aws:iam::123456789012:root",
                "jobCreatedAt": 1767225600.0,
                "createdAt": 1767225600.0,
                "updatedAt": "2026-01-01T00:05:00Z",
                "executionRole": "arn:aws:iam::123456789012:role/job-role",
                "state": "SUCCESS",
                "stateDetails": "Job run completed successfully.",
                "releaseLabel": "emr-7.1.0",
                "type": "Spark",
                "attempt": 1,
            }
        ],
        "nextToken": "AAAA-_==",
    }


def test_a_valid_body_has_no_problems() -> None:
    assert problems("ListJobRunAttempts", valid_body()) == []


def test_an_empty_page_without_token_has_no_problems() -> None:
    assert problems("ListJobRunAttempts", {"jobRunAttempts": []}) == []


def _set(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    body = valid_body()
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return body


def _drop(path: tuple[Any, ...]) -> dict[str, Any]:
    body = valid_body()
    target: Any = body
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return body


ITEM = ("jobRunAttempts", 0)

BROKEN = [
    ("missing top-level member", _drop(("jobRunAttempts",)), "$.jobRunAttempts: required member is missing"),
    ("missing required member", _drop((*ITEM, "createdBy")), "$.jobRunAttempts[0].createdBy: required member is missing"),
    ("unknown top-level member", _set(("NextToken",), "x"), "$.NextToken: unknown member of ListJobRunAttemptsResponse"),
    ("unknown item member", _set((*ITEM, "attemptNumber"), 1), "$.jobRunAttempts[0].attemptNumber: unknown member of JobRunAttemptSummary"),
    ("bad pattern", _set((*ITEM, "applicationId"), "App-1"), "$.jobRunAttempts[0].applicationId: 'App-1' does not match the pattern [0-9a-z]+"),
    ("bad ARN pattern", _set((*ITEM, "createdBy"), "arn:aws:s3:::my-bucket-name"), "$.jobRunAttempts[0].createdBy: 'arn:aws:s3:::my-bucket-name' does not match the pattern arn:(aws[a-zA-Z0-9-]*):(iam|sts)::(\\d{12})?:[\\w/+=,.@-]+"),
    ("blank stateDetails", _set((*ITEM, "stateDetails"), "   "), "$.jobRunAttempts[0].stateDetails: '   ' does not match the pattern .*\\S.*"),
    ("bad enum", _set((*ITEM, "state"), "SUCCEEDED"), "$.jobRunAttempts[0].state: 'SUCCEEDED' is not one of " + JOB_RUN_STATES),
    ("bad mode enum", _set((*ITEM, "mode"), "batch"), "$.jobRunAttempts[0].mode: 'batch' is not one of BATCH, STREAMING"),
    ("too long string", _set((*ITEM, "id"), "a" * 65), "$.jobRunAttempts[0].id: length 65 is more than the maximum 64"),
    ("too short string", _set((*ITEM, "createdBy"), "arn:aws:iam:::a"), "$.jobRunAttempts[0].createdBy: length 15 is less than the minimum 20"),
    ("integer below minimum", _set((*ITEM, "attempt"), 0), "$.jobRunAttempts[0].attempt: 0 is less than the minimum 1"),
    ("string for integer", _set((*ITEM, "attempt"), "1"), "$.jobRunAttempts[0].attempt: expected an integer (AttemptNumber), got '1'"),
    ("boolean for integer", _set((*ITEM, "attempt"), True), "$.jobRunAttempts[0].attempt: expected an integer (AttemptNumber), got True"),
    ("number for string", _set((*ITEM, "releaseLabel"), 7), "$.jobRunAttempts[0].releaseLabel: expected a string (ReleaseLabel), got 7"),
    ("null token", _set(("nextToken",), None), "$.nextToken: expected a string (NextToken), got None"),
    ("bad timestamp", _set((*ITEM, "createdAt"), "yesterday"), "$.jobRunAttempts[0].createdAt: expected a timestamp (epoch number or ISO 8601), got 'yesterday'"),
    ("object for list", _set(("jobRunAttempts",), {}), "$.jobRunAttempts: expected a list (JobRunAttempts), got {}"),
    ("list for structure", _set(ITEM, []), "$.jobRunAttempts[0]: expected an object (JobRunAttemptSummary), got []"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("body", "problem"), [(b, p) for _, b, p in BROKEN], ids=[name for name, _, _ in BROKEN]
)
def test_a_broken_body_is_caught(body: dict[str, Any], problem: str) -> None:
    assert problems("ListJobRunAttempts", body) == [problem]


def test_every_problem_of_a_body_is_reported() -> None:
    body = valid_body()
    item = body["jobRunAttempts"][0]
    del item["arn"]
    item["state"] = "DONE"
    item["attempt"] = -1
    assert len(problems("ListJobRunAttempts", body)) == 3


def _application(**extra: Any) -> dict[str, Any]:
    return {
        "application": {
            "applicationId": APP,
            "arn": f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APP}",
            "releaseLabel": "emr-7.1.0",
            "type": "Spark",
            "state": "CREATED",
            "createdAt": 1767225600,
            "updatedAt": 1767225600,
            **extra,
        }
    }


def test_a_valid_nested_body_has_no_problems() -> None:
    body = _application(networkConfiguration={"securityGroupIds": ["sg-1"]}, tags={"k": "v"})
    assert problems("GetApplication", body) == []


def test_list_length_limits_are_checked() -> None:
    groups = [f"sg-{i}" for i in range(6)]
    body = _application(networkConfiguration={"securityGroupIds": groups})
    assert problems("GetApplication", body) == [
        "$.application.networkConfiguration.securityGroupIds: list length 6 is more than the maximum 5"
    ]


def test_map_keys_and_values_are_checked() -> None:
    body = {"tags": {"": "v", "k": 1}}
    assert problems("ListTagsForResource", body) == [
        "$.tags<key ''>: length 0 is less than the minimum 1",
        "$.tags<key ''>: '' does not match the pattern [A-Za-z0-9 /_.:=+@-]+",
        "$.tags['k']: expected a string (TagValue), got 1",
    ]


def test_map_size_limits_are_checked() -> None:
    body = {"tags": {f"k{i}": "v" for i in range(201)}}
    assert problems("ListTagsForResource", body) == [
        "$.tags: map size 201 is more than the maximum 200"
    ]


def test_assert_conforms_fails_with_the_problems() -> None:
    body = copy.deepcopy(valid_body())
    body["jobRunAttempts"][0]["state"] = "DONE"
    with pytest.raises(AssertionError, match=r"\$\.jobRunAttempts\[0\]\.state: 'DONE' is not one"):
        assert_conforms("ListJobRunAttempts", body)


ERRORS = [
    ("conforming", 404, {"x-amzn-ErrorType": "ResourceNotFoundException"}, '{"message": "gone"}', []),
    ("header in any case", 400, {"X-AMZN-ERRORTYPE": "ValidationException"}, {"message": "bad"}, []),
    ("missing header", 400, {}, '{"message": "bad"}', ["headers: the x-amzn-ErrorType header is missing"]),
    ("not JSON", 404, {"x-amzn-ErrorType": "X"}, "Not yet implemented", ["body: not JSON: 'Not yet implemented'"]),
    ("no message", 500, {"x-amzn-ErrorType": "X"}, '{"Message": "boom"}', ["body: expected a string 'message', got {'Message': 'boom'}"]),
    ("not an object", 500, {"x-amzn-ErrorType": "X"}, "[]", ["body: expected a JSON object, got []"]),
    ("success status", 200, {"x-amzn-ErrorType": "X"}, '{"message": "m"}', ["status: an error answers 4xx or 5xx, not 200"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("status", "headers", "body", "expected"),
    [e[1:] for e in ERRORS],
    ids=[e[0] for e in ERRORS],
)
def test_error_answers_are_checked(
    status: int, headers: dict[str, str], body: Any, expected: list[str]
) -> None:
    assert error_problems(status, headers, body) == expected


def test_every_client_answer_in_the_suite_is_checked(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run()
    history = emrs_attempts.backend().histories[(run.application_id, run.job_run_id)]
    history.created_by = "somebody"  # a bug the conftest hook must catch on the wire
    history.encoded = None

    with pytest.raises(AssertionError, match=r"createdBy: 'somebody' does not match the pattern"):
        emrs_client.list_job_run_attempts(applicationId=run.application_id, jobRunId=run.job_run_id)
