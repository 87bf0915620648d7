"""`inject_error`: the next N calls of an operation answer with an AWS error (SPEC 3.4)."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config
from botocore.exceptions import ClientError

import moto_emrs_attempts as mea

from .conftest import RawGet, attempts_path

NO_RETRIES = Config(retries={"total_max_attempts": 1})


@pytest.fixture
def run(emrs_attempts: Any) -> Any:
    return emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])


@pytest.fixture
def once(emrs_attempts: Any) -> Any:
    """A client that does not retry, so every injected error surfaces."""
    return boto3.client("emr-serverless", region_name="us-east-1", config=NO_RETRIES)


def call(client: Any, run: Any) -> tuple[int, str, str] | int:
    """Return the error (status, code, message), or the number of attempts listed."""
    try:
        page = client.list_job_run_attempts(
            applicationId=run.application_id, jobRunId=run.job_run_id
        )
    except ClientError as error:
        response = error.response
        return (
            response["ResponseMetadata"]["HTTPStatusCode"],
            response["Error"]["Code"],
            response["Error"]["Message"],
        )
    return len(page["jobRunAttempts"])


def test_an_internal_server_error_surfaces_without_retries(
    emrs_attempts: Any, once: Any, run: Any
) -> None:
    emrs_attempts.inject_error("ListJobRunAttempts", "InternalServerException")

    assert call(once, run) == (
        500,
        "InternalServerException",
        "Injected InternalServerException for ListJobRunAttempts.",
    )
    assert call(once, run) == 2


def test_one_internal_server_error_is_retried_by_default(
    emrs_attempts: Any, emrs_client: Any, run: Any
) -> None:
    emrs_attempts.inject_error()

    page = emrs_client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id
    )

    assert page["ResponseMetadata"]["RetryAttempts"] == 1
    assert len(page["jobRunAttempts"]) == 2


def test_a_throttling_error_answers_400(emrs_attempts: Any, once: Any, run: Any) -> None:
    emrs_attempts.inject_error("ListJobRunAttempts", "ThrottlingException")

    assert call(once, run) == (
        400,
        "ThrottlingException",
        "Injected ThrottlingException for ListJobRunAttempts.",
    )


def test_times_counts_the_failing_calls(emrs_attempts: Any, once: Any, run: Any) -> None:
    emrs_attempts.inject_error("ListJobRunAttempts", "ThrottlingException", times=2)

    outcomes = [call(once, run) for _ in range(3)]

    assert [o if isinstance(o, int) else o[1] for o in outcomes] == [
        "ThrottlingException",
        "ThrottlingException",
        2,
    ]


def test_a_custom_message_is_answered(emrs_attempts: Any, once: Any, run: Any) -> None:
    emrs_attempts.inject_error(message="The service is having a bad day.")

    assert call(once, run) == (500, "InternalServerException", "The service is having a bad day.")


def test_faults_queue_in_order(emrs_attempts: Any, once: Any, run: Any) -> None:
    emrs_attempts.inject_error(error="ThrottlingException")
    emrs_attempts.inject_error(error="InternalServerException")

    codes = [call(once, run) for _ in range(3)]

    assert [c if isinstance(c, int) else c[1] for c in codes] == [
        "ThrottlingException",
        "InternalServerException",
        2,
    ]


def test_an_injected_error_comes_before_validation_and_lookup(
    emrs_attempts: Any, raw_get: RawGet
) -> None:
    emrs_attempts.inject_error()

    status, headers, body = raw_get(attempts_path("nosuchapp", "nosuchrun"), {"maxResults": "0"})

    assert (status, headers["x-amzn-ErrorType"]) == (500, "InternalServerException")
    assert body == {"message": "Injected InternalServerException for ListJobRunAttempts."}


def test_a_fault_scoped_to_a_region_spares_other_regions(emrs_attempts: Any, run: Any) -> None:
    elsewhere = emrs_attempts.seed_job_run(region_name="eu-west-1")
    emrs_attempts.inject_error(region_name="eu-west-1")
    eu = boto3.client("emr-serverless", region_name="eu-west-1", config=NO_RETRIES)
    us = boto3.client("emr-serverless", region_name="us-east-1", config=NO_RETRIES)

    assert call(us, run) == 2
    assert call(eu, elsewhere) == (
        500,
        "InternalServerException",
        "Injected InternalServerException for ListJobRunAttempts.",
    )


def test_a_fault_scoped_to_an_account_spares_other_accounts(
    emrs_attempts: Any, once: Any, run: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = emrs_attempts.seed_job_run(account_id="111111111111")
    emrs_attempts.inject_error(account_id="111111111111")

    assert call(once, run) == 2
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111111111111")
    assert call(once, elsewhere) == (
        500,
        "InternalServerException",
        "Injected InternalServerException for ListJobRunAttempts.",
    )


def test_a_fault_for_another_operation_spares_list_job_run_attempts(
    emrs_attempts: Any, once: Any, run: Any
) -> None:
    emrs_attempts.inject_error("GetJobRun")

    assert call(once, run) == 2


def test_the_module_function_works_under_a_plain_mock_aws(raw_get: RawGet) -> None:
    from moto import mock_aws

    with mock_aws():
        run = mea.seed_job_run()
        mea.inject_error(error="ThrottlingException")
        status, headers, _ = raw_get(attempts_path(run.application_id, run.job_run_id))

    assert (status, headers["x-amzn-ErrorType"]) == (400, "ThrottlingException")


SERVED = (
    "CancelJobRun, GetDashboardForJobRun, GetJobRun, ListJobRunAttempts, ListJobRuns, "
    "StartApplication, StartJobRun, StopApplication"
)
BAD_FAULTS: list[Any] = [
    pytest.param(
        {"operation": "ListJobRunAttempt"},
        f"operation: 'ListJobRunAttempt' is not an operation the plugin serves; use one of {SERVED}",
        id="unknown operation",
    ),
    pytest.param(
        {"error": "Boom"},
        "error: 'Boom' is not an error code; use one of AccessDeniedException, ConflictException, ",
        id="unknown error",
    ),
    pytest.param(
        {"operation": "GetApplication"},
        f"operation: 'GetApplication' is not an operation the plugin serves; use one of {SERVED}",
        id="an operation moto serves itself",
    ),
    pytest.param({"times": 0}, "times: must be a positive integer, not 0", id="times 0"),
    pytest.param({"times": -1}, "times: must be a positive integer, not -1", id="negative times"),
    pytest.param({"times": True}, "times: must be a positive integer, not True", id="times a bool"),
    pytest.param({"times": "2"}, "times: must be a positive integer, not '2'", id="times a string"),
    pytest.param({"message": 3}, "message: must be a string or None, not 3", id="message not a string"),
    pytest.param(
        {"region_name": "us-east-l"},
        "region_name: 'us-east-l' is not a region EMR Serverless serves",
        id="a region EMR Serverless does not serve",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "expected"), BAD_FAULTS)
def test_a_bad_fault_is_a_history_error(
    emrs_attempts: Any, once: Any, run: Any, kwargs: dict[str, Any], expected: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.inject_error(**kwargs)

    assert str(caught.value).startswith(expected)
    assert call(once, run) == 2


BAD_SCRIPTS: list[Any] = [
    pytest.param("SUCCESS", "outcomes: must be a list of job run states, not 'SUCCESS'", id="a string"),
    pytest.param({"state": "SUCCESS"}, "outcomes: must be a list of job run states, not {'state': 'SUCCESS'}", id="a dict"),
    pytest.param(3, "outcomes: must be a list of job run states, not 3", id="a number"),
    pytest.param([], "outcomes: must list at least one state", id="empty"),
    pytest.param(["FAILED", "DONE"], "outcomes[1]: 'DONE' is not a job run state; use one of ", id="an unknown state"),
]  # fmt: skip


@pytest.mark.parametrize(("outcomes", "expected"), BAD_SCRIPTS)
def test_a_bad_script_is_a_history_error(emrs_attempts: Any, outcomes: Any, expected: str) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.script_outcomes(outcomes)

    assert str(caught.value).startswith(expected)
    assert emrs_attempts.backend().scripts == []


def test_moto_reset_clears_pending_faults(emrs_attempts: Any, once: Any) -> None:
    emrs_attempts.inject_error(times=5)

    requests.post("http://motoapi.amazonaws.com/moto-api/reset", timeout=30)

    run = emrs_attempts.seed_job_run()
    assert call(once, run) == 1


def test_leaving_the_mock_clears_pending_faults() -> None:
    with mea.mock_emrs_attempts() as emrs:
        emrs.inject_error(times=5)

    with mea.mock_emrs_attempts() as emrs:
        run = emrs.seed_job_run()
        client = boto3.client("emr-serverless", region_name="us-east-1", config=NO_RETRIES)
        assert call(client, run) == 1


# -- testing retry logic: what botocore does with an injected error --------------------------


@pytest.mark.parametrize(
    "error", ["ThrottlingException", "InternalServerException", "ServiceUnavailableException"]
)
def test_botocore_retries_one_injected_transient_error_by_itself(
    emrs_attempts: Any, emrs_client: Any, run: Any, error: str
) -> None:
    emrs_attempts.inject_error("ListJobRunAttempts", error)

    page = emrs_client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id
    )

    assert page["ResponseMetadata"]["RetryAttempts"] == 1
    assert len(page["jobRunAttempts"]) == 2


@pytest.mark.parametrize(
    ("error", "status"),
    [
        ("ThrottlingException", 400),
        ("AccessDeniedException", 403),
        ("ServiceUnavailableException", 503),
    ],
)
def test_generic_aws_errors_arrive_as_a_plain_client_error(
    emrs_attempts: Any, once: Any, run: Any, error: str, status: int
) -> None:
    emrs_attempts.inject_error("ListJobRunAttempts", error)

    with pytest.raises(ClientError) as caught:
        once.list_job_run_attempts(applicationId=run.application_id, jobRunId=run.job_run_id)

    assert type(caught.value) is ClientError  # the model has no class for them, as with AWS
    assert not hasattr(once.exceptions, error)
    assert (
        caught.value.response["Error"]["Code"],
        caught.value.response["ResponseMetadata"]["HTTPStatusCode"],
    ) == (error, status)


def test_a_modeled_error_arrives_as_the_clients_own_exception_class(
    emrs_attempts: Any, once: Any, run: Any
) -> None:
    emrs_attempts.inject_error("ListJobRunAttempts", "InternalServerException")

    with pytest.raises(once.exceptions.InternalServerException):
        once.list_job_run_attempts(applicationId=run.application_id, jobRunId=run.job_run_id)
