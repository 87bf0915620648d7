"""The backend's half that moves job runs: it applies the engine's steps (`lifecycle`) to the
stored histories, under the backend's lock, and keeps each application's slots (`scheduler`).

A poll of a job run that is still moving reads the transition in force and the clock, takes
the steps they make due, and answers from the records as that poll left them: the step and
the answer are one operation under the lock. A job run that cannot move (ended, or seeded)
costs a poll one attribute check.
"""

from __future__ import annotations

import difflib
import threading
from typing import Any

from moto.core.utils import unix_time
from moto.moto_api import state_manager

from ..contract.errors import ValidationException
from ..engine import lifecycle
from ..engine.job_run import JobRunHistory, to_datetime
from ..engine.lifecycle import ACTIVE, TERMINAL, Progress, Step, Transition
from ..engine.scheduler import Slots, default_for


def clock() -> float:
    """moto's clock, in epoch seconds to the millisecond, as AWS stamps its times (freezegun
    and time-machine move it)."""
    return round(unix_time(), 3)


def transition() -> Transition:
    """The transition in force for job runs, read from moto's state manager.

    One this model cannot use is a ValidationException (read it before changing anything, so
    that a rejected call changes nothing).
    """
    try:
        return lifecycle.transition_of(state_manager.get_transition(lifecycle.MODEL_NAME))
    except lifecycle.UnusableTransition as error:
        raise ValidationException(str(error)) from None


def immediate() -> bool:
    """Whether job runs are born whole now, for the callers that are not polls (seeding, the
    scheduler configuration): a transition this model cannot use is not immediate there, so
    that the runs it would move wait for a poll, which reports it."""
    try:
        return transition().progression == "immediate"
    except ValidationException:
        return False


_PREFIX = lifecycle.MODEL_NAME.split("::")[0] + "::"
#: Whether a model name looks like a mistyped `emrserverless::job_run`, by name.
_close_names: dict[str, bool] = {}


def _close(name: str) -> bool:
    found = _close_names.get(name)
    if found is None:
        lowered = name.lower()
        found = lowered.startswith(_PREFIX) or bool(
            difflib.get_close_matches(lowered, [lifecycle.MODEL_NAME], n=1, cutoff=0.8)
        )
        if len(_close_names) < 256:
            _close_names[name] = found
    return found


def check_model_names() -> None:
    """Raise ValidationException for a transition set in moto's state manager for a model name
    no backend registered that is close to this model's (a typo would silently do nothing).

        >>> state_manager.set_transition("emrserverless::jobrun", {"progression": "manual"})
        >>> check_model_names()  # ValidationException: ... did you mean emrserverless::job_run?
    """
    custom: dict[str, Any] = getattr(state_manager, "_transitions", None) or {}
    if not custom or (len(custom) == 1 and lifecycle.MODEL_NAME in custom):
        return
    registered = set(state_manager.get_registered_models())
    for name, raw in list(custom.items()):
        if name not in registered and isinstance(name, str) and _close(name):
            raise ValidationException(
                f"The state manager's transition for {name}, {raw!r}, is for a model name no "
                f"moto backend registered: did you mean {lifecycle.MODEL_NAME}?"
            )


class Progression:
    """Applies the engine's steps; mixed into the backend, whose lock and applications it uses."""

    lock: threading.RLock
    slots: dict[str, Slots]
    #: Runs a freed slot went to under immediate progression: they move on at once.
    admitted: list[JobRunHistory]

    @property
    def emr(self) -> Any:
        raise NotImplementedError

    # -- moto's view ----------------------------------------------------------------------

    def sync(self, history: JobRunHistory) -> None:
        """Write the latest attempt onto moto's job run, in the types moto uses there."""
        job_run = history.job_run
        latest = history.attempts[-1]
        job_run.state = latest.state
        job_run.state_details = latest.state_details
        self.set_moto_time(job_run, "updated_at", latest.updated_at)
        writer = history.log_writer
        if writer is not None:  # the attempts' logs (`attempt_logs`); None when logging is off
            writer.sync(history)
        self.note_run(history)

    def note_run(self, history: JobRunHistory) -> None:
        """A job run's latest attempt changed (its application's idle time counts from runs'
        ends: `app_progression`)."""

    def app_started(self, application_id: str) -> float | None:
        """Since when a job run of the application may leave SUBMITTED (its application
        started then), None while it may not (`app_progression`)."""
        return 0.0

    @staticmethod
    def set_moto_time(job_run: Any, attribute: str, epoch: float) -> None:
        """Set a time on moto's job run in the type moto keeps there."""
        value = to_datetime(epoch)
        if isinstance(getattr(job_run, attribute), str):  # moto 5.0 keeps ISO strings
            fraction = f".{value.microsecond // 1000:03d}" if value.microsecond else ""
            setattr(job_run, attribute, value.strftime("%Y-%m-%dT%H:%M:%S") + fraction + "Z")
        else:
            setattr(job_run, attribute, value)

    # -- slots ----------------------------------------------------------------------------

    def slots_of(self, application_id: str) -> Slots:
        """The scheduler of an application (the release's default configuration at first)."""
        found = self.slots.get(application_id)
        if found is None:
            application = self.emr.applications.get(application_id)
            config = default_for(application.release_label) if application is not None else None
            found = self.slots[application_id] = Slots(config)
            if application is not None:
                application.scheduler_configuration = config
        return found

    def count_slot(self, history: JobRunHistory) -> None:
        """Take or give back a slot after a job run's latest attempt was set from outside the
        engine (seeding): a run whose latest attempt is active holds one."""
        slots = self.slots_of(history.application_id)
        if history.attempts[-1].state in ACTIVE:
            slots.take(history.job_run_id)
        elif history.job_run_id in slots.holders:
            self._free(history, slots, clock(), immediate())
            self._settle_admitted(clock())

    def set_scheduler_configuration(self, application: Any, config: dict[str, int] | None) -> None:
        """Give an application a scheduler configuration; queued runs take new free slots."""
        slots = self.slots_of(application.id)
        slots.config = config
        application.scheduler_configuration = config
        now = clock()
        admitted = slots.promote(now)
        if immediate():
            self.admitted.extend(admitted)
            self._settle_admitted(now)

    # -- steps ----------------------------------------------------------------------------

    def advance(self, history: JobRunHistory, *, polled: bool = True) -> None:
        """Take the steps a poll (`polled`) or the clock makes due; call under the lock.

        Timeouts come before the steps they precede: under time progression every step and
        timeout is stamped with the moment it fell due, even when one late poll applies many.
        """
        progress = history.progress
        if progress is None or progress.done:
            return
        now = clock()
        found = transition()
        slots = self.slots_of(history.application_id)
        before = progress.steps
        budget = lifecycle.poll(progress, found, now, counted=polled)
        if found.progression == "time" and found.seconds > 0:
            self._walk_timed(history, progress, slots, before, found.seconds, now)
        else:
            simulated = found.progression == "immediate"
            deadline = progress.deadline
            # a timeout found by a manual poll is that poll's step, stamped with its clock
            if not (
                (
                    (deadline is not None and now > deadline)
                    or history.attempts[-1].state == "QUEUED"
                )
                and self._time_out(history, progress, slots, now, simulated, simulated)
            ):
                self._walk(history, progress, slots, budget, now, simulated)
        self._settle_admitted(now)

    def cancel(self, history: JobRunHistory, grace_seconds: int | None = None) -> None:
        """CancelJobRun: a run that has not ended is CANCELLING (immediate: CANCELLED); under
        time progression a RUNNING attempt stays CANCELLING for `grace_seconds` at least."""
        if history.attempts[-1].state in TERMINAL:
            return
        found = transition()  # before anything changes
        simulated = found.progression == "immediate"
        self.advance(history, polled=False)  # steps the clock made due come first
        latest = history.attempts[-1]
        if latest.state in TERMINAL:
            return
        now = clock()
        progress = history.progress
        if progress is None:  # a snapshot that is cancelled still stops
            progress = history.progress = Progress(
                mode=history.mode, policy=history.retry_policy, outcomes=(), start=now
            )
        slots = self.slots_of(history.application_id)
        step = lifecycle.cancel(
            progress,
            latest,
            at=now,
            simulated=simulated,
            grace_seconds=grace_seconds if found.progression == "time" else None,
        )
        if step is not None:
            self._apply(history, slots, step, now, simulated)
        self._settle_admitted(now)

    def _time_out(
        self,
        history: JobRunHistory,
        progress: Progress,
        slots: Slots,
        now: float,
        simulated: bool,
        exact: bool,
    ) -> bool:
        """Apply a timeout due by `now`, if any (`exact`: stamped when it fell due)."""
        latest = history.attempts[-1]
        deadline = progress.deadline
        if (deadline is None or now <= deadline) and latest.state != "QUEUED":
            return False  # the poll's usual case, at the cost of two comparisons
        found = lifecycle.timeout(
            progress,
            latest,
            now=now,
            queue_timeout_minutes=None
            if history.job_run_id in slots.holders
            else slots.timeout_minutes,
            simulated=simulated,
            exact=exact,
        )
        if found is None:
            return False
        self._apply(history, slots, found, now, simulated)
        return True

    def _walk(
        self,
        history: JobRunHistory,
        progress: Progress,
        slots: Slots,
        budget: int | None,
        now: float,
        simulated: bool,
    ) -> None:
        job_run_id = history.job_run_id
        while budget is None or budget > 0:
            attempts = history.attempts
            if (
                attempts[-1].state == "SUBMITTED"
                and self.app_started(history.application_id) is None
            ):
                return  # the first attempt waits for its application to start
            at = max(now, attempts[-1].updated_at) if simulated else now
            deadline = progress.deadline
            if (  # a simulated timeline that reaches the run's timeout
                simulated
                and deadline is not None
                and at > deadline
                and self._time_out(history, progress, slots, at, True, True)
            ):
                return
            step = lifecycle.step(
                progress,
                attempts,
                at=at,
                simulated=simulated,
                holds_slot=job_run_id in slots.holders,
                slot_free=slots.free(),
            )
            if step is None:
                return
            self._apply(history, slots, step, now, simulated)
            if budget is not None:
                budget -= 1

    def _walk_timed(
        self,
        history: JobRunHistory,
        progress: Progress,
        slots: Slots,
        before: int,
        seconds: float,
        now: float,
    ) -> None:
        """Time progression: steps `before + 1` to `progress.steps` fell due at `start + k * S`,
        and the timeouts at their own moments; apply each in order, stamped with its moment."""
        job_run_id = history.job_run_id
        index, due, start = before, progress.steps, progress.start
        blocked = False  # no step can move the run now: only a timeout can
        while not progress.done and history.attempts[-1].state not in TERMINAL:
            following = index + 1
            waits = blocked or following > due
            at = now if waits else start + following * seconds
            if self._time_out(history, progress, slots, at, False, True):
                moment = history.attempts[-1].updated_at
                index = max(index, int((moment - start) // seconds))
                blocked = False
                continue
            if waits:
                return
            if history.attempts[-1].state == "SUBMITTED":  # it waits for its application
                started = self.app_started(history.application_id)
                if started is None or at < started:
                    blocked = started is None
                    index = index if blocked else following
                    continue
            step = lifecycle.step(
                progress,
                history.attempts,
                at=at,
                simulated=False,
                holds_slot=job_run_id in slots.holders,
                slot_free=slots.free(),
                timed=True,
            )
            if step is None:
                grace = progress.grace_until
                if history.attempts[-1].state == "CANCELLING" and grace is not None:
                    index = max(following, lifecycle.grid_after(progress, seconds, grace)) - 1
                else:
                    blocked = True
                continue
            self._apply(history, slots, step, at, False)
            index = following

    def _apply(
        self, history: JobRunHistory, slots: Slots, step: Step, now: float, simulated: bool
    ) -> None:
        attempts = history.attempts
        records = step.records
        attempts[-1] = records[0]
        if len(records) > 1:
            attempts.extend(records[1:])
        self.sync(history)
        slot = step.slot
        if slot == "take":
            slots.take(history.job_run_id)
        elif slot == "wait":
            slots.wait(history.job_run_id, history)
        elif slot == "free":
            self._free(history, slots, now, simulated)

    def _free(self, history: JobRunHistory, slots: Slots, now: float, simulated: bool) -> None:
        slots.release(history.job_run_id)
        admitted = slots.promote(now)
        if simulated:
            self.admitted.extend(admitted)

    def _settle_admitted(self, now: float) -> None:
        """Under immediate progression, runs a freed slot went to play on at once."""
        admitted = self.admitted
        while admitted:
            history = admitted.pop(0)
            progress = history.progress
            if progress is not None and not progress.done:
                slots = self.slots_of(history.application_id)
                self._walk(history, progress, slots, None, now, True)
