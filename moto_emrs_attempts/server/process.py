"""The server process: moto's werkzeug server with the plugin, its signals and its state file.

`moto-emrs-attempts serve [--host 127.0.0.1] [--port 5000] [--state-file PATH]` (also
`moto-emrs-attempts-server` and `python -m moto_emrs_attempts`) runs moto's own threaded werkzeug
server: every moto service answers on the same port, EMR Serverless answers with the plugin's
operations, and the plugin's control endpoints (see `control`) answer under
`/moto-api/emrs-attempts`. With a state file, the plugin's state survives a restart: it is
loaded on start and written, atomically, on SIGTERM or Ctrl-C (`server.process.state_file` reads, locks and
writes it).
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..contract.errors import modeled_status
from ..models import guard
from ..responses.control_plane import JSON_HEADERS
from .state_file import StateFileError, opened, save_state, state_document

if TYPE_CHECKING:
    from types import FrameType

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
            from ..responses.job_run_handlers import unknown_operation

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

    from .._registration import register

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


def _request_handler() -> Any:
    """werkzeug's request handler, answering the requests it refuses itself with JSON.

    A request line that Python's HTTP server cannot split (raw whitespace bytes such as 0x1c or
    0xa0 in the path, which `str.split` cuts at) is refused before any app runs, with an HTML
    page; this answers the same status with `{"message"}` and `x-amzn-ErrorType`, as every other
    error of the plugin's paths.
    """
    from werkzeug.serving import WSGIRequestHandler

    class JsonErrors(WSGIRequestHandler):
        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            short = self.responses.get(code, ("Error", ""))[0]
            text = message or short
            self.log_error("code %d, message %s", code, text)
            self.send_response(code, short)
            self.send_header("Connection", "close")
            body = json.dumps({"message": text}).encode("utf-8")
            if code >= 200 and code not in (204, 205, 304):
                code_name = "ValidationException" if code < 500 else "InternalServerException"
                self.send_header("x-amzn-ErrorType", code_name)
                self.send_header("Content-Type", JSON_HEADERS["Content-Type"])
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (204, 205, 304):
                self.wfile.write(body)

    return JsonErrors


# -- the process ------------------------------------------------------------------------


class ServeError(Exception):
    """The server cannot start or stop cleanly; `status` is the exit status."""

    def __init__(self, message: str, status: int = 1) -> None:
        super().__init__(message)
        self.status = status


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _ignore_signals() -> None:
    """From now on a second SIGTERM or Ctrl-C must not cut the save short."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)


def serve(host: str, port: int, state_file: Path | None = None) -> None:
    """Run the server until Ctrl-C or SIGTERM, then write the state file if there is one.

    The first line on stdout names the URL, with the port the server really listens on:
    ` * Running on http://127.0.0.1:5000 (moto with moto-emrs-attempts; Ctrl-C to quit)`.
    The state file is locked from before it is read until after it is written, so a second
    server on it stops at once. Raises `ServeError` with a one-line message when the server
    cannot start, or cannot save (the state then goes to a recovery file the message names).

        >>> serve("127.0.0.1", 0, Path("emrs-state.json"))  # until SIGTERM or Ctrl-C
    """
    guard.serve_process()  # this process answers for moto: no mock runs here, none is needed
    try:
        # before moto's server module, which only warns (three lines) where flask is missing
        for needed in ("flask", "flask_cors"):
            importlib.import_module(needed)
        from werkzeug.serving import make_server

        app = create_app()
    except ImportError as error:
        raise ServeError(
            f"the server needs the server extra: pip install 'moto-emrs-attempts[server]' "
            f"(it brings moto[server]); {error}.",
            2,
        ) from None
    for signum in (signal.SIGINT, signal.SIGTERM):  # also when started with SIGINT ignored
        signal.signal(signum, _interrupt)
    with ExitStack() as held:  # the state file's lock, until the state is written
        try:
            if state_file is not None:
                held.enter_context(opened(state_file))
            # werkzeug itself explains a port in use, and exits with status 1
            server = make_server(host, port, app, threaded=True, request_handler=_request_handler())
        except StateFileError as error:
            raise ServeError(str(error)) from None
        except OSError as error:
            raise ServeError(f"cannot listen on {host}:{port}: {error}") from None
        except KeyboardInterrupt:  # stopped while loading: the file on disk is still the truth
            return
        bound = server.socket.getsockname()[1]
        os.environ.setdefault("MOTO_PORT", str(bound))  # moto builds some callback URLs from it
        try:
            shown = f"[{host}]" if ":" in host else host
            print(
                f" * Running on http://{shown}:{bound} (moto with moto-emrs-attempts; "
                "Ctrl-C to quit)",
                flush=True,
            )
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            if state_file is not None:
                _ignore_signals()
            server.server_close()
        if state_file is not None:
            with app.reset_lock.exclusive():  # the requests still in flight finish first
                document = state_document()
            try:
                save_state(state_file, document)
            except StateFileError as error:
                raise ServeError(str(error)) from None
