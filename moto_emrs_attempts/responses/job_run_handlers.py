"""HTTP handlers: read the request, call the backend by keyword, encode the answer.

Handlers sit in moto's URL table and take moto's `(request, full_url, headers)` arguments,
so the same code answers boto3 under `mock_aws`, `requests` through `responses`, and moto's
server. They encode JSON directly (`responses.job_run_handlers.rendering`) rather than through moto's generic serializer.
"""

from __future__ import annotations

import json
from typing import Any, Callable
from urllib.parse import parse_qsl, unquote, urlsplit

from moto import settings
from moto.core.responses import BaseResponse

from ..contract.accounts import account_for
from ..contract.errors import (
    EmrServerlessError,
    InvalidSignatureException,
    ResourceNotFoundException,
    ValidationException,
)
from ..contract.policies import retry_policy_clauses
from ..contract.service_model import ECHOED, MODEL
from ..contract.validation import body_clauses, fail, validator
from ..engine import cancel_grace
from ..models.backend import AttemptsBackend, attempts_backends
from ..models.faults import FAULTS, SERVED_OPERATIONS
from ..models.guard import served_regions
from .rendering import encode_attempts, job_run_fields, job_run_summary

Response = tuple[int, dict[str, str], str]
JSON_HEADERS = {"Content-Type": "application/json"}


class Headers(dict):  # type: ignore[type-arg]
    """A request's headers by lower-cased name, values decoded to str: moto's rules look them
    up by name, and the case-insensitive mappings the requests carry are slow to miss in."""

    def __init__(self, headers: Any) -> None:
        raw = getattr(headers, "_dict", None)  # botocore's HeadersDict: its items, read directly
        pairs = raw.items() if isinstance(raw, dict) else headers.items()
        super().__init__(
            (str(name).lower(), value.decode("utf-8") if isinstance(value, bytes) else value)
            for name, value in pairs
        )

    @classmethod
    def of(cls, headers: Any) -> Headers:
        return headers if isinstance(headers, Headers) else cls(headers)

    def __contains__(self, name: object) -> bool:
        return super().__contains__(str(name).lower())

    def __getitem__(self, name: str) -> Any:
        return super().__getitem__(name.lower())

    def get(self, name: str, default: Any = None) -> Any:
        return super().get(name.lower(), default)


class _Caller(BaseResponse):
    """moto's own rules for the account and region a request is for."""

    def __init__(self, headers: Any) -> None:  # no super().__init__: only the lookups are used
        self.headers = Headers.of(headers)
        self.querystring: dict[str, list[str]] = {}

    def resolve_account(self) -> str:
        account: str = self.get_current_account()
        attempts_backends[account]  # so that moto's reset forgets the remembered answer too
        return account


_REGION_IN_URL = BaseResponse.region_regex
#: The regions EMR Serverless serves: what moto's BackendDict creates backends for.
_SERVED_REGIONS = served_regions()


def _region(caller: _Caller, full_url: str) -> str:
    in_url = _REGION_IN_URL.search(full_url)  # moto's first rule, without the others' cost
    return in_url.group(1) if in_url else caller.get_region_from_url(caller, full_url)


def check_region(region_name: str) -> None:
    """Raise what AWS answers a request signed for a region EMR Serverless does not serve
    (unless moto is told to allow any region): its signature is checked before anything else.

        >>> check_region("us-east-l")
        Traceback (most recent call last):
        moto_emrs_attempts.contract.errors.InvalidSignatureException: ...
    """
    if region_name not in _SERVED_REGIONS and not settings.allow_unknown_region():
        raise InvalidSignatureException.region(region_name)


def refused_region(full_url: str, headers: Any) -> Response | None:
    """The answer to a request for a region EMR Serverless does not serve, else None (for the
    routes that hand requests to moto's own handlers)."""
    in_url = _REGION_IN_URL.search(full_url)
    region_name = in_url.group(1) if in_url else _region(_Caller(headers), full_url)
    try:
        check_region(region_name)
    except InvalidSignatureException as error:
        return error.triple()
    return None


class Request:
    """What a handler needs from a raw request: caller, path labels and query parameters."""

    __slots__ = (
        "account_id",
        "method",
        "query",
        "query_string",
        "raw",
        "region_name",
        "segments",
    )

    def __init__(self, request: Any, full_url: str, headers: Any) -> None:
        caller = _Caller(headers)
        self.account_id: str = account_for(caller.headers, caller.resolve_account)
        self.region_name: str = _region(caller, full_url)
        self.method: str = request.method
        self.raw = request
        parts = urlsplit(full_url)
        self.segments = [
            unquote(s, errors="replace") if "%" in s else s for s in parts.path.split("/")
        ]
        self.query_string = parts.query
        query: dict[str, str] = {}
        if parts.query:
            for key, value in parse_qsl(parts.query, keep_blank_values=True, errors="replace"):
                query.setdefault(key, value)
        self.query = query

    def values(self, name: str) -> list[str]:
        """Every value of a repeated query parameter, in order."""
        pairs = parse_qsl(self.query_string, keep_blank_values=True, errors="replace")
        return [value for key, value in pairs if key == name]

    def json_body(self) -> Any:
        """The request body parsed as JSON (an empty body is an empty object)."""
        raw = self.raw
        body = raw.body if hasattr(raw, "body") else raw.get_data()  # werkzeug in server mode
        if hasattr(body, "read"):
            body = body.read()
        if not body:
            return {}
        try:
            return json.loads(body)
        except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
            raise ValidationException("The request body is not valid JSON.") from None

    @property
    def backend(self) -> AttemptsBackend:
        # BackendDict creates missing entries under a lock; an existing one is a dict lookup.
        regions = dict.get(attempts_backends, self.account_id)
        backend = dict.get(regions, self.region_name) if regions is not None else None
        if backend is None:
            backend = attempts_backends[self.account_id][self.region_name]
        result: AttemptsBackend = backend
        return result


def answer(body: Any) -> Response:
    """Return a 200 JSON answer (body: a JSON string or something json.dumps takes)."""
    return 200, JSON_HEADERS.copy(), body if isinstance(body, str) else json.dumps(body)


Handler = Callable[[Request], Response]
MotoHandler = Callable[[Any, str, Any], Response]


def serve(operation: str) -> Callable[[Handler], MotoHandler]:
    """Wrap a handler: injected faults first, then AWS errors become their answers."""
    if operation not in SERVED_OPERATIONS:
        raise LookupError(f"add {operation} to SERVED_OPERATIONS, the operations faults replace")

    def decorate(handler: Handler) -> MotoHandler:
        def dispatch(request: Any, full_url: str, headers: Any) -> Response:
            try:
                parsed = Request(request, full_url, headers)
                if parsed.region_name not in _SERVED_REGIONS:  # AWS checks the signature first
                    check_region(parsed.region_name)
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
    return answer(body + "}")


# -- the attempt lifecycle --------------------------------------------------------------

_START_JOB_RUN = validator("StartJobRun")
_GET_JOB_RUN = validator("GetJobRun")
_LIST_JOB_RUNS = validator("ListJobRuns")
_CANCEL_JOB_RUN = validator("CancelJobRun")
_GET_DASHBOARD_FOR_JOB_RUN = validator("GetDashboardForJobRun")
_RETRY_POLICY_MEMBERS = tuple(MODEL.shape_for("RetryPolicy").members)


def _job_run_labels(request: Request) -> dict[str, str]:
    segments = request.segments
    return {"applicationId": segments[2], "jobRunId": segments[4]}


def _start_job_run_body(request: Request) -> dict[str, Any]:
    """The validated StartJobRun body: the model's constraints and the documented bounds."""
    body = request.json_body()
    clauses = body_clauses("StartJobRun", body)
    if isinstance(body, dict):
        clauses += retry_policy_clauses(body.get("retryPolicy"))
    if clauses:
        raise fail(clauses)
    result: dict[str, Any] = body
    return result


@serve("StartJobRun")
def start_job_run(request: Request) -> Response:
    """`POST /applications/{applicationId}/jobruns`."""
    params = _START_JOB_RUN({"applicationId": request.segments[2]}, request.query)
    body = _start_job_run_body(request)
    policy = body.get("retryPolicy")
    history = request.backend.start_job_run(
        application_id=params["applicationId"],
        client_token=body.get("clientToken"),
        execution_role_arn=body["executionRoleArn"],
        job_driver=body.get("jobDriver"),
        configuration_overrides=body.get("configurationOverrides"),
        tags=body.get("tags"),
        execution_timeout_minutes=body.get("executionTimeoutMinutes"),
        name=body.get("name"),
        mode=body.get("mode") or "BATCH",
        retry_policy=None
        if policy is None
        else {k: v for k, v in policy.items() if k in _RETRY_POLICY_MEMBERS and v is not None},
        echo={name: body[name] for name in ECHOED if body.get(name) is not None},
    )
    return answer(
        {
            "applicationId": history.application_id,
            "jobRunId": history.job_run_id,
            "arn": history.arn,
        },
    )


@serve("GetJobRun")
def get_job_run(request: Request) -> Response:
    """`GET /applications/{applicationId}/jobruns/{jobRunId}[?attempt=N]`."""
    params = _GET_JOB_RUN(_job_run_labels(request), request.query)
    history, record, number = request.backend.get_job_run(
        application_id=params["applicationId"],
        job_run_id=params["jobRunId"],
        attempt=params.get("attempt"),
    )
    return answer({"jobRun": job_run_fields(history, record, number)})


@serve("ListJobRuns")
def list_job_runs(request: Request) -> Response:
    """`GET /applications/{applicationId}/jobruns`."""
    params = _LIST_JOB_RUNS(
        {"applicationId": request.segments[2]},
        request.query,
        {"states": request.values("states")},
    )
    page, token = request.backend.list_job_runs(
        application_id=params["applicationId"],
        created_at_after=params.get("createdAtAfter"),
        created_at_before=params.get("createdAtBefore"),
        states=params.get("states"),
        mode=params.get("mode"),
        max_results=params.get("maxResults"),
        next_token=params.get("nextToken"),
    )
    body: dict[str, Any] = {"jobRuns": [job_run_summary(*found) for found in page]}
    if token is not None:
        body["nextToken"] = token
    return answer(body)


@serve("CancelJobRun")
def cancel_job_run(request: Request) -> Response:
    """`DELETE /applications/{applicationId}/jobruns/{jobRunId}`."""
    params = _CANCEL_JOB_RUN(_job_run_labels(request), request.query)
    history = request.backend.cancel_job_run(
        application_id=params["applicationId"],
        job_run_id=params["jobRunId"],
        shutdown_grace_period_in_seconds=params.get(cancel_grace.MEMBER),
    )
    return answer(
        {"applicationId": history.application_id, "jobRunId": history.job_run_id},
    )


@serve("GetDashboardForJobRun")
def get_dashboard_for_job_run(request: Request) -> Response:
    """`GET /applications/{applicationId}/jobruns/{jobRunId}/dashboard[?attempt=N]`."""
    params = _GET_DASHBOARD_FOR_JOB_RUN(_job_run_labels(request), request.query)
    url = request.backend.get_dashboard_for_job_run(
        application_id=params["applicationId"],
        job_run_id=params["jobRunId"],
        attempt=params.get("attempt"),
        access_system_profile_logs=params.get("accessSystemProfileLogs"),
    )
    return answer({"url": url})


# -- routing by method ------------------------------------------------------------------
# moto serves every method of a path through one handler. Every EMR Serverless operation on
# these paths is the plugin's, so another method is answered as an unknown operation.


def unknown_operation(method: str, full_url: str) -> Response:
    """The answer for a method and path no EMR Serverless operation serves."""
    path = urlsplit(full_url).path
    error = ResourceNotFoundException(f"No EMR Serverless operation serves {method} {path}.")
    return error.triple()


def _by_method(name: str, handlers: dict[str, MotoHandler]) -> MotoHandler:
    def route(request: Any, full_url: str, headers: Any) -> Response:
        handler = handlers.get(request.method)
        if handler is None:
            return unknown_operation(request.method, full_url)
        return handler(request, full_url, headers)

    route.__name__ = name
    return route


job_runs = _by_method("job_runs", {"POST": start_job_run, "GET": list_job_runs})
job_run = _by_method("job_run", {"GET": get_job_run, "DELETE": cancel_job_run})
dashboard = _by_method("dashboard", {"GET": get_dashboard_for_job_run})
attempts = _by_method("attempts", {"GET": list_job_run_attempts})
