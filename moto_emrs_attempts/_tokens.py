"""The pagination token codec.

A token carries the number of the next attempt to return, signed with a keyed BLAKE2b digest
of the account, region, application and job run it was issued for. Decoding is O(1), a page
resumes by attempt number, and the alphabet is URL-safe base64: `[A-Za-z0-9_=-]`.
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


def _sign(scope: str, position: int) -> bytes:
    message = _POSITION.pack(position) + scope.encode()
    return hashlib.blake2b(message, key=_KEY, digest_size=_DIGEST).digest()


def encode(scope: str, position: int) -> str:
    """Return the token that resumes `scope` (an opaque resource key) at `position`."""
    raw = _POSITION.pack(position) + _sign(scope, position)
    return base64.urlsafe_b64encode(raw).decode("ascii")


def decode(scope: str, token: str) -> int | None:
    """Return the position a token resumes at, or None if it was not issued for `scope`."""
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return None
    if len(raw) != _POSITION.size + _DIGEST:
        return None
    # base64 ignores the unused bits of the last character: accept only the one spelling we issue.
    if base64.urlsafe_b64encode(raw).decode("ascii") != token:
        return None
    (position,) = _POSITION.unpack_from(raw)
    if not hmac.compare_digest(raw[_POSITION.size :], _sign(scope, position)):
        return None
    return int(position)
