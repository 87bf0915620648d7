"""An application over time, in a history document: its state and configurations, and what an
application in flight needs to go on after a restart.

`export_history` writes, for each application, its `state`, `createdAt`, `updatedAt`,
`autoStartConfiguration`, `autoStopConfiguration` and, once the plugin keeps a record of it,
`progress`: the clock at the call that began the transition in flight (`since`), the polls
counted toward its manual step (`tick`), when it last reached STARTED (`startedAt`) and when its
last job run ended (`lastRunEnd`), from which its idle timeout counts. `load_history` restores
them, so that a server restarted on its state file goes on exactly where it stopped. Every
member is optional: an application listed without a `state` is created as before (moto's
STARTED), and one without `progress` starts its clocks at the load.

    {"applicationId": "00fexample", "state": "STARTING", "updatedAt": "2026-12-03T09:00:00Z",
     "autoStartConfiguration": {"enabled": true},
     "autoStopConfiguration": {"enabled": true, "idleTimeoutMinutes": 15},
     "progress": {"since": "2026-12-03T09:00:00Z", "tick": 1, "startedAt": null,
                  "lastRunEnd": null}}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..contract.errors import HistoryError, shown
from ..contract.service_model import enum, shape
from ..contract.shape_checks import clause_error
from ..contract.validation import value_clauses
from ..engine.application_lifecycle import NEXT, AppRecord, auto_start_enabled, resolved_auto_stop
from ..engine.job_run import to_epoch
from .attempt_input import _time

#: The members this module reads and writes in an application's entry.
MEMBERS = (
    "state",
    "createdAt",
    "updatedAt",
    "autoStartConfiguration",
    "autoStopConfiguration",
    "progress",
)
PROGRESS_MEMBERS = ("since", "tick", "startedAt", "lastRunEnd")
_STATES = enum("ApplicationState")
_AUTO = ("autoStartConfiguration", "autoStopConfiguration")


@dataclass
class AppState:
    """An application entry's members over time, validated."""

    state: str | None = None
    created_at: float | None = None
    updated_at: float | None = None
    auto_start: dict[str, Any] | None = None
    auto_stop: dict[str, Any] | None = None
    since: float | None = None
    tick: int = 0
    started_at: float | None = None
    last_run_end: float | None = None
    progress: bool = False


def parse(entry: Mapping[str, Any], path: str) -> AppState | None:
    """The members over time of an application entry (None: it gives none of them)."""
    if not any(entry.get(key) is not None for key in MEMBERS):
        return None
    found = AppState()
    state = entry.get("state")
    if state is not None:
        if state not in _STATES:
            raise HistoryError(
                f"{path}.state",
                f"{shown(state)} is not an application state; use {', '.join(_STATES)}",
            )
        found.state = state
    found.created_at = _time(entry.get("createdAt"), f"{path}.createdAt")
    found.updated_at = _time(entry.get("updatedAt"), f"{path}.updatedAt")
    members = shape("Application").members
    for wire in _AUTO:
        value = entry.get(wire)
        if value is None:
            continue
        clauses = value_clauses(value, wire, members[wire])
        if clauses:
            raise clause_error(clauses[0], f"{path}.")
        setattr(found, "auto_start" if wire == _AUTO[0] else "auto_stop", dict(value))
    progress = entry.get("progress")
    if progress is not None:
        _progress(progress, f"{path}.progress", found)
    return found


def _progress(value: Any, path: str, found: AppState) -> None:
    if not isinstance(value, Mapping):
        raise HistoryError(path, f"must be an object, not {shown(value)}")
    for key in value:
        if key not in PROGRESS_MEMBERS:
            raise HistoryError(
                f"{path}.{key}", f"is not a progress member; use {', '.join(PROGRESS_MEMBERS)}"
            )
    found.progress = True
    found.since = _time(value.get("since"), f"{path}.since")
    if found.since is not None and found.state not in NEXT:
        raise HistoryError(
            f"{path}.since",
            f"belongs to an application in flight ({', '.join(NEXT)}); this one is "
            f"{found.state or 'not given a state'}",
        )
    tick = value.get("tick", 0)
    if isinstance(tick, bool) or not isinstance(tick, int) or tick < 0:
        raise HistoryError(f"{path}.tick", f"must be an integer of 0 or more, not {shown(tick)}")
    found.tick = tick
    found.started_at = _time(value.get("startedAt"), f"{path}.startedAt")
    found.last_run_end = _time(value.get("lastRunEnd"), f"{path}.lastRunEnd")


def restore(backend: Any, application: Any, found: AppState | None, now: float) -> None:
    """Give a just-created application its members over time, and the plugin's record of it
    when the entry gives a state."""
    if found is None:
        return
    if found.auto_start is not None:
        application.auto_start_configuration = {"enabled": auto_start_enabled(found.auto_start)}
    if found.auto_stop is not None:
        application.auto_stop_configuration = resolved_auto_stop(found.auto_stop)
    if found.created_at is not None:
        backend.set_moto_time(application, "created_at", found.created_at)
    if found.updated_at is not None:
        backend.set_moto_time(application, "updated_at", found.updated_at)
    if found.state is None:
        return
    if not found.progress and found.state not in NEXT:
        # at rest, and nothing said since when: the state is moto's, and the plugin's record
        # of it is made when it is first polled, as for any application (so an export of it
        # gives the same document again)
        application.state = found.state
        return
    updated = found.updated_at if found.updated_at is not None else now
    record = AppRecord(found.state, updated)
    if found.started_at is not None:
        record.started_at = found.started_at
    if found.state in NEXT:
        record.since = found.since if found.since is not None else now
        record.tick = found.tick
    record.last_end = found.last_run_end
    backend.app_records[application.id] = record
    backend.sync_app(application, record)


def render(
    application: Any, record: AppRecord | None, time: Callable[[float], Any]
) -> dict[str, Any]:
    """An application's members over time, for `export_history`."""
    rendered: dict[str, Any] = {
        "state": record.state if record is not None else application.state,
        "createdAt": time(to_epoch(application.created_at)),
        "updatedAt": time(to_epoch(application.updated_at)),
    }
    for wire, attribute in zip(_AUTO, ("auto_start_configuration", "auto_stop_configuration")):
        value = getattr(application, attribute, None)
        if isinstance(value, dict):
            rendered[wire] = dict(value)
    if record is not None and (record.since is not None or record.tick):  # in flight
        rendered["progress"] = {
            "since": None if record.since is None else time(record.since),
            "tick": record.tick,
            "startedAt": None if record.started_at is None else time(record.started_at),
            "lastRunEnd": None if record.last_end is None else time(record.last_end),
        }
    return rendered
