"""What seeds and history documents accept for attempts: states, details, times, and the
order of attempts that AWS could produce. Shared by `seeding` and `history`."""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Union

from ..contract.errors import HistoryError, shown
from ..contract.service_model import shape
from ..contract.shape_checks import _string_check, shared
from ..contract.validation import string_clauses
from ..engine.job_run import JobRunHistory, to_datetime, to_epoch
from ..engine.lifecycle import LATEST_TIME, Outcome
from ..logs.content import LogContent, check_logs

_STATES = tuple(shape("JobRunState").enum)
#: States that end a job run: no attempt follows them.
_ENDING = ("SUCCESS", "CANCELLED")
#: States of an attempt that has not ended: only a job run's latest attempt may be in one.
IN_FLIGHT = tuple(s for s in _STATES if s not in (*_ENDING, "FAILED"))
_ATTEMPT_KEYS = (
    "state",
    "stateDetails",
    "createdAt",
    "updatedAt",
    "logs",
    "startedAt",
    "queuedDurationMilliseconds",
)


@dataclass(frozen=True)
class Attempt:
    """One attempt to seed. Times are datetimes (naive = UTC); None means simulated. `logs`
    maps log names (`SPARK_DRIVER/stdout`, ...) to their text (`str` or `bytes`); the job run
    writes them where its monitoring configuration says (see `attempt_logs`).

        >>> oom = Attempt("FAILED", "Driver OOM", logs={"SPARK_DRIVER/stderr": "OutOfMemoryError\\n"})
    """

    state: str
    state_details: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    logs: Mapping[str, LogContent] | None = None


AttemptLike = Union[str, Attempt, Mapping[str, Any]]


@functools.cache
def _metadata(shape_name: str) -> Mapping[str, Any]:
    metadata: Mapping[str, Any] = shape(shape_name).metadata  # built anew on every access
    return metadata


@functools.lru_cache(maxsize=4096)
def _iso_epoch(text: str) -> float:
    return to_epoch(text)  # documents repeat their times: parse each once


@functools.cache
def _string_shape(shape_name: str) -> Callable[[str], bool]:
    return _string_check(_metadata(shape_name))


def _model_string(value: Any, path: str, shape_name: str) -> str:
    if not isinstance(value, str):
        raise HistoryError(path, f"must be a string, not {shown(value)}")
    if _string_shape(shape_name)(value):
        return value
    problems = string_clauses(value, path.rsplit(".", 1)[-1], _metadata(shape_name))
    if problems:
        raise HistoryError(path, problems[0].split("constraint: ", 1)[1])
    return value


def _time(value: Any, path: str) -> float | None:
    """Epoch seconds of a datetime, an ISO 8601 string or epoch seconds (a JSON number), no
    later than `LATEST_TIME` (moto, and every SDK, keeps datetimes, which end with year 9999)."""
    if value is None:
        return None
    epoch: float | None = None
    if isinstance(value, datetime):
        epoch = to_epoch(value)
    elif isinstance(value, str):
        with suppress(ValueError):
            epoch = _iso_epoch(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        epoch = float(value)
        if epoch <= LATEST_TIME:
            try:
                to_datetime(epoch)  # the time must have a datetime
            except (OverflowError, OSError, ValueError):
                epoch = None
    if epoch is None:
        raise HistoryError(
            path, f"must be an ISO 8601 timestamp or epoch seconds, not {shown(value)}"
        )
    if epoch > LATEST_TIME:
        raise HistoryError(
            path,
            f"{shown(value)} is after 9999-12-31T23:59:59Z, the latest time a job run can have",
        )
    return epoch


def _outcome(value: Any, path: str, logs: dict[int, Any] | None = None, index: int = 0) -> Outcome:
    """One attempt as the engine plays it; its `logs`, if any, go to `logs[index]`."""
    document = False
    if isinstance(value, str):
        fields: Mapping[str, Any] = {"state": value}
    elif isinstance(value, Attempt):
        fields = {
            "state": value.state,
            "stateDetails": value.state_details,
            "createdAt": value.created_at,
            "updatedAt": value.updated_at,
            "logs": value.logs,
        }
    elif isinstance(value, Mapping):
        fields, document = value, True
        for key in fields:
            if key not in _ATTEMPT_KEYS:
                raise HistoryError(
                    f"{path}.{key}", f"is not an attempt member; use {', '.join(_ATTEMPT_KEYS)}"
                )
    else:
        raise HistoryError(path, f"must be a state, an Attempt or an object, not {shown(value)}")
    if "state" not in fields:
        raise HistoryError(f"{path}.state", "is required")
    state = fields["state"]
    if state not in _STATES:
        raise HistoryError(
            f"{path}.state",
            f"{shown(state)} is not a job run state; use one of {', '.join(_STATES)}",
        )
    details = fields.get("stateDetails")
    if details is not None:
        details = _model_string(details, f"{path}.stateDetails", "String256")
    given = fields.get("logs")
    if given is not None:
        checked = check_logs(given, f"{path}.logs", document=document)
        if logs is not None and checked:
            logs[index] = checked
    return Outcome(
        state,
        details,
        _time(fields.get("createdAt"), f"{path}.createdAt"),
        _time(fields.get("updatedAt"), f"{path}.updatedAt"),
        _time(fields.get("startedAt"), f"{path}.startedAt"),
        _milliseconds(
            fields.get("queuedDurationMilliseconds"), f"{path}.queuedDurationMilliseconds"
        ),
    )


def _milliseconds(value: Any, path: str) -> int | None:
    """A duration in milliseconds: an integer of 0 or more (None: not given)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise HistoryError(path, f"must be an integer of 0 or more, not {shown(value)}")
    return value


_PLAIN_STATES = {state: Outcome(state) for state in _STATES}
_QUICK_KEYS = frozenset(("state", "stateDetails", "createdAt", "updatedAt"))
#: Each state, to its one string (the model's).
_STATE_SET = {state: state for state in _STATES}
_DETAILS = _string_shape("String256")
_NOT_QUICK = object()


def _quick_time(value: Any) -> Any:
    """`_time` of None or of an ISO 8601 string it takes; _NOT_QUICK for anything else."""
    if value is None:
        return None
    if type(value) is str:
        try:
            epoch = _iso_epoch(value)
        except Exception:  # let `_time` say what is wrong
            return _NOT_QUICK
        if epoch <= LATEST_TIME:
            return epoch
    return _NOT_QUICK


def _quick_outcome(value: Any) -> Outcome | None:
    """`_outcome` of an attempt object as documents write them, checked without building its
    error paths; None when it needs a closer look (then `_outcome` says what is wrong)."""
    if type(value) is not dict or not _QUICK_KEYS.issuperset(value):
        return None  # logs, among others, go the long way
    state = _STATE_SET.get(value.get("state")) if type(value.get("state")) is str else None
    if state is None:
        return None
    details = value.get("stateDetails")
    if details is not None and (type(details) is not str or not _DETAILS(details)):
        return None
    created, updated = _quick_time(value.get("createdAt")), _quick_time(value.get("updatedAt"))
    if created is _NOT_QUICK or updated is _NOT_QUICK:
        return None
    return Outcome(state, shared(details), created, updated)


def _outcomes(attempts: Any, path: str, logs: dict[int, Any] | None = None) -> list[Outcome]:
    """The attempts as the engine plays them; the logs given go to `logs`, by index."""
    if type(attempts) is not list and (  # a list, mostly: no ABC to ask
        isinstance(attempts, (str, bytes, Mapping)) or not isinstance(attempts, Iterable)
    ):
        raise HistoryError(path, f"must be a list of attempts, not {shown(attempts)}")
    plain = _PLAIN_STATES  # a bare state needs no checking beyond being one
    outcomes = []
    for index, attempt in enumerate(attempts):
        found = plain.get(attempt) if isinstance(attempt, str) else _quick_outcome(attempt)
        outcomes.append(found or _outcome(attempt, f"{path}[{index}]", logs, index))
    if not outcomes:
        raise HistoryError(path, "must list at least one attempt")
    _check_order(outcomes, path)
    return outcomes


def _check_order(outcomes: list[Outcome], path: str) -> None:
    """Raise HistoryError at the first attempt that AWS could not have produced where it is:
    one that follows an attempt still in flight, or one that follows SUCCESS or CANCELLED."""
    for index in range(1, len(outcomes)):
        before = outcomes[index - 1].state
        if before in _ENDING:
            problem = "which ends the job run; no attempt follows SUCCESS or CANCELLED"
        elif before in IN_FLIGHT:
            problem = "which is still in flight; only the latest attempt may be in flight"
        else:
            continue
        raise HistoryError(
            f"{path}[{index}].state", f"{outcomes[index].state!r} follows {before}, {problem}"
        )


def _check_open(history: JobRunHistory, first: str) -> None:
    """Raise HistoryError when a job run's latest attempt leaves no room for another."""
    latest = history.latest.state
    if latest in _ENDING:
        raise HistoryError(
            "job_run_id",
            f"job run {history.job_run_id} has ended ({latest}); no attempt can follow",
        )
    if latest in IN_FLIGHT:
        raise HistoryError(
            "attempts[0].state",
            f"{first!r} follows attempt {len(history.attempts)} of job run {history.job_run_id}, "
            f"which is still {latest}; only the latest attempt may be in flight",
        )


def _scripted(states: list[Any]) -> tuple[list[Outcome], dict[int, Any]]:
    """Scripted outcomes (states, or Attempt objects and dicts without times), and the logs
    given to them by attempt number."""
    played: list[Outcome] = []
    logs: dict[int, Any] = {}
    for index, state in enumerate(states):
        if isinstance(state, str) or not isinstance(state, (Attempt, Mapping)):
            if state not in _STATES:
                raise HistoryError(
                    f"outcomes[{index}]",
                    f"{shown(state)} is not a job run state; use one of {', '.join(_STATES)}",
                )
            played.append(Outcome(state))
            continue
        outcome = _outcome(state, f"outcomes[{index}]", logs, index + 1)
        if any(
            given is not None
            for given in (
                outcome.created_at,
                outcome.updated_at,
                outcome.started_at,
                outcome.queued_ms,
            )
        ):
            raise HistoryError(
                f"outcomes[{index}]",
                "a scripted attempt takes no times: a started job run's come from the clock",
            )
        played.append(outcome)
    return played, logs
