"""Parallel runs with pytest-xdist: the fixtures isolate every worker, and one shared server
keeps each worker's account apart."""

from __future__ import annotations

import pytest

from ._server import ServerProcess, server

__all__ = ["server"]  # fixtures

pytestmark = pytest.mark.slow  # each test runs pytest with workers in a subprocess

#: Inner runs skip the hypothesis and cache plugins, which every worker would load again.
FAST = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")

FIXTURE_SUITE = """
    import boto3
    import pytest
    from botocore.config import Config
    from botocore.exceptions import ClientError

    @pytest.mark.parametrize("index", range(8))
    def test_each_test_sees_only_its_own_state(emrs_attempts, emrs_client, index, worker_id):
        assert worker_id in ("gw0", "gw1")
        assert emrs_client.list_applications()["applications"] == []
        run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])
        once = boto3.client(
            "emr-serverless", region_name="us-east-1",
            config=Config(retries={"total_max_attempts": 1}),
        )
        ids = {"applicationId": run.application_id, "jobRunId": run.job_run_id}
        assert len(once.list_job_run_attempts(**ids)["jobRunAttempts"]) == 2  # no fault left over
        emrs_attempts.inject_error("ListJobRunAttempts", "ThrottlingException", times=9)
        with pytest.raises(ClientError) as caught:
            once.list_job_run_attempts(**ids)
        assert caught.value.response["Error"]["Code"] == "ThrottlingException"
"""


def test_the_fixtures_isolate_tests_under_two_workers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(FIXTURE_SUITE)

    result = pytester.runpytest_subprocess("-n", "2", *FAST)

    result.assert_outcomes(passed=8)
    result.stdout.fnmatch_lines(["*2 workers*"])


SHARED_SERVER_SUITE = """
    import os

    import boto3
    import pytest
    import requests
    from botocore.config import Config
    from botocore.exceptions import ClientError

    URL = os.environ["EMRS_SERVER_URL"]

    @pytest.fixture
    def account(worker_id):
        # one account per worker: gw0 -> 100000000001, gw1 -> 100000000002
        return str(100000000001 + int(worker_id.removeprefix("gw")))

    @pytest.fixture
    def client(account):
        client = boto3.client(
            "emr-serverless", region_name="us-east-1", endpoint_url=URL,
            aws_access_key_id="testing", aws_secret_access_key="testing",
            config=Config(retries={"total_max_attempts": 1}),
        )

        def to_my_account(request, **_):
            request.headers["x-moto-account-id"] = account

        client.meta.events.register("before-sign.emr-serverless", to_my_account)
        return client

    def post(path, body):
        answer = requests.post(f"{URL}/moto-api/emrs-attempts/{path}", json=body, timeout=30)
        assert answer.status_code == 200, answer.text
        return answer.json()

    @pytest.mark.parametrize("index", range(8))
    def test_each_worker_sees_only_its_account(client, account, worker_id, index):
        document = {
            "version": 1, "account": account,
            "jobRuns": [{"name": f"{worker_id}-{index}", "attempts": ["FAILED", "SUCCESS"]}],
        }
        [run] = post("history", document)["jobRuns"]
        post("faults", {"operation": "ListJobRunAttempts", "error": "ThrottlingException", "account": account})

        with pytest.raises(ClientError) as caught:
            client.list_job_run_attempts(applicationId=run["applicationId"], jobRunId=run["jobRunId"])
        page = client.list_job_run_attempts(
            applicationId=run["applicationId"], jobRunId=run["jobRunId"]
        )
        names = {
            client.get_application(applicationId=a["id"])["application"]["name"]
            for a in client.list_applications()["applications"]
        }

        assert caught.value.response["Error"]["Code"] == "ThrottlingException"
        assert [a["state"] for a in page["jobRunAttempts"]] == ["FAILED", "SUCCESS"]
        assert all(name.startswith(f"{worker_id}-") for name in names), names
"""


def test_one_server_keeps_each_workers_account_apart(
    pytester: pytest.Pytester, server: ServerProcess, monkeypatch: pytest.MonkeyPatch
) -> None:
    server.reset()
    monkeypatch.setenv("EMRS_SERVER_URL", server.url)
    pytester.makepyfile(SHARED_SERVER_SUITE)

    result = pytester.runpytest_subprocess("-n", "2", *FAST)

    result.assert_outcomes(passed=8)
    client = server.client()
    assert client.list_applications()["applications"] == []  # the default account: untouched
    server.reset()
