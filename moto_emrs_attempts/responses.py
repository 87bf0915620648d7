"""HTTP handlers: read the request, call the backend by keyword, encode the answer.

Handlers sit in moto's URL table and take moto's `(request, full_url, headers)` arguments,
so the same code answers boto3 under `mock_aws`, `requests` through `responses`, and moto's
server. They encode JSON directly rather than through moto's generic serializer: the fields
an attempt shares with its job run are encoded once per job run.
"""

from __future__ import annotations

import json
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote, urlsplit

from moto.core.responses import BaseResponse

from ._faults import FAULTS
from ._validation import validator
from .exceptions import EmrServerlessError
from .models import AttemptRecord, AttemptsBackend, JobRunHistory, attempts_backends

Response = tuple[int, dict[str, str], str]
JSON_HEADERS = {"Content-Type": "application/json"}


class _Caller(BaseResponse):
    """moto's own rules for the account and region a request is for."""

    def __init__(self, headers: Any) -> None:  # no super().__init__: only the lookups are used
        self.headers = headers
        self.querystring: dict[str, list[str]] = {}


class Request:
    """What a handler needs from a raw request: caller, path labels and query parameters."""

    __slots__ = ("account_id", "method", "query", "region_name", "segments")

    def __init__(self, request: Any, full_url: str, headers: Any) -> None:
        caller = _Caller(headers)
        self.account_id: str = caller.get_current_account()
        self.region_name: str = caller.get_region_from_url(request, full_url)
        self.method: str = request.method
        parts = urlsplit(full_url)
        self.segments = [unquote(s, errors="replace") for s in parts.path.split("/")]
        query: dict[str, str] = {}
        for key, value in parse_qsl(parts.query, keep_blank_values=True, errors="replace"):
            query.setdefault(key, value)
        self.query = query

    @property
    def backend(self) -> AttemptsBackend:
        backend: AttemptsBackend = attempts_backends[self.account_id][self.region_name]
        return backend


def answer(operation: str, request: Request, body: Any) -> Response:
    """Return a 200 JSON answer (body: a JSON string or something json.dumps takes)."""
    return 200, JSON_HEADERS.copy(), body if isinstance(body, str) else json.dumps(body)


Handler = Callable[[Request], Response]
MotoHandler = Callable[[Any, str, Any], Response]


def serve(operation: str) -> Callable[[Handler], MotoHandler]:
    """Wrap a handler: injected faults first, then AWS errors become their answers."""

    def decorate(handler: Handler) -> MotoHandler:
        def dispatch(request: Any, full_url: str, headers: Any) -> Response:
            try:
                parsed = Request(request, full_url, headers)
                if FAULTS.pending:
                    fault = FAULTS.take(operation, parsed.account_id, parsed.region_name)
                    if fault is not None:
                        return fault.triple()
                result: Response = handler(parsed)
                return result
            except EmrServerlessError as error:
                return error.triple()

        dispatch.__name__ = handler.__name__
        dispatch.__doc__ = handler.__doc__
        return dispatch

    return decorate


# -- encoding ---------------------------------------------------------------------------

_STRINGS: dict[str, str] = {}


def _string(value: str) -> str:
    """JSON-encode a string, remembering the encodings of repeated ones."""
    encoded = _STRINGS.get(value)
    if encoded is None:
        encoded = json.dumps(value)
        if len(_STRINGS) < 4096:
            _STRINGS[value] = encoded
    return encoded


def _shared_fields(history: JobRunHistory) -> str:
    """The members every attempt of a job run shares, encoded once per job run."""
    encoded = history.encoded
    if encoded is None:
        shared: dict[str, Any] = {"applicationId": history.application_id, "id": history.job_run_id}
        if history.name is not None:
            shared["name"] = history.name
        shared.update(
            mode=history.mode,
            arn=history.arn,
            createdBy=history.created_by,
            jobCreatedAt=history.created_at,
            executionRole=history.execution_role,
            releaseLabel=history.release_label,
            type=history.job_type,
        )
        encoded = history.encoded = json.dumps(shared, separators=(",", ":"))[:-1] + ","
    return encoded


def encode_attempts(history: JobRunHistory, first: int, page: list[AttemptRecord]) -> str:
    """Encode a page of attempts as a JSON array; `first` is the first attempt's number."""
    shared = _shared_fields(history)
    return (
        "["
        + ",".join(
            f'{shared}"attempt":{number},"createdAt":{a.created_at!r},"updatedAt":{a.updated_at!r},'
            f'"state":"{a.state}","stateDetails":{_string(a.state_details)}}}'
            for number, a in enumerate(page, first)
        )
        + "]"
    )


# -- handlers ---------------------------------------------------------------------------

_LIST_JOB_RUN_ATTEMPTS = validator("ListJobRunAttempts")


@serve("ListJobRunAttempts")
def list_job_run_attempts(request: Request) -> Response:
    """`GET /applications/{applicationId}/jobruns/{jobRunId}/attempts`."""
    segments = request.segments
    params = _LIST_JOB_RUN_ATTEMPTS(
        {"applicationId": segments[2], "jobRunId": segments[4]}, request.query
    )
    history, first, page, token = request.backend.list_job_run_attempts(
        application_id=params["applicationId"],
        job_run_id=params["jobRunId"],
        max_results=params.get("maxResults"),
        next_token=params.get("nextToken"),
    )
    body = '{"jobRunAttempts":' + encode_attempts(history, first, page)
    if token is not None:
        body += ',"nextToken":"' + token + '"'
    return answer("ListJobRunAttempts", request, body + "}")
