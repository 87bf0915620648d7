"""The AWS errors the plugin answers with, one class per error code.

Statuses come from the error shapes of the botocore model where the model has them; the
generic AWS errors that every service can return (throttling, access denied) keep their
documented statuses here.
"""

from __future__ import annotations

import json
import reprlib
from typing import Any

from moto.core.exceptions import JsonRESTError

from .service_model import MODEL, error_status
from .utf8 import printable

#: Errors every AWS service can return although the EMR Serverless model does not list them.
_GENERIC_STATUS = {
    "ThrottlingException": 400,
    "AccessDeniedException": 403,
    "ServiceUnavailableException": 503,
}

#: Every error code `inject_error` accepts, with its HTTP status.
ERROR_STATUS: dict[str, int] = {
    **{e.name: e.metadata["error"]["httpStatusCode"] for e in MODEL.error_shapes},
    **_GENERIC_STATUS,
}
#: Errors AWS answers before a request reaches the service (its signature is checked first):
#: the plugin answers them itself, and `inject_error` does not offer them.
_SIGNATURE_STATUS = {"InvalidSignatureException": 403}


class EmrServerlessError(JsonRESTError):
    """An AWS error answer: `x-amzn-ErrorType` header and a `{"message"}` JSON body."""

    error_code = "InternalServerException"

    def __init__(self, message: str, error_code: str | None = None) -> None:
        code = error_code or self.error_code
        super().__init__(code, message)
        self.code = (
            ERROR_STATUS.get(code) or _SIGNATURE_STATUS.get(code) or error_status(code) or 400
        )
        self.description = json.dumps({"message": message})

    def triple(self) -> tuple[int, dict[str, str], str]:
        """Return the error as moto's `(status, headers, body)` triple."""
        return (
            self.code,
            {"Content-Type": "application/json", "x-amzn-ErrorType": self.error_type},
            self.description,
        )

    def get_headers(self, *args: Any, **kwargs: Any) -> list[tuple[str, str]]:
        return [("x-amzn-ErrorType", self.error_type), ("Content-Type", "application/json")]


class ValidationException(EmrServerlessError):
    error_code = "ValidationException"


class ResourceNotFoundException(EmrServerlessError):
    error_code = "ResourceNotFoundException"

    @classmethod
    def application(cls, application_id: str) -> ResourceNotFoundException:
        return cls(f"Application {application_id} does not exist")

    @classmethod
    def job_run(cls, job_run_id: str) -> ResourceNotFoundException:
        return cls(f"Job run {job_run_id} does not exist")


class InvalidSignatureException(EmrServerlessError):
    error_code = "InvalidSignatureException"

    @classmethod
    def region(cls, region_name: str) -> InvalidSignatureException:
        """A request signed for a region EMR Serverless does not serve, in AWS's words (its
        trailing space included).

        >>> InvalidSignatureException.region("us-east-l").code
        403
        """
        return cls(f"Credential should be scoped to a valid region, not '{region_name}'. ")


class InternalServerException(EmrServerlessError):
    error_code = "InternalServerException"


def injected(code: str, message: str) -> EmrServerlessError:
    """Return the error `inject_error` asked for."""
    return EmrServerlessError(message, code)


class HistoryError(ValueError):
    """An invalid seed or history document; `path` names the first offending member."""

    def __init__(self, path: str, problem: str) -> None:
        path, problem = printable(path), printable(problem)  # a message that can be printed
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


class HistoryResourceNotFound(HistoryError, LookupError):
    """A seed names an application or job run that does not exist."""

    @classmethod
    def application(
        cls, path: str, application_id: str, account_id: str, region_name: str
    ) -> HistoryResourceNotFound:
        """An application missing from an account and region, named with both."""
        return cls(
            path,
            f"application {application_id} does not exist in account {account_id}, "
            f"region {region_name}",
        )


def modeled_status(status: int, headers: Any) -> int:
    """The status the model documents for an error answer's code (moto's own EMR Serverless
    handlers answer some errors, such as a missing application, with 400 instead of 404)."""
    pairs = headers.items() if isinstance(headers, dict) else headers
    for name, value in pairs:
        if name.lower() == "x-amzn-errortype":
            return ERROR_STATUS.get(value, status) if status >= 400 else status
    return status


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 80


def shown(value: Any) -> str:
    """A value as an error message shows it: its repr, shortened (a value nested a thousand
    levels deep, or a megabyte long, still makes a one-line message)."""
    return _REPR.repr(value)
