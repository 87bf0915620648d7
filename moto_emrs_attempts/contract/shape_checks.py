"""A document's free-form values: the model's shapes compiled to checks that take valid
values the short way (the clauses, and the HistoryError of the first, only where something is
wrong), how deep values may nest, deep copies of JSON values, and one object for equal
strings. Shared by `history.attempt_input` (attempts) and `history.parsing` (job runs'
members)."""

from __future__ import annotations

import copy
import math
import re
import sys
from collections.abc import Mapping
from typing import Any, Callable

from .errors import HistoryError
from .utf8 import storable, surrogate_at
from .validation import value_clauses

#: How many valid strings a check remembers: documents repeat theirs (details, roles, labels).
_REMEMBERED = 4096


def _string_check(meta: Mapping[str, Any]) -> Callable[[str], bool]:
    """Whether a string satisfies the model's `min`, `max` and `pattern` and UTF-8 can encode
    it (`string_clauses` finds none): the check valid input takes, without building clauses."""
    shortest, longest = meta.get("min", 0), meta.get("max", math.inf)
    pattern = meta.get("pattern")
    matches = re.compile(pattern).fullmatch if pattern is not None else None
    known: set[str] = set()

    def valid(value: str) -> bool:
        if value in known:
            return True
        if not shortest <= len(value) <= longest or (matches is not None and not matches(value)):
            return False
        if not storable(value):
            return False
        if len(known) < _REMEMBERED:
            known.add(value)
        return True

    return valid


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
    MAX_DEPTH: True only where `contract.validation.value_clauses` finds no clause and `check_depth`
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


#: A clause, with its value or (a sensitive member's) without
_CLAUSE = re.compile(r"Value (?:.* )?at '([^']*)' failed to satisfy constraint: (.*)", re.S)


def clause_error(clause: str, prefix: str) -> HistoryError:
    """The HistoryError of an AWS validation clause, at `prefix` + the clause's member path:
    "Value 'x' at 'tags.key' failed to satisfy constraint: ..." -> `<prefix>tags.key: ...`."""
    found = _CLAUSE.fullmatch(clause)
    if found is None:  # not a clause of that form: keep it whole
        return HistoryError(prefix.rstrip(".") or "$", clause)
    at = re.sub(r"\.(\d+)\.member", lambda m: f"[{int(m[1]) - 1}]", found[1])
    return HistoryError(prefix + at, found[2])


def model_value(value: Any, path: str, wire: str, value_shape: Any) -> Any:
    """Check a value against `value_shape`, the model's shape of the JobRun member `wire`; return
    a copy of it. A problem is the HistoryError of its first clause, at its member's path."""
    if not valid_value(value, value_shape):  # not certainly valid: find the first problem
        check_depth(value, path)
        clauses = value_clauses(value, wire, value_shape)
        if clauses:
            raise clause_error(clauses[0], path.rsplit(".", 1)[0] + ".")
    return copied(value)


def check_text(text: str, path: str) -> None:
    """Raise HistoryError at `path` when UTF-8 cannot encode `text` (free text the model does
    not cover: log contents, an application's name, a fault's message)."""
    found = surrogate_at(text)
    if found is not None:
        raise HistoryError(
            path,
            f"must not contain surrogate code points (U+D800-U+DFFF), which UTF-8 cannot "
            f"encode: {found}",
        )
