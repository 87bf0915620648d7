"""The application lifecycle: a pure engine, the second model of the machinery job runs use.

Given an application's record, the transition in force (moto's state manager, model
`emrserverless::application`, read by `engine.transitions`) and the clock, it says what happens
next; the backend (`app_progression`) applies it to moto's application.

| call                         | begins     | one step later |
|------------------------------|------------|----------------|
| CreateApplication            | CREATING   | CREATED        |
| StartApplication, auto-start | STARTING   | STARTED        |
| StopApplication, auto-stop   | STOPPING   | STOPPED        |
| DeleteApplication            | TERMINATED (at once)        |

An application at rest (CREATED, STARTED, STOPPED, TERMINATED) has no step to make: its polls
count toward nothing. `immediate` moves it to the resting state at once; under `manual` every
N-th poll counted since the call that began the transition is its step; under `time` the step
falls due S seconds after that call, and is stamped with that moment. A STARTED application
whose job runs have all ended stops by itself once it has been idle for its idle timeout.
Nothing here reads a backend.
"""

from __future__ import annotations

import re
from typing import Any

from ..contract.service_model import shape
from .transitions import Transition

#: The states an application rests in: no step follows.
RESTING = frozenset(("CREATED", "STARTED", "STOPPED", "TERMINATED"))
#: The resting state each transitional state moves to, in one step.
NEXT = {"CREATING": "CREATED", "STARTING": "STARTED", "STOPPING": "STOPPED"}


def _documented_default(member: str, fallback: int) -> int:
    """A default the model gives in a member's documentation ("Defaults to 15 minutes")."""
    try:
        doc = shape("AutoStopConfig").members[member].documentation or ""
    except Exception:  # an older model without the member
        return fallback
    found = re.search(r"Defaults to ([0-9]+)", doc)
    return int(found.group(1)) if found else fallback


#: Minutes an application idles before it stops by itself, unless its configuration says.
DEFAULT_IDLE_TIMEOUT_MINUTES = _documented_default("idleTimeoutMinutes", 15)


class AppRecord:
    """What the plugin keeps about one application: its state and since when, the transition
    in flight (`since`: the clock at the call that began it; `tick`: polls counted toward its
    manual step), when it last reached STARTED, its job runs that have not ended (`active`),
    the latest end of the others (`last_end`), and the job runs waiting for it to start."""

    __slots__ = (
        "active",
        "last_end",
        "rendered",
        "since",
        "started_at",
        "state",
        "tick",
        "updated_at",
        "waiting",
    )

    def __init__(self, state: str, updated_at: float) -> None:
        self.state = state
        self.updated_at = updated_at
        self.since: float | None = None
        self.tick = 0
        self.started_at: float | None = updated_at if state == "STARTED" else None
        self.active: set[str] = set()
        self.last_end: float | None = None
        #: Job run histories whose first attempt waits for the application to start.
        self.waiting: list[Any] = []
        #: The last GetApplication answer while in flight, with the (state, updatedAt) it shows.
        self.rendered: tuple[tuple[str, float], Any] | None = None

    @property
    def moving(self) -> bool:
        return self.state not in RESTING


def settle(record: AppRecord, state: str, at: float) -> None:
    """Put the application in `state` at `at` (a resting state ends any transition)."""
    record.state = state
    record.updated_at = at
    if state == "STARTED":
        record.started_at = at
    if state in RESTING:
        record.since = None
        record.tick = 0


def begin(record: AppRecord, transitional: str, now: float, transition: Transition) -> None:
    """A call began a transition: the application is `transitional` (CREATING, STARTING or
    STOPPING) from `now`, and the count toward its step starts; `immediate` (or `time` with 0
    seconds) puts it in the resting state at once."""
    if transition.progression == "immediate" or (
        transition.progression == "time" and transition.seconds <= 0
    ):
        settle(record, NEXT[transitional], now)
        return
    settle(record, transitional, now)
    record.since = now
    record.tick = 0


def poll(record: AppRecord, transition: Transition, now: float, *, counted: bool = True) -> bool:
    """Count one poll (`counted`) or read the clock; take the step that is due. Return whether
    the state changed. An application at rest counts nothing."""
    following = NEXT.get(record.state)
    if following is None:
        return False
    progression = transition.progression
    if progression == "manual":
        if not counted:
            return False
        record.tick += 1
        if record.tick < transition.times:
            return False
        settle(record, following, now)
        return True
    since = record.since
    if progression == "time" and transition.seconds > 0 and since is not None:
        due = since + transition.seconds
        if now < due:
            return False
        settle(record, following, due)  # stamped with the moment it fell due
        return True
    settle(record, following, now)  # immediate (a transition changed while it moved)
    return True


def idle_deadline(record: AppRecord, config: Any) -> float | None:
    """When a STARTED application with no job run in flight stops by itself (None: it does not):
    its idle timeout after the later of reaching STARTED and its last job run's end."""
    if record.state != "STARTED" or record.active:
        return None
    enabled, minutes = auto_stop_settings(config)
    if not enabled:
        return None
    base = record.started_at if record.started_at is not None else record.updated_at
    last_end = record.last_end
    if last_end is not None and last_end > base:
        base = last_end
    return base + minutes * 60.0


def auto_stop(record: AppRecord, due: float, transition: Transition, now: float) -> None:
    """The idle timeout fell due at `due`: STOPPING (`immediate`: STOPPED), stamped with that
    moment under `time` and `immediate`, with the poll that found it under `manual`."""
    at = now if transition.progression == "manual" else due
    begin(record, "STOPPING", at, transition)


def auto_stop_settings(config: Any) -> tuple[bool, int]:
    """(enabled, idle minutes) of an autoStopConfiguration, with AWS's defaults."""
    if not isinstance(config, dict):
        return True, DEFAULT_IDLE_TIMEOUT_MINUTES
    enabled = config.get("enabled")
    minutes = config.get("idleTimeoutMinutes")
    return (
        enabled is not False,
        minutes if isinstance(minutes, int) and minutes > 0 else DEFAULT_IDLE_TIMEOUT_MINUTES,
    )


def auto_start_enabled(config: Any) -> bool:
    """Whether an autoStartConfiguration starts the application on job submission (default)."""
    return not isinstance(config, dict) or config.get("enabled") is not False


def resolved_auto_stop(config: Any) -> dict[str, Any]:
    """An autoStopConfiguration as GetApplication shows it: the idle timeout is given while
    auto-stop is on."""
    enabled, minutes = auto_stop_settings(config)
    if enabled:
        return {"enabled": True, "idleTimeoutMinutes": minutes}
    given = isinstance(config, dict) and isinstance(config.get("idleTimeoutMinutes"), int)
    return {"enabled": False, **({"idleTimeoutMinutes": minutes} if given else {})}
