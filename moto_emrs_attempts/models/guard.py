"""Loud mistakes: what every public function checks before it touches moto's state.

- A moto mock must be active. Outside one, seeded state would land in moto's global backends
  and vanish at the next mock's reset, and a fault or script would never fire where the user
  expects. The server process (`serve_process()`) and the `/moto-api/emrs-attempts/*`
  endpoints (`with serving():`) run moto without a mock, and are let through.
- The account is 12 digits and EMR Serverless serves the region, with the same words in every
  function: `region_name: 'us-east-l' is not a region EMR Serverless serves`.
"""

from __future__ import annotations

import contextvars
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

import botocore.session
from moto.core.models import MockAWS

from ..contract.errors import HistoryError, shown
from ..contract.service_model import SERVICE_NAME

_ACCOUNT = re.compile(r"[0-9]{12}")
#: True while a plugin endpoint handles a request (per thread and task, so it never leaks).
_serving: contextvars.ContextVar[bool] = contextvars.ContextVar("emrs_serving", default=False)
#: True in a process that runs the plugin's server: every call there is the server's own.
_process_serves = False

MOCK_HINT = (
    "use `with mock_emrs_attempts():`, decorate the test with `@mock_aws`, "
    "or take the `emrs_attempts` fixture"
)


@contextmanager
def serving() -> Iterator[None]:
    """Let the public functions run without a mock: a plugin endpoint is handling a request."""
    token = _serving.set(True)
    try:
        yield
    finally:
        _serving.reset(token)


def serve_process() -> None:
    """Mark this process as the plugin's server, where moto runs without a mock."""
    global _process_serves
    _process_serves = True


def _mocks_in(kind: type[MockAWS]) -> int:
    # moto counts the active mocks of each mock class on that class itself
    count: int = kind.__dict__.get("_nested_count", 0)
    return count


def require_mock(function: str) -> None:
    """Raise RuntimeError, saying what to do, when no in-process moto mock is active."""
    if _process_serves or _serving.get() or _mocks_in(MockAWS) > 0:
        return
    remote = [kind for kind in MockAWS.__subclasses__() if _mocks_in(kind) > 0]
    if remote:  # TEST_SERVER_MODE or proxy mode: the state lives in another process
        raise RuntimeError(
            f"Seed the moto server over HTTP: moto runs in {remote[0].__name__} mode, so "
            f"{function}() would change this process, not the server; POST to the server's "
            f"/moto-api/emrs-attempts endpoints instead."
        )
    raise RuntimeError(
        f"Start a moto mock before calling {function}(): {MOCK_HINT}. "
        f"Without one, its state would vanish at the next mock's reset."
    )


@cache
def served_regions() -> frozenset[str]:
    """The regions EMR Serverless serves, in every partition (moto's own list)."""
    session = botocore.session.get_session()
    return frozenset(
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions(SERVICE_NAME, partition_name=partition)
    )


def check_account(account_id: object, path: str = "account_id") -> str:
    """Return the account id, or raise HistoryError unless it is 12 digits."""
    if not isinstance(account_id, str) or not _ACCOUNT.fullmatch(account_id):
        raise HistoryError(path, f"must be a 12-digit AWS account id, not {shown(account_id)}")
    return account_id


def check_region(region_name: object, path: str = "region_name") -> str:
    """Return the region, or raise HistoryError unless EMR Serverless serves it."""
    if not isinstance(region_name, str) or region_name not in served_regions():
        raise HistoryError(path, f"{shown(region_name)} is not a region EMR Serverless serves")
    return region_name
