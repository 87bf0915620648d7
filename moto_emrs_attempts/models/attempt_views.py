"""A job run as of one of its attempts: GetJobRun (with its `attempt`), its peek that counts no
poll, and GetDashboardForJobRun, the URL of one attempt's application UIs.

Mixed into the backend, whose lock, lookups and steps it uses.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..contract.errors import ResourceNotFoundException, ValidationException
from ..engine.job_run import JobRunHistory
from ..engine.lifecycle import AttemptRecord

#: States of an attempt AWS serves no dashboard for (it has not been scheduled yet).
NO_DASHBOARD = frozenset(("SUBMITTED", "PENDING", "QUEUED"))


class AttemptViews:
    """GetJobRun as of an attempt, its peek, and GetDashboardForJobRun; mixed into the backend."""

    region_name: str
    partition: str
    lock: threading.RLock

    if TYPE_CHECKING:  # the backend's, and its Progression's (no stubs: they would shadow them)

        def history(self, application_id: str, job_run_id: str) -> JobRunHistory: ...

        def advance(self, history: JobRunHistory, *, polled: bool = True) -> None: ...

    def get_job_run(
        self, application_id: str, job_run_id: str, attempt: int | None = None
    ) -> tuple[JobRunHistory, AttemptRecord, int]:
        """Return the job run as of an attempt (default: the latest), and that attempt's number."""
        history = self.history(application_id, job_run_id)
        progress = history.progress
        if progress is None or progress.done:
            return self._as_of(history, attempt)
        with self.lock:
            self.advance(history)
            return self._as_of(history, attempt)

    def peek_job_run(
        self, application_id: str, job_run_id: str, attempt: int | None = None
    ) -> tuple[JobRunHistory, AttemptRecord, int]:
        """`get_job_run` without counting a poll: a manual run takes no step (the steps the
        clock made due under time progression are taken, as for any reader)."""
        history = self.history(application_id, job_run_id)
        with self.lock:
            self.advance(history, polled=False)
            return self._as_of(history, attempt)

    @staticmethod
    def _as_of(
        history: JobRunHistory, attempt: int | None
    ) -> tuple[JobRunHistory, AttemptRecord, int]:
        attempts = history.attempts
        number = len(attempts) if attempt is None else attempt
        if number < 1:
            raise ValidationException(f"Attempt number must be 1 or more, not {number}.")
        if number > len(attempts):
            raise ResourceNotFoundException(
                f"Attempt {attempt} of job run {history.job_run_id} does not exist"
            )
        return history, attempts[number - 1], number

    def get_dashboard_for_job_run(
        self,
        application_id: str,
        job_run_id: str,
        attempt: int | None = None,
        access_system_profile_logs: bool | None = None,
    ) -> str:
        """Return the URL of the application UIs for one attempt (default: the latest).

        The call is a poll; an attempt that has not been scheduled yet has no dashboard.
        """
        _, record, number = self.get_job_run(application_id, job_run_id, attempt)
        if record.state in NO_DASHBOARD:
            raise ValidationException(f"Dashboard cannot be served for job in {record.state} state")
        suffix = "amazonaws.com.cn" if self.partition == "aws-cn" else "amazonaws.com"
        url = (
            f"https://{application_id}.emrappui-prod.{self.region_name}.{suffix}/shs/"
            f"?jobRunId={job_run_id}&attempt={number}"
        )
        if access_system_profile_logs:
            url += "&accessSystemProfileLogs=true"
        return url
