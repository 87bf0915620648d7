"""CreateApplication, GetApplication, UpdateApplication and ListApplications: moto's own
handlers, with the `schedulerConfiguration` the plugin's queueing needs.

A request for a region EMR Serverless does not serve is answered first, whatever the method,
as AWS answers it (`InvalidSignatureException`). The request is validated against the model
(`contract.application_requests`: every member, the documented ranges of `schedulerConfiguration`)
before moto sees it, so a bad one creates and changes nothing; everything else these
operations do is moto's. The handlers sit in moto's URL table behind moto's own dispatch
(not the plugin's fast path), so that moto's GetApplication costs what it always did.
"""

from __future__ import annotations

import json
from typing import Any

from moto.core import responses as moto_responses
from moto.emrserverless.responses import EMRServerlessResponse

from ..contract.application_requests import check_body, check_labels, check_list_query
from ..contract.errors import EmrServerlessError
from ..engine.scheduler import default_for, resolve
from ..logs import writer as attempt_logs
from ..models.application_progression import app_transition
from . import application_states as app_handlers
from .job_run_handlers import Request, Response, refused_region

_MEMBER = "schedulerConfiguration"
#: moto releases that render an application from its attributes show the configuration the
#: plugin sets on moto's application by themselves: their GetApplication is left untouched.
_MOTO_RENDERS_ATTRIBUTES = hasattr(moto_responses, "ActionResult")


def _moto(request: Any, full_url: str, headers: Any) -> Response:
    answer: Response = EMRServerlessResponse.dispatch(request, full_url, headers)
    return answer


def _requested(parsed: Request, operation: str) -> Any:
    """The request's schedulerConfiguration (None when not given); the whole request validated."""
    if operation == "UpdateApplication":
        check_labels(operation, {"applicationId": parsed.segments[2]})
    body = parsed.json_body()
    check_body(operation, body)
    return body.get(_MEMBER)


def _with_configuration(
    answer: Response, config: dict[str, int] | None, application: Any = None
) -> Response:
    """moto's `{"application": ...}` answer with the configuration (and the monitoring
    configuration the plugin keeps), where moto left it out (moto releases that render
    applications member by member)."""
    status, headers, body = answer
    monitoring = attempt_logs.kept_monitoring(application)
    if status != 200 or ((config is None or f'"{_MEMBER}"' in body) and monitoring is None):
        return answer
    document = json.loads(body)
    # moto 5.0 renders a member it has no value for as null, which the model does not allow
    document["application"] = {k: v for k, v in document["application"].items() if v is not None}
    if config is not None:
        document["application"].setdefault(_MEMBER, config)
    if monitoring is not None:
        document["application"].setdefault(attempt_logs.MONITORING, monitoring)
    return status, headers, json.dumps(document)


def _moto_first(route: Any) -> Any:
    route.moto_first = (
        True  # `responses.job_run_handlers.fast_route` leaves these paths to moto's dispatch
    )
    return route


@_moto_first
def applications(request: Any, full_url: str, headers: Any) -> Response:
    """`/applications`: CreateApplication (POST) with a scheduler configuration."""
    refused = refused_region(full_url, headers)  # every method: moto's backends would KeyError
    if refused is not None:
        return refused
    try:
        parsed = Request(request, full_url, headers)
        if request.method != "POST":
            if request.method == "GET":  # ListApplications: a poll of each application listed
                check_list_query(parsed.query, parsed.values("states"))
                return app_handlers.list_applications(request, full_url, headers)
            return _moto(request, full_url, headers)
        given = _requested(parsed, "CreateApplication")
        transition = app_transition()  # one applications cannot use creates nothing
        backend = parsed.backend
        with backend.lock:
            answer = _moto(request, full_url, headers)
            if answer[0] == 200:
                application = backend.emr.applications[json.loads(answer[2])["applicationId"]]
                backend.created_application(application, transition)
                app_handlers.keep_auto_configurations(application)
                attempt_logs.keep_monitoring(application, parsed.json_body())
                config = (
                    resolve(given) if given is not None else default_for(application.release_label)
                )
                backend.set_scheduler_configuration(application, config)
            return answer
    except EmrServerlessError as error:
        return error.triple()


def fast_when(request: Any, full_url: str) -> Any:
    """`fast_when` of GetApplication's route (`urls`): where moto renders an application from
    its attributes, the polls of an application in flight take the fast path."""
    if not _MOTO_RENDERS_ATTRIBUTES:
        return None
    return app_handlers.moving_application(request, full_url)


@_moto_first
def application(request: Any, full_url: str, headers: Any) -> Response:
    """`/applications/{applicationId}`: GetApplication (GET) and UpdateApplication (PATCH)
    with the scheduler configuration."""
    refused = refused_region(full_url, headers)
    if refused is not None:
        return refused
    method = request.method
    if method == "DELETE":  # DeleteApplication: TERMINATED
        return app_handlers.delete_application(request, full_url, headers)
    if method == "GET":  # GetApplication is a poll of the application
        problem = app_handlers.polled_application(request, full_url, headers)
        if problem is not None:
            return problem
    if method != "PATCH" and (method != "GET" or _MOTO_RENDERS_ATTRIBUTES):
        return _moto(request, full_url, headers)
    try:
        parsed = Request(request, full_url, headers)
        application_id = parsed.segments[2]
        backend = parsed.backend
        given = _requested(parsed, "UpdateApplication") if method == "PATCH" else None
        with backend.lock:
            found = backend.emr.applications.get(application_id)
            if found is None:  # moto's not-found answer
                return _moto(request, full_url, headers)
            if method == "PATCH":  # moto checks the state as the clock has moved it
                backend.before_change(application_id)
            config = backend.slots_of(application_id).config
            if given is None:
                answer = _moto(request, full_url, headers)
                if method == "PATCH" and answer[0] == 200:  # moto took the update
                    app_handlers.keep_auto_configurations(found)
                    attempt_logs.keep_monitoring(found, parsed.json_body())
                return _with_configuration(answer, config, found)
            # moto renders the application it updates: show it the new configuration, and
            # take the configuration back if moto refuses the update.
            found.scheduler_configuration = resolve(given)
            answer = _moto(request, full_url, headers)
            if answer[0] == 200:
                backend.set_scheduler_configuration(found, found.scheduler_configuration)
                app_handlers.keep_auto_configurations(found)
                attempt_logs.keep_monitoring(found, parsed.json_body())
            else:
                found.scheduler_configuration = config
            return _with_configuration(answer, found.scheduler_configuration, found)
    except EmrServerlessError as error:
        return error.triple()
