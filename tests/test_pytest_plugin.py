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
