"""The attempts backend: attempt histories per account, region, application and job run.

Applications and job runs stay moto's own resources (`moto.emrserverless`); this backend
keeps, for each job run, its attempts and its lifecycle settings, and writes the latest
attempt's state back onto moto's job run so that moto's view stays consistent.
"""

from __future__ import annotations

import threading
from datetime import datetime, timezone
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.emrserverless.models import emrserverless_backends
from moto.utilities.utils import get_partition

from . import _tokens
from ._faults import FAULTS
from .exceptions import ResourceNotFoundException, ValidationException

#: Seconds a simulated attempt runs, and the pause before the next attempt starts.
ATTEMPT_SECONDS = 300.0
RETRY_DELAY_SECONDS = 60.0

#: What `stateDetails` says when nobody said anything more specific.
DEFAULT_STATE_DETAILS = {
    "SUBMITTED": "Job run submitted.",
    "PENDING": "Job run is pending.",
    "SCHEDULED": "Job run is scheduled.",
    "RUNNING": "Job run is running.",
    "SUCCESS": "Job run completed successfully.",
    "FAILED": "Job run failed.",
    "CANCELLING": "Job run is being cancelled.",
    "CANCELLED": "Job run was cancelled.",
    "QUEUED": "Job run is queued.",
}

DEFAULT_PAGE_SIZE = 50


class AttemptRecord:
    """One stored attempt. Strings are shared between records; times are epoch seconds."""

    __slots__ = ("created_at", "state", "state_details", "updated_at")

    def __init__(self, state: str, state_details: str, created_at: float, updated_at: float):
        self.state = state
        self.state_details = state_details
        self.created_at = created_at
        self.updated_at = updated_at


class JobRunHistory:
    """The attempts of one job run, with what every attempt shares."""

    __slots__ = (
        "application_id",
        "arn",
        "attempts",
        "created_at",
        "created_by",
        "encoded",
        "execution_role",
        "job_run",
        "job_run_id",
        "job_type",
        "mode",
        "name",
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
        self.attempts: list[AttemptRecord] = []
        #: The response layer's encoding of the fields every attempt shares.
        self.encoded: str | None = None

    @property
    def latest(self) -> AttemptRecord:
        return self.attempts[-1]


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


class AttemptsBackend(BaseBackend):
    """Attempt histories of one account and region."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.partition: str = get_partition(region_name)
        self.histories: dict[tuple[str, str], JobRunHistory] = {}
        #: Outcome scripts for the next StartJobRun: (application id or None, outcomes).
        self.scripts: list[tuple[str | None, list[str]]] = []
        self.lock = threading.RLock()

    @property
    def emr(self) -> Any:
        """moto's own EMR Serverless backend of this account and region."""
        return emrserverless_backends[self.account_id][self.region_name]

    # -- identities ---------------------------------------------------------------------

    def job_run_arn(self, application_id: str, job_run_id: str) -> str:
        return (
            f"arn:{self.partition}:emr-serverless:{self.region_name}:{self.account_id}"
            f":/applications/{application_id}/jobruns/{job_run_id}"
        )

    def default_created_by(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:root"

    def default_execution_role(self) -> str:
        return f"arn:{self.partition}:iam::{self.account_id}:role/emr-serverless-job-role"

    def scope(self, application_id: str, job_run_id: str) -> str:
        """The key a pagination token is bound to."""
        return f"{self.account_id}/{self.region_name}/{application_id}/{job_run_id}"

    # -- lookups --------------------------------------------------------------------------

    def application(self, application_id: str) -> Any:
        """Return moto's application, or raise ResourceNotFoundException."""
        application = self.emr.applications.get(application_id)
        if application is None:
            raise ResourceNotFoundException.application(application_id)
        return application

    def history(self, application_id: str, job_run_id: str) -> JobRunHistory:
        """Return a job run's attempt history, or raise ResourceNotFoundException.

        A job run that moto started and that the plugin has not seen yet gets a history
        with one attempt that mirrors it.
        """
        found = self.histories.get((application_id, job_run_id))
        if found is not None:
            return found
        self.application(application_id)
        for job_run in self.emr.job_runs.get(application_id, ()):
            if job_run.id == job_run_id:
                return self.adopt(job_run)
        raise ResourceNotFoundException.job_run(job_run_id)

    def adopt(
        self,
        job_run: Any,
        *,
        mode: str = "BATCH",
        retry_policy: dict[str, int] | None = None,
        attempts: list[AttemptRecord] | None = None,
    ) -> JobRunHistory:
        """Start keeping the history of one of moto's job runs.

        Without `attempts`, the history has one attempt that mirrors the job run.
        """
        key = (job_run.application_id, job_run.id)
        with self.lock:
            found = self.histories.get(key)
            if found is not None:
                return found
            created_at = to_epoch(job_run.created_at)
            history = JobRunHistory(
                job_run=job_run,
                scope=self.scope(*key),
                arn=self.job_run_arn(*key),
                created_by=job_run.created_by or self.default_created_by(),
                created_at=created_at,
                mode=mode,
                retry_policy=retry_policy,
            )
            if attempts is None:
                state = job_run.state
                attempts = [
                    AttemptRecord(
                        state,
                        job_run.state_details or DEFAULT_STATE_DETAILS[state],
                        created_at,
                        to_epoch(job_run.updated_at),
                    )
                ]
            history.attempts = attempts
            self.histories[key] = history
            self.sync(history)
            return history

    def sync(self, history: JobRunHistory) -> None:
        """Write the latest attempt onto moto's job run, in the types moto uses there."""
        job_run = history.job_run
        latest = history.latest
        job_run.state = latest.state
        job_run.state_details = latest.state_details
        self.set_moto_time(job_run, "updated_at", latest.updated_at)

    @staticmethod
    def set_moto_time(job_run: Any, attribute: str, epoch: float) -> None:
        """Set a time on moto's job run in the type moto keeps there."""
        value = to_datetime(epoch)
        if isinstance(getattr(job_run, attribute), str):  # moto 5.0 keeps ISO strings
            setattr(job_run, attribute, value.strftime("%Y-%m-%dT%H:%M:%SZ"))
        else:
            setattr(job_run, attribute, value)

    # -- mutations ------------------------------------------------------------------------

    def append_attempts(self, history: JobRunHistory, records: list[AttemptRecord]) -> None:
        """Append attempts to a history in one step."""
        with self.lock:
            history.attempts.extend(records)
            self.sync(history)

    # -- operations -----------------------------------------------------------------------

    def list_job_run_attempts(
        self,
        application_id: str,
        job_run_id: str,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> tuple[JobRunHistory, int, list[AttemptRecord], str | None]:
        """Return one page: the history, the first attempt's number, the page, the next token."""
        start = 0
        if next_token is not None:
            position = _tokens.decode(self.scope(application_id, job_run_id), next_token)
            if position is None:
                raise ValidationException(
                    "Invalid nextToken: it was not issued for this job run's attempts."
                )
            start = position
        history = self.history(application_id, job_run_id)
        attempts = history.attempts
        end = start + (max_results or DEFAULT_PAGE_SIZE)
        page = attempts[start:end]
        token = _tokens.encode(history.scope, end) if end < len(attempts) else None
        return history, start + 1, page, token


class AttemptsBackendDict(BackendDict[AttemptsBackend]):
    """moto's BackendDict; clearing it (moto's reset) also drops the pending faults."""

    def clear(self) -> None:
        super().clear()
        FAULTS.clear()


attempts_backends = AttemptsBackendDict(AttemptsBackend, "emr-serverless")
