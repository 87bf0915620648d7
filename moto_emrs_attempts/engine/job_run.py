"""What the plugin stores about one job run: its attempts, what they share, and what the
engine keeps while the run moves."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timezone
from types import MappingProxyType
from typing import Any

from .lifecycle import TERMINAL, AttemptRecord, Progress, SteppedAttemptRecord, started

NO_ECHO: Mapping[str, Any] = MappingProxyType({})


class JobRunHistory:
    """The attempts of one job run, with what every attempt shares."""

    __slots__ = (
        "application_id",
        "arn",
        "attempts",
        "created_at",
        "created_by",
        "echo",
        "encoded",
        "execution_role",
        "given_logs",
        "job_run",
        "job_run_id",
        "job_type",
        "log_writer",
        "mode",
        "name",
        "progress",
        "release_label",
        "retry_policy",
        "scope",
    )

    def __init__(
        self,
        *,
        job_run: Any,
        scope: str,
        arn: str,
        created_by: str,
        created_at: float,
        mode: str = "BATCH",
        retry_policy: dict[str, int] | None = None,
        echo: Mapping[str, Any] = NO_ECHO,
    ) -> None:
        self.job_run = job_run
        self.application_id: str = job_run.application_id
        self.job_run_id: str = job_run.id
        self.name: str | None = job_run.name
        self.execution_role: str = job_run.execution_role_arn
        self.release_label: str = job_run.release_label
        self.job_type: str = job_run.application_type
        self.arn = arn
        self.scope = scope
        self.created_by = created_by
        self.created_at = created_at
        self.mode = mode
        self.retry_policy = retry_policy
        #: StartJobRun members as given, that the output shapes echo (see `_members`).
        self.echo = echo
        self.attempts: list[AttemptRecord] = []
        #: What the engine keeps while the job run moves; None for a snapshot (seeded runs).
        self.progress: Progress | None = None
        #: The response layer's encoding of the fields every attempt shares.
        self.encoded: str | None = None
        #: Logs seeds and scripts gave, by attempt number (`attempt_logs`); None: none given.
        self.given_logs: dict[int, Mapping[str, str | bytes]] | None = None
        #: Writes the attempts' logs to moto's S3 and CloudWatch Logs (`logs.writer.LogWriter`,
        #: typed loosely so that this module imports nothing above it); None: logging is off.
        self.log_writer: Any = None

    @property
    def latest(self) -> AttemptRecord:
        return self.attempts[-1]

    @property
    def timeout_minutes(self) -> int | None:
        """Its executionTimeoutMinutes: as given (0: never times out), else moto's default."""
        given = self.echo.get("executionTimeoutMinutes")
        if given is not None:
            return int(given)
        found = getattr(self.job_run, "execution_timeout_minutes", None)
        return found if isinstance(found, int) else None


def to_epoch(value: datetime | str) -> float:
    """Return epoch seconds for a datetime (naive = UTC) or an ISO 8601 string."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()


def to_datetime(epoch: float) -> datetime:
    """Return the naive UTC datetime moto stores for epoch seconds."""
    return datetime.fromtimestamp(epoch, tz=timezone.utc).replace(tzinfo=None)


def timings(first: AttemptRecord, record: AttemptRecord) -> dict[str, Any]:
    """GetJobRun's time members of a job run as of `record` (its first attempt: `first`)."""
    found: dict[str, Any] = {}
    started_at = started(record)
    if started_at is not None:
        found["startedAt"] = started_at
    if record.state in TERMINAL:
        found["endedAt"] = record.updated_at
        began = started(first)
        if began is None:
            began = started_at
        found["totalExecutionDurationSeconds"] = (
            max(round(record.updated_at - began), 0) if began is not None else 0
        )
    if record.state not in ("SUBMITTED", "QUEUED"):
        found["queuedDurationMilliseconds"] = (
            record.queued_ms if isinstance(record, SteppedAttemptRecord) else 0
        )
    return found
