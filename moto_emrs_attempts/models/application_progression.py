"""The backend's half that moves applications: it applies the application engine
(`app_lifecycle`) to moto's applications, under the backend's lock, and keeps moto's own view
(`state`, `updatedAt`) in step, so that moto's handlers render what the engine decided.

Applications move through moto's state manager under the model `emrserverless::application`,
registered here with the default transition `{"progression": "immediate"}`. A poll
(GetApplication, a ListApplications page that returns the application) of an application at
rest costs one lookup, and a look at its idle deadline when it is STARTED.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from moto.moto_api import state_manager

from ..contract.errors import ResourceNotFoundException, ValidationException
from ..engine import application_lifecycle as app_lifecycle
from ..engine.application_lifecycle import RESTING, AppRecord
from ..engine.job_run import JobRunHistory, to_epoch
from ..engine.lifecycle import TERMINAL
from ..engine.transitions import (
    APPLICATION_MODEL_NAME,
    Transition,
    UnusableTransition,
    transition_of,
)
from .job_run_progression import Progression, clock, immediate

#: AWS's answer to StopApplication outside STARTING and STARTED (from its answers to users).
STOP_REFUSED = (
    "Application cannot be STOPPED. Applications must be in one of the following statuses: "
    "[STARTING, STARTED]"
)


#: How many applications are in flight, in every account and region: while none is, a
#: GetApplication goes straight to moto's dispatch (`responses.application_states.moving_application`).
IN_FLIGHT: set[tuple[int, str]] = set()


def app_transition() -> Transition:
    """The transition in force for applications; one this model cannot use is a
    ValidationException (read before anything changes)."""
    try:
        return transition_of(
            state_manager.get_transition(APPLICATION_MODEL_NAME), APPLICATION_MODEL_NAME
        )
    except UnusableTransition as error:
        raise ValidationException(str(error)) from None


def _start_refused(application_id: str, state: str) -> ValidationException:
    return ValidationException(
        f"Application {application_id} cannot be STARTED. Applications must be in one of the "
        f"following statuses: [CREATED, STOPPED]. Current status: {state}"
    )


class AppProgression:
    """Applies the application engine; mixed into the backend (before `Progression`, whose
    hooks `note_run` and `app_started` it fills in)."""

    lock: threading.RLock
    histories: dict[tuple[str, str], JobRunHistory]
    app_records: dict[str, AppRecord]

    if TYPE_CHECKING:  # the backend's, and its Progression's (no stubs: they would shadow them)

        @property
        def emr(self) -> Any: ...

        def advance(self, history: JobRunHistory, *, polled: bool = True) -> None: ...

    # -- records ------------------------------------------------------------------------

    def app_record(self, application: Any) -> AppRecord:
        """The record of one of moto's applications, made from moto's view the first time
        (an application seeded or made by moto itself: at rest, as moto says)."""
        found = self.app_records.get(application.id)
        if found is None:
            found = AppRecord(application.state, to_epoch(application.updated_at))
            self._count_runs(application.id, found)
            self.app_records[application.id] = found
        return found

    def _count_runs(self, application_id: str, record: AppRecord) -> None:
        """Note which of an application's job runs have not ended, and when the others ended."""
        for job_run in self.emr.job_runs.get(application_id, ()):
            history = self.histories.get((application_id, job_run.id))
            if history is not None:
                latest = history.attempts[-1]
                state, ended = latest.state, latest.updated_at
            else:
                state, ended = job_run.state, to_epoch(job_run.updated_at)
            if state not in TERMINAL:
                record.active.add(job_run.id)
            elif record.last_end is None or ended > record.last_end:
                record.last_end = ended

    def sync_app(self, application: Any, record: AppRecord) -> None:
        """Write the record onto moto's application, in the types moto keeps there."""
        application.state = record.state
        Progression.set_moto_time(application, "updated_at", record.updated_at)
        key = (id(self), application.id)
        if record.moving:
            IN_FLIGHT.add(key)
        else:
            IN_FLIGHT.discard(key)

    def note_run(self, history: JobRunHistory) -> None:
        """A job run's latest attempt changed: it is in flight, or it ended then."""
        record = self.app_records.get(history.application_id)
        if record is None:  # counted when the application's record is made
            return
        latest = history.attempts[-1]
        if latest.state in TERMINAL:
            was_active = history.job_run_id in record.active
            record.active.discard(history.job_run_id)
            ended = latest.updated_at
            now = clock()
            if was_active and ended < now and immediate():  # a cancel's simulated end: now
                ended = now
            if record.last_end is None or ended > record.last_end:
                record.last_end = ended
        elif history.job_run_id not in record.active:  # a new run in flight (started, loaded)
            record.active.add(history.job_run_id)
            if latest.state == "SUBMITTED" and record.state != "STARTED":
                record.waiting.append(history)  # its first attempt waits for the start

    # -- polls ----------------------------------------------------------------------------

    def step_app(self, application: Any, *, counted: bool, release: bool = True) -> AppRecord:
        """Take the step a poll (`counted`) or the clock makes due, and the idle stop that is
        due; call under the lock. Job runs waiting for the application go on once it has
        started (`release`)."""
        record = self.app_record(application)
        state = record.state
        if state in RESTING and (
            state != "STARTED" or not self._idle_possible(application, record)
        ):
            return record
        now = clock()
        transition = app_transition()
        changed = app_lifecycle.poll(record, transition, now, counted=counted)
        if record.state == "STARTED":
            changed = self._auto_stop(application, record, transition, now) or changed
        if changed:
            self.sync_app(application, record)
            if release and record.state == "STARTED" and record.waiting:
                self._release(record)
        return record

    def _at_rest(self, application: Any, record: AppRecord | None) -> bool:
        """Whether a poll of the application has nothing to do (cheap, without the lock)."""
        if record is None or record.state not in RESTING:
            return False
        return record.state != "STARTED" or not self._idle_possible(application, record)

    def _idle_possible(self, application: Any, record: AppRecord) -> bool:
        """Whether a STARTED application may be due to stop by itself now (cheap: no job run
        is looked at)."""
        enabled, minutes = app_lifecycle.auto_stop_settings(application.auto_stop_configuration)
        if not enabled:
            return False
        base = record.started_at if record.started_at is not None else record.updated_at
        if record.last_end is not None and record.last_end > base:
            base = record.last_end
        return clock() >= base + minutes * 60.0

    def _auto_stop(
        self, application: Any, record: AppRecord, transition: Transition, now: float
    ) -> bool:
        if record.active:
            if not self._idle_possible(application, record):
                return False
            self._advance_runs(application.id, record)  # runs the clock has ended meanwhile
        due = app_lifecycle.idle_deadline(record, application.auto_stop_configuration)
        if due is None or now < due:
            return False
        app_lifecycle.auto_stop(record, due, transition, now)
        app_lifecycle.poll(record, transition, now, counted=False)
        return True

    def _advance_runs(self, application_id: str, record: AppRecord) -> None:
        for job_run_id in list(record.active):
            history = self.histories.get((application_id, job_run_id))
            if history is not None:
                self.advance(history, polled=False)

    def _release(self, record: AppRecord) -> None:
        """The application has started: the job runs waiting for it take their due steps."""
        waiting, record.waiting = record.waiting, []
        for history in waiting:
            progress = history.progress
            if progress is not None and not progress.done:
                self.advance(history, polled=False)

    def poll_application(self, application_id: str) -> None:
        """GetApplication: one poll of the application (moto renders the answer)."""
        application = self.emr.applications.get(application_id)
        if application is None:  # moto answers that it does not exist
            return
        record = self.app_records.get(application_id)
        if self._at_rest(application, record):  # no lock, nothing counted
            return
        with self.lock:
            self.step_app(application, counted=True)

    def settle_applications(self) -> None:
        """Before a ListApplications page: every step the clock made due (no poll counted), so
        that the page's state filter sees the applications as they are."""
        with self.lock:
            for application in list(self.emr.applications.values()):
                self.step_app(application, counted=False)

    def count_listed(self, application_ids: Iterable[str]) -> dict[str, AppRecord]:
        """A ListApplications page returned these applications: a poll of each."""
        found = {}
        with self.lock:
            for application_id in application_ids:
                application = self.emr.applications.get(application_id)
                if application is not None:
                    found[application_id] = self.step_app(application, counted=True)
        return found

    # -- calls ----------------------------------------------------------------------------

    def _application(self, application_id: str) -> Any:
        application = self.emr.applications.get(application_id)
        if application is None:
            raise ResourceNotFoundException.application(application_id)
        return application

    def created_application(self, application: Any, transition: Transition) -> None:
        """CreateApplication made `application` (moto says STARTED): CREATING, or CREATED."""
        now = clock()
        record = AppRecord("CREATING", now)
        app_lifecycle.begin(record, "CREATING", now, transition)
        self.app_records[application.id] = record
        Progression.set_moto_time(application, "created_at", now)
        self.sync_app(application, record)

    def start_application(self, application_id: str) -> None:
        """StartApplication: STARTING (immediate: STARTED) from CREATED or STOPPED; a starting
        or started application is left as it is."""
        with self.lock:
            application = self._application(application_id)
            record = self.step_app(application, counted=False)
            state = record.state
            if state in ("STARTING", "STARTED"):
                return
            if state not in ("CREATED", "STOPPED"):
                raise _start_refused(application_id, state)
            self._begin(application, record, "STARTING")

    def _begin(self, application: Any, record: AppRecord, transitional: str) -> None:
        app_lifecycle.begin(record, transitional, clock(), app_transition())
        self.sync_app(application, record)
        if record.state == "STARTED" and record.waiting:
            self._release(record)

    def stop_application(self, application_id: str) -> None:
        """StopApplication: STOPPING (immediate: STOPPED) once every job run has ended; a
        stopping, stopped or never started (CREATED) application is left as it is."""
        with self.lock:
            application = self._application(application_id)
            record = self.step_app(application, counted=False)
            state = record.state
            if state in ("STOPPING", "STOPPED", "CREATED"):
                return
            if state not in ("STARTING", "STARTED"):
                raise ValidationException(STOP_REFUSED)
            if record.active:
                self._advance_runs(application_id, record)
            if record.active:
                raise ValidationException(
                    f"Application {application_id} cannot be STOPPED while it has job runs "
                    f"that have not ended ({len(record.active)}); cancel them or wait for them "
                    f"to end first. Current status: {state}"
                )
            self._begin(application, record, "STOPPING")

    def before_change(self, application_id: str) -> None:
        """UpdateApplication and DeleteApplication: the application as the clock has moved it,
        for moto's check of its state."""
        application = self.emr.applications.get(application_id)
        if application is not None:
            self.step_app(application, counted=False)

    def deleted_application(self, application_id: str) -> None:
        """moto deleted the application: TERMINATED, now."""
        application = self.emr.applications.get(application_id)
        if application is not None:
            record = self.app_record(application)
            app_lifecycle.settle(record, "TERMINATED", clock())
            self.sync_app(application, record)

    # -- job runs -------------------------------------------------------------------------

    def admit_job_run(self, application_id: str) -> AppRecord | None:
        """StartJobRun, before anything is created: refuse it where the application's state
        does (None: moto answers, for an application it does not know or has terminated)."""
        application = self.emr.applications.get(application_id)
        if application is None:
            return None
        record = self.step_app(application, counted=False)
        state = record.state
        if state in ("STARTED", "STARTING") or state == "TERMINATED":
            return record if state != "TERMINATED" else None
        if state in ("CREATED", "STOPPED"):
            app_transition()  # a transition the auto-start could not use refuses the run
            if app_lifecycle.auto_start_enabled(application.auto_start_configuration):
                return record
            raise ValidationException(
                f"Application {application_id} is {state} and its autoStartConfiguration is "
                "disabled: start the application before submitting a job run."
            )
        raise ValidationException(
            f"Application {application_id} cannot accept job runs while it is {state}. "
            f"Current status: {state}"
        )

    def auto_start(self, application_id: str, record: AppRecord | None) -> bool:
        """A job run was started on the application: start it if it rests (auto-start); return
        whether it is STARTED, so that the run's first attempt may leave SUBMITTED."""
        if record is None:
            return True
        if record.state in ("CREATED", "STOPPED"):
            self._begin(self._application(application_id), record, "STARTING")
        return record.state == "STARTED"

    def app_started(self, application_id: str) -> float | None:
        """Since when a job run of the application may leave SUBMITTED: when its application
        reached STARTED (after the steps the clock made due); None while it has not."""
        record = self.app_records.get(application_id)
        if record is None:
            return 0.0
        if record.state != "STARTED":
            application = self.emr.applications.get(application_id)
            if application is None:
                return 0.0
            record = self.step_app(application, counted=False, release=False)
            if record.state != "STARTED":
                return None
        return record.started_at if record.started_at is not None else 0.0
