"""The `emrs_attempts` and `emrs_client` fixtures, run through `pytester`; isolation between tests."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

import moto_emrs_attempts as mea

#: Inner runs skip the hypothesis plugin, which would re-import hypothesis in every run.
FAST = ("-p", "no:cacheprovider", "-p", "no:hypothesispytest")


def test_emrs_attempts_yields_an_active_handle(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import moto_emrs_attempts as mea

        def test_handle(emrs_attempts):
            assert isinstance(emrs_attempts, mea.EmrsAttempts)
            run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])
            assert run.attempts == 2
        """
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=1)


def test_emrs_client_lists_attempts(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_client(emrs_attempts, emrs_client):
            run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])
            page = emrs_client.list_job_run_attempts(
                applicationId=run.application_id, jobRunId=run.job_run_id
            )
            assert [a["state"] for a in page["jobRunAttempts"]] == ["FAILED", "SUCCESS"]
            assert emrs_client.meta.region_name == "us-east-1"
        """
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=1)


def test_emrs_client_alone_starts_the_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_client(emrs_client):
            assert emrs_client.list_applications()["applications"] == []
        """
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=1)


def test_no_state_leaks_between_two_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest
        from botocore.exceptions import ClientError

        seeded = []

        def test_first(emrs_attempts):
            seeded.append(emrs_attempts.seed_job_run(["FAILED"]))
            emrs_attempts.inject_error(times=100)

        def test_second(emrs_client):
            [run] = seeded
            assert emrs_client.list_applications()["applications"] == []
            with pytest.raises(ClientError) as caught:
                emrs_client.list_job_run_attempts(
                    applicationId=run.application_id, jobRunId=run.job_run_id
                )
            assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
        """
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=2)


def test_the_mock_stops_when_a_test_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        def test_fails(emrs_attempts, emrs_client):
            emrs_client.list_job_run_attempts(applicationId="nosuchapp", jobRunId="nosuchrun")

        def test_after(emrs_client):
            assert emrs_client.list_applications()["applications"] == []
        """
    )

    result = pytester.runpytest(*FAST)

    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*ResourceNotFoundException*when calling the ListJobRunAttempts operation: "
            "Application nosuchapp does not exist"
        ]
    )


def test_the_fixtures_need_no_conftest(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(emrs_attempts):\n    pass\n")

    result = pytester.runpytest("--fixtures", *FAST)

    result.stdout.fnmatch_lines(
        [
            "*emrs_attempts*",
            "*An active mock with the attempts plugin*",
            "*emrs_client*",
        ]
    )


# -- isolation in this very suite: the second test sees nothing of the first ----------------

_SEEDED: list[Any] = []


def test_isolation_first_seeds_a_job_run(emrs_attempts: Any) -> None:
    _SEEDED.append(emrs_attempts.seed_job_run(["FAILED", "SUCCESS"]))
    emrs_attempts.inject_error(times=100)


def test_isolation_second_sees_nothing_of_the_first(emrs_client: Any) -> None:
    if not _SEEDED:
        pytest.skip("runs after test_isolation_first_seeds_a_job_run")
    [run] = _SEEDED

    assert emrs_client.list_applications()["applications"] == []
    with pytest.raises(ClientError) as caught:
        emrs_client.list_job_run_attempts(applicationId=run.application_id, jobRunId=run.job_run_id)
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert mea.attempts_backends["123456789012"]["us-east-1"].histories == {}


# -- nesting: faults and scripts end with the fixture or mock that set them -----------------

NESTED = """
    import pytest
    import moto_emrs_attempts as mea
    from botocore.config import Config

    @pytest.fixture(scope="module", autouse=True)
    def module_mock():
        with mea.mock_emrs_attempts() as emrs:
            yield emrs

    @pytest.fixture(scope="module")
    def run(module_mock):
        return module_mock.seed_job_run(["SUCCESS"])

    def no_retries(emrs):
        import boto3
        return boto3.client(
            "emr-serverless", region_name="us-east-1",
            config=Config(retries={"total_max_attempts": 1}),
        )
"""


def test_a_fault_set_by_the_fixture_ends_with_the_test_inside_a_module_mock(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        NESTED
        + """
    def test_first_injects(emrs_attempts, run):
        emrs_attempts.inject_error("ListJobRunAttempts", "ThrottlingException", times=5)

    def test_second_is_not_throttled(emrs_attempts, run):
        page = no_retries(emrs_attempts).list_job_run_attempts(
            applicationId=run.application_id, jobRunId=run.job_run_id
        )
        assert [a["state"] for a in page["jobRunAttempts"]] == ["SUCCESS"]
    """
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=2)


def test_a_script_set_by_the_fixture_ends_with_the_test_inside_a_module_mock(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        NESTED
        + """
    def test_first_scripts(emrs_attempts, run):
        emrs_attempts.script_outcomes(["FAILED", "FAILED", "SUCCESS"])

    def test_second_starts_an_unscripted_run(emrs_attempts, emrs_client, run):
        started = emrs_client.start_job_run(
            applicationId=run.application_id,
            executionRoleArn="arn:aws:iam::123456789012:role/job-role",
            jobDriver={"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}},
            retryPolicy={"maxAttempts": 3},
        )
        job_run = emrs_client.get_job_run(
            applicationId=run.application_id, jobRunId=started["jobRunId"]
        )["jobRun"]
        assert (job_run["attempt"], job_run["state"]) == (1, "SUCCESS")
    """
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=2)


def test_nesting_keeps_motos_resources_until_the_outermost_mock_ends(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        NESTED
        + """
    seeded = []

    def test_first_seeds(emrs_attempts):
        seeded.append(emrs_attempts.seed_job_run(["FAILED", "SUCCESS"]))

    def test_second_still_lists_it(emrs_attempts, emrs_client):
        [job_run] = seeded
        page = emrs_client.list_job_run_attempts(
            applicationId=job_run.application_id, jobRunId=job_run.job_run_id
        )
        assert len(page["jobRunAttempts"]) == 2
    """
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=2)


def test_an_inner_mock_keeps_the_faults_the_outer_one_set(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        NESTED
        + """
    def test_inner_mock_drops_only_its_own_fault(module_mock, run):
        module_mock.inject_error("ListJobRunAttempts", "ThrottlingException")
        with mea.mock_emrs_attempts() as inner:
            inner.inject_error("ListJobRunAttempts", "AccessDeniedException")
        with pytest.raises(Exception) as caught:
            no_retries(module_mock).list_job_run_attempts(
                applicationId=run.application_id, jobRunId=run.job_run_id
            )
        assert caught.value.response["Error"]["Code"] == "ThrottlingException"
        page = no_retries(module_mock).list_job_run_attempts(
            applicationId=run.application_id, jobRunId=run.job_run_id
        )
        assert len(page["jobRunAttempts"]) == 1
    """
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=1)


def test_a_decorated_test_drops_its_faults_inside_an_outer_mock(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        NESTED
        + """
    @mea.mock_emrs_attempts
    def test_first_injects(run):
        mea.inject_error("ListJobRunAttempts", "ThrottlingException", times=5)

    def test_second_is_not_throttled(module_mock, run):
        page = no_retries(module_mock).list_job_run_attempts(
            applicationId=run.application_id, jobRunId=run.job_run_id
        )
        assert len(page["jobRunAttempts"]) == 1
    """
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=2)


# -- cheap clients that still follow each test's account ------------------------------------


def test_clients_follow_each_tests_moto_account_id_and_credentials(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import boto3
        import pytest

        def applications(client):
            return [a["id"] for a in client.list_applications()["applications"]]

        @pytest.fixture
        def seeded(emrs_attempts):
            return {
                account: emrs_attempts.seed_job_run(account_id=account).application_id
                for account in ("123456789012", "111111111111", "222222222222")
            }

        def test_default_account(seeded, emrs_client):
            assert applications(emrs_client) == [seeded["123456789012"]]

        def test_moto_account_id(seeded, emrs_attempts, monkeypatch):
            monkeypatch.setenv("MOTO_ACCOUNT_ID", "111111111111")
            assert applications(emrs_attempts.client()) == [seeded["111111111111"]]

        def test_credentials_of_another_account(seeded, emrs_attempts, monkeypatch):
            monkeypatch.setenv("MOTO_ACCOUNT_ID", "222222222222")
            iam = boto3.client("iam", region_name="us-east-1")
            iam.create_user(UserName="tester")
            key = iam.create_access_key(UserName="tester")["AccessKey"]
            monkeypatch.delenv("MOTO_ACCOUNT_ID")
            monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
            monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
            assert applications(emrs_attempts.client()) == [seeded["222222222222"]]

        def test_default_account_again(seeded, emrs_client):
            assert applications(emrs_client) == [seeded["123456789012"]]
        """
    )

    pytester.runpytest(*FAST).assert_outcomes(passed=4)


# -- installing the package changes moto for every test; `-p no:emrs_attempts` opts out -------

PLAIN_MOTO = """
    import sys

    import boto3
    import pytest
    from botocore.exceptions import ClientError
    from moto import mock_aws

    def answer(call, **kwargs):
        with pytest.raises(ClientError) as caught:
            call(**kwargs)
        response = caught.value.response
        return response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"]

    @mock_aws
    def test_plain_moto():
        client = boto3.client("emr-serverless", region_name="us-east-1")
        print("PLUGIN", "moto_emrs_attempts" in sys.modules)
        print("GetApplication", *answer(client.get_application, applicationId="nosuchapp"))
        print("ListJobRunAttempts", *answer(
            client.list_job_run_attempts, applicationId="nosuchapp", jobRunId="nosuchrun"
        ))
"""


@pytest.mark.parametrize(
    ("options", "seen"),
    [
        (
            ("-p", "no:emrs_attempts"),
            [
                "*PLUGIN False",
                "GetApplication 400 ResourceNotFoundException",
                "ListJobRunAttempts 404 404",
            ],
        ),
        (
            (),
            [
                "*PLUGIN True",
                "GetApplication 404 ResourceNotFoundException",
                "ListJobRunAttempts 404 ResourceNotFoundException",
            ],
        ),
    ],
    ids=["opted-out", "installed"],
)
def test_the_opt_out_leaves_plain_moto_tests_untouched(
    pytester: pytest.Pytester, options: tuple[str, ...], seen: list[str]
) -> None:
    pytester.makepyfile(PLAIN_MOTO)

    result = pytester.runpytest_subprocess("-s", *options, *FAST)

    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(seen, consecutive=True)
