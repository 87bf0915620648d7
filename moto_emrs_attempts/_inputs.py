"""What seeds and history documents accept for attempts: states, details, times, and the
order of attempts that AWS could produce. Shared by `seeding` and `history`."""

from __future__ import annotations

import copy
import functools
import math
import re
import sys
from collections.abc import Iterable, Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Union

from ._service import shape
from ._validation import string_clauses
from .exceptions import HistoryError, shown
from .jobruns import JobRunHistory, to_datetime, to_epoch
from .lifecycle import LATEST_TIME, Outcome

_STATES = tuple(shape("JobRunState").enum)
#: States that end a job run: no attempt follows them.
_ENDING = ("SUCCESS", "CANCELLED")
#: States of an attempt that has not ended: only a job run's latest attempt may be in one.
IN_FLIGHT = tuple(s for s in _STATES if s not in (*_ENDING, "FAILED"))
_ATTEMPT_KEYS = ("state", "stateDetails", "createdAt", "updatedAt")


@dataclass(frozen=True)
class Attempt:
    """One attempt to seed. Times are datetimes (naive = UTC); None means simulated."""

    state: str
    state_details: str | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None


AttemptLike = Union[str, Attempt, Mapping[str, Any]]


@functools.cache
def _metadata(shape_name: str) -> Mapping[str, Any]:
    metadata: Mapping[str, Any] = shape(shape_name).metadata  # built anew on every access
    return metadata


@functools.lru_cache(maxsize=4096)
def _iso_epoch(text: str) -> float:
    return to_epoch(text)  # documents repeat their times: parse each once


#: How many valid strings a check remembers: documents repeat theirs (details, roles, labels).
_REMEMBERED = 4096


def _string_check(meta: Mapping[str, Any]) -> Callable[[str], bool]:
    """Whether a string satisfies the model's `min`, `max` and `pattern` (`string_clauses`
    finds none): the check valid input takes, without building clauses."""
    shortest, longest = meta.get("min", 0), meta.get("max", math.inf)
    pattern = meta.get("pattern")
    matches = re.compile(pattern).fullmatch if pattern is not None else None
    known: set[str] = set()

    def valid(value: str) -> bool:
        if value in known:
            return True
        if not shortest <= len(value) <= longest or (matches is not None and not matches(value)):
            return False
        if len(known) < _REMEMBERED:
            known.add(value)
        return True

    return valid


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


#: How deep a document's free-form members (a job driver, configuration overrides) may nest:
#: far beyond any real configuration, and well within what checking and copying them recurse.
MAX_DEPTH = 100


def check_depth(value: Any, path: str) -> None:
    """Raise HistoryError when a JSON value nests deeper than MAX_DEPTH (checked without
    recursion, so that any depth gets this answer rather than a RecursionError)."""
    pending = [(value, 0)]
    while pending:
        found, depth = pending.pop()
        if depth > MAX_DEPTH:
            raise HistoryError(path, f"is nested more than {MAX_DEPTH} levels deep")
        if isinstance(found, Mapping):
            pending.extend((item, depth + 1) for item in found.values())
        elif isinstance(found, list):
            pending.extend((item, depth + 1) for item in found)


def shared(text: Any) -> Any:
    """One object for equal strings: a document repeats its roles, labels and details in
    every job run, and what a load keeps outlives the document."""
    return sys.intern(text) if type(text) is str else text


_SCALARS = (int, float, bool, type(None))


def copied(value: Any) -> Any:
    """A deep copy of a JSON value (dicts, lists and scalars, its strings `shared`; anything
    else as copy.deepcopy copies it), made without deepcopy's memo for the plain types."""
    kind = type(value)
    if kind is dict:
        return {key: copied(item) for key, item in value.items()}
    if kind is list:
        return [copied(item) for item in value]
    if kind is str:
        return sys.intern(value)
    if kind in _SCALARS:
        return value
    return copy.deepcopy(value)


_Valid = Callable[[Any, int], bool]
#: The compiled checks of the model's shapes, by shape name (shapes may nest themselves).
_VALUE_CHECKS: dict[str, _Valid] = {}


def valid_value(value: Any, value_shape: Any) -> bool:
    """Whether a JSON value certainly satisfies a model shape and nests no deeper than
    MAX_DEPTH: True only where `_validation.value_clauses` finds no clause and `check_depth`
    passes. False means "not certain" (an unknown member, say): check it the long way."""
    return _value_check(value_shape)(value, 0)


def _value_check(value_shape: Any) -> _Valid:
    found = _VALUE_CHECKS.get(value_shape.name)
    if found is None:
        found = _VALUE_CHECKS[value_shape.name] = _compile(value_shape)
    return found


def _compile(value_shape: Any) -> _Valid:
    kind, meta = value_shape.type_name, value_shape.metadata
    shortest, longest = meta.get("min", 0), meta.get("max", math.inf)
    if kind == "structure":
        members = dict(value_shape.members)
        required = tuple(value_shape.required_members)
        union = bool(meta.get("union"))

        checks: dict[str, _Valid] = {}  # the members' checks, compiled when first needed

        def structure(value: Any, depth: int) -> bool:
            if type(value) is not dict or depth >= MAX_DEPTH:
                return False
            present = 0
            for key, item in value.items():
                check = checks.get(key)
                if check is None:
                    member = members.get(key)
                    if member is None:  # unknown: ignored by AWS, but its depth counts
                        return False
                    check = checks[key] = _value_check(member)
                if item is not None:
                    if not check(item, depth + 1):
                        return False
                    present += 1
            if union and present != 1:
                return False
            for name in required:  # noqa: SIM110 (all() would build a generator every call)
                if value.get(name) is None:
                    return False
            return True

        return structure
    if kind == "list":

        def items(value: Any, depth: int) -> bool:
            if type(value) is not list or depth >= MAX_DEPTH:
                return False
            if not shortest <= len(value) <= longest:
                return False
            check = _value_check(value_shape.member)
            for item in value:  # noqa: SIM110 (all() would build a generator every call)
                if not check(item, depth + 1):
                    return False
            return True

        return items
    if kind == "map":

        def mapping(value: Any, depth: int) -> bool:
            if type(value) is not dict or depth >= MAX_DEPTH:
                return False
            if not shortest <= len(value) <= longest:
                return False
            key_check, item_check = _value_check(value_shape.key), _value_check(value_shape.value)
            for key, item in value.items():
                if not (key_check(key, depth) and item_check(item, depth + 1)):
                    return False
            return True

        return mapping
    if kind == "string":
        string = _string_check(meta)
        # a sensitive string's clauses hide its value, and are never about its enum
        enum = (
            frozenset()
            if meta.get("sensitive")
            else frozenset(getattr(value_shape, "enum", ()) or ())
        )
        return lambda value, depth: (
            type(value) is str and string(value) and (not enum or value in enum)
        )
    if kind in ("integer", "long"):
        low, high = meta.get("min", -math.inf), meta.get("max", math.inf)
        return lambda value, depth: type(value) is int and low <= value <= high
    if kind == "boolean":
        return lambda value, depth: type(value) is bool
    return lambda value, depth: False  # the other kinds go the long way


def _outcome(value: Any, path: str) -> Outcome:
    if isinstance(value, str):
        fields: Mapping[str, Any] = {"state": value}
    elif isinstance(value, Attempt):
        fields = {
            "state": value.state,
            "stateDetails": value.state_details,
            "createdAt": value.created_at,
            "updatedAt": value.updated_at,
        }
    elif isinstance(value, Mapping):
        fields = value
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
    return Outcome(
        state,
        details,
        _time(fields.get("createdAt"), f"{path}.createdAt"),
        _time(fields.get("updatedAt"), f"{path}.updatedAt"),
    )


_PLAIN_STATES = {state: Outcome(state) for state in _STATES}
_ATTEMPT_KEY_SET = frozenset(_ATTEMPT_KEYS)
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
    if type(value) is not dict or not _ATTEMPT_KEY_SET.issuperset(value):
        return None
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


def _outcomes(attempts: Any, path: str) -> list[Outcome]:
    if isinstance(attempts, (str, bytes, Mapping)) or not isinstance(attempts, Iterable):
        raise HistoryError(path, f"must be a list of attempts, not {shown(attempts)}")
    plain = _PLAIN_STATES  # a bare state needs no checking beyond being one
    outcomes = []
    for index, attempt in enumerate(attempts):
        found = plain.get(attempt) if isinstance(attempt, str) else _quick_outcome(attempt)
        outcomes.append(found or _outcome(attempt, f"{path}[{index}]"))
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
