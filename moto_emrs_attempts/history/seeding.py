"""Seeding attempt histories from Python, one job run at a time (section 2 of the spec).

Everything is validated before anything is created, so a bad seed leaves no trace (`history.plans`
plans and creates). The history document, which seeds many job runs at once, is
`history.document`'s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID

from ..contract.errors import HistoryError, HistoryResourceNotFound, shown
from ..engine import lifecycle
from ..logs.content import Logs, check_engine
from ..models import guard
from ..models.moto_resources import engine_of
from .attempt_input import AttemptLike, _check_open, _model_string, _outcomes, _scripted
from .plans import DEFAULT_RELEASE_LABEL, SeededJobRun, _backend, _create, _plan, undone_on_error

__all__ = ["SeededJobRun", "script", "seed_attempts", "seed_job_run"]


def _policy_text(policy: Mapping[str, int] | None) -> str:
    return ", ".join(f"{name} {value}" for name, value in (policy or {}).items())


_PY_KEYS = {
    "application_id": "application_id",
    "name": "name",
    "mode": "mode",
    "retry_policy": "retry_policy",
    "execution_role_arn": "execution_role_arn",
    "release_label": "release_label",
    "attempts": "attempts",
}


# -- public API -------------------------------------------------------------------------


def seed_job_run(
    attempts: Iterable[AttemptLike] = ("SUCCESS",),
    *,
    application_id: str | None = None,
    name: str | None = None,
    mode: str = "BATCH",
    retry_policy: Mapping[str, int] | None = None,
    execution_role_arn: str | None = None,
    release_label: str = DEFAULT_RELEASE_LABEL,
    region_name: str = "us-east-1",
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> SeededJobRun:
    """Create a job run with the given attempts, in a new application unless one is named.

    With a `retry_policy`, the attempts are played as outcomes under the lifecycle rules;
    without one they are taken literally.

        >>> run = seed_job_run(["FAILED", "FAILED", "SUCCESS"], retry_policy={"maxAttempts": 3})
        >>> run.attempts
        3
    """
    guard.require_mock("seed_job_run")
    backend = _backend(account_id, region_name, "account_id", "region_name")
    with backend.lock, undone_on_error(backend) as created:
        plan = _plan(
            backend,
            attempts=attempts,
            application_id=application_id,
            name=name,
            mode=mode,
            retry_policy=retry_policy,
            execution_role_arn=execution_role_arn,
            release_label=release_label,
            path="",
            keys=_PY_KEYS,
        )
        return _create(plan, created)


def seed_attempts(
    application_id: str,
    job_run_id: str,
    attempts: Iterable[AttemptLike],
    *,
    region_name: str = "us-east-1",
    account_id: str = DEFAULT_ACCOUNT_ID,
) -> SeededJobRun:
    """Append attempts to an existing job run; numbering continues after its latest attempt.

    Without a retry policy the attempts are taken literally. A job run that has ended (SUCCESS,
    CANCELLED, or FAILED with no retry left under its policy) or whose latest attempt is still
    in flight takes no more attempts; a job run with a retry policy is always one of these (no
    seed or StartJobRun leaves it on a FAILED attempt its policy retries), so only a run without
    a policy takes any. Under a policy they would be played as outcomes, counting the attempts
    (STREAMING: the failures within the hour) the run already has.

    >>> run = seed_job_run(["FAILED"])
    >>> seed_attempts(run.application_id, run.job_run_id, ["SUCCESS"]).attempts
    2
    """
    guard.require_mock("seed_attempts")
    backend = _backend(account_id, region_name, "account_id", "region_name")
    _model_string(application_id, "application_id", "ApplicationId")
    _model_string(job_run_id, "job_run_id", "JobRunId")
    if application_id not in backend.emr.applications:
        raise HistoryResourceNotFound.application(
            "application_id", application_id, backend.account_id, backend.region_name
        )
    if not any(j.id == job_run_id for j in backend.emr.job_runs.get(application_id, ())):
        raise HistoryResourceNotFound(
            "job_run_id", f"job run {job_run_id} does not exist in application {application_id}"
        )
    logs: dict[int, Logs] = {}
    outcomes = _outcomes(attempts, "attempts", logs)
    if logs:
        check_engine(logs, str(engine_of(backend.emr.applications[application_id])), "attempts")
    with backend.lock:
        history = backend.history(application_id, job_run_id)
        _check_open(history, outcomes[0].state)
        records = lifecycle.play(
            outcomes,
            start=0.0,
            mode=history.mode,
            retry_policy=history.retry_policy,
            path="attempts",
            literal=history.retry_policy is None,
            exact=True,
            after=history.latest.updated_at,
            prior=history.attempts,
        )
        if not records:  # the policy leaves the FAILED run no retry
            raise HistoryError(
                "job_run_id",
                f"job run {job_run_id} has ended (FAILED, with no retry left under its "
                f"retryPolicy {_policy_text(history.retry_policy)}); no attempt can follow",
            )
        if logs:
            first = len(history.attempts) + 1
            given = history.given_logs = dict(history.given_logs or {})
            given.update((first + i, logs[i]) for i in logs if i < len(records))
        backend.append_attempts(history, records)
        return SeededJobRun(application_id, job_run_id, history.arn, len(history.attempts))


def script(
    outcomes: Any,
    *,
    application_id: str | None,
    region_name: str,
    account_id: str,
) -> None:
    """Queue outcomes for the next StartJobRun of an application (None: of any application).

    A script for an application that does not exist could never fire: it is a
    HistoryResourceNotFound (a LookupError).
    """
    backend = _backend(account_id, region_name, "account_id", "region_name")
    if application_id is not None:
        if not isinstance(application_id, str):
            raise HistoryError("application_id", f"must be a string, not {shown(application_id)}")
        if application_id not in backend.emr.applications:
            raise HistoryResourceNotFound.application(
                "application_id", application_id, backend.account_id, backend.region_name
            )
    if isinstance(outcomes, (str, bytes, Mapping)) or not isinstance(outcomes, Iterable):
        raise HistoryError("outcomes", f"must be a list of job run states, not {shown(outcomes)}")
    states = list(outcomes)
    if not states:
        raise HistoryError("outcomes", "must list at least one state")
    played, logs = _scripted(states)
    if application_id is not None and logs:
        engine = engine_of(backend.emr.applications[application_id])
        check_engine(logs, str(engine), "outcomes", first=1)
    with backend.lock:
        backend.scripts.append((application_id, played, logs))
