"""Job runs and attempts in the model's output shapes: which members, and their encoding.

The members come from the installed botocore model. Every StartJobRun member that an output
shape also has is echoed there under the same name, so a member a newer botocore adds to both
(as 1.44 added `flexExecution`) round-trips without a change here. The output members the
plugin does not answer are named in `NOT_APPLICABLE` with the reason;
`tests/test_model_members.py` walks the installed model and checks this both ways.

The encoding is JSON written directly: the members an attempt shares with its job run are
encoded once per job run.
"""

from __future__ import annotations

import json
from typing import Any

from botocore.parsers import create_parser

from ..contract.service_model import MODEL, echoed_in, shape
from ..engine.job_run import timings
from ..models.backend import DEFAULT_JOB_DRIVER, AttemptRecord, JobRunHistory

#: Output members of the job-run shapes that the plugin never answers, and why. Members a
#: newer botocore has and an older one lacks may stand here: they are skipped where absent.
NOT_APPLICABLE: dict[str, str] = {
    "totalResourceUtilization": (
        "no workers run in moto, so there is no resource use to total, and moto keeps none"
    ),
    "imageConfiguration": (
        "a custom image is an application setting that moto's CreateApplication does not keep"
    ),
    "workerTypeSpecifications": (
        "worker types are an application setting that moto's CreateApplication does not keep"
    ),
}


# -- encoding ---------------------------------------------------------------------------

_STRINGS: dict[str, str] = {}


def _string(value: str) -> str:
    """JSON-encode a string, remembering the encodings of repeated ones."""
    encoded = _STRINGS.get(value)
    if encoded is None:
        encoded = json.dumps(value)
        if len(_STRINGS) < 4096:
            _STRINGS[value] = encoded
    return encoded


def _identity(history: JobRunHistory, id_member: str) -> dict[str, Any]:
    """The members that name a job run, as every job-run shape of the model spells them."""
    members: dict[str, Any] = {
        "applicationId": history.application_id,
        id_member: history.job_run_id,
    }
    if history.name is not None:
        members["name"] = history.name
    members.update(
        mode=history.mode,
        arn=history.arn,
        createdBy=history.created_by,
        executionRole=history.execution_role,
        releaseLabel=history.release_label,
    )
    return members


_ECHOED_IN_JOB_RUN = echoed_in("JobRun")
#: GetJobRun's members in the installed model: older models lack some of the time members.
_JOB_RUN_MEMBERS = frozenset(shape("JobRun").members)
_ECHOED_IN_SUMMARY = echoed_in("JobRunSummary")
_ECHOED_IN_ATTEMPT = echoed_in("JobRunAttemptSummary")


def _add_echo(fields: dict[str, Any], history: JobRunHistory, names: tuple[str, ...]) -> None:
    """Add the StartJobRun members a shape echoes, where the job run's own state has not."""
    echo = history.echo
    if echo:
        for name in names:
            if name in echo and name not in fields:
                fields[name] = echo[name]


def _shared_fields(history: JobRunHistory) -> str:
    """The members every attempt of a job run shares, encoded once per job run."""
    encoded = history.encoded
    if encoded is None:
        shared = _identity(history, "id")
        shared.update(jobCreatedAt=history.created_at, type=history.job_type)
        _add_echo(shared, history, _ECHOED_IN_ATTEMPT)
        encoded = history.encoded = json.dumps(shared, separators=(",", ":"))[:-1] + ","
    return encoded


def encode_attempts(history: JobRunHistory, first: int, page: list[AttemptRecord]) -> str:
    """Encode a page of attempts as a JSON array; `first` is the first attempt's number."""
    shared = _shared_fields(history)
    return (
        "["
        + ",".join(
            f'{shared}"attempt":{number},"createdAt":{a.created_at!r},"updatedAt":{a.updated_at!r},'
            f'"state":"{a.state}","stateDetails":{_string(a.state_details)}}}'
            for number, a in enumerate(page, first)
        )
        + "]"
    )


#: GetJobRun members read from moto's job run when moto has them and StartJobRun did not give
#: them (job runs started through moto's own backend): wire name, attribute.
_MOTO_JOB_RUN_MEMBERS = (
    ("configurationOverrides", "configuration_overrides"),
    ("tags", "tags"),
    ("networkConfiguration", "network_configuration"),
    ("totalExecutionDurationSeconds", "total_execution_duration_seconds"),
    ("executionTimeoutMinutes", "execution_timeout_minutes"),
    ("billedResourceUtilization", "billed_resource_utilization"),
)


def job_run_fields(history: JobRunHistory, record: AttemptRecord, number: int) -> dict[str, Any]:
    """The `jobRun` member of GetJobRun: the job run as of attempt `number` (`record`)."""
    job_run = history.job_run
    fields = _identity(history, "jobRunId")
    fields.update(
        createdAt=history.created_at,
        updatedAt=record.updated_at,
        state=record.state,
        stateDetails=record.state_details,
        jobDriver=getattr(job_run, "job_driver", None) or DEFAULT_JOB_DRIVER,
    )
    for wire, attribute in _MOTO_JOB_RUN_MEMBERS:
        value = getattr(job_run, attribute, None)
        if value is not None and value != {} and wire not in history.echo:
            fields[wire] = value
    if history.retry_policy is not None:
        fields["retryPolicy"] = history.retry_policy
    _add_echo(fields, history, _ECHOED_IN_JOB_RUN)
    fields.update(
        attempt=number,
        attemptCreatedAt=record.created_at,
        attemptUpdatedAt=record.updated_at,
    )
    fields.pop("totalExecutionDurationSeconds", None)  # once ended; attempt 1 no longer moves
    times = timings(record if number == 1 else history.attempts[0], record)
    fields.update((name, value) for name, value in times.items() if name in _JOB_RUN_MEMBERS)
    return fields


def job_run_summary(history: JobRunHistory, latest: AttemptRecord, count: int) -> dict[str, Any]:
    """One `JobRunSummary` of ListJobRuns: the job run as of its latest (`count`-th) attempt."""
    summary = _identity(history, "id")
    summary.update(
        createdAt=history.created_at,
        updatedAt=latest.updated_at,
        state=latest.state,
        stateDetails=latest.state_details,
        type=history.job_type,
        attempt=count,
        attemptCreatedAt=latest.created_at,
        attemptUpdatedAt=latest.updated_at,
    )
    _add_echo(summary, history, _ECHOED_IN_SUMMARY)
    return summary


_PARSER = create_parser("rest-json")


def as_boto3(operation: str, answer: dict[str, Any]) -> dict[str, Any]:
    """An answer as boto3 would give it (times as datetimes): botocore's own parser of the
    operation's output shape, over the answer's JSON."""
    body = json.dumps(answer).encode()
    shape = MODEL.operation_model(operation).output_shape
    parsed: dict[str, Any] = _PARSER.parse({"status_code": 200, "headers": {}, "body": body}, shape)
    parsed.pop("ResponseMetadata", None)
    return parsed
