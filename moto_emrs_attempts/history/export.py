"""The history document's members, and rendering a backend's state as a document
(`export_history`): the inverse of `history.document.load_history`."""

from __future__ import annotations

import copy
import functools
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.emrserverless.models import emrserverless_backends

from ..contract.service_model import ECHOED, shape
from ..engine.lifecycle import SteppedAttemptRecord
from ..engine.scheduler import Slots
from ..logs import writer as attempt_logs
from ..logs.content import to_document
from ..models import guard
from ..models.backend import (
    DEFAULT_JOB_DRIVER,
    DEFAULT_STATE_DETAILS,
    AttemptRecord,
    AttemptsBackend,
    JobRunHistory,
    to_epoch,
)
from . import application_document, in_flight, pending
from .plans import _backend

VERSION = 1
#: The JSON Schema of the document, shipped with the package.
SCHEMA_PATH = Path(__file__).with_name("history.schema.json")

#: StartJobRun members GetJobRun echoes, and the network configuration a job run takes from
#: its application: the document's name, and the attribute of moto's job run that holds it.
_JOB_RUN_SHAPE = shape("JobRun")
ECHOED_MEMBERS = tuple(
    (wire, attribute)
    for wire, attribute in (
        ("jobDriver", "job_driver"),
        ("configurationOverrides", "configuration_overrides"),
        ("tags", "tags"),
        ("executionTimeoutMinutes", "execution_timeout_minutes"),
        ("executionIamPolicy", "execution_iam_policy"),
        ("networkConfiguration", "network_configuration"),
    )
    if wire in _JOB_RUN_SHAPE.members  # older models lack executionIamPolicy
)
DOCUMENT_KEYS = ("version", "region", "account", "applications", "jobRuns", "scripts", "faults")
APPLICATION_KEYS = (
    "applicationId",
    "name",
    "releaseLabel",
    "type",
    "schedulerConfiguration",
    "monitoringConfiguration",
    *application_document.MEMBERS,
)
#: The engines moto's CreateApplication takes.
APPLICATION_TYPES = ("SPARK", "HIVE")
_SETTINGS = ("applicationId", "name", "mode", "retryPolicy", "executionRoleArn", "releaseLabel")
JOB_RUN_KEYS: tuple[str, ...] = ("jobRunId", *_SETTINGS, "createdAt", "createdBy")
#: StartJobRun members the output shapes echo (read from the installed model, so members a
#: newer model adds, such as flexExecution, are carried too), beyond the settings above.
ECHO_KEYS = tuple(w for w in ECHOED if w not in _SETTINGS)
JOB_RUN_KEYS += tuple(dict.fromkeys((*(wire for wire, _ in ECHOED_MEMBERS), *ECHO_KEYS)))
JOB_RUN_KEYS += ("attempts", "progress")
_ATTRIBUTES = dict(ECHOED_MEMBERS)
ECHO_WIRES = tuple(w for w in JOB_RUN_KEYS if w in _ATTRIBUTES or w in ECHO_KEYS)
#: The job run settings `history.plans._plan` checks, by its names, with their names here.
_KEYS = {re.sub("[A-Z]", lambda m: "_" + m[0].lower(), k): k for k in (*_SETTINGS, "attempts")}


# -- render -----------------------------------------------------------------------------


def _application_type(application: Any) -> str:
    """SPARK or HIVE: moto 5.1 and later keep `type`, 5.0 `application_type`."""
    found = getattr(application, "type", None) or application.application_type
    return str(found).upper()


def _scheduler_of(application: Any) -> dict[str, Any]:
    """An application's scheduler and monitoring configurations, where it has them."""
    config = getattr(application, "scheduler_configuration", None)
    found = {} if config is None else {"schedulerConfiguration": dict(config)}
    monitoring = attempt_logs.kept_monitoring(application)
    if monitoring is not None:
        found["monitoringConfiguration"] = copy.deepcopy(monitoring)
    return found


_UTC = timezone.utc
_EPOCH_DAY = date(1970, 1, 1)


@functools.lru_cache(maxsize=1024)
def _day(days: int) -> str:
    return (_EPOCH_DAY + timedelta(days=days)).isoformat()


def render_time(epoch: float) -> str | float:
    """An ISO 8601 string that parses back to exactly `epoch`, else epoch seconds."""
    if epoch.is_integer():  # the common case, formatted without building a datetime
        days, second = divmod(int(epoch), 86400)
        if 0 < days < 2_900_000:
            hour, minute = divmod(second // 60, 60)
            return f"{_day(days)}T{hour:02d}:{minute:02d}:{second % 60:02d}Z"
    try:
        moment = datetime.fromtimestamp(epoch, _UTC)
    except (OverflowError, OSError, ValueError):  # no datetime holds it: the number does
        return epoch
    if moment.timestamp() != epoch:  # finer than a microsecond: only the number is exact
        return epoch
    return moment.isoformat().replace("+00:00", "Z")


def _job_run_view(backend: AttemptsBackend, job_run: Any) -> JobRunHistory:
    """The plugin's history of a job run, or, for one it has not seen yet, the history it
    would give it (without keeping it: exporting changes nothing)."""
    found = backend.histories.get((job_run.application_id, job_run.id))
    if found is not None:
        return found
    ids, created_at, state = (job_run.application_id, job_run.id), job_run.created_at, job_run.state
    view = JobRunHistory(
        job_run=job_run,
        scope=backend.scope(*ids),
        arn=backend.job_run_arn(*ids),
        created_by=job_run.created_by or backend.default_created_by(),
        created_at=to_epoch(created_at),
    )
    details = job_run.state_details or DEFAULT_STATE_DETAILS[state]
    times = (to_epoch(created_at), to_epoch(job_run.updated_at))
    view.attempts = [AttemptRecord(state, details, *times)]
    return view


def _listed(backend: AttemptsBackend, job_runs: Any) -> list[JobRunHistory]:
    """An application's job runs in ListJobRuns' order (AWS's): newest first by createdAt,
    then by id, descending; so an export lists its runs as a recording of them does."""
    views = [_job_run_view(backend, job_run) for job_run in job_runs]
    views.sort(key=lambda view: (view.created_at, view.job_run_id), reverse=True)
    return views


class _Times(dict):  # type: ignore[type-arg]
    """Rendered times of one export: a state repeats its times (seeded runs start alike)."""

    def __missing__(self, epoch: float) -> str | float:
        rendered = self[epoch] = render_time(epoch)
        return rendered


def _render_job_run(history: JobRunHistory, times: _Times, slots: Slots | None) -> dict[str, Any]:
    job_run = history.job_run
    rendered: dict[str, Any] = {
        "jobRunId": history.job_run_id,
        "applicationId": history.application_id,
    }
    if history.name is not None:
        rendered["name"] = history.name
    rendered["mode"] = history.mode
    if history.retry_policy is not None:
        rendered["retryPolicy"] = dict(history.retry_policy)
    rendered.update(
        executionRoleArn=history.execution_role,
        releaseLabel=history.release_label,
        createdAt=render_time(history.created_at),
        createdBy=history.created_by,
    )
    for wire in ECHO_WIRES:
        if wire in history.echo:  # as StartJobRun gave it
            value = history.echo[wire]
        else:  # as moto keeps it (job runs started through moto's own backend)
            value = getattr(job_run, _ATTRIBUTES[wire], None) if wire in _ATTRIBUTES else None
        if wire == "jobDriver":  # as GetJobRun shows it: the output shape requires one
            value = value or DEFAULT_JOB_DRIVER
        if value is not None:
            rendered[wire] = copy.deepcopy(value)
    rendered["attempts"] = attempts = [_render_attempt(a, times) for a in history.attempts]
    given = history.given_logs
    if given is not None:  # the logs seeds and scripts gave; made-up ones are made up again
        for number, logs in given.items():
            if number <= len(attempts):
                attempts[number - 1]["logs"] = to_document(logs)
    progress = in_flight.render(history, slots, render_time, to_document)
    if progress is not None:  # a run that still moves: what it needs to go on
        rendered["progress"] = progress
    return rendered


def _render_attempt(record: AttemptRecord, times: _Times) -> dict[str, Any]:
    rendered = {
        "state": record.state,
        "stateDetails": record.state_details,
        "createdAt": times[record.created_at],
        "updatedAt": times[record.updated_at],
    }
    if isinstance(record, SteppedAttemptRecord):  # what a moving run's attempt also knew
        if record.started_at is not None:
            rendered["startedAt"] = times[record.started_at]
        rendered["queuedDurationMilliseconds"] = record.queued_ms
    return rendered


def regions_held() -> list[tuple[str, str]]:
    """The (account, region) pairs that hold an application: what a state file must export."""
    return [
        (account_id, region_name)
        for account_id, regions in list(dict.items(emrserverless_backends))
        for region_name, emr in list(dict.items(regions))
        if emr.applications
    ]


def export_history(
    region_name: str = "us-east-1", account_id: str = DEFAULT_ACCOUNT_ID
) -> dict[str, Any]:
    """Return a history document of everything the plugin holds for one account and region.

    The document is plain JSON; loading it into a fresh mock gives the same answers, ids
    included. Exporting changes nothing.

        >>> document = export_history()
        >>> runs = load_history(document)  # in a fresh mock: the same job runs, the same ids
    """
    guard.require_mock("export_history")
    backend = _backend(account_id, region_name, "account_id", "region_name")
    emr = backend.emr
    times = _Times()
    with backend.lock:
        applications = [
            {
                "applicationId": application.id,
                **({"name": application.name} if application.name is not None else {}),
                "releaseLabel": application.release_label,
                "type": _application_type(application),
                **_scheduler_of(application),
                **application_document.render(
                    application, backend.app_records.get(application.id), render_time
                ),
            }
            for application in emr.applications.values()
        ]
        job_runs = [
            _render_job_run(view, times, backend.slots.get(application_id))
            for application_id in emr.applications
            for view in _listed(backend, emr.job_runs.get(application_id, ()))
        ]
        scripts = pending.render_scripts(backend, to_document)
    document = {
        "version": VERSION,
        "region": backend.region_name,
        "account": backend.account_id,
        "applications": applications,
        "jobRuns": job_runs,
    }
    if scripts:  # what the next StartJobRun plays
        document["scripts"] = scripts
    return document
