"""The routes the plugin adds to moto's URL tables: EMR Serverless (`moto.emrserverless.urls`)
and moto's own `/moto-api` (the plugin's control plane).

Keys spelled exactly like moto's replace moto's handler; the `[^/]*` spellings also take
empty labels, so that they answer a ValidationException rather than moto's "Not yet
implemented". Methods the plugin does not implement on a path go to moto's own handler.

Every route loads its handler's module on its first request, as moto loads a backend when a
request first needs it: importing the plugin costs no service model, backend or handler.
"""

from __future__ import annotations

from typing import Any, Callable

Response = tuple[int, dict[str, str], str]
Handler = Callable[[Any, str, Any], Response]


def _route(load: Callable[[], Handler], name: str, moto_first: bool = False) -> Handler:
    """A handler that calls `load()` on its first request, and answers with what it returns."""
    loaded: list[Handler] = []

    def route(request: Any, full_url: str, headers: Any) -> Response:
        if not loaded:
            loaded.append(load())
        return loaded[0](request, full_url, headers)

    route.__name__ = route.__qualname__ = name  # moto's server names its views after these
    if moto_first:
        route.moto_first = True  # type: ignore[attr-defined]  # `_fastpath` leaves it to moto
    return route


def _handler(name: str) -> Handler:
    """The EMR Serverless handler `name` of `responses`, loaded on its first request."""

    def load() -> Handler:
        from . import responses

        handler: Handler = getattr(responses, name)
        return handler

    return _route(load, name)


def _application_handler(name: str) -> Handler:
    """The application handler `name` of `applications`, loaded on its first request."""

    def load() -> Handler:
        from . import applications

        handler: Handler = getattr(applications, name)
        return handler

    return _route(load, name, moto_first=True)


def _endpoint(name: str) -> Handler:
    """The control plane's endpoint `name` (`unknown` for any other path), loaded on its first
    request."""

    def load() -> Handler:
        from . import control

        return control.ENDPOINTS.get(name, control.unknown)

    return _route(load, name)


_job_run, _job_runs = _handler("job_run"), _handler("job_runs")

url_paths: dict[str, Handler] = {
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns/(?P<jobRunId>[^/]*)/attempts$": _handler(
        "attempts"
    ),
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns/(?P<jobRunId>[^/]*)/dashboard$": _handler(
        "dashboard"
    ),
    # moto's own spellings, replaced in place
    "{0}/applications/(?P<applicationId>[^/]+)/jobruns/(?P<jobRunId>[^/]+)$": _job_run,
    "{0}/applications/(?P<applicationId>[^/]+)/jobruns$": _job_runs,
    # the same paths with empty labels
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns/(?P<jobRunId>[^/]*)$": _job_run,
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns$": _job_runs,
    # moto's application routes, wrapped for the scheduler configuration (moto's dispatch)
    "{0}/applications$": _application_handler("applications"),
    "{0}/applications/(?P<applicationId>[^/]+)$": _application_handler("application"),
}

#: The control plane's endpoints (`control.ENDPOINTS`), under `CONTROL_PREFIX`.
CONTROL_PREFIX = "/moto-api/emrs-attempts"
CONTROL_ENDPOINTS = ("history", "attempts", "faults", "scripts")

#: The routes joining moto's moto-api URL table. The catch-all matches any characters,
#: newlines included: the server decodes `%0A` before routing, and moto turns `.` into a
#: werkzeug rule where it does not match a newline.
control_paths: dict[str, Handler] = {
    **{f"{{0}}{CONTROL_PREFIX}/{name}$": _endpoint(name) for name in CONTROL_ENDPOINTS},
    f"{{0}}{CONTROL_PREFIX}(?P<rest>[\\s\\S]*)$": _endpoint("unknown"),
}
