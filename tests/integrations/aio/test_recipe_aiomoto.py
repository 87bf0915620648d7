import asyncio

from aiobotocore.session import AioSession
from aiomoto import mock_aws

import moto_emrs_attempts as mea


async def attempt_states(application_id, job_run_id):
    """The code under test: an async client that pages through every attempt."""
    session = AioSession()
    async with session.create_client("emr-serverless", region_name="us-east-1") as emr:
        pages = emr.get_paginator("list_job_run_attempts").paginate(
            applicationId=application_id, jobRunId=job_run_id, PaginationConfig={"PageSize": 2}
        )
        return [attempt["state"] async for page in pages for attempt in page["jobRunAttempts"]]


async def first_attempt(application_id, job_run_id):
    session = AioSession()
    async with session.create_client("emr-serverless", region_name="us-east-1") as emr:
        answer = await emr.get_job_run(applicationId=application_id, jobRunId=job_run_id, attempt=1)
        return answer["jobRun"]


def test_aiobotocore_pages_through_the_attempts():
    async def scenario():
        async with mock_aws():  # aiomoto's mock_aws: it patches aiobotocore, moto's alone does not
            run = mea.seed_job_run(["FAILED", "FAILED", "SUCCESS"], retry_policy={"maxAttempts": 3})
            return await attempt_states(run.application_id, run.job_run_id)

    assert asyncio.run(scenario()) == ["FAILED", "FAILED", "SUCCESS"]


def test_aiobotocore_reads_an_earlier_attempt():
    async def scenario():
        async with mock_aws():
            run = mea.seed_job_run([mea.Attempt("FAILED", "Driver ran out of memory"), "SUCCESS"])
            return await first_attempt(run.application_id, run.job_run_id)

    job_run = asyncio.run(scenario())
    assert (job_run["attempt"], job_run["state"]) == (1, "FAILED")
    assert job_run["stateDetails"] == "Driver ran out of memory"
