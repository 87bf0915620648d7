"""Which account a request is for, by moto's rules, remembered per caller.

moto decides it from `MOTO_ACCOUNT_ID`, the `x-moto-account-id` header, or the access key in
the signature (looked up in moto's IAM). Running moto's rules costs more than the rest of a
ListJobRunAttempts answer, and for one caller they give the same account until moto resets, so
the answer is kept per (variable, header, access key) and dropped with moto's reset.
"""

from __future__ import annotations

import os
from typing import Any, Callable, Optional

_Key = tuple[Optional[str], Optional[str], Optional[str]]
_known: dict[_Key, str] = {}
_LIMIT = 1024


def _credential(authorization: str | None) -> str | None:
    if authorization is None:
        return None
    start = authorization.find("Credential=")
    if start < 0:
        return authorization
    return authorization[start + 11 : authorization.find("/", start)]


def account_for(headers: Any, resolve: Callable[[], str]) -> str:
    """Return the account of a request with these (lower-cased) headers; `resolve` runs moto's rules."""
    key = (
        os.environ.get("MOTO_ACCOUNT_ID"),
        headers.get("x-moto-account-id"),
        _credential(headers.get("authorization")),
    )
    account = _known.get(key)
    if account is None:
        account = resolve()
        if len(_known) < _LIMIT:
            _known[key] = account
    return account


def forget() -> None:
    """Drop what was remembered: moto's reset may have changed the IAM access keys."""
    _known.clear()
