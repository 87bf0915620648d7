"""moto's server with the attempts plugin, and the plugin's moto-api endpoints.

`moto-emrs-attempts-server [--host 127.0.0.1] [--port 5000]` (or `python -m moto_emrs_attempts`)
runs moto's own threaded werkzeug server: every moto service answers on the same port, and EMR
Serverless answers with the plugin's operations. Seeding and faults go over HTTP:

    curl -X POST http://127.0.0.1:5000/moto-api/emrs-attempts/history \\
         -H 'Content-Type: application/json' \\
         -d '{"version": 1, "jobRuns": [{"attempts": [{"state": "FAILED"}, {"state": "SUCCESS"}]}]}'

| endpoint (POST)                  | body                                                        |
|----------------------------------|-------------------------------------------------------------|
| /moto-api/emrs-attempts/history  | a history document, as `load_history` takes it              |
| /moto-api/emrs-attempts/attempts | {"applicationId", "jobRunId", "attempts", "region"?, "account"?} |
| /moto-api/emrs-attempts/faults   | {"operation", "error", "times", "message", "region"?, "account"?} |
| /moto-api/emrs-attempts/scripts  | {"outcomes", "applicationId"?, "region"?, "account"?}       |

moto's own `POST /moto-api/reset` clears the plugin's state, faults and scripts with the rest.
The endpoint handlers are registered in moto's moto-api URL table on import (see
`_registration`), so any moto server in a process that imported the plugin serves them.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable

from moto.core.models import DEFAULT_ACCOUNT_ID

from . import history as history_document
from . import seeding
from ._mock import inject_error, script_outcomes
from .exceptions import HistoryError, modeled_status
from .models import attempts_backends

if TYPE_CHECKING:
    from types import FrameType

Response = tuple[int, dict[str, str], str]
JSON_HEADERS = {"Content-Type": "application/json"}
PREFIX = "/moto-api/emrs-attempts"
_ACCOUNT = re.compile(r"[0-9]{12}")
_log = logging.getLogger(__name__)


# -- the moto-api endpoints -------------------------------------------------------------


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
        raise _BadRequest(f"{key}: must be a string, not {value!r}.")
    return value


def _string(document: Mapping[str, Any], key: str, default: str) -> str:
    value = document.get(key, default)
    if not isinstance(value, str):
        raise _BadRequest(f"{key}: must be a string, not {value!r}.")
    return value


def _region_account(document: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """The optional `region` and `account` members, checked as the history document's are."""
    region = _optional_str(document, "region")
    account = _optional_str(document, "account")
    if account is not None and not _ACCOUNT.fullmatch(account):
        raise _BadRequest(f"account: must be a 12-digit AWS account id, not {account!r}.")
    if region is not None and region not in attempts_backends[account or DEFAULT_ACCOUNT_ID]:
        raise _BadRequest(f"region: {region!r} is not a region EMR Serverless serves.")
    return region, account


def _endpoint(
    path: str,
) -> Callable[[Callable[[Any], Response]], Callable[[Any, str, Any], Response]]:
    """Wrap a moto-api handler: POST only, and every problem answered as JSON."""

    def decorate(handler: Callable[[Any], Response]) -> Callable[[Any, str, Any], Response]:
        def respond(request: Any, full_url: str, headers: Any) -> Response:
            try:
                if request.method != "POST":
                    raise _BadRequest(
                        f"Use POST for {PREFIX}/{path}, not {request.method}.",
                        405,
                        {"Allow": "POST"},
                    )
                return handler(request)
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


@_endpoint("history")
def history(request: Any) -> Response:
    """`POST /moto-api/emrs-attempts/history`: seed a history document, like `load_history`."""
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


#: seed_attempts names its arguments in Python; the attempts document names them in JSON.
_ATTEMPTS_PATHS = {"application_id": "applicationId", "job_run_id": "jobRunId"}


@_endpoint("attempts")
def attempts(request: Any) -> Response:
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
        path = _ATTEMPTS_PATHS.get(error.path, error.path)
        return _json(400, {"message": str(HistoryError(path, error.problem))})
    return _json(200, _seeded(run))


@_endpoint("faults")
def faults(request: Any) -> Response:
    """`POST /moto-api/emrs-attempts/faults`: inject an error, like `inject_error`."""
    document = _object(
        request, "a fault", ("operation", "error", "times", "message", "region", "account")
    )
    region, account = _region_account(document)
    operation = _string(document, "operation", "ListJobRunAttempts")
    error = _string(document, "error", "InternalServerException")
    times = document.get("times", 1)
    try:
        inject_error(
            operation,
            error,
            times=times,
            message=document.get("message"),
            region_name=region,
            account_id=account,
        )
    except (TypeError, ValueError) as problem:
        raise _BadRequest(str(problem)) from None
    return _json(200, {"operation": operation, "error": error, "times": times})


@_endpoint("scripts")
def scripts(request: Any) -> Response:
    """`POST /moto-api/emrs-attempts/scripts`: script the next StartJobRun, like `script_outcomes`."""
    document = _object(request, "a script", ("outcomes", "applicationId", "region", "account"))
    region, account = _region_account(document)
    application_id = _optional_str(document, "applicationId")
    if "outcomes" not in document:
        raise _BadRequest("outcomes: is required.")
    outcomes = document["outcomes"]
    if not isinstance(outcomes, list):
        raise _BadRequest(f"outcomes: must be a list of job run states, not {outcomes!r}.")
    try:
        script_outcomes(
            outcomes,
            application_id=application_id,
            region_name=region or "us-east-1",
            account_id=account or DEFAULT_ACCOUNT_ID,
        )
    except (TypeError, ValueError) as problem:
        raise _BadRequest(str(problem)) from None
    return _json(200, {"outcomes": outcomes, "applicationId": application_id})


def unknown(request: Any, full_url: str, headers: Any) -> Response:
    """Any other `/moto-api/emrs-attempts` path: a JSON 404 that lists the endpoints."""
    endpoints = ", ".join(f"{PREFIX}/{name}" for name in ENDPOINTS)
    return _json(404, {"message": f"Unknown plugin endpoint; POST to one of {endpoints}."})


ENDPOINTS: dict[str, Callable[[Any, str, Any], Response]] = {
    "history": history,
    "attempts": attempts,
    "faults": faults,
    "scripts": scripts,
}

#: The routes `_registration.register()` adds to moto's moto-api URL table.
url_paths: dict[str, Callable[[Any, str, Any], Response]] = {
    **{f"{{0}}{PREFIX}/{name}$": handler for name, handler in ENDPOINTS.items()},
    f"{{0}}{PREFIX}(?P<rest>.*)$": unknown,
}


# -- the server -------------------------------------------------------------------------

#: moto's name of the EMR Serverless backend, and so of its Flask app in the server.
SERVICE = "emrserverless"
_RESET = "/moto-api/reset"
#: How long moto's reset waits for the requests in flight to finish.
RESET_WAIT_SECONDS = 10.0


class _ResetLock:
    """Lets moto's reset run while no request is in flight, so none sees a half-reset backend.

    Requests wait only while a reset runs, never for a pending one: a request that makes a
    nested request to the same server (moto's Lambda containers do) cannot deadlock. A reset
    waits at most `RESET_WAIT_SECONDS` for a quiet moment, then runs anyway, as moto's does.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._active = 0
        self._resetting = False

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._condition:
            while self._resetting:
                self._condition.wait()
            self._active += 1
        try:
            yield
        finally:
            with self._condition:
                self._active -= 1
                self._condition.notify_all()

    @contextmanager
    def exclusive(self) -> Iterator[None]:
        with self._condition:
            deadline = time.monotonic() + RESET_WAIT_SECONDS
            while self._resetting or self._active:
                remaining = deadline - time.monotonic()
                if remaining <= 0 and not self._resetting:
                    break
                self._condition.wait(max(remaining, 0.05))
            self._resetting = True
        try:
            yield
        finally:
            with self._condition:
                self._resetting = False
                self._condition.notify_all()


def _raw_path(environ: dict[str, Any]) -> str | None:
    """The request's path as the client sent it, still percent-encoded, if the server kept it."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not isinstance(raw, str):
        return None
    if raw.startswith("/"):
        return raw.split("?", 1)[0].split("#", 1)[0]
    if "://" in raw:  # absolute form, as sent to a proxy
        from urllib.parse import urlsplit

        return urlsplit(raw).path or "/"
    return None


def _harden(app: Any) -> None:
    """Make moto's EMR Serverless Flask app route like moto does in-process, and answer JSON.

    - It routes on the raw path (see `create_app`), so merging `//` into `/` must not happen:
      werkzeug would redirect instead, and an empty label is a validation error in AWS. A
      trailing `/` is not ignored either: no EMR Serverless path ends with one.
    - Errors of moto's own EMR Serverless operations get the statuses the model documents,
      as in-process (moto answers a missing application with 400, the model says 404).
    - Paths no route matches and methods no route takes get the same JSON 404 as in-process,
      not Flask's HTML page; an unexpected exception is a JSON 500, logged with its traceback.
    """
    from flask import Response as FlaskResponse
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import Map, Rule

    old = app.url_map
    new = Map(merge_slashes=False, strict_slashes=True)
    new.converters.update(old.converters)
    for rule in old.iter_rules():
        kwargs = {**rule.get_empty_kwargs(), "strict_slashes": True, "merge_slashes": False}
        copy = Rule(rule.rule, **kwargs)
        copy.provide_automatic_options = getattr(rule, "provide_automatic_options", False)  # type: ignore[attr-defined]
        new.add(copy)
    app.url_map = new

    def error(status: int, code: str, message: str) -> FlaskResponse:
        return FlaskResponse(
            json.dumps({"message": message}),
            status=status,
            headers={**JSON_HEADERS, "x-amzn-ErrorType": code},
        )

    def http_error(exception: HTTPException) -> Any:
        from flask import request

        if getattr(exception, "error_type", None):  # moto's own AWS errors keep their answers
            return exception
        status = exception.code or 400
        if status in (404, 405):  # answered as in-process: no operation serves that method and path
            from .responses import unknown_operation

            answer = unknown_operation(request.method, request.url)
            return FlaskResponse(answer[2], status=answer[0], headers=answer[1])
        code = "ValidationException" if status < 500 else "InternalServerException"
        return error(status, code, exception.description or exception.name)

    def unexpected(exception: Exception) -> Any:
        if isinstance(exception, HTTPException):
            return http_error(exception)
        app.logger.exception("Unexpected error in the EMR Serverless service")
        return error(500, "InternalServerException", f"{type(exception).__name__}: {exception}")

    def modeled(response: FlaskResponse) -> FlaskResponse:
        response.status_code = modeled_status(response.status_code, response.headers)
        return response

    app.register_error_handler(HTTPException, http_error)
    app.register_error_handler(Exception, unexpected)
    app.after_request(modeled)


def create_app() -> Any:
    """Return moto's server WSGI application with the plugin registered.

    It is moto's `DomainDispatcherApplication`, with three changes:
    - EMR Serverless requests are routed on the path as the client sent it (percent-encoded),
      as moto routes them in-process: an id with an encoded `/` is one (invalid) label, not two;
    - EMR Serverless answers paths and methods it does not serve with JSON, never HTML;
    - `POST /moto-api/reset` runs while no request is in flight (see `_ResetLock`).
    """
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    from ._registration import register

    register()

    def create_service_app(service: Any) -> Any:
        app = create_backend_app(service)
        if service == SERVICE:
            _harden(app)
        return app

    class Dispatcher(DomainDispatcherApplication):
        reset_lock = _ResetLock()

        def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
            if environ.get("PATH_INFO") == _RESET and environ.get("REQUEST_METHOD") == "POST":
                with self.reset_lock.exclusive():
                    return super().__call__(environ, start_response)
            with self.reset_lock.shared():
                app = self.get_application(environ)
                if getattr(app, "service", None) == SERVICE:
                    raw = _raw_path(environ)
                    if raw is not None:
                        environ["PATH_INFO"] = raw
                return app(environ, start_response)

    return Dispatcher(create_service_app)


# -- the command ------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="moto-emrs-attempts-server",
        description=(
            "Run moto's server with the EMR Serverless attempts plugin. Every moto service "
            "answers on the same port; seed histories with POST /moto-api/emrs-attempts/history "
            "and clear everything with POST /moto-api/reset."
        ),
    )
    parser.add_argument(
        "-H", "--host", default="127.0.0.1", help="the host to bind (default: 127.0.0.1)"
    )
    parser.add_argument(
        "-p",
        "--port",
        type=int,
        default=int(os.environ.get("MOTO_PORT", "5000")),
        help="the port to listen on; 0 picks a free one (default: $MOTO_PORT or 5000)",
    )
    return parser


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    """Run the server until Ctrl-C or SIGTERM; return the exit status.

    The first line on stdout names the URL, with the port the server really listens on:
    ` * Running on http://127.0.0.1:5000 (moto with moto-emrs-attempts; Ctrl-C to quit)`.
    """
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        from werkzeug.serving import make_server

        app = create_app()
    except ImportError as error:
        parser.exit(2, f"{parser.prog}: install moto[server] to run the server ({error}).\n")
    try:  # werkzeug itself explains a port in use, and exits with status 1
        server = make_server(args.host, args.port, app, threaded=True)
    except OSError as error:
        parser.exit(1, f"{parser.prog}: cannot listen on {args.host}:{args.port}: {error}\n")
    port = server.socket.getsockname()[1]
    os.environ.setdefault("MOTO_PORT", str(port))  # moto builds some callback URLs from it
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):  # also when started with SIGINT ignored
            signal.signal(signum, _interrupt)
        host = f"[{args.host}]" if ":" in args.host else args.host
        print(
            f" * Running on http://{host}:{port} (moto with moto-emrs-attempts; Ctrl-C to quit)",
            flush=True,
        )
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
