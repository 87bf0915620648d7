"""A response conformance checker driven by the botocore service model.

`problems(operation, body)` walks the operation's output shape and lists every way a decoded
JSON body departs from it: missing required members, unknown members, wrong JSON types, string
lengths, patterns and enums, integer ranges and list lengths. `error_problems(...)` checks an
error answer: an `x-amzn-ErrorType` header and a `{"message": "..."}` JSON body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from moto_emrs_attempts.contract.service_model import MODEL

_PATTERNS: dict[str, re.Pattern[str]] = {}


def _pattern(pattern: str) -> re.Pattern[str]:
    found = _PATTERNS.get(pattern)
    if found is None:
        found = _PATTERNS[pattern] = re.compile(pattern)
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_iso(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _length_problems(path: str, size: int, meta: Mapping[str, Any], what: str) -> list[str]:
    out = []
    if "min" in meta and size < meta["min"]:
        out.append(f"{path}: {what} {size} is less than the minimum {meta['min']}")
    if "max" in meta and size > meta["max"]:
        out.append(f"{path}: {what} {size} is more than the maximum {meta['max']}")
    return out


def _walk(shape: Any, value: Any, path: str) -> list[str]:
    kind = shape.type_name
    meta = shape.metadata
    if kind == "structure":
        if not isinstance(value, dict):
            return [f"{path}: expected an object ({shape.name}), got {value!r}"]
        out = [
            f"{path}.{name}: required member is missing"
            for name in shape.required_members
            if name not in value
        ]
        for key, item in value.items():
            member = shape.members.get(key)
            if member is None:
                out.append(f"{path}.{key}: unknown member of {shape.name}")
            else:
                out += _walk(member, item, f"{path}.{key}")
        return out
    if kind == "list":
        if not isinstance(value, list):
            return [f"{path}: expected a list ({shape.name}), got {value!r}"]
        out = _length_problems(path, len(value), meta, "list length")
        for index, item in enumerate(value):
            out += _walk(shape.member, item, f"{path}[{index}]")
        return out
    if kind == "map":
        if not isinstance(value, dict):
            return [f"{path}: expected an object ({shape.name}), got {value!r}"]
        out = _length_problems(path, len(value), meta, "map size")
        for key, item in value.items():
            out += _walk(shape.key, key, f"{path}<key {key!r}>")
            out += _walk(shape.value, item, f"{path}[{key!r}]")
        return out
    if kind == "string":
        if not isinstance(value, str):
            return [f"{path}: expected a string ({shape.name}), got {value!r}"]
        out = _length_problems(path, len(value), meta, "length")
        pattern = meta.get("pattern")
        if pattern is not None and not _pattern(pattern).fullmatch(value):
            out.append(f"{path}: {value!r} does not match the pattern {pattern}")
        enum = shape.enum
        if enum and value not in enum:
            out.append(f"{path}: {value!r} is not one of {', '.join(enum)}")
        return out
    if kind in ("integer", "long"):
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"{path}: expected an integer ({shape.name}), got {value!r}"]
        out = []
        if "min" in meta and value < meta["min"]:
            out.append(f"{path}: {value} is less than the minimum {meta['min']}")
        if "max" in meta and value > meta["max"]:
            out.append(f"{path}: {value} is more than the maximum {meta['max']}")
        return out
    if kind in ("float", "double"):
        return [] if _is_number(value) else [f"{path}: expected a number, got {value!r}"]
    if kind == "boolean":
        return [] if isinstance(value, bool) else [f"{path}: expected a boolean, got {value!r}"]
    if kind == "timestamp":
        if _is_number(value) or (isinstance(value, str) and _is_iso(value)):
            return []
        return [f"{path}: expected a timestamp (epoch number or ISO 8601), got {value!r}"]
    if kind == "blob":
        return (
            [] if isinstance(value, str) else [f"{path}: expected a base64 string, got {value!r}"]
        )
    return [f"{path}: the checker does not know shape type {kind!r}"]


def problems(operation_name: str, body: Any) -> list[str]:
    """Return every way `body` departs from the output shape of `operation_name`."""
    output = MODEL.operation_model(operation_name).output_shape
    if output is None:
        return [] if body in ({}, None) else [f"$: {operation_name} has no output, got {body!r}"]
    # Members bound to headers or the status code do not travel in the JSON body.
    body_members = {
        name
        for name, member in output.members.items()
        if member.serialization.get("location") in (None, "body")
    }
    payload = output.serialization.get("payload")
    if payload is not None:
        return _walk(output.members[payload], body, "$")
    if not isinstance(body, dict):
        return [f"$: expected an object ({output.name}), got {body!r}"]
    out = [
        f"$.{name}: required member is missing"
        for name in output.required_members
        if name in body_members and name not in body
    ]
    for key, item in body.items():
        if key not in body_members:
            out.append(f"$.{key}: unknown member of {output.name}")
        else:
            out += _walk(output.members[key], item, f"$.{key}")
    return out


def assert_conforms(operation_name: str, body: Any) -> None:
    """Fail with every problem if `body` does not conform to the operation's output shape."""
    found = problems(operation_name, body)
    assert not found, f"{operation_name} answer does not conform:\n" + "\n".join(found)


def error_problems(status: int, headers: Mapping[str, str], body: Any) -> list[str]:
    """Return every way an error answer departs from the AWS JSON error contract.

    `body` is the raw body (str or bytes) or its decoded JSON.
    """
    out = []
    if status < 400:
        out.append(f"status: an error answers 4xx or 5xx, not {status}")
    error_type = next(
        (value for key, value in headers.items() if key.lower() == "x-amzn-errortype"), None
    )
    if not error_type:
        out.append("headers: the x-amzn-ErrorType header is missing")
    if isinstance(body, (str, bytes)):
        try:
            body = json.loads(body)
        except ValueError:
            return [*out, f"body: not JSON: {body!r}"]
    if not isinstance(body, dict):
        out.append(f"body: expected a JSON object, got {body!r}")
    elif not isinstance(body.get("message"), str):
        out.append(f"body: expected a string 'message', got {body!r}")
    return out


def assert_error_conforms(status: int, headers: Mapping[str, str], body: Any) -> None:
    """Fail with every problem if an error answer does not follow the AWS JSON error contract."""
    found = error_problems(status, headers, body)
    assert not found, "error answer does not conform:\n" + "\n".join(found)
