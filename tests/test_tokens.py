"""Pagination tokens: their alphabet, and their binding to account, region, application and job run."""

from __future__ import annotations

import re
import string
from typing import Any

import pytest
from botocore.exceptions import ClientError
from moto.moto_api._internal import mock_random

from .conftest import RawGet, attempts_path

INVALID_TOKEN = (
    400,
    "ValidationException",
    "Invalid nextToken: it was not issued for this job run's attempts.",
)
ALPHABET = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"


def first_token(client: Any, run: Any) -> str:
    page = client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id, maxResults=1
    )
    token: str = page["nextToken"]
    return token


def error_of(client: Any, run: Any, token: str) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as caught:
        client.list_job_run_attempts(
            applicationId=run.application_id, jobRunId=run.job_run_id, nextToken=token
        )
    response = caught.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    )


@pytest.fixture
def run(emrs_attempts: Any) -> Any:
    return emrs_attempts.seed_job_run(["FAILED", "FAILED", "SUCCESS"])


def test_a_token_uses_only_the_url_safe_alphabet(emrs_client: Any, run: Any) -> None:
    token = first_token(emrs_client, run)

    assert re.fullmatch(r"[A-Za-z0-9_=-]+", token)
    assert len(token) <= 1024


def test_a_token_resumes_after_the_page_it_ended(emrs_client: Any, run: Any) -> None:
    token = first_token(emrs_client, run)

    page = emrs_client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id, maxResults=1, nextToken=token
    )

    assert [a["attempt"] for a in page["jobRunAttempts"]] == [2]


def test_a_token_can_be_used_twice(emrs_client: Any, run: Any) -> None:
    token = first_token(emrs_client, run)
    ids = {"applicationId": run.application_id, "jobRunId": run.job_run_id}

    first = emrs_client.list_job_run_attempts(**ids, nextToken=token)
    again = emrs_client.list_job_run_attempts(**ids, nextToken=token)

    assert first == {**again, "ResponseMetadata": first["ResponseMetadata"]}


def test_a_token_may_change_the_page_size(emrs_client: Any, run: Any) -> None:
    token = first_token(emrs_client, run)

    page = emrs_client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id, maxResults=50, nextToken=token
    )

    assert [a["attempt"] for a in page["jobRunAttempts"]] == [2, 3]


def test_a_token_of_another_job_run_is_rejected(
    emrs_attempts: Any, emrs_client: Any, run: Any
) -> None:
    other = emrs_attempts.seed_job_run(
        ["FAILED", "FAILED", "SUCCESS"], application_id=run.application_id
    )

    assert error_of(emrs_client, other, first_token(emrs_client, run)) == INVALID_TOKEN


def test_a_token_of_another_application_is_rejected(
    emrs_attempts: Any, emrs_client: Any, run: Any
) -> None:
    other = emrs_attempts.seed_job_run(["FAILED", "FAILED", "SUCCESS"])

    assert error_of(emrs_client, other, first_token(emrs_client, run)) == INVALID_TOKEN


def twin_runs(emrs_attempts: Any, **elsewhere: str) -> tuple[Any, Any]:
    """Two job runs with the same ids, one in the default place and one `elsewhere`."""
    mock_random.seed(1234)
    here = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])
    mock_random.seed(1234)
    there = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"], **elsewhere)
    assert (here.application_id, here.job_run_id) == (there.application_id, there.job_run_id)
    return here, there


def test_a_token_of_another_region_is_rejected(emrs_attempts: Any, emrs_client: Any) -> None:
    here, there = twin_runs(emrs_attempts, region_name="eu-west-1")
    token = first_token(emrs_attempts.client("eu-west-1"), there)

    assert error_of(emrs_client, here, token) == INVALID_TOKEN


def test_a_token_of_another_account_is_rejected(
    emrs_attempts: Any, emrs_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    here, there = twin_runs(emrs_attempts, account_id="111111111111")
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111111111111")
    token = first_token(emrs_client, there)
    monkeypatch.delenv("MOTO_ACCOUNT_ID")

    assert error_of(emrs_client, here, token) == INVALID_TOKEN


def test_every_single_character_change_of_a_token_is_rejected(emrs_client: Any, run: Any) -> None:
    token = first_token(emrs_client, run)
    accepted = []
    for index, char in enumerate(token):
        if char == "=":
            continue
        # the neighbouring character differs in the lowest bit only: the hardest change to see
        changed = ALPHABET[(ALPHABET.index(char) + 1) % len(ALPHABET)]
        tampered = token[:index] + changed + token[index + 1 :]
        try:
            emrs_client.list_job_run_attempts(
                applicationId=run.application_id, jobRunId=run.job_run_id, nextToken=tampered
            )
        except ClientError as error:
            assert error.response["Error"]["Code"] == "ValidationException"
        else:
            accepted.append(tampered)

    assert accepted == []


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda t: t.rstrip("="), id="padding dropped"),
        pytest.param(lambda t: t[:-4], id="truncated"),
        pytest.param(lambda t: t + "AAAA", id="extended"),
        pytest.param(lambda t: t[::-1], id="reversed"),
        pytest.param(lambda t: "A" * len(t), id="all zeros"),
    ],
)
def test_a_mangled_token_is_rejected_over_raw_http(
    emrs_client: Any, raw_get: RawGet, run: Any, mangle: Any
) -> None:
    token = mangle(first_token(emrs_client, run))

    status, headers, body = raw_get(
        attempts_path(run.application_id, run.job_run_id), {"nextToken": token}
    )

    assert (status, headers["x-amzn-ErrorType"], body["message"]) == INVALID_TOKEN


def test_a_token_of_another_job_run_is_rejected_over_raw_http(
    emrs_attempts: Any, emrs_client: Any, raw_get: RawGet, run: Any
) -> None:
    other = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])

    status, headers, body = raw_get(
        attempts_path(other.application_id, other.job_run_id),
        {"nextToken": first_token(emrs_client, run)},
    )

    assert (status, headers["x-amzn-ErrorType"], body["message"]) == INVALID_TOKEN
