"""`mock_emrs_attempts` and the `EmrsAttempts` handle it yields."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Callable, TypeVar, cast, overload

from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.moto_api import state_manager

from . import _client
from .contract.errors import (
    EmrServerlessError,
    HistoryError,
    HistoryResourceNotFound,
    ResourceNotFoundException,
    shown,
)
from .engine import transitions
from .history import document as history
from .history import plans, seeding
from .history.attempt_input import AttemptLike, _model_string
from .models import guard
from .models.backend import AttemptsBackend, attempts_backends
from .models.faults import FAULTS, make
from .responses import rendering

if TYPE_CHECKING:
    # the `types` extra; without it the client is typed Any, at no cost at runtime either way
    from types_boto3_emr_serverless import (  # type: ignore[import-not-found, unused-ignore]
        EMRServerlessClient,
    )
    from typing_extensions import ParamSpec

    P = ParamSpec("P")
T = TypeVar("T")


def script_outcomes(
    outcomes: Iterable[AttemptLike],
    *,
    application_id: str | None = None,
    region_name: str = "us-east-1",
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> None:
    """Make the next StartJobRun (for `application_id`, or any application) play these outcomes:
    states, or `Attempt` objects (without times) that also give stateDetails and logs.

    >>> script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    >>> script_outcomes([Attempt("FAILED", "Driver OOM"), "SUCCESS"])
    """
    guard.require_mock("script_outcomes")
    seeding.script(
        outcomes, application_id=application_id, region_name=region_name, account_id=account_id
    )


def _backend(region_name: str, account_id: str) -> AttemptsBackend:
    return plans._backend(account_id, region_name, "account_id", "region_name")


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
    guard.require_mock("inject_error")
    if region_name is not None:  # a typo must not make a fault that never fires
        guard.check_region(region_name)
    if account_id is not None:
        guard.check_account(account_id)
    attempts_backends[account_id or DEFAULT_ACCOUNT_ID]  # moto's reset now clears the fault too
    FAULTS.extend([make(operation, error, times, message, region_name, account_id)])


class EmrsAttempts:
    """The handle `mock_emrs_attempts` yields: seeding, scripts, faults, progression and clients."""

    seed_job_run = staticmethod(seeding.seed_job_run)
    seed_attempts = staticmethod(seeding.seed_attempts)
    load_history = staticmethod(history.load_history)
    export_history = staticmethod(history.export_history)
    script_outcomes = staticmethod(script_outcomes)
    inject_error = staticmethod(inject_error)

    def client(self, region_name: str = "us-east-1") -> EMRServerlessClient:
        """Return a boto3 `emr-serverless` client answered by the mock.

        Cheap: it shares the parsed service model with earlier clients, and reads credentials,
        profile and account anew, as `boto3.client` would.
        """
        guard.require_mock("client")
        client = _client.client("emr-serverless", guard.check_region(region_name))
        return cast("EMRServerlessClient", client)

    def peek_job_run(
        self,
        application_id: str,
        job_run_id: str,
        attempt: int | None = None,
        *,
        region_name: str = "us-east-1",
        account_id: str = DEFAULT_ACCOUNT_ID,
    ) -> dict[str, Any]:
        """Return the job run as `GetJobRun` would answer it (its `jobRun`, as boto3 parses it),
        without polling it: under `manual` progression every GetJobRun is a poll, and so is a
        test's own assertion; this look moves nothing.

            >>> run = emrs.seed_job_run(["PENDING"])
            >>> emrs.peek_job_run(run.application_id, run.job_run_id)["state"]
            'PENDING'
        """
        guard.require_mock("peek_job_run")
        backend = _backend(region_name, account_id)
        _model_string(application_id, "application_id", "ApplicationId")
        _model_string(job_run_id, "job_run_id", "JobRunId")
        if attempt is not None and (
            isinstance(attempt, bool) or not isinstance(attempt, int) or attempt < 1
        ):
            raise HistoryError(
                "attempt", f"must be an attempt number (1 or more) or None, not {attempt!r}"
            )
        if application_id not in backend.emr.applications:
            raise HistoryResourceNotFound.application(
                "application_id", application_id, backend.account_id, backend.region_name
            )
        try:
            backend.history(application_id, job_run_id)
        except ResourceNotFoundException as error:
            raise HistoryResourceNotFound("job_run_id", error.message) from None
        try:
            found = backend.peek_job_run(application_id, job_run_id, attempt)
        except ResourceNotFoundException as error:  # above the latest attempt
            raise HistoryResourceNotFound("attempt", error.message) from None
        except EmrServerlessError as error:  # a transition this model cannot use
            raise HistoryError("$", error.message) from None
        job_run: dict[str, Any] = rendering.as_boto3(
            "GetJobRun", {"jobRun": rendering.job_run_fields(*found)}
        )["jobRun"]
        return job_run

    def progression(
        self,
        progression: str,
        *,
        times: int | None = None,
        seconds: float | None = None,
        model: str = transitions.MODEL_NAME,
    ) -> None:
        """Set how the plugin's `model` moves through time, in moto's state manager, until the
        mock active now ends: its end restores what was in force before (the guide "Attempts
        over time" of the docs).

            >>> emrs.progression("manual", times=1)  # every poll of a job run is one step
            >>> emrs.progression("time", seconds=60)  # a step a minute of moto's clock
            >>> emrs.progression("immediate")  # born with the whole history (the default)
        """
        guard.require_mock("progression")
        if model not in transitions.MODEL_NAMES:
            raise HistoryError(
                "model",
                f"{shown(model)} is not a model of the plugin: use "
                + " or ".join(repr(name) for name in transitions.MODEL_NAMES),
            )
        transition = transitions.requested(progression, times=times, seconds=seconds, model=model)
        state_manager.set_transition(model, transition)

    def backend(
        self, region_name: str = "us-east-1", account_id: str = DEFAULT_ACCOUNT_ID
    ) -> AttemptsBackend:
        """Return the plugin's backend of one account and region."""
        guard.require_mock("backend")
        return _backend(region_name, account_id)


class EmrsAttemptsMock:
    """`moto.mock_aws` with the plugin: a decorator for functions and classes, and a
    context manager that yields an `EmrsAttempts` handle."""

    def __init__(self, config: Any = None) -> None:
        # Its stop takes back the faults, scripts and transitions set under it, as every
        # moto mock's does once the plugin is imported (`models.backend.mock_scope`).
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
        ...     page = emrs.client().list_job_run_attempts(
        ...         applicationId=run.application_id, jobRunId=run.job_run_id)
    """
    mock = EmrsAttemptsMock(config=config)
    return mock if func is None else mock(func)
