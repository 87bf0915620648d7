"""`mock_emrs_attempts` as decorator and context manager, and the `EmrsAttempts` handle."""

from __future__ import annotations

import inspect
import unittest
from typing import Any

import boto3
import pytest
from moto.core.models import DEFAULT_ACCOUNT_ID

import moto_emrs_attempts as mea


def list_attempts(run: Any, region_name: str = "us-east-1") -> list[str]:
    client = boto3.client("emr-serverless", region_name=region_name)
    attempts = client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id
    )["jobRunAttempts"]
    return [a["state"] for a in attempts]


def test_the_bare_decorator_mocks_the_function() -> None:
    @mea.mock_emrs_attempts
    def seeded() -> list[str]:
        return list_attempts(mea.seed_job_run(["FAILED", "SUCCESS"]))

    assert seeded() == ["FAILED", "SUCCESS"]


def test_the_called_decorator_mocks_the_function() -> None:
    @mea.mock_emrs_attempts()
    def seeded() -> list[str]:
        return list_attempts(mea.seed_job_run(["CANCELLED"]))

    assert seeded() == ["CANCELLED"]


def test_a_decorated_function_keeps_its_name_and_signature() -> None:
    def job(application_id: str, *, attempts: int = 1) -> str:
        """Doc."""
        return application_id * attempts

    decorated = mea.mock_emrs_attempts(job)

    assert decorated.__name__ == "job"
    assert decorated.__doc__ == "Doc."
    assert inspect.signature(decorated) == inspect.signature(job)
    assert decorated("ab", attempts=2) == "abab"


def test_the_decorator_mocks_a_unittest_test_case_one_test_at_a_time() -> None:
    seen: list[tuple[int, list[str]]] = []

    @mea.mock_emrs_attempts
    class Case(unittest.TestCase):
        def setUp(self) -> None:
            self.run_ = mea.seed_job_run(["FAILED", "SUCCESS"])

        def observe(self) -> None:
            client = boto3.client("emr-serverless", region_name="us-east-1")
            seen.append((len(client.list_applications()["applications"]), list_attempts(self.run_)))

        def test_one(self) -> None:
            self.observe()

        def test_two(self) -> None:
            self.observe()

    result = unittest.TextTestRunner(stream=_Null()).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(Case)
    )

    assert result.wasSuccessful(), result.errors + result.failures
    assert seen == [(1, ["FAILED", "SUCCESS"])] * 2


def test_the_decorator_mocks_the_test_methods_of_a_plain_class() -> None:
    @mea.mock_emrs_attempts
    class Plain:
        def test_attempts(self) -> list[str]:
            return list_attempts(mea.seed_job_run(["FAILED", "FAILED"]))

    assert Plain().test_attempts() == ["FAILED", "FAILED"]


def test_the_context_manager_yields_the_handle() -> None:
    with mea.mock_emrs_attempts() as emrs:
        assert isinstance(emrs, mea.EmrsAttempts)
        run = emrs.seed_job_run(["FAILED", "SUCCESS"])
        assert list_attempts(run) == ["FAILED", "SUCCESS"]


def test_state_is_gone_after_the_context_manager_exits() -> None:
    with mea.mock_emrs_attempts() as emrs:
        emrs.seed_job_run()

    with mea.mock_emrs_attempts() as emrs:
        assert emrs.client().list_applications()["applications"] == []


def test_start_and_stop_bracket_the_mock() -> None:
    mock = mea.mock_emrs_attempts()
    emrs = mock.start()
    try:
        run = emrs.seed_job_run()
        assert list_attempts(run) == ["SUCCESS"]
    finally:
        mock.stop()


def test_config_is_passed_to_moto() -> None:
    try:
        from moto.core.exceptions import ServiceNotWhitelisted
    except ImportError:  # moto 5.0.x (tox -e moto-min)
        pytest.skip("this moto has no service_whitelist setting")

    mock = mea.mock_emrs_attempts(config={"core": {"service_whitelist": ["s3"]}})
    with mock as emrs, pytest.raises(ServiceNotWhitelisted):
        emrs.client().list_applications()


def test_the_handle_client_is_bound_to_the_mock_in_its_region() -> None:
    with mea.mock_emrs_attempts() as emrs:
        run = emrs.seed_job_run(region_name="eu-west-1")
        client = emrs.client("eu-west-1")

        assert client.meta.region_name == "eu-west-1"
        assert [a["id"] for a in client.list_applications()["applications"]] == [run.application_id]


def test_the_handle_backend_is_the_plugins_backend() -> None:
    with mea.mock_emrs_attempts() as emrs:
        run = emrs.seed_job_run(region_name="eu-west-1", account_id="111111111111")

        backend = emrs.backend("eu-west-1", "111111111111")

        assert backend is mea.attempts_backends["111111111111"]["eu-west-1"]
        assert (run.application_id, run.job_run_id) in backend.histories
        assert emrs.backend() is mea.attempts_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]


def test_the_handles_methods_are_the_module_functions() -> None:
    handle = mea.EmrsAttempts
    for name in (
        "seed_job_run",
        "seed_attempts",
        "load_history",
        "export_history",
        "script_outcomes",
        "inject_error",
    ):
        assert getattr(handle, name) is getattr(mea, name)


def test_module_functions_work_under_a_plain_mock_aws() -> None:
    from moto import mock_aws

    with mock_aws():
        run = mea.seed_job_run(["FAILED", "SUCCESS"])
        assert list_attempts(run) == ["FAILED", "SUCCESS"]


def test_the_public_api_is_exactly_the_documented_names() -> None:
    assert sorted(mea.__all__) == sorted(
        [
            "mock_emrs_attempts",
            "EmrsAttempts",
            "seed_job_run",
            "seed_attempts",
            "script_outcomes",
            "inject_error",
            "load_history",
            "export_history",
            "Attempt",
            "SeededJobRun",
            "attempts_backends",
            "HistoryError",
        ]
    )


class _Null:
    def write(self, _: str) -> None:
        pass

    def flush(self) -> None:
        pass


def test_the_handle_client_runs_builtin_handlers_registered_after_earlier_clients(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import botocore.handlers

    seen: list[str] = []
    with mea.mock_emrs_attempts() as emrs:
        emrs.client().list_applications()  # the shared handlers are built by now
        monkeypatch.setattr(
            botocore.handlers,
            "BUILTIN_HANDLERS",
            [
                *botocore.handlers.BUILTIN_HANDLERS,
                ("after-call.emr-serverless", lambda model, **_: seen.append(model.name)),
            ],
        )

        emrs.client().list_applications()

    assert seen == ["ListApplications"]


def test_each_handle_client_has_its_own_event_handlers() -> None:
    seen: list[str] = []
    with mea.mock_emrs_attempts() as emrs:
        first = emrs.client()
        first.meta.events.register("after-call.emr-serverless", lambda **_: seen.append("first"))

        emrs.client().list_applications()

    assert seen == []
