"""The listing operations: ListJobRunAttempts, which pages a job run's attempts by number, and
ListJobRuns, which pages an application's job runs newest first from a cursor.

A job run's attempts are only ever appended, so a ListJobRunAttempts token names the next
attempt's number and a page is a slice.

AWS lists job runs newest first by `createdAt`; runs created at the same moment are listed by id,
descending, so that the order is a function of the runs alone and a recorded, exported or reloaded
history lists identically, however its runs were started, seeded or loaded.

Each application keeps its runs sorted by (`createdAt`, id), caught up with moto's list of them
(append-only) whenever it is listed: every run is sorted in once, and a page costs a binary search
for its cursor plus the runs it looks at, never a sort or a scan of the runs before it. The cursor
is the last run a page returned, so runs started or seeded between pages land before or after it
and shift nothing: a walk yields every run exactly once.
"""

from __future__ import annotations

import threading
from bisect import bisect_left
from operator import itemgetter
from typing import TYPE_CHECKING, Any, Union

from ..contract import page_tokens
from ..contract.errors import ValidationException
from ..engine.job_run import JobRunHistory
from ..engine.lifecycle import AttemptRecord

DEFAULT_PAGE_SIZE = 50

#: A run in the order: (createdAt, id, history); (createdAt, id) is unique within an application.
Entry = tuple[float, str, JobRunHistory]
#: What `bisect` compares entries with: a cursor (createdAt, id), or (createdAt,) for a bound.
_Probe = Union[tuple[float, str], tuple[float]]
_KEY = itemgetter(0, 1)

Summary = tuple[JobRunHistory, AttemptRecord, int]


class RunOrder:
    """The job runs of one application in ascending (createdAt, id) order, and how much of
    moto's list of them (`source`) has been sorted in."""

    __slots__ = ("entries", "seen", "source")

    def __init__(self, source: list[Any] | None) -> None:
        self.entries: list[Entry] = []
        self.seen = 0
        self.source = source

    def add(self, histories: list[JobRunHistory]) -> None:
        """Sort new runs in: appended when they are the newest (the usual case), else merged."""
        added = sorted(((h.created_at, h.job_run_id, h) for h in histories), key=_KEY)
        entries = self.entries
        newest = entries[-1] if entries else None
        entries.extend(added)
        if newest is not None and _KEY(added[0]) < _KEY(newest):
            entries.sort(key=_KEY)  # two sorted runs: timsort merges them in linear time

    def before(self, probe: _Probe) -> int:
        """How many runs sort before `probe` (entries compare with it on their first members)."""
        return bisect_left(self.entries, probe)


class Listing:
    """ListJobRunAttempts and ListJobRuns; mixed into the backend, whose lock, lookups and
    steps it uses."""

    account_id: str
    region_name: str
    lock: threading.RLock
    #: Application id -> its runs in ListJobRuns order.
    orders: dict[str, RunOrder]

    if TYPE_CHECKING:  # the backend's, and its Progression's (no stubs: they would shadow them)

        @property
        def emr(self) -> Any: ...

        def application(self, application_id: str) -> Any: ...

        def history_of(self, job_run: Any) -> JobRunHistory: ...

        def history(self, application_id: str, job_run_id: str) -> JobRunHistory: ...

        def scope(self, application_id: str, job_run_id: str) -> str: ...

        def advance(self, history: JobRunHistory, *, polled: bool = True) -> None: ...

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
            position = page_tokens.decode(self.scope(application_id, job_run_id), next_token)
            if position is None:
                raise ValidationException(
                    "Invalid nextToken: it was not issued for this job run's attempts."
                )
            start = position
        history = self.history(application_id, job_run_id)
        progress = history.progress
        if progress is not None and not progress.done:
            with self.lock:
                self.advance(history)
                return self._attempts_page(history, start, max_results)
        return self._attempts_page(history, start, max_results)

    @staticmethod
    def _attempts_page(
        history: JobRunHistory, start: int, max_results: int | None
    ) -> tuple[JobRunHistory, int, list[AttemptRecord], str | None]:
        attempts = history.attempts
        page = attempts[start : start + (max_results or DEFAULT_PAGE_SIZE)]
        # Resume after what this page holds: attempts appended meanwhile come on the next page.
        end = start + len(page)
        token = page_tokens.encode(history.scope, end) if end < len(attempts) else None
        return history, start + 1, page, token

    # -- ListJobRuns -----------------------------------------------------------------------

    def job_runs_scope(self, application_id: str) -> str:
        """The key a ListJobRuns token is bound to (upper case: never a job run id)."""
        return f"{self.account_id}/{self.region_name}/{application_id}/ListJobRuns"

    def run_order(self, application_id: str) -> RunOrder:
        """An application's runs in order, with the runs moto holds that it has not sorted in
        yet (started or seeded since); call under the lock."""
        job_runs = self.emr.job_runs.get(application_id)
        order = self.orders.get(application_id)
        if order is None or order.source is not job_runs or order.seen > len(job_runs or ()):
            order = self.orders[application_id] = RunOrder(job_runs)  # new, or moto reset
        if job_runs is not None and order.seen < len(job_runs):
            order.add([self.history_of(job_run) for job_run in job_runs[order.seen :]])
            order.seen = len(job_runs)
        return order

    def list_job_runs(
        self,
        application_id: str,
        created_at_after: float | None = None,
        created_at_before: float | None = None,
        states: list[str] | None = None,
        mode: str | None = None,
        max_results: int | None = None,
        next_token: str | None = None,
    ) -> tuple[list[Summary], str | None]:
        """Return one page of an application's job runs, newest first, filtered on their latest
        attempt: each as (history, latest attempt, attempt count), as this page's poll left it.

        The filters see a run after the steps the clock made due and before the step this
        page's poll makes (manual progression), so that only returned runs count a poll.
        """
        scope = self.job_runs_scope(application_id)
        cursor = None
        if next_token is not None:
            cursor = page_tokens.decode_cursor(scope, next_token)
            if cursor is None:
                raise ValidationException(
                    "Invalid nextToken: it was not issued for this application's job runs."
                )
        self.application(application_id)
        with self.lock:
            order = self.run_order(application_id)
            entries = order.entries
            end = len(entries) if cursor is None else order.before(cursor)
            if created_at_before is not None:  # only runs created before it: skip the newer
                end = min(end, order.before((created_at_before,)))
            limit = max_results or DEFAULT_PAGE_SIZE
            page: list[Summary] = []
            last = (0.0, "")
            for index in range(end - 1, -1, -1):
                created_at, job_run_id, history = entries[index]
                if created_at_after is not None and not created_at > created_at_after:
                    break  # every run from here on is older still
                if history.progress is not None:
                    self.advance(history, polled=False)
                if states and history.attempts[-1].state not in states:
                    continue
                if mode is not None and history.mode != mode:
                    continue
                if len(page) == limit:  # another run follows: the next page starts after `last`
                    return page, page_tokens.encode_cursor(scope, *last)
                if history.progress is not None:
                    self.advance(history)
                attempts = history.attempts
                page.append((history, attempts[-1], len(attempts)))
                last = (created_at, job_run_id)
            return page, None
