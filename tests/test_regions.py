"""A client region EMR Serverless does not serve: every operation the plugin answers (its own, and
moto's application routes it wraps) answers what AWS answers a request signed for a region that is
not one: `403 InvalidSignatureException`, naming the region, before anything else is looked at.

In-process through boto3's mock, and on the shared server.
"""

from __future__ import annotations

from typing import Any, Callable

import boto3
import pytest
from botocore.config import Config

import moto_emrs_attempts as mea

from ._server import ServerProcess, clean_server, server
from .conftest import error_of

__all__ = ["clean_server", "server"]  # fixtures

ROLE = "arn:aws:iam::123456789012:role/job-role"
APP = "00app0001"
RUN = "00run0001"
NO_RETRIES = Config(retries={"total_max_attempts": 1})


def answer(region: str) -> tuple[int, str, str]:
    """AWS's answer to a request whose credential is scoped to `region`."""
    return (
        403,
        "InvalidSignatureException",
        f"Credential should be scoped to a valid region, not '{region}'. ",
    )


Call = Callable[[Any], Any]

#: Every operation whose route the plugin serves, called with arguments that pass validation.
OPERATIONS: list[Any] = [
    pytest.param(
        lambda c: c.list_job_run_attempts(applicationId=APP, jobRunId=RUN),
        id="ListJobRunAttempts",
    ),
    pytest.param(lambda c: c.get_job_run(applicationId=APP, jobRunId=RUN), id="GetJobRun"),
    pytest.param(lambda c: c.list_job_runs(applicationId=APP), id="ListJobRuns"),
    pytest.param(
        lambda c: c.start_job_run(applicationId=APP, executionRoleArn=ROLE, clientToken="t"),
        id="StartJobRun",
    ),
    pytest.param(lambda c: c.cancel_job_run(applicationId=APP, jobRunId=RUN), id="CancelJobRun"),
    pytest.param(
        lambda c: c.get_dashboard_for_job_run(applicationId=APP, jobRunId=RUN),
        id="GetDashboardForJobRun",
    ),
    pytest.param(
        lambda c: c.create_application(name="a", releaseLabel="emr-7.1.0", type="SPARK"),
        id="CreateApplication",
    ),
    pytest.param(lambda c: c.get_application(applicationId=APP), id="GetApplication"),
    pytest.param(
        lambda c: c.update_application(applicationId=APP, clientToken="t"),
        id="UpdateApplication",
    ),
    pytest.param(lambda c: c.list_applications(), id="ListApplications"),
    pytest.param(lambda c: c.delete_application(applicationId=APP), id="DeleteApplication"),
]


def call_error(client: Any, call: Call) -> tuple[int, str, str]:
    return error_of(lambda: call(client))


@pytest.mark.parametrize("call", OPERATIONS)
def test_an_unserved_region_answers_403_invalid_signature_in_process(
    emrs_attempts: mea.EmrsAttempts, call: Call
) -> None:
    client = boto3.client("emr-serverless", region_name="us-east-l", config=NO_RETRIES)

    assert call_error(client, call) == answer("us-east-l")


@pytest.mark.slow
@pytest.mark.parametrize("call", OPERATIONS)
def test_an_unserved_region_answers_403_invalid_signature_on_the_server(
    clean_server: ServerProcess, call: Call
) -> None:
    client = clean_server.client(region="us-east-l")

    assert call_error(client, call) == answer("us-east-l")


def test_an_unserved_region_is_answered_before_an_injected_fault(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    emrs_attempts.inject_error("GetJobRun", "InternalServerException", times=1)
    client = boto3.client("emr-serverless", region_name="mars-north-1", config=NO_RETRIES)

    found = error_of(client.get_job_run, applicationId=APP, jobRunId=RUN)

    served = boto3.client("emr-serverless", region_name="us-east-1", config=NO_RETRIES)
    assert found == answer("mars-north-1")
    assert error_of(served.get_job_run, applicationId=APP, jobRunId=RUN)[:2] == (
        500,
        "InternalServerException",
    )


def test_an_unserved_region_is_answered_before_validation(emrs_attempts: mea.EmrsAttempts) -> None:
    client = boto3.client(
        "emr-serverless",
        region_name="us-east-l",
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
    )

    found = error_of(client.list_job_run_attempts, applicationId="UPPER", jobRunId=RUN)

    assert found == answer("us-east-l")


def test_a_region_moto_is_told_to_allow_is_served(
    emrs_attempts: mea.EmrsAttempts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ALLOW_NONEXISTENT_REGION", "true")
    client = boto3.client("emr-serverless", region_name="us-east-l", config=NO_RETRIES)
    app = client.create_application(name="a", releaseLabel="emr-7.1.0", type="SPARK")

    run = client.start_job_run(
        applicationId=app["applicationId"], executionRoleArn=ROLE, clientToken="t"
    )

    assert ":us-east-l:" in run["arn"]
