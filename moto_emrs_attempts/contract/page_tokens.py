"""The pagination token codec.

Two kinds of token, both signed with a keyed BLAKE2b digest of the account, region,
application (and job run) they were issued for, and both in URL-safe base64 (`[A-Za-z0-9_=-]`):

- a **position** (ListJobRunAttempts): the number of the next attempt to return; a page resumes
  by attempt number in O(1), and attempts are only ever appended;
- a **cursor** (ListJobRuns): the `createdAt` and id of the last job run returned; a page resumes
  just after it in the newest-first order, so runs started or seeded between pages shift nothing.

Decoding is O(1). A token of one kind never decodes as the other (their lengths and the signed
kind byte differ).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
import struct

_KEY = secrets.token_bytes(32)
_DIGEST = 12
_POSITION = struct.Struct(">Q")
_CURSOR = b"C"
_CREATED_AT = struct.Struct(">d")
#: A cursor's payload: the kind byte, createdAt and at least one character of the id.
_MIN_CURSOR = len(_CURSOR) + _CREATED_AT.size + 1


def _sign(scope: str, position: int) -> bytes:
    message = _POSITION.pack(position) + scope.encode()
    return hashlib.blake2b(message, key=_KEY, digest_size=_DIGEST).digest()


def _sign_cursor(scope: str, payload: bytes) -> bytes:
    message = payload + b"\0" + scope.encode()
    return hashlib.blake2b(message, key=_KEY, digest_size=_DIGEST).digest()


def _raw(token: str) -> bytes | None:
    """The bytes of a token, or None unless it is the one spelling we issue."""
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    # base64 ignores the unused bits of the last character: accept only the one spelling we issue.
    if base64.urlsafe_b64encode(raw).decode("ascii") != token:
        return None
    return raw


def encode(scope: str, position: int) -> str:
    """Return the token that resumes `scope` (an opaque resource key) at `position`."""
    raw = _POSITION.pack(position) + _sign(scope, position)
    return base64.urlsafe_b64encode(raw).decode("ascii")


def decode(scope: str, token: str) -> int | None:
    """Return the position a token resumes at, or None if it was not issued for `scope`."""
    raw = _raw(token)
    if raw is None or len(raw) != _POSITION.size + _DIGEST:
        return None
    (position,) = _POSITION.unpack_from(raw)
    if not hmac.compare_digest(raw[_POSITION.size :], _sign(scope, position)):
        return None
    return int(position)


def encode_cursor(scope: str, created_at: float, job_run_id: str) -> str:
    """Return the token that resumes `scope` just after the job run (`created_at`, `job_run_id`).

    >>> decode_cursor("s", encode_cursor("s", 1767225600.5, "00run0001"))
    (1767225600.5, '00run0001')
    """
    payload = _CURSOR + _CREATED_AT.pack(created_at) + job_run_id.encode("ascii")
    raw = payload + _sign_cursor(scope, payload)
    return base64.urlsafe_b64encode(raw).decode("ascii")


def decode_cursor(scope: str, token: str) -> tuple[float, str] | None:
    """Return the (createdAt, id) a token resumes after, or None if it was not issued for
    `scope`."""
    raw = _raw(token)
    if raw is None or len(raw) < _MIN_CURSOR + _DIGEST or not raw.startswith(_CURSOR):
        return None
    payload, digest = raw[:-_DIGEST], raw[-_DIGEST:]
    if not hmac.compare_digest(digest, _sign_cursor(scope, payload)):
        return None
    (created_at,) = _CREATED_AT.unpack_from(payload, len(_CURSOR))
    return float(created_at), payload[len(_CURSOR) + _CREATED_AT.size :].decode("ascii")
