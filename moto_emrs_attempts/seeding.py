"""Seeding attempt histories from Python, one job run at a time (section 2 of the spec).

Everything is validated before anything is created, so a bad seed leaves no trace. The history
document, which seeds many job runs at once, is `history`'s; it builds on the plans made here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID

from . import _guard, _progress, _validation, lifecycle
from ._inputs import (
    AttemptLike,
    _check_open,
    _model_string,
    _outcomes,
    _scripted,
)
from ._log_texts import Logs
from ._moto_resources import MotoResources
from ._service import shape
from ._values import copied, shared
from .exceptions import HistoryError, HistoryResourceNotFound, shown
from .jobruns import NO_ECHO
from .lifecycle import AttemptRecord, Outcome
from .models import (
    DEFAULT_JOB_DRIVER,
    AttemptsBackend,
    attempts_backends,
)

#: Where seeded job runs start, so that a seeded history is the same on every run.
SEED_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
DEFAULT_RELEASE_LABEL = "emr-7.1.0"
_MOTO_RELEASE_LABEL = re.compile(r"emr-[0-9]{1}\.[0-9]{1,2}\.0(|-[0-9]{8})")
_ROLE = re.compile(shape("IAMRoleArn").metadata["pattern"])


@dataclass(frozen=True)
class SeededJobRun:
    """A seeded job run; `attempts` is its total number of attempts after seeding."""

    application_id: str
    job_run_id: str
    arn: str
    attempts: int


def _policy_text(policy: Mapping[str, int] | None) -> str:
    return ", ".join(f"{name} {value}" for name, value in (policy or {}).items())


def _backend(
    account_id: Any, region_name: Any, account_path: str, region_path: str
) -> AttemptsBackend:
    account_id = _guard.check_account(account_id, account_path)
    region_name = _guard.check_region(region_name, region_path)
    backend: AttemptsBackend = attempts_backends[account_id][region_name]
    return backend


@dataclass  # not frozen: a large document makes one a job run, and frozen ones cost twice
class RunDetails:
    """What a history document may fix about a job run beyond its settings and attempts.

    `members` are attributes of moto's job run, set as given (the StartJobRun members that
    GetJobRun echoes); None elsewhere means "as a new job run would have it".
    """

    job_run_id: str | None = None
    created_at: float | None = None
    created_by: str | None = None
    release_label: str | None = None
    members: Mapping[str, Any] = field(default_factory=dict)
    #: StartJobRun members the answers echo, by their wire names (`JobRunHistory.echo`).
    echo: Mapping[str, Any] = field(default_factory=dict)
    #: A job run in flight, restored: what it needs to go on (None: a snapshot).
    restored: _progress.Restored | None = None


@dataclass
class _JobRunPlan:
    """A validated job run, ready to be created."""

    backend: AttemptsBackend
    application_id: str | None
    name: str | None
    mode: str
    retry_policy: dict[str, int] | None
    execution_role_arn: str
    release_label: str
    outcomes: list[Outcome]
    path: str
    details: RunDetails = field(default_factory=RunDetails)
    #: The logs given to the outcomes, by index.
    logs: dict[int, Logs] = field(default_factory=dict)
    #: The attempts, once played (`played`).
    records: list[AttemptRecord] | None = None


def _plan(
    backend: AttemptsBackend,
    *,
    attempts: Any,
    application_id: Any,
    name: Any,
    mode: Any,
    retry_policy: Any,
    execution_role_arn: Any,
    release_label: Any,
    path: str,
    keys: Mapping[str, str],
) -> _JobRunPlan:
    """Validate one job run; `keys` maps each setting to its name in error paths."""
    prefix = f"{path}." if path else ""
    if application_id is not None:
        _model_string(application_id, prefix + keys["application_id"], "ApplicationId")
        if application_id not in backend.emr.applications:
            raise HistoryResourceNotFound(
                prefix + keys["application_id"],
                f"application {application_id} does not exist in account {backend.account_id}, "
                f"region {backend.region_name}",
            )
    if name is not None:
        _model_string(name, prefix + keys["name"], "String256")
    if mode not in _validation.MODES:
        raise HistoryError(
            prefix + keys["mode"],
            f"{shown(mode)} is not a mode; use one of {', '.join(_validation.MODES)}",
        )
    if retry_policy is not None:
        for member, problem in _validation.retry_policy_problems(mode, retry_policy):
            where = prefix + keys["retry_policy"] + (f".{member}" if member else "")
            raise HistoryError(where, problem)
    role = execution_role_arn or backend.default_execution_role()
    if type(role) is not str or (role, backend.account_id) not in _ROLES:
        _check_role(backend, role, prefix + keys["execution_role_arn"])
    _model_string(release_label, prefix + keys["release_label"], "ReleaseLabel")
    if not _MOTO_RELEASE_LABEL.fullmatch(release_label):
        raise HistoryError(
            prefix + keys["release_label"],
            f"{shown(release_label)} is not an EMR release label such as 'emr-7.1.0'",
        )
    logs: dict[int, Logs] = {}
    outcomes = _outcomes(attempts, prefix + keys["attempts"], logs)
    return _JobRunPlan(
        backend,
        application_id,
        name,
        shared(mode),
        dict(retry_policy) if retry_policy is not None else None,
        shared(role),
        shared(release_label),
        outcomes,
        prefix + keys["attempts"],
        logs=logs,
    )


#: (role, account) pairs known to pass `_check_role`: documents repeat their roles.
_ROLES: set[tuple[str, str]] = set()


def _check_role(backend: AttemptsBackend, role: Any, path: str) -> None:
    """Raise HistoryError unless `role` is an IAM role ARN of the backend's account."""
    if isinstance(role, str) and not _ROLE.fullmatch(role):
        raise HistoryError(
            path,
            f"{shown(role)} is not an IAM role ARN such as "
            f"'arn:{backend.partition}:iam::{backend.account_id}:role/job-role'",
        )
    _model_string(role, path, "IAMRoleArn")
    if role.split(":")[4] != backend.account_id:
        raise HistoryError(
            path,
            f"must be a role of account {backend.account_id}: cross-account pass role is not allowed",
        )
    if type(role) is str and len(_ROLES) < 4096:
        _ROLES.add((role, backend.account_id))


def start_of(plan: _JobRunPlan) -> float:
    """When a planned job run's first attempt starts: its own time, the run's, or the epoch."""
    start = plan.outcomes[0].created_at
    if start is None:
        start = plan.details.created_at
    return SEED_EPOCH if start is None else start


def played(plan: _JobRunPlan) -> list[AttemptRecord]:
    """A planned job run's attempts, played once: literally, or exactly under its policy."""
    if plan.records is None:
        plan.records = lifecycle.play(
            plan.outcomes,
            start=start_of(plan),
            mode=plan.mode,
            retry_policy=plan.retry_policy,
            path=plan.path,
            literal=plan.retry_policy is None,
            exact=True,
        )
    return plan.records


@dataclass
class _Created:
    """What a seed has created so far, to take back if it cannot finish; and what makes
    moto's objects for it."""

    backend: AttemptsBackend
    applications: list[str] = field(default_factory=list)
    job_runs: list[tuple[str, str]] = field(default_factory=list)
    _resources: MotoResources | None = None

    @property
    def resources(self) -> MotoResources:
        """Makes this seed's applications and job runs (the first of a kind by moto)."""
        if self._resources is None:
            self._resources = MotoResources(self.backend.emr)
        return self._resources

    def take_back(self) -> None:
        backend, emr = self.backend, self.backend.emr
        for application_id, job_run_id in reversed(self.job_runs):
            backend.histories.pop((application_id, job_run_id), None)
            runs = emr.job_runs.get(application_id, [])
            runs[:] = [run for run in runs if run.id != job_run_id]
            if not runs:
                emr.job_runs.pop(application_id, None)
            slots = backend.slots.get(application_id)
            if slots is not None:
                slots.release(job_run_id)
        for application_id in reversed(self.applications):
            emr.applications.pop(application_id, None)
            emr.job_runs.pop(application_id, None)
            backend.slots.pop(application_id, None)


@contextmanager
def undone_on_error(backend: AttemptsBackend) -> Iterator[_Created]:
    """Take back what a seed created when it fails part way (it never should, once planned):
    a seed either succeeds whole or leaves nothing. Use it under the backend's lock."""
    created = _Created(backend)
    try:
        yield created
    except BaseException:
        created.take_back()
        raise


def create_application(
    emr: Any,
    *,
    name: str | None,
    release_label: str,
    application_type: str = "SPARK",
    application_id: str | None = None,
) -> str:
    """Create moto's application (validated beforehand), with a given id if one is named."""
    created = MotoResources(emr).application(
        name=name,
        release_label=release_label,
        application_type=application_type,
        application_id=application_id,
    )
    return str(created.id)


def _create(plan: _JobRunPlan, created: _Created) -> SeededJobRun:
    """Create a validated job run: moto's application and job run, then its attempts; call it
    under the backend's lock, inside `undone_on_error`."""
    backend = plan.backend
    details = plan.details
    records = played(plan)
    created_at = start_of(plan) if details.created_at is None else details.created_at
    resources = created.resources
    application_id = plan.application_id
    if application_id is None:
        application_id = resources.application(
            name=f"{plan.name or 'seeded'}-application", release_label=plan.release_label
        ).id
        created.applications.append(application_id)
    # The plan's values are its own copies, made for this job run: moto's job run takes them.
    members = details.members
    job_driver = members.get("job_driver")
    job_run = resources.job_run(
        application_id=application_id,
        execution_role_arn=plan.execution_role_arn,
        job_driver=copied(DEFAULT_JOB_DRIVER) if job_driver is None else job_driver,
        name=plan.name,
        job_run_id=details.job_run_id,
    )
    created.job_runs.append((application_id, job_run.id))
    if details.release_label is not None:
        job_run.release_label = details.release_label
    for attribute, value in members.items():
        if attribute != "job_driver":
            setattr(job_run, attribute, value)
    job_run.created_by = details.created_by or backend.default_created_by()
    backend.set_moto_time(job_run, "created_at", created_at)
    history = backend.adopt(
        job_run,
        mode=plan.mode,
        retry_policy=plan.retry_policy,
        attempts=records,
        echo=copied(dict(details.echo)) or NO_ECHO,  # its own: moto's job run has the plan's
        created_at=created_at,  # exactly: moto's own field may be coarser
        # the attempts played from the outcomes are numbered as they are
        given_logs={i + 1: plan.logs[i] for i in plan.logs if i < len(records)},
        create_log_destinations=True,
    )
    if details.restored is not None:
        _progress.restore(history, details.restored, backend.slots_of(application_id))
    return SeededJobRun(application_id, job_run.id, history.arn, len(history.attempts))


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
    _guard.require_mock("seed_job_run")
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

    On a job run with a retry policy, the attempts are played as outcomes under it, counting
    the attempts (or, for STREAMING, the failures within the hour) the run already has;
    without one they are taken literally. A job run that has ended (SUCCESS, CANCELLED, or
    FAILED with no retry left under its policy) or whose latest attempt is still in flight
    takes no more attempts.

    >>> run = seed_job_run(["FAILED"])
    >>> seed_attempts(run.application_id, run.job_run_id, ["SUCCESS"]).attempts
    2
    """
    _guard.require_mock("seed_attempts")
    backend = _backend(account_id, region_name, "account_id", "region_name")
    _model_string(application_id, "application_id", "ApplicationId")
    _model_string(job_run_id, "job_run_id", "JobRunId")
    if application_id not in backend.emr.applications:
        raise HistoryResourceNotFound(
            "application_id", f"application {application_id} does not exist"
        )
    if not any(j.id == job_run_id for j in backend.emr.job_runs.get(application_id, ())):
        raise HistoryResourceNotFound(
            "job_run_id", f"job run {job_run_id} does not exist in application {application_id}"
        )
    logs: dict[int, Logs] = {}
    outcomes = _outcomes(attempts, "attempts", logs)
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
            raise HistoryResourceNotFound(
                "application_id",
                f"application {application_id} does not exist in account {account_id}, "
                f"region {region_name}",
            )
    if isinstance(outcomes, (str, bytes, Mapping)) or not isinstance(outcomes, Iterable):
        raise HistoryError("outcomes", f"must be a list of job run states, not {shown(outcomes)}")
    states = list(outcomes)
    if not states:
        raise HistoryError("outcomes", "must list at least one state")
    played, logs = _scripted(states)
    with backend.lock:
        backend.scripts.append((application_id, played, logs))
