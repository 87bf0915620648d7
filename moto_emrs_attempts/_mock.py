"""`mock_emrs_attempts` and the `EmrsAttempts` handle it yields."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Callable, TypeVar, overload

from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID

from . import history, seeding
from ._faults import FAULTS
from .models import AttemptsBackend, attempts_backends

if TYPE_CHECKING:
    from typing_extensions import ParamSpec

    P = ParamSpec("P")
T = TypeVar("T")


def script_outcomes(
    outcomes: Iterable[str],
    *,
    application_id: str | None = None,
    region_name: str = "us-east-1",
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> None:
    """Make the next StartJobRun (for `application_id`, or any application) play these outcomes.

    >>> script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    """
    from .lifecycle import script

    script(outcomes, application_id=application_id, region_name=region_name, account_id=account_id)


def inject_error(
    operation: str = "ListJobRunAttempts",
    error: str = "InternalServerException",
    *,
    times: int = 1,
    message: str | None = None,
    region_name: str | None = None,
    account_id: str | None = None,
) -> None:
    """Answer the next `times` calls of `operation` with an AWS error, then behave normally.

    `region_name`/`account_id` None means any region/account.

        >>> inject_error("ListJobRunAttempts", "ThrottlingException", times=2)
    """
    attempts_backends[account_id or DEFAULT_ACCOUNT_ID]  # moto's reset now clears the fault too
    FAULTS.add(
        operation,
        error,
        times=times,
        message=message,
        region_name=region_name,
        account_id=account_id,
    )


class EmrsAttempts:
    """The handle `mock_emrs_attempts` yields: seeding, scripts, faults and clients."""

    seed_job_run = staticmethod(seeding.seed_job_run)
    seed_attempts = staticmethod(seeding.seed_attempts)
    load_history = staticmethod(history.load_history)
    export_history = staticmethod(history.export_history)
    script_outcomes = staticmethod(script_outcomes)
    inject_error = staticmethod(inject_error)

    def client(self, region_name: str = "us-east-1") -> Any:
        """Return a boto3 `emr-serverless` client answered by the mock."""
        import boto3

        return boto3.client("emr-serverless", region_name=region_name)

    def backend(
        self, region_name: str = "us-east-1", account_id: str = DEFAULT_ACCOUNT_ID
    ) -> AttemptsBackend:
        """Return the plugin's backend of one account and region."""
        backend: AttemptsBackend = attempts_backends[account_id][region_name]
        return backend


class EmrsAttemptsMock:
    """`moto.mock_aws` with the plugin: a decorator for functions and classes, and a
    context manager that yields an `EmrsAttempts` handle."""

    def __init__(self, config: Any = None) -> None:
        self._mock = mock_aws(config=config)

    def start(self) -> EmrsAttempts:
        self._mock.start()
        return EmrsAttempts()

    def stop(self) -> None:
        self._mock.stop()

    def __enter__(self) -> EmrsAttempts:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def __call__(self, func: Callable[P, T]) -> Callable[P, T]:
        if not (inspect.isclass(func) or callable(func)):
            raise TypeError(
                f"Decorate a function or a class with mock_emrs_attempts, not {func!r}."
            )
        decorated: Callable[P, T] = self._mock(func)
        return decorated


@overload
def mock_emrs_attempts(func: Callable[P, T]) -> Callable[P, T]: ...


@overload
def mock_emrs_attempts(func: None = None, *, config: Any = None) -> EmrsAttemptsMock: ...


def mock_emrs_attempts(func: Any = None, *, config: Any = None) -> Any:
    """Mock AWS with the attempts plugin.

    Use it bare or called, on a function or a class, or as a context manager:

        >>> with mock_emrs_attempts() as emrs:
        ...     run = emrs.seed_job_run(["FAILED", "SUCCESS"])
        ...     emrs.client().list_job_run_attempts(
        ...         applicationId=run.application_id, jobRunId=run.job_run_id)
    """
    mock = EmrsAttemptsMock(config=config)
    return mock if func is None else mock(func)
