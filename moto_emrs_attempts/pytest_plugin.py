"""The pytest fixtures, registered through the `pytest11` entry point."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from types_boto3_emr_serverless import (  # type: ignore[import-not-found, unused-ignore]
        EMRServerlessClient,
    )

    from ._mock import EmrsAttempts


@pytest.fixture
def emrs_attempts() -> Iterator[EmrsAttempts]:
    """An active mock with the attempts plugin; its state is gone after the test."""
    from . import mock_emrs_attempts

    mock = mock_emrs_attempts()
    handle = mock.start()
    try:
        yield handle
    finally:
        mock.stop()


@pytest.fixture
def emrs_client(emrs_attempts: EmrsAttempts) -> EMRServerlessClient:
    """A boto3 `emr-serverless` client in us-east-1, answered by the `emrs_attempts` mock."""
    return emrs_attempts.client()
