"""A user's test, typed as a user with the `types` extra would write it.

pytest runs it like any test; `tox -e type` also runs `mypy --strict` on it with the
`types-boto3-emr-serverless` stubs installed, where `assert_type` proves that the handle's
`client()` is the typed `EMRServerlessClient` and a wrong call would be a type error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import moto_emrs_attempts as mea

if TYPE_CHECKING:
    from types_boto3_emr_serverless import (  # type: ignore[import-not-found, unused-ignore]
        EMRServerlessClient,
    )
    from typing_extensions import assert_type


def states(client: EMRServerlessClient, run: mea.SeededJobRun) -> list[str]:
    page = client.list_job_run_attempts(applicationId=run.application_id, jobRunId=run.job_run_id)
    return [attempt["state"] for attempt in page["jobRunAttempts"]]


def test_the_fixture_client_is_typed(
    emrs_attempts: mea.EmrsAttempts, emrs_client: EMRServerlessClient
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"], retry_policy={"maxAttempts": 2})

    assert states(emrs_client, run) == ["FAILED", "SUCCESS"]


def test_the_handle_client_is_typed(emrs_attempts: mea.EmrsAttempts) -> None:
    client = emrs_attempts.client("eu-west-1")
    if TYPE_CHECKING:
        assert_type(client, EMRServerlessClient)
    run = emrs_attempts.seed_job_run(region_name="eu-west-1")

    job_run = client.get_job_run(applicationId=run.application_id, jobRunId=run.job_run_id)

    assert job_run["jobRun"]["state"] == "SUCCESS"
