"""The attempts backend: attempt histories per account, region, application and job run.

Applications and job runs stay moto's own resources (`moto.emrserverless`); this backend
keeps, for each job run, its attempts and its lifecycle settings, and writes the latest
attempt's state back onto moto's job run so that moto's view stays consistent.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.exceptions import JsonRESTError
from moto.emrserverless.models import emrserverless_backends

try:
    from moto.utilities.utils import get_partition
except ImportError:  # older moto 5.0.x has none: ask botocore's endpoint data, as moto does now

    def get_partition(region: str) -> str:
        import botocore.session
        from botocore.exceptions import UnknownRegionError

        try:
            return str(botocore.session.get_session().get_partition_for_region(region))
        except UnknownRegionError:
            return "aws"


from ..contract import policies
from ..contract.accounts import forget as forget_accounts
from ..contract.errors import EmrServerlessError, ResourceNotFoundException
from ..engine import cancel_grace, lifecycle
from ..engine.application_lifecycle import AppRecord
from ..engine.job_run import NO_ECHO, JobRunHistory, to_datetime, to_epoch
from ..engine.lifecycle import (
    ACTIVE,
    ATTEMPT_SECONDS,
    CANCEL_SECONDS,
    DEFAULT_STATE_DETAILS,
    RETRY_DELAY_SECONDS,
    TERMINAL,
    AttemptRecord,
    Progress,
    SteppedAttemptRecord,
)
from ..engine.scheduler import Slots
from ..logs import writer as attempt_logs
from ..logs.content import Logs, for_engine
from .application_progression import IN_FLIGHT, AppProgression
from .attempt_views import AttemptViews
from .faults import FAULTS
from .job_run_progression import Progression, check_model_names, clock, transition
from .listing import Listing, RunOrder

__all__ = [
    "ATTEMPT_SECONDS",
    "CANCEL_SECONDS",
    "DEFAULT_JOB_DRIVER",
    "DEFAULT_STATE_DETAILS",
    "RETRY_DELAY_SECONDS",
    "AttemptRecord",
    "AttemptsBackend",
    "JobRunHistory",
    "attempts_backends",
    "to_datetime",
    "to_epoch",
]

#: The driver of a seeded job run, and the one GetJobRun shows for a job run started without
#: one (the output shape requires one).
DEFAULT_JOB_DRIVER = {
    "sparkSubmit": {"entryPoint": "local:///usr/lib/spark/examples/src/main/python/pi.py"}
}


class AttemptsBackend(AppProgression, Progression, Listing, AttemptViews, BaseBackend):
    """Attempt histories of one account and region, the slots of its applications, and the
    order ListJobRuns lists their job runs in."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.partition: str = get_partition(region_name)
        self.histories: dict[tuple[str, str], JobRunHistory] = {}
        #: Outcome scripts for the next StartJobRun: (application id or None, outcomes, the
        #: logs given to them by attempt number).
        self.scripts: list[tuple[str | None, list[lifecycle.Outcome], dict[int, Logs]]] = []
        self.lock = threading.RLock()
        self.slots: dict[str, Slots] = {}
        self.admitted: list[JobRunHistory] = []
        self.orders: dict[str, RunOrder] = {}
        self.app_records: dict[str, AppRecord] = {}

    @property
    def emr(self) -> Any:
        """moto's own EMR Serverless backend of this account and region."""
        # Once it exists it is read without BackendDict's lock and copy of its keys (a reset
        # drops it, and the next read makes it anew).
        regions = dict.get(emrserverless_backends, self.account_id)
        found = None if regions is None else dict.get(regions, self.region_name)
        if found is None:
            found = emrserverless_backends[self.account_id][self.region_name]
        return found

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

    def history_of(self, job_run: Any) -> JobRunHistory:
        """Return the history of one of moto's job runs, adopting it if needed."""
        found = self.histories.get((job_run.application_id, job_run.id))
        return found if found is not None else self.adopt(job_run)

    def adopt(
        self,
        job_run: Any,
        *,
        mode: str = "BATCH",
        retry_policy: dict[str, int] | None = None,
        attempts: list[AttemptRecord] | None = None,
        echo: Mapping[str, Any] = NO_ECHO,
        created_at: float | None = None,
        given_logs: dict[int, Logs] | None = None,
        create_log_destinations: bool = False,
    ) -> JobRunHistory:
        """Start keeping the history of one of moto's job runs.

        Without `attempts`, the history has one attempt that mirrors the job run. `echo` holds
        the StartJobRun members, as given, that the output shapes answer too; `created_at`
        the job run's creation time exactly (default: moto's, which may be coarser).
        `given_logs` are the attempts' logs by number; with `create_log_destinations`
        (seeding) a missing log bucket or group is created.
        """
        key = (job_run.application_id, job_run.id)
        with self.lock:
            found = self.histories.get(key)
            if found is not None:
                return found
            if created_at is None:
                created_at = to_epoch(job_run.created_at)
            arn = self.job_run_arn(*key)
            history = JobRunHistory(
                job_run=job_run,
                scope=self.scope(*key),
                arn=job_run.arn if job_run.arn == arn else arn,  # one string, where they agree
                created_by=job_run.created_by or self.default_created_by(),
                created_at=created_at,
                mode=mode,
                retry_policy=retry_policy,
                echo=echo,
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
            history.given_logs = given_logs or None
            history.log_writer = attempt_logs.writer_for(self, history, create_log_destinations)
            self.histories[key] = history
            self.sync(history)
            slots = self.slots_of(job_run.application_id)  # also shows moto's application its own
            if attempts[-1].state in ACTIVE:
                slots.take(job_run.id)
            return history

    # -- mutations ------------------------------------------------------------------------

    def append_attempts(self, history: JobRunHistory, records: list[AttemptRecord]) -> None:
        """Append attempts to a history in one step."""
        with self.lock:
            history.attempts.extend(records)
            self.sync(history)
            self.count_slot(history)

    # -- operations (each read of a job run is a poll: it takes the steps that are due;
    #    ListJobRunAttempts and ListJobRuns are `listing`'s, GetJobRun and
    #    GetDashboardForJobRun `attempt_views`') ---------------------------------------------

    # -- the attempt lifecycle ------------------------------------------------------------

    def take_script(
        self, application_id: str
    ) -> tuple[list[lifecycle.Outcome], dict[int, Logs]] | None:
        """Remove and return the outcomes scripted for the next job run of an application, and
        the logs given to them by attempt number.

        A script for this application comes before a script for any application.
        """
        with self.lock:
            for wanted in (application_id, None):
                for index, (scripted_for, outcomes, logs) in enumerate(self.scripts):
                    if scripted_for == wanted:
                        del self.scripts[index]
                        return outcomes, logs
        return None

    def start_job_run(
        self,
        *,
        application_id: str,
        client_token: str | None,
        execution_role_arn: str,
        job_driver: dict[str, Any] | None,
        configuration_overrides: dict[str, Any] | None,
        tags: dict[str, str] | None,
        execution_timeout_minutes: int | None,
        name: str | None,
        mode: str = "BATCH",
        retry_policy: dict[str, int] | None = None,
        echo: Mapping[str, Any] = NO_ECHO,
    ) -> JobRunHistory:
        """Start a job run through moto, then give it its first attempt.

        Under immediate progression the run is born with its whole history (the scripted
        attempts, or one that mirrors moto's job run), unless it has to wait for a slot or
        keeps running; otherwise it starts SUBMITTED and moves as it is polled.
        """
        policies.check_mode(mode, retry_policy)
        with self.lock:
            # A transition this model cannot use is refused before anything is created.
            immediate = transition().progression == "immediate"
            check_model_names()
            app = self.admit_job_run(application_id)  # refused by its state: nothing created
            try:
                job_run = self.emr.start_job_run(
                    application_id=application_id,
                    client_token=client_token,
                    execution_role_arn=execution_role_arn,
                    job_driver=job_driver,
                    configuration_overrides=configuration_overrides,
                    tags=tags,
                    execution_timeout_minutes=execution_timeout_minutes,
                    name=name,
                )
            except JsonRESTError as error:  # moto's errors, with their documented statuses
                raise EmrServerlessError(
                    getattr(error, "message", str(error)), getattr(error, "error_type", None)
                ) from None
            scripted = self.take_script(application_id)
            outcomes, given_logs = scripted if scripted is not None else (None, None)
            given_logs = for_engine(given_logs, str(job_run.application_type))
            problem = attempt_logs.start_problem(self, job_run, configuration_overrides)
            if problem is not None:  # logs that cannot be written fail every attempt, saying why
                outcomes = attempt_logs.failing(mode, retry_policy, problem)
            now = clock()
            # moto stamps midnight; AWS the moment of StartJobRun, to the millisecond
            self.set_moto_time(job_run, "created_at", now)
            # moto takes 0 for its default; AWS (and the plugin) for "never times out"
            timeout_minutes = (
                job_run.execution_timeout_minutes
                if execution_timeout_minutes is None
                else execution_timeout_minutes
            )
            progress = Progress(
                mode=mode,
                policy=retry_policy,
                outcomes=outcomes,
                start=now,
                timeout_minutes=timeout_minutes,
            )
            started = self.auto_start(application_id, app)
            attempts: list[AttemptRecord]
            if immediate and started and self.slots_of(application_id).free():
                played = self._played(now, mode, retry_policy, outcomes)
                attempts = lifecycle.cut(played, start=now, timeout_minutes=timeout_minutes)
            else:
                details = DEFAULT_STATE_DETAILS["SUBMITTED"]
                attempts = [SteppedAttemptRecord("SUBMITTED", details, now, now, None, 0)]
            history = self.adopt(
                job_run,
                mode=mode,
                retry_policy=retry_policy,
                attempts=attempts,
                echo=echo,
                created_at=now,
                given_logs=given_logs,
            )
            if history.attempts[-1].state not in TERMINAL:
                history.progress = progress
                if immediate:
                    self.advance(history, polled=False)
            return history

    @staticmethod
    def _played(
        start: float,
        mode: str,
        retry_policy: dict[str, int] | None,
        outcomes: list[lifecycle.Outcome] | None,
    ) -> list[AttemptRecord]:
        """A whole history at once (immediate progression), from `start` (the clock at
        StartJobRun) with simulated durations: the scripted outcomes, a STREAMING run that
        keeps running, or one attempt that succeeds."""
        if outcomes is None and mode == "STREAMING":
            return [AttemptRecord("RUNNING", DEFAULT_STATE_DETAILS["RUNNING"], start, start)]
        played = outcomes or [lifecycle.Outcome("SUCCESS")]
        return lifecycle.play(played, start=start, mode=mode, retry_policy=retry_policy)

    def cancel_job_run(
        self,
        application_id: str,
        job_run_id: str,
        shutdown_grace_period_in_seconds: int | None = None,
    ) -> JobRunHistory:
        """Cancel a job run that has not ended (no further attempts); leave one that has.

        A graceful cancel's period (`shutdown_grace_period_in_seconds`, else the job run's
        mode's default) holds a RUNNING attempt in CANCELLING under time progression.
        """
        with self.lock:
            history = self.history(application_id, job_run_id)
            self.cancel(history, cancel_grace.period(history, shutdown_grace_period_in_seconds))
            return history


class AttemptsBackendDict(BackendDict[AttemptsBackend]):
    """moto's BackendDict; clearing it (moto's reset) also drops the pending faults and the
    remembered accounts of callers."""

    def clear(self) -> None:
        super().clear()
        FAULTS.clear()
        forget_accounts()
        IN_FLIGHT.clear()


attempts_backends = AttemptsBackendDict(AttemptsBackend, "emr-serverless")
