"""Request validation driven by the botocore model, with AWS's wording.

Each operation's checker is built once from the model's input shape: the wire names of its
URI labels and query parameters, with their lengths, patterns and ranges. A request is checked
as a whole, every violated constraint becomes one clause, and the clauses are counted the way
AWS counts them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Callable

from botocore.utils import parse_timestamp

from .errors import ValidationException
from .service_model import MODEL
from .utf8 import CONSTRAINT as UNSTORABLE
from .utf8 import printable, storable

_INTEGER = re.compile(r"-?[0-9]+")
_Check = Callable[[str], "tuple[Any, list[str]]"]


def clause(value: object, name: str, constraint: str) -> str:
    """Return one AWS validation clause."""
    return f"Value '{value}' at '{name}' failed to satisfy constraint: {constraint}"


def fail(clauses: list[str]) -> ValidationException:
    """Return the ValidationException that lists and counts `clauses` (surrogates they quote
    written as escapes, so that the message can be printed)."""
    count = len(clauses)
    noun = "error" if count == 1 else "errors"
    return ValidationException(
        printable(f"{count} validation {noun} detected: {'; '.join(clauses)}")
    )


def string_clauses(value: str, name: str, meta: Mapping[str, Any]) -> list[str]:
    """Return the clauses a string violates under the model's `min`, `max` and `pattern`, and
    the one of text UTF-8 cannot encode (no log or state file could keep it)."""
    out = _length_clauses(value, value, name, meta)
    pattern = meta.get("pattern")
    if pattern is not None and not _compiled(pattern).fullmatch(value):
        out.append(
            clause(value, name, f"Member must satisfy regular expression pattern: {pattern}")
        )
    elif not storable(value):  # a pattern that refuses the value says so already
        out.append(clause(value, name, UNSTORABLE))
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
    if shape.type_name == "timestamp":

        def check_time(raw: str) -> tuple[Any, list[str]]:
            try:
                return parse_timestamp(raw).timestamp(), []
            except (ValueError, TypeError, OverflowError, OSError, RuntimeError):
                # botocore raises RuntimeError for epoch values no platform can represent
                return None, [clause(raw, name, "Member must be a timestamp")]

        return check_time
    enum = tuple(getattr(shape, "enum", ()) or ())
    shortest, longest = meta.get("min", 0), meta.get("max", float("inf"))
    valid = _compiled(meta.get("pattern", "(?s:.*)")).fullmatch

    def check_str(raw: str) -> tuple[Any, list[str]]:
        if (
            shortest <= len(raw) <= longest
            and valid(raw)
            and (not enum or raw in enum)
            and storable(raw)
        ):
            return raw, []  # the common case, without building clauses
        found = string_clauses(raw, name, meta)
        if enum and raw not in enum:
            found.append(
                clause(raw, name, f"Member must satisfy enum value set: [{', '.join(enum)}]")
            )
        return raw, found

    return check_str


#: Constraints of query parameters that AWS's guides document and the model lacks, by operation
#: and member: each returns the clauses a parsed value violates (`engine.cancel_grace` registers one).
DOCUMENTED: dict[str, dict[str, Callable[[Any], list[str]]]] = {}


class RequestValidator:
    """Validates the URI labels and query parameters of one operation."""

    __slots__ = ("labels", "lists", "operation", "query")

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
        self.lists: tuple[tuple[str, str, _Check, dict[str, Any]], ...] = tuple(
            (
                m.serialization["name"],
                key,
                _member_check(m.serialization["name"], m.member),
                dict(m.metadata),
            )
            for key, m in members.items()
            if m.serialization.get("location") == "querystring" and m.type_name == "list"
        )

    def __call__(
        self,
        labels: Mapping[str, str],
        query: Mapping[str, str],
        lists: Mapping[str, Sequence[str]] | None = None,
    ) -> dict[str, Any]:
        """Return the parsed parameters, or raise one ValidationException listing every problem.

        `lists` holds every value of the repeated (list) query parameters, by wire name.
        """
        values: dict[str, Any] = {}
        problems: list[str] = []
        for name, check in self.labels:
            value, found = check(labels.get(name, ""))
            values[name] = value
            problems += found
        documented = DOCUMENTED.get(self.operation)
        for wire, key, check in self.query:  # parameters the model lacks are ignored, as AWS does
            raw = query.get(wire)
            if raw is None:
                continue
            value, found = check(raw)
            values[key] = value
            if not found and documented is not None and key in documented:
                found = documented[key](value)
            problems += found
        for wire, key, check, meta in self.lists if lists else ():
            raws = lists.get(wire) if lists else None
            if not raws:
                continue
            shown = f"[{', '.join(raws)}]"
            if "max" in meta and len(raws) > meta["max"]:
                problems.append(
                    clause(
                        shown, wire, f"Member must have length less than or equal to {meta['max']}"
                    )
                )
            items = []
            for raw in raws:
                value, found = check(raw)
                items.append(value)
                problems += found
            values[key] = items
        if problems:
            raise fail(problems)
        return values


def value_clauses(value: Any, name: str, shape: Any) -> list[str]:
    """Return the clauses a JSON request-body value violates under a model shape, recursively.

    Members AWS marks sensitive are named without their value, as AWS does. Unknown members
    are ignored, as AWS's JSON protocol does.
    """
    kind = shape.type_name
    meta = shape.metadata
    shown = "***" if meta.get("sensitive") else value
    if kind == "structure":
        if not isinstance(value, dict):
            return [clause(shown, name, "Member must be a structure")]
        out: list[str] = []
        present = [k for k, v in value.items() if k in shape.members and v is not None]
        for member in shape.required_members:
            if value.get(member) is None:
                out.append(
                    f"Value null at '{name}.{member}' failed to satisfy constraint: "
                    "Member must not be null"
                )
        if meta.get("union") and len(present) != 1:
            out.append(clause(shown, name, "Member must have exactly one of its members set"))
        for key in present:
            out += value_clauses(value[key], f"{name}.{key}", shape.members[key])
        return out
    if kind == "list":
        if not isinstance(value, list):
            return [clause(shown, name, "Member must be a list")]
        out = _length_clauses(value, shown, name, meta)
        for index, item in enumerate(value, 1):
            out += value_clauses(item, f"{name}.{index}.member", shape.member)
        return out
    if kind == "map":
        if not isinstance(value, dict):
            return [clause(shown, name, "Member must be a map")]
        out = _length_clauses(value, shown, name, meta)
        for key, item in value.items():
            out += value_clauses(key, f"{name}.key", shape.key)
            out += value_clauses(item, f"{name}.{key}", shape.value)
        return out
    if kind == "string":
        if not isinstance(value, str):
            return [clause(shown, name, "Member must be a string")]
        if meta.get("sensitive"):
            return [
                c.replace(f"Value '{value}' at", "Value at", 1)
                for c in string_clauses(value, name, meta)
            ]
        out = string_clauses(value, name, meta)
        enum = tuple(getattr(shape, "enum", ()) or ())
        if enum and value not in enum:
            out.append(
                clause(value, name, f"Member must satisfy enum value set: [{', '.join(enum)}]")
            )
        return out
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            return [clause(shown, name, "Member must be an integer")]
        return integer_clauses(value, name, meta)
    if kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return [clause(shown, name, "Member must be a number")]
        return []
    if kind == "boolean":
        return [] if isinstance(value, bool) else [clause(shown, name, "Member must be a boolean")]
    if kind == "timestamp":
        ok = isinstance(value, (int, float, str)) and not isinstance(value, bool)
        return [] if ok else [clause(shown, name, "Member must be a timestamp")]
    return []


def _length_clauses(value: Any, shown: Any, name: str, meta: Mapping[str, Any]) -> list[str]:
    out = []
    if "min" in meta and len(value) < meta["min"]:
        out.append(
            clause(shown, name, f"Member must have length greater than or equal to {meta['min']}")
        )
    if "max" in meta and len(value) > meta["max"]:
        out.append(
            clause(shown, name, f"Member must have length less than or equal to {meta['max']}")
        )
    return out


def body_clauses(operation: str, body: Any) -> list[str]:
    """Return the clauses an operation's JSON request body violates under the model (a body
    nested too deeply to check is a ValidationException of its own)."""
    try:
        return _body_clauses(operation, body)
    except RecursionError:
        raise ValidationException("The request body is nested too deeply.") from None


def _body_clauses(operation: str, body: Any) -> list[str]:
    shape = MODEL.operation_model(operation).input_shape
    if not isinstance(body, dict):
        return [clause(body, "body", "Member must be a JSON object")]
    out: list[str] = []
    for key, member in shape.members.items():
        if member.serialization.get("location"):
            continue  # URI labels, query parameters and headers are checked by RequestValidator
        value = body.get(key)
        if value is None:
            if key in shape.required_members:
                out.append(
                    f"Value null at '{key}' failed to satisfy constraint: Member must not be null"
                )
            continue
        out += value_clauses(value, key, member)
    return out


_VALIDATORS: dict[str, RequestValidator] = {}


def validator(operation: str) -> RequestValidator:
    """Return the (cached) validator of an operation."""
    found = _VALIDATORS.get(operation)
    if found is None:
        found = _VALIDATORS[operation] = RequestValidator(operation)
    return found
