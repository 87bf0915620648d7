"""Request validation driven by the botocore model, with AWS's wording.

Each operation's checker is built once from the model's input shape: the wire names of its
URI labels and query parameters, with their lengths, patterns and ranges. A request is checked
as a whole, every violated constraint becomes one clause, and the clauses are counted the way
AWS counts them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Callable

from ._service import MODEL
from .exceptions import ValidationException

_INTEGER = re.compile(r"-?[0-9]+")
_Check = Callable[[str], "tuple[Any, list[str]]"]


def clause(value: object, name: str, constraint: str) -> str:
    """Return one AWS validation clause."""
    return f"Value '{value}' at '{name}' failed to satisfy constraint: {constraint}"


def fail(clauses: list[str]) -> ValidationException:
    """Return the ValidationException that lists and counts `clauses`."""
    count = len(clauses)
    noun = "error" if count == 1 else "errors"
    return ValidationException(f"{count} validation {noun} detected: {'; '.join(clauses)}")


def string_clauses(value: str, name: str, meta: Mapping[str, Any]) -> list[str]:
    """Return the clauses a string violates under the model's `min`, `max` and `pattern`."""
    out = []
    if "min" in meta and len(value) < meta["min"]:
        out.append(
            clause(value, name, f"Member must have length greater than or equal to {meta['min']}")
        )
    if "max" in meta and len(value) > meta["max"]:
        out.append(
            clause(value, name, f"Member must have length less than or equal to {meta['max']}")
        )
    pattern = meta.get("pattern")
    if pattern is not None and not _compiled(pattern).fullmatch(value):
        out.append(
            clause(value, name, f"Member must satisfy regular expression pattern: {pattern}")
        )
    return out


def integer_clauses(value: int, name: str, meta: Mapping[str, Any]) -> list[str]:
    """Return the clauses an integer violates under the model's `min` and `max`."""
    out = []
    if "min" in meta and value < meta["min"]:
        out.append(
            clause(value, name, f"Member must have value greater than or equal to {meta['min']}")
        )
    if "max" in meta and value > meta["max"]:
        out.append(
            clause(value, name, f"Member must have value less than or equal to {meta['max']}")
        )
    return out


_PATTERNS: dict[str, re.Pattern[str]] = {}


def _compiled(pattern: str) -> re.Pattern[str]:
    found = _PATTERNS.get(pattern)
    if found is None:
        found = _PATTERNS[pattern] = re.compile(pattern)
    return found


def _member_check(name: str, shape: Any) -> _Check:
    meta = dict(shape.metadata)
    if shape.type_name in ("integer", "long"):

        def check_int(raw: str) -> tuple[Any, list[str]]:
            if not _INTEGER.fullmatch(raw):
                return None, [clause(raw, name, "Member must be an integer")]
            value = int(raw)
            return value, integer_clauses(value, name, meta)

        return check_int
    if shape.type_name == "boolean":

        def check_bool(raw: str) -> tuple[Any, list[str]]:
            if raw not in ("true", "false"):
                return None, [clause(raw, name, "Member must be a boolean")]
            return raw == "true", []

        return check_bool
    enum = tuple(getattr(shape, "enum", ()) or ())

    def check_str(raw: str) -> tuple[Any, list[str]]:
        found = string_clauses(raw, name, meta)
        if enum and raw not in enum:
            found.append(
                clause(raw, name, f"Member must satisfy enum value set: [{', '.join(enum)}]")
            )
        return raw, found

    return check_str


class RequestValidator:
    """Validates the URI labels and query parameters of one operation."""

    __slots__ = ("labels", "operation", "query")

    def __init__(self, operation: str) -> None:
        self.operation = operation
        members = MODEL.operation_model(operation).input_shape.members
        self.labels: tuple[tuple[str, _Check], ...] = tuple(
            (m.serialization["name"], _member_check(m.serialization["name"], m))
            for m in members.values()
            if m.serialization.get("location") == "uri"
        )
        self.query: tuple[tuple[str, str, _Check], ...] = tuple(
            (m.serialization["name"], key, _member_check(m.serialization["name"], m))
            for key, m in members.items()
            if m.serialization.get("location") == "querystring" and m.type_name != "list"
        )

    def __call__(self, labels: Mapping[str, str], query: Mapping[str, str]) -> dict[str, Any]:
        """Return the parsed parameters, or raise one ValidationException listing every problem."""
        values: dict[str, Any] = {}
        problems: list[str] = []
        for name, check in self.labels:
            value, found = check(labels.get(name, ""))
            values[name] = value
            problems += found
        for wire, key, check in self.query:  # parameters the model lacks are ignored, as AWS does
            raw = query.get(wire)
            if raw is None:
                continue
            value, found = check(raw)
            values[key] = value
            problems += found
        if problems:
            raise fail(problems)
        return values


_VALIDATORS: dict[str, RequestValidator] = {}


def validator(operation: str) -> RequestValidator:
    """Return the (cached) validator of an operation."""
    found = _VALIDATORS.get(operation)
    if found is None:
        found = _VALIDATORS[operation] = RequestValidator(operation)
    return found
