"""aiobotocore against the plugin: in-process through aiomoto, and against the server."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from collections.abc import Awaitable, Iterator
from typing import Any, Callable, TypeVar

import pytest
from aiobotocore.config import AioConfig
from aiobotocore.session import AioSession
from aiomoto import mock_aws
from botocore.exceptions import ClientError
from moto.moto_api import state_manager
from test_recipe_aio_server import seed, server_url

import moto_emrs_attempts as mea

__all__ = ["server_url"]  # a fixture

T = TypeVar("T")
ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}}
MODEL = "emrserverless::job_run"
NO_RETRIES = AioConfig(retries={"total_max_attempts": 1})


def in_mock(scenario: Callable[[Any], Awaitable[T]]) -> T:
    """Run `scenario(client)` with an aiobotocore client inside aiomoto's mock."""

    async def main() -> T:
        async with mock_aws():
            session = AioSession()
            async with session.create_client(
                "emr-serverless", region_name="us-east-1", config=NO_RETRIES
            ) as emr:
                return await scenario(emr)

    return asyncio.run(main())


@pytest.fixture
def manual() -> Iterator[None]:
    state_manager.set_transition(MODEL, {"progression": "manual", "times": 1})
    yield
    state_manager.unset_transition(MODEL)


async def create_application(emr: Any) -> str:
    answer = await emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    application_id: str = answer["applicationId"]
    return application_id


def test_an_aiobotocore_started_run_plays_its_script() -> None:
    async def scenario(emr: Any) -> list[tuple[int, str]]:
        app = await create_application(emr)
        mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])
        run = await emr.start_job_run(
            applicationId=app,
            executionRoleArn=ROLE,
            jobDriver=DRIVER,
            retryPolicy={"maxAttempts": 3},
        )
        answers = [
            await emr.get_job_run(applicationId=app, jobRunId=run["jobRunId"], attempt=k)
            for k in (1, 2, 3)
        ]
        return [(a["jobRun"]["attempt"], a["jobRun"]["state"]) for a in answers]

    assert in_mock(scenario) == [(1, "FAILED"), (2, "FAILED"), (3, "SUCCESS")]


def test_aiobotocore_pages_fifty_attempts_in_pages_of_seven() -> None:
    async def scenario(emr: Any) -> list[list[int]]:
        run = mea.seed_job_run(["FAILED"] * 49 + ["SUCCESS"])
        pages = emr.get_paginator("list_job_run_attempts").paginate(
            applicationId=run.application_id,
            jobRunId=run.job_run_id,
            PaginationConfig={"PageSize": 7},
        )
        return [[a["attempt"] for a in page["jobRunAttempts"]] async for page in pages]

    pages = in_mock(scenario)

    assert [len(page) for page in pages] == [7] * 7 + [1]
    assert [n for page in pages for n in page] == list(range(1, 51))


def test_an_attempt_above_the_latest_is_not_found_through_aiobotocore() -> None:
    async def scenario(emr: Any) -> dict[str, Any]:
        run = mea.seed_job_run(["FAILED", "SUCCESS"])
        with pytest.raises(ClientError) as caught:
            await emr.get_job_run(
                applicationId=run.application_id, jobRunId=run.job_run_id, attempt=3
            )
        error: dict[str, Any] = caught.value.response["Error"]
        return error

    error = in_mock(scenario)

    assert error["Code"] == "ResourceNotFoundException"
    assert error["Message"].startswith("Attempt 3 of job run ")


def test_an_injected_fault_reaches_aiobotocore() -> None:
    async def scenario(emr: Any) -> tuple[str, int]:
        run = mea.seed_job_run(["SUCCESS"])
        mea.inject_error("ListJobRunAttempts", "ThrottlingException", message="Slow down.")
        with pytest.raises(ClientError) as caught:
            await emr.list_job_run_attempts(
                applicationId=run.application_id, jobRunId=run.job_run_id
            )
        page = await emr.list_job_run_attempts(
            applicationId=run.application_id, jobRunId=run.job_run_id
        )
        return caught.value.response["Error"]["Code"], len(page["jobRunAttempts"])

    assert in_mock(scenario) == ("ThrottlingException", 1)


def test_aiobotocore_polls_a_run_through_its_retry_under_manual_progression(
    manual: None,
) -> None:
    async def scenario(emr: Any) -> list[tuple[int, str]]:
        app = await create_application(emr)
        mea.script_outcomes(["FAILED", "SUCCESS"])
        run = await emr.start_job_run(
            applicationId=app,
            executionRoleArn=ROLE,
            jobDriver=DRIVER,
            retryPolicy={"maxAttempts": 2},
        )
        seen = []
        for _ in range(8):
            answer = await emr.get_job_run(applicationId=app, jobRunId=run["jobRunId"])
            seen.append((answer["jobRun"]["attempt"], answer["jobRun"]["state"]))
        return seen

    assert in_mock(scenario) == [
        (1, "PENDING"),
        (1, "SCHEDULED"),
        (1, "RUNNING"),
        (2, "SUBMITTED"),
        (2, "PENDING"),
        (2, "SCHEDULED"),
        (2, "RUNNING"),
        (2, "SUCCESS"),
    ]


# -- against the server ------------------------------------------------------------------------


def server_client(url: str) -> Any:
    return AioSession().create_client(
        "emr-serverless",
        region_name="us-east-1",
        endpoint_url=url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=NO_RETRIES,
    )


def post(url: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    with urllib.request.urlopen(request) as answer:
        assert answer.status in (200, 201)


def test_aiobotocore_reads_each_attempt_from_the_server(server_url: str) -> None:
    [run] = seed(
        server_url,
        {
            "version": 1,
            "jobRuns": [
                {
                    "retryPolicy": {"maxAttempts": 3},
                    "attempts": [
                        {"state": "FAILED", "stateDetails": "Driver ran out of memory"},
                        {"state": "FAILED", "stateDetails": "Executor lost"},
                        {"state": "SUCCESS"},
                    ],
                }
            ],
        },
    )

    async def details() -> list[str]:
        async with server_client(server_url) as emr:
            answers = [
                await emr.get_job_run(
                    applicationId=run["applicationId"], jobRunId=run["jobRunId"], attempt=k
                )
                for k in (1, 2)
            ]
            return [a["jobRun"]["stateDetails"] for a in answers]

    assert asyncio.run(details()) == ["Driver ran out of memory", "Executor lost"]


def test_aiobotocore_polls_a_server_run_under_manual_progression(server_url: str) -> None:
    transition = {"model_name": MODEL, "transition": {"progression": "manual", "times": 1}}
    post(f"{server_url}/moto-api/state-manager/set-transition", transition)

    async def seen() -> list[str]:
        async with server_client(server_url) as emr:
            app = await create_application(emr)
            run = await emr.start_job_run(
                applicationId=app, executionRoleArn=ROLE, jobDriver=DRIVER
            )
            answers = [
                await emr.get_job_run(applicationId=app, jobRunId=run["jobRunId"]) for _ in range(4)
            ]
            return [a["jobRun"]["state"] for a in answers]

    try:
        assert asyncio.run(seen()) == ["PENDING", "SCHEDULED", "RUNNING", "SUCCESS"]
    finally:
        post(f"{server_url}/moto-api/state-manager/unset-transition", {"model_name": MODEL})
