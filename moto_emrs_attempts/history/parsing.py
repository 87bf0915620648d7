"""Parsing a history document (SPEC sections 6 and 9): `plan_history` checks it whole, members,
values and the rules the schema's `$comment` lists, and returns the plan `history.document`
creates; nothing here creates anything.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID

from ..contract.errors import HistoryError, shown
from ..contract.policies import scheduler_configuration_clauses, scheduler_limits
from ..contract.service_model import shape
from ..contract.shape_checks import check_text, copied, model_value, shared
from ..contract.shape_checks import clause_error as _clause_error
from ..contract.validation import value_clauses
from ..engine.scheduler import resolve
from ..models.backend import AttemptsBackend
from ..models.faults import Fault
from . import application_document, in_flight
from . import pending as _pending
from .attempt_input import _model_string, _time
from .export import (
    _ATTRIBUTES,
    _JOB_RUN_SHAPE,
    _KEYS,
    APPLICATION_KEYS,
    APPLICATION_TYPES,
    DOCUMENT_KEYS,
    ECHO_KEYS,
    ECHO_WIRES,
    JOB_RUN_KEYS,
    VERSION,
)
from .plans import (
    _MOTO_RELEASE_LABEL,
    DEFAULT_RELEASE_LABEL,
    RunDetails,
    _backend,
    _JobRunPlan,
    _plan,
    played,
)

__all__ = ["HistoryPlan", "plan_history"]


@dataclass  # not frozen: a large document makes one an application, and frozen ones cost twice
class _ApplicationPlan:
    application_id: str
    name: str | None
    release_label: str
    application_type: str
    scheduler: dict[str, int] | None = None
    monitoring: dict[str, Any] | None = None
    over_time: application_document.AppState | None = None


@dataclass
class HistoryPlan:
    """A validated history document, ready to be created."""

    backend: AttemptsBackend
    applications: list[_ApplicationPlan]
    job_runs: list[_JobRunPlan]
    scripts: list[_pending.Script] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)


@functools.cache
def _known(allowed: tuple[str, ...]) -> frozenset[str]:
    return frozenset(allowed)


def _members(value: Any, path: str, allowed: tuple[str, ...], what: str) -> Mapping[str, Any]:
    if type(value) is not dict and not isinstance(value, Mapping):  # a dict, mostly: no ABC
        raise HistoryError(path, f"must be an object, not {shown(value)}")
    if not _known(allowed).issuperset(value):  # the common case: one set operation
        for key in value:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                raise HistoryError(where, f"is not {what} member; use {', '.join(allowed)}")
    return value


def _list(document: Mapping[str, Any], key: str, what: str) -> list[Any]:
    value = document.get(key, [])
    if not isinstance(value, list):
        raise HistoryError(key, f"must be a list of {what}, not {shown(value)}")
    return value


#: The JobRun members a job run's entry may give as StartJobRun took them, in the order
#: they are checked, with their shapes.
_ECHOED = tuple((wire, _JOB_RUN_SHAPE.members[wire]) for wire in JOB_RUN_KEYS if wire in ECHO_WIRES)


def _application(entry: Any, path: str) -> _ApplicationPlan:
    entry = _members(entry, path, APPLICATION_KEYS, "an application")
    if "applicationId" not in entry:
        raise HistoryError(f"{path}.applicationId", "is required")
    application_id = _model_string(entry["applicationId"], f"{path}.applicationId", "ApplicationId")
    name = entry.get("name")
    if name is not None:
        if not isinstance(name, str):
            raise HistoryError(f"{path}.name", f"must be a string, not {shown(name)}")
        check_text(name, f"{path}.name")
    release_label = _release_label(_given(entry, "releaseLabel", DEFAULT_RELEASE_LABEL), path)
    application_type = _given(entry, "type", "SPARK")
    if application_type not in APPLICATION_TYPES:
        raise HistoryError(
            f"{path}.type",
            f"{shown(application_type)} is not an application type; use {', '.join(APPLICATION_TYPES)}",
        )
    scheduler = entry.get("schedulerConfiguration")
    if scheduler is not None:
        where = f"{path}.schedulerConfiguration"
        if scheduler_limits() is None:
            raise HistoryError(where, "needs a botocore whose model has schedulerConfiguration")
        members = tuple(shape("SchedulerConfiguration").members)
        scheduler = dict(_members(scheduler, where, members, "a scheduler configuration"))
        clauses = scheduler_configuration_clauses(scheduler, "schedulerConfiguration")
        if clauses:
            raise _clause_error(clauses[0], f"{path}.")
        scheduler = resolve(scheduler)
    monitoring = entry.get("monitoringConfiguration")
    if monitoring is not None:
        wire = "monitoringConfiguration"
        clauses = value_clauses(monitoring, wire, shape("Application").members[wire])
        if clauses:
            raise _clause_error(clauses[0], f"{path}.")
        monitoring = copied(monitoring)
    return _ApplicationPlan(
        application_id,
        name,
        shared(release_label),
        application_type,
        scheduler,
        monitoring,
        application_document.parse(entry, path),
    )


def _given(entry: Mapping[str, Any], key: str, default: Any) -> Any:
    """A new member's value; null is the same as leaving it out."""
    value = entry.get(key)
    return default if value is None else value


def _release_label(value: Any, path: str) -> str:
    label = _model_string(value, f"{path}.releaseLabel", "ReleaseLabel")
    if not _MOTO_RELEASE_LABEL.fullmatch(label):
        raise HistoryError(
            f"{path}.releaseLabel",
            f"{shown(label)} is not an EMR release label such as 'emr-7.1.0'",
        )
    return label


def _job_run(
    backend: AttemptsBackend, entry: Any, path: str, listed: Mapping[str, str]
) -> _JobRunPlan:
    """One job run of a document; `listed` maps the applications the document creates to
    their types."""
    entry = _members(entry, path, JOB_RUN_KEYS, "a job run")
    if "attempts" not in entry:
        raise HistoryError(f"{path}.attempts", "is required")
    application_id = entry.get("applicationId")
    to_create = application_id is not None and application_id in listed
    plan = _plan(
        backend,
        attempts=entry["attempts"],
        application_id=None if to_create else application_id,
        name=entry.get("name"),
        mode=entry.get("mode", "BATCH"),
        retry_policy=entry.get("retryPolicy"),
        execution_role_arn=entry.get("executionRoleArn"),
        release_label=_given(entry, "releaseLabel", DEFAULT_RELEASE_LABEL),
        path=path,
        keys=_KEYS,
        engine=listed[application_id] if to_create else None,
    )
    job_run_id = entry.get("jobRunId")
    if job_run_id is not None:
        _model_string(job_run_id, f"{path}.jobRunId", "JobRunId")
    created_by = entry.get("createdBy")
    if created_by is not None:
        _model_string(created_by, f"{path}.createdBy", _JOB_RUN_SHAPE.members["createdBy"].name)
    given = {
        wire: model_value(value, f"{path}.{wire}", wire, value_shape)
        for wire, value_shape in _ECHOED
        if (value := entry.get(wire)) is not None
    }
    members = {_ATTRIBUTES[w]: v for w, v in given.items() if w in _ATTRIBUTES}
    echo = {w: v for w, v in given.items() if w in ECHO_KEYS}
    progress = entry.get("progress")
    details = RunDetails(
        job_run_id=job_run_id,
        created_at=_time(entry.get("createdAt"), f"{path}.createdAt"),
        created_by=shared(created_by),
        release_label=shared(entry.get("releaseLabel")),
        members=members,
        echo=echo,
        restored=None
        if progress is None
        else in_flight.parse(
            progress,
            f"{path}.progress",
            mode=plan.mode,
            policy=plan.retry_policy,
            latest=plan.outcomes[-1].state,
        ),
    )
    first = plan.outcomes[0].created_at
    if details.created_at is not None and first is not None and first < details.created_at:
        raise HistoryError(f"{path}.attempts[0].createdAt", "is before the job run's createdAt")
    plan.application_id = application_id  # the plan is this job run's own: set, not copied
    plan.details = details
    return plan


def _document_backend(document: Any) -> AttemptsBackend:
    """Check a document's top level and return the backend it seeds."""
    if not isinstance(document, Mapping):
        raise HistoryError(
            "$", f"a history document must be an object, not {type(document).__name__}"
        )
    _members(document, "", DOCUMENT_KEYS, "a history document")
    if "version" not in document:
        raise HistoryError("version", "is required")
    version = document["version"]
    if version != VERSION or isinstance(version, bool):
        raise HistoryError("version", f"must be {VERSION}, not {shown(version)}")
    return _backend(
        document.get("account", DEFAULT_ACCOUNT_ID),
        document.get("region", "us-east-1"),
        "account",
        "region",
    )


def plan_history(document: Any) -> HistoryPlan:
    """Validate a history document and return what it creates, ready to create.

    It reads the backend (the ids in use): call it under the backend's lock to create the plan.
    """
    return _planned(document, _document_backend(document))


def _planned(document: Any, backend: AttemptsBackend) -> HistoryPlan:
    """`plan_history` of a document whose top level `_document_backend` has checked."""
    applications: list[_ApplicationPlan] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(_list(document, "applications", "applications")):
        application = _application(entry, f"applications[{index}]")
        found = application.application_id
        if found in seen:
            problem = f"application {found} is already listed at {seen[found]}"
            raise HistoryError(f"applications[{index}].applicationId", problem)
        seen[found] = f"applications[{index}]"
        applications.append(application)
    if "jobRuns" not in document:
        raise HistoryError("jobRuns", "is required")
    listed = {
        a.application_id: a.application_type
        for a in applications
        if a.application_id not in backend.emr.applications
    }
    job_runs = []
    for index, entry in enumerate(_list(document, "jobRuns", "job runs")):
        job_runs.append(_job_run(backend, entry, f"jobRuns[{index}]", listed))
    plan = HistoryPlan(backend, [a for a in applications if a.application_id in listed], job_runs)
    plan.scripts = _pending.parse_scripts(document.get("scripts", []), backend, listed)
    plan.faults = _pending.parse_faults(document.get("faults", []))
    _check_ids_free(plan)
    for run in job_runs:  # the attempts are played as a whole before anything is created
        played(run)
    return plan


def _check_ids_free(plan: HistoryPlan) -> None:
    """Raise for a job run id that the backend or an earlier job run of the plan uses."""
    backend = plan.backend
    in_use = {run.id for runs in backend.emr.job_runs.values() for run in runs}
    listed: dict[str, str] = {}
    for run in plan.job_runs:
        job_run_id = run.details.job_run_id
        if job_run_id is None:
            continue
        path = run.path.rsplit(".", 1)[0] + ".jobRunId"
        where = f"in use in account {backend.account_id}, region {backend.region_name}"
        if job_run_id in in_use or job_run_id in listed:
            where = f"listed at {listed[job_run_id]}" if job_run_id in listed else where
            raise HistoryError(path, f"job run {job_run_id} is already {where}")
        listed[job_run_id] = path.rsplit(".", 1)[0]
