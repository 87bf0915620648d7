import asyncio
import json
import re
import subprocess
import sys
import urllib.request

import pytest
from aiobotocore.session import AioSession


@pytest.fixture(scope="module")
def server_url():
    """moto's server with the plugin, on a free port (its first line names the port)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "moto_emrs_attempts", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    yield re.search(r"http://\S+", server.stdout.readline()).group(0)
    server.terminate()
    server.wait()


def seed(url, document):
    request = urllib.request.Request(
        f"{url}/moto-api/emrs-attempts/history",
        data=json.dumps(document).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request) as answer:
        return json.load(answer)["jobRuns"]


def test_aiobotocore_pages_through_the_attempts_on_the_server(server_url):
    states = ["FAILED"] * 4 + ["SUCCESS"]
    [run] = seed(
        server_url, {"version": 1, "jobRuns": [{"attempts": [{"state": s} for s in states]}]}
    )

    async def attempt_numbers():
        session = AioSession()
        async with session.create_client(
            "emr-serverless",
            region_name="us-east-1",
            endpoint_url=server_url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        ) as emr:
            pages = emr.get_paginator("list_job_run_attempts").paginate(
                applicationId=run["applicationId"],
                jobRunId=run["jobRunId"],
                PaginationConfig={"PageSize": 2},
            )
            return [[a["attempt"] for a in page["jobRunAttempts"]] async for page in pages]

    assert asyncio.run(attempt_numbers()) == [[1, 2], [3, 4], [5]]
