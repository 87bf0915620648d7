"""A job run to seed: its plan (validated, before anything is created) and its creation
(moto's application and job run, then its attempts), which succeeds whole or takes back what it
made. `seeding` (one job run from Python) and `history` (a document of many) build on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from ..contract import policies
from ..contract.errors import HistoryError, HistoryResourceNotFound, shown
from ..contract.service_model import shape
from ..contract.shape_checks import copied, shared
from ..engine import lifecycle
from ..engine.job_run import NO_ECHO
from ..engine.lifecycle import AttemptRecord, Outcome
from ..logs.content import Logs, check_engine
from ..models import guard
from ..models.backend import DEFAULT_JOB_DRIVER, AttemptsBackend, attempts_backends
from ..models.moto_resources import MotoResources, engine_of
from . import in_flight
from .attempt_input import _model_string, _outcomes

#: Where seeded job runs start, so that a seeded history is the same on every run.
SEED_EPOCH = datetime(2026, 1, 1, tzinfo=timezone.utc).timestamp()
DEFAULT_RELEASE_LABEL = "emr-7.1.0"
_MOTO_RELEASE_LABEL = re.compile(r"emr-[0-9]{1}\.[0-9]{1,2}\.0(|-[0-9]{8})")
_ROLE = re.compile(shape("IAMRoleArn").metadata["pattern"])
_NAME = shape("ApplicationName").metadata
#: What the model's application name pattern (one character class, repeated) leaves out.
_NOT_IN_NAME = re.compile("[^" + _NAME["pattern"][1:-2] + "]")
_SUFFIX = "-application"


def application_name(job_run_name: str | None) -> str:
    """The name of the application a seed without one gets: its job run's name, with what an
    application name cannot hold as `-`, and as long as one may be."""
    base = _NOT_IN_NAME.sub("-", job_run_name or "seeded")
    return base[: _NAME["max"] - len(_SUFFIX)] + _SUFFIX


@dataclass(frozen=True)
class SeededJobRun:
    """A seeded job run; `attempts` is its total number of attempts after seeding."""

    application_id: str
    job_run_id: str
    arn: str
    attempts: int


def _backend(
    account_id: Any, region_name: Any, account_path: str, region_path: str
) -> AttemptsBackend:
    account_id = guard.check_account(account_id, account_path)
    region_name = guard.check_region(region_name, region_path)
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
    restored: in_flight.Restored | None = None


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
    engine: str | None = None,
) -> _JobRunPlan:
    """Validate one job run; `keys` maps each setting to its name in error paths. `engine` is
    the type of the application the run goes to when the plan creates it (None: the named
    application's, or SPARK for the one a seed creates)."""
    prefix = f"{path}." if path else ""
    if application_id is not None:
        _model_string(application_id, prefix + keys["application_id"], "ApplicationId")
        if application_id not in backend.emr.applications:
            raise HistoryResourceNotFound.application(
                prefix + keys["application_id"],
                application_id,
                backend.account_id,
                backend.region_name,
            )
    if name is not None:
        _model_string(name, prefix + keys["name"], "String256")
    if mode not in policies.MODES:
        raise HistoryError(
            prefix + keys["mode"],
            f"{shown(mode)} is not a mode; use one of {', '.join(policies.MODES)}",
        )
    if retry_policy is not None:
        for member, problem in policies.retry_policy_problems(mode, retry_policy):
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
    if logs:
        if engine is None:
            found = backend.emr.applications.get(application_id) if application_id else None
            engine = "SPARK" if found is None else str(engine_of(found))
        check_engine(logs, engine, prefix + keys["attempts"])
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
            name=application_name(plan.name), release_label=plan.release_label
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
        in_flight.restore(history, details.restored, backend.slots_of(application_id))
    return SeededJobRun(application_id, job_run.id, history.arn, len(history.attempts))
