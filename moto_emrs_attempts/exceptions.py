"""The errors the plugin raises and answers with (moto's `contract.errors.py`).

They live in `contract.errors`, at the bottom of the package, where every layer may import them;
this module names them where a moto contributor looks for them.
"""

from __future__ import annotations

from .contract.errors import (
    EmrServerlessError,
    HistoryError,
    HistoryResourceNotFound,
    InternalServerException,
    InvalidSignatureException,
    ResourceNotFoundException,
    ValidationException,
)

__all__ = [
    "EmrServerlessError",
    "HistoryError",
    "HistoryResourceNotFound",
    "InternalServerException",
    "InvalidSignatureException",
    "ResourceNotFoundException",
    "ValidationException",
]
