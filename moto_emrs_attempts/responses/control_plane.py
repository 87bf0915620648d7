"""The plugin's control plane: the `/moto-api/emrs-attempts/*` endpoints.

`_registration` adds `urls.control_paths` (a route per name of `ENDPOINTS`) to moto's moto-api
URL table, so the endpoints are served in-process (through `requests`, under the mock) and by
any moto server in a process that imported the plugin. Seeding and faults go over HTTP:

    curl -X POST http://127.0.0.1:5000/moto-api/emrs-attempts/history \\
         -H 'Content-Type: application/json' \\
         -d '{"version": 1, "jobRuns": [{"attempts": [{"state": "FAILED"}, {"state": "SUCCESS"}]}]}'

| endpoint                             | body or query                                               |
|--------------------------------------|-------------------------------------------------------------|
| POST /moto-api/emrs-attempts/history | a history document, as `load_history` takes it              |
| GET  /moto-api/emrs-attempts/history | ?region=R&account=A: the document `export_history` returns  |
| POST /moto-api/emrs-attempts/attempts | {"applicationId", "jobRunId", "attempts", "region"?, "account"?} |
| POST /moto-api/emrs-attempts/faults  | {"operation", "error", "times", "message", "region"?, "account"?} |
| POST /moto-api/emrs-attempts/scripts | {"outcomes", "applicationId"?, "region"?, "account"?}       |

Every other path and method under `/moto-api/emrs-attempts` answers a JSON `{"message"}` too.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit

from moto.core.models import DEFAULT_ACCOUNT_ID

from ..contract.errors import HistoryError, shown
from ..history import document as history_document
from ..history import seeding
from ..models import guard
from ..models.backend import attempts_backends
from ..models.faults import FAULTS, make

Response = tuple[int, dict[str, str], str]
Handler = Callable[[Any, str, Any], Response]
JSON_HEADERS = {"Content-Type": "application/json"}
PREFIX = "/moto-api/emrs-attempts"
_ACCOUNT = re.compile(r"[0-9]{12}")
_log = logging.getLogger(__name__)


class _BadRequest(Exception):
    """A moto-api request the plugin cannot act on; answered with `status` and the message."""

    def __init__(self, message: str, status: int = 400, headers: Mapping[str, str] = {}):
        super().__init__(message)
        self.status = status
        self.headers = dict(headers)


def _json(status: int, body: Any, headers: Mapping[str, str] = {}) -> Response:
    return status, {**JSON_HEADERS, **headers}, json.dumps(body)


def _body(request: Any) -> bytes | str:
    """The raw body of a request from botocore/`requests` (in-process) or Flask (server)."""
    get_data = getattr(request, "get_data", None)
    if get_data is not None:  # Flask: the raw body, even when it is sent as a form
        data: bytes = get_data()
        return data
    body = getattr(request, "body", None)
    if body is None:
        return b""
    if hasattr(body, "read"):
        body = body.read()
    return body if isinstance(body, (bytes, str)) else str(body)


def _document(request: Any, what: str) -> Any:
    try:
        return json.loads(_body(request) or b"")
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError
        raise _BadRequest(f"Send {what} as a JSON body; this body is not JSON: {error}.") from None
    except RecursionError:
        raise _BadRequest(
            f"Send {what} as JSON nested less deeply; this body nests too deeply."
        ) from None


def _object(request: Any, what: str, keys: tuple[str, ...]) -> dict[str, Any]:
    document = _document(request, what)
    if not isinstance(document, dict):
        raise _BadRequest(f"Send {what} as a JSON object, not {type(document).__name__}.")
    for key in document:
        if key not in keys:
            raise _BadRequest(f"{key}: is not a member of {what}; use {', '.join(keys)}.")
    return document


def _optional_str(document: Mapping[str, Any], key: str) -> str | None:
    value = document.get(key)
    if value is not None and not isinstance(value, str):
        raise _BadRequest(f"{key}: must be a string, not {shown(value)}.")
    return value


def _string(document: Mapping[str, Any], key: str, default: str) -> str:
    value = document.get(key, default)
    if not isinstance(value, str):
        raise _BadRequest(f"{key}: must be a string, not {shown(value)}.")
    return value


def _region_account(document: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The optional `region` and `account` members, checked as the history document's are."""
    region = _optional_str(document, "region")
    account = _optional_str(document, "account")
    if account is not None and not _ACCOUNT.fullmatch(account):
        raise _BadRequest(f"account: must be a 12-digit AWS account id, not {shown(account)}.")
    if region is not None and region not in attempts_backends[account or DEFAULT_ACCOUNT_ID]:
        raise _BadRequest(f"region: {shown(region)} is not a region EMR Serverless serves.")
    return region, account


def _query(full_url: str, names: tuple[str, ...]) -> dict[str, str]:
    """The query parameters of a request: each at most once, and only those named."""
    found: dict[str, str] = {}
    for name, value in parse_qsl(urlsplit(full_url).query, keep_blank_values=True):
        if name not in names:
            raise _BadRequest(f"{name}: is not a query parameter here; use {', '.join(names)}.")
        if name in found:
            raise _BadRequest(f"{name}: give it at most once.")
        found[name] = value
    return found


def _endpoint(path: str, *methods: str) -> Callable[[Callable[[Any, str], Response]], Handler]:
    """Wrap a moto-api handler: only `methods` (POST by default), every problem answered as JSON."""
    allowed = methods or ("POST",)

    def decorate(handler: Callable[[Any, str], Response]) -> Handler:
        def respond(request: Any, full_url: str, headers: Any) -> Response:
            try:
                if request.method not in allowed:
                    raise _BadRequest(
                        f"Use {' or '.join(allowed)} for {PREFIX}/{path}, not {request.method}.",
                        405,
                        {"Allow": ", ".join(allowed)},
                    )
                with guard.serving():  # moto runs no mock here, and needs none
                    return handler(request, full_url)
            except _BadRequest as error:
                return _json(error.status, {"message": str(error)}, error.headers)
            except Exception as error:  # a bug: still JSON, and logged with its traceback
                _log.exception("%s %s failed", request.method, full_url)
                return _json(500, {"message": f"{type(error).__name__}: {error}"})

        respond.__name__ = handler.__name__
        respond.__doc__ = handler.__doc__
        return respond

    return decorate


def _seeded(run: seeding.SeededJobRun) -> dict[str, Any]:
    return {
        "applicationId": run.application_id,
        "jobRunId": run.job_run_id,
        "arn": run.arn,
        "attempts": run.attempts,
    }


@_endpoint("history", "GET", "POST")
def history(request: Any, full_url: str) -> Response:
    """`POST /moto-api/emrs-attempts/history`: seed a history document, like `load_history`;
    `GET /moto-api/emrs-attempts/history?region=R&account=A`: export one, like `export_history`."""
    if request.method == "GET":
        return _export(full_url)
    document = _document(request, "a history document")
    try:
        if isinstance(document, dict):
            runs = history_document.load_history(document)
        else:  # never a str: load_history would take it for a file path
            history_document.plan_history(document)  # rejects it with the Python API's message
            runs = []
    except HistoryError as error:
        return _json(400, {"message": str(error)})
    return _json(200, {"jobRuns": [_seeded(run) for run in runs]})


def _export(full_url: str) -> Response:
    query = _query(full_url, ("region", "account"))
    region, account = _region_account(query)
    document = history_document.export_history(
        region_name=region or "us-east-1", account_id=account or DEFAULT_ACCOUNT_ID
    )
    return _json(200, document)


#: seed_attempts names its arguments in Python; the attempts document names them in JSON.
_ATTEMPTS_PATHS = {"application_id": "applicationId", "job_run_id": "jobRunId"}


def _seed_error(error: HistoryError) -> Response:
    """A seed's error, its path named as the document names it: 404 for a missing application
    or job run (a LookupError in Python; EMR Serverless's operations answer 404 too), else 400."""
    path = _ATTEMPTS_PATHS.get(error.path, error.path)
    status = 404 if isinstance(error, LookupError) else 400
    return _json(status, {"message": str(HistoryError(path, error.problem))})


@_endpoint("attempts")
def attempts(request: Any, full_url: str) -> Response:
    """`POST /moto-api/emrs-attempts/attempts`: append attempts to a job run, like `seed_attempts`."""
    document = _object(
        request,
        "an attempts document",
        ("applicationId", "jobRunId", "attempts", "region", "account"),
    )
    region, account = _region_account(document)
    for key in ("applicationId", "jobRunId", "attempts"):
        if key not in document:
            raise _BadRequest(f"{key}: is required.")
    try:
        run = seeding.seed_attempts(
            document["applicationId"],
            document["jobRunId"],
            document["attempts"],
            region_name=region or "us-east-1",
            account_id=account or DEFAULT_ACCOUNT_ID,
        )
    except HistoryError as error:
        return _seed_error(error)
    return _json(200, _seeded(run))


@_endpoint("faults")
def faults(request: Any, full_url: str) -> Response:
    """`POST /moto-api/emrs-attempts/faults`: inject an error, like `inject_error`."""
    document = _object(
        request, "a fault", ("operation", "error", "times", "message", "region", "account")
    )
    region, account = _region_account(document)
    if "operation" not in document:  # an empty body arming a fault would surprise: say which
        raise _BadRequest(
            "operation: is required; name the operation to fail, such as ListJobRunAttempts."
        )
    operation = _string(document, "operation", "ListJobRunAttempts")
    error = _string(document, "error", "InternalServerException")
    times = document.get("times", 1)
    attempts_backends[account or DEFAULT_ACCOUNT_ID]  # moto's reset then clears the fault too
    try:
        fault = make(operation, error, times, document.get("message"), region, account)
    except HistoryError as problem:
        raise _BadRequest(str(problem)) from None
    FAULTS.extend([fault])
    return _json(
        200, {"operation": operation, "error": error, "times": times, "message": fault.message}
    )


@_endpoint("scripts")
def scripts(request: Any, full_url: str) -> Response:
    """`POST /moto-api/emrs-attempts/scripts`: script the next StartJobRun, like `script_outcomes`."""
    document = _object(request, "a script", ("outcomes", "applicationId", "region", "account"))
    region, account = _region_account(document)
    application_id = _optional_str(document, "applicationId")
    if "outcomes" not in document:
        raise _BadRequest("outcomes: is required.")
    outcomes = document["outcomes"]
    if not isinstance(outcomes, list):
        raise _BadRequest(f"outcomes: must be a list of job run states, not {shown(outcomes)}.")
    try:
        seeding.script(
            outcomes,
            application_id=application_id,
            region_name=region or "us-east-1",
            account_id=account or DEFAULT_ACCOUNT_ID,
        )
    except HistoryError as error:
        return _seed_error(error)
    except (TypeError, ValueError) as problem:
        raise _BadRequest(str(problem)) from None
    return _json(200, {"outcomes": outcomes, "applicationId": application_id})


def unknown(request: Any, full_url: str, headers: Any) -> Response:
    """Any other `/moto-api/emrs-attempts` path: a JSON 404 that lists the endpoints."""
    endpoints = ", ".join(f"{PREFIX}/{name}" for name in ENDPOINTS)
    return _json(404, {"message": f"Unknown plugin endpoint; POST to one of {endpoints}."})


ENDPOINTS: dict[str, Handler] = {
    "history": history,
    "attempts": attempts,
    "faults": faults,
    "scripts": scripts,
}
