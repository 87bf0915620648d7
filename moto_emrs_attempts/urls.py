"""The routes the plugin adds to moto's URL tables: EMR Serverless (`moto.emrserverless.urls`)
and moto's own `/moto-api` (the plugin's control plane).

Keys spelled exactly like moto's replace moto's handler; the `[^/]*` spellings also take
empty labels, so that they answer a ValidationException rather than moto's "Not yet
implemented". Methods the plugin does not implement on a path go to moto's own handler.

Every route loads its handler's module on its first request, as moto loads a backend when a
request first needs it: importing the plugin costs no service model, backend or handler.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any, Callable

Response = tuple[int, dict[str, str], str]
Handler = Callable[[Any, str, Any], Response]


def _route(module: Callable[[], ModuleType], name: str, moto_first: bool = False) -> Handler:
    """The handler `name` of `module()`, loaded on its first request."""
    loaded: list[Handler] = []

    def route(request: Any, full_url: str, headers: Any) -> Response:
        if not loaded:
            loaded.append(getattr(module(), name))
        return loaded[0](request, full_url, headers)

    route.__name__ = route.__qualname__ = name  # moto's server names its views after these
    if moto_first:
        route.moto_first = True  # type: ignore[attr-defined]  # `responses.job_run_handlers.fast_route` leaves it to moto
    return route


def _job_run_handlers() -> ModuleType:
    from .responses import job_run_handlers as responses

    return responses


def _application_handlers() -> ModuleType:
    from .responses import application_handlers as applications

    return applications


def _application_states() -> ModuleType:
    from .responses import application_states as app_handlers

    return app_handlers


def _moving_application(request: Any, full_url: str) -> Handler | None:
    """`fast_when` of GetApplication's route (`responses.job_run_handlers.fast_route`): the plugin's handler for the poll of
    an application in flight, else None (moto's dispatch); the handlers load on first use."""
    found: Handler | None = _application_handlers().fast_when(request, full_url)
    return found


def _control_plane() -> ModuleType:
    from .responses import control_plane as control

    return control


_job_run = _route(_job_run_handlers, "job_run")
_application = _route(_application_handlers, "application", moto_first=True)
_application.fast_when = _moving_application  # type: ignore[attr-defined]
_job_runs = _route(_job_run_handlers, "job_runs")

url_paths: dict[str, Handler] = {
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns/(?P<jobRunId>[^/]*)/attempts$": _route(
        _job_run_handlers, "attempts"
    ),
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns/(?P<jobRunId>[^/]*)/dashboard$": _route(
        _job_run_handlers, "dashboard"
    ),
    # moto's own spellings, replaced in place
    "{0}/applications/(?P<applicationId>[^/]+)/jobruns/(?P<jobRunId>[^/]+)$": _job_run,
    "{0}/applications/(?P<applicationId>[^/]+)/jobruns$": _job_runs,
    # the same paths with empty labels
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns/(?P<jobRunId>[^/]*)$": _job_run,
    "{0}/applications/(?P<applicationId>[^/]*)/jobruns$": _job_runs,
    # moto's application routes, wrapped for the scheduler configuration (moto's dispatch)
    "{0}/applications$": _route(_application_handlers, "applications", moto_first=True),
    "{0}/applications/(?P<applicationId>[^/]+)$": _application,
    # StartApplication and StopApplication, over time (moto's spellings, replaced in place)
    "{0}/applications/(?P<applicationId>[^/]+)/start$": _route(_application_states, "start"),
    "{0}/applications/(?P<applicationId>[^/]+)/stop$": _route(_application_states, "stop"),
}

#: The control plane's endpoints (`responses.control_plane.ENDPOINTS`, each a function of that name), under
#: `CONTROL_PREFIX`.
CONTROL_PREFIX = "/moto-api/emrs-attempts"
CONTROL_ENDPOINTS = ("history", "attempts", "faults", "scripts")

#: The routes joining moto's moto-api URL table. The catch-all matches any characters,
#: newlines included: the server decodes `%0A` before routing, and moto turns `.` into a
#: werkzeug rule where it does not match a newline.
control_paths: dict[str, Handler] = {
    **{
        f"{{0}}{CONTROL_PREFIX}/{name}$": _route(_control_plane, name) for name in CONTROL_ENDPOINTS
    },
    f"{{0}}{CONTROL_PREFIX}(?P<rest>[\\s\\S]*)$": _route(_control_plane, "unknown"),
}
