"""The application operations over time (SPEC 12): StartApplication and StopApplication are the
plugin's; GetApplication, ListApplications, DeleteApplication (and, in `applications`,
CreateApplication and UpdateApplication) stay moto's, around the polls and steps of
`app_progression`.

moto renders every application from its own object, whose `state` and `updatedAt` the plugin
keeps; a ListApplications page, which moto pages itself, is a poll of each application it
returns, and leaves out the applications that were deleted (AWS no longer lists them).
"""

from __future__ import annotations

import importlib
import json
from typing import Any, Callable

from moto.emrserverless.responses import EMRServerlessResponse

from ..contract.errors import EmrServerlessError
from ..contract.validation import validator
from ..engine.application_lifecycle import auto_start_enabled, resolved_auto_stop
from ..engine.job_run import to_datetime
from ..models.application_progression import IN_FLIGHT
from .job_run_handlers import Request, Response, _by_method, answer, serve


def _normalizer() -> Callable[[Any], Any] | None:
    """moto's `normalize_request` where its stubber hands every handler one normalized request
    type (5.2.5 on; `moto.core.request` does not exist before 5.2): their dispatch reads it, so
    the fast path's botocore request is normalized as moto would."""
    try:
        module = importlib.import_module("moto.core.request")
    except ImportError:
        return None
    if not hasattr(getattr(module, "Request", None), "from_primitives"):
        return None
    normalize: Callable[[Any], Any] = module.normalize_request
    return normalize


_NORMALIZE = _normalizer()


def moto_answer(request: Any, full_url: str, headers: Any) -> Response:
    if _NORMALIZE is not None:
        request = _NORMALIZE(request)
    found: Response = EMRServerlessResponse.dispatch(request, full_url, headers)
    return found


def keep_auto_configurations(application: Any) -> None:
    """Show the configurations as AWS does: with the defaults of what was not given."""
    application.auto_start_configuration = {
        "enabled": auto_start_enabled(application.auto_start_configuration)
    }
    application.auto_stop_configuration = resolved_auto_stop(application.auto_stop_configuration)


# -- moto's operations, polled ------------------------------------------------------------


def polled_application(request: Any, full_url: str, headers: Any) -> Response | None:
    """GetApplication is a poll: take its step before moto renders the application. Returns
    an error answer, or None to let moto answer."""
    try:
        parsed = Request(request, full_url, headers)
        parsed.backend.poll_application(parsed.segments[2])
    except EmrServerlessError as error:
        return error.triple()
    return None


def moving_application(request: Any, full_url: str) -> Any:
    """`fast_when` of GetApplication's route (in-process): the poll of an application in flight
    is the plugin's (`polled_moving_application`); everything else goes to moto's dispatch, as
    it always did (None)."""
    if request.method != "GET" or not IN_FLIGHT:
        return None
    try:
        parsed = Request(request, full_url, request.headers)
        record = parsed.backend.app_records.get(parsed.segments[2])
    except EmrServerlessError:
        return None
    return polled_moving_application if record is not None and record.moving else None


def polled_moving_application(request: Any, full_url: str, headers: Any) -> Response:
    """GetApplication of an application in flight: its poll, and moto's rendering of it, kept
    while the poll changes nothing (an application in flight changes only by its steps)."""
    raw = request.headers  # moto decodes them in place before its handlers read them
    for name, value in list(raw.items()):
        if isinstance(value, bytes):
            raw[name] = value.decode("utf-8")
    try:
        parsed = Request(request, full_url, headers)
        backend = parsed.backend
        with backend.lock:
            application = backend.emr.applications.get(parsed.segments[2])
            if application is None:
                return moto_answer(request, full_url, raw)
            record = backend.step_app(application, counted=True)
            key = (record.state, record.updated_at)
            kept = record.rendered
            if kept is not None and kept[0] == key:
                found: Response = kept[1]
                return found[0], dict(found[1]), found[2]
            found = moto_answer(request, full_url, raw)
            record.rendered = (key, found) if found[0] == 200 and record.moving else None
            return found
    except EmrServerlessError as error:
        return error.triple()


def delete_application(request: Any, full_url: str, headers: Any) -> Response:
    """DeleteApplication: moto's check of the state (CREATED or STOPPED, as the clock has moved
    it), then TERMINATED."""
    try:
        parsed = Request(request, full_url, headers)
        application_id = parsed.segments[2]
        backend = parsed.backend
        with backend.lock:
            backend.before_change(application_id)
            found = moto_answer(request, full_url, headers)
            if found[0] == 200:
                backend.deleted_application(application_id)
            return found
    except EmrServerlessError as error:
        return error.triple()


def list_applications(request: Any, full_url: str, headers: Any) -> Response:
    """ListApplications: the steps the clock made due, moto's page, a poll of each application
    it returns, and no deleted application."""
    try:
        parsed = Request(request, full_url, headers)
        backend = parsed.backend
        with backend.lock:
            backend.settle_applications()
            status, answer_headers, body = moto_answer(request, full_url, headers)
            if status != 200:
                return status, answer_headers, body
            document = json.loads(body)
            items = document.get("applications") or []
            records = backend.count_listed(item.get("id") for item in items)
            kept = []
            for item in items:
                record = records.get(item.get("id"))
                if record is not None:
                    if record.state == "TERMINATED":
                        continue
                    item["state"] = record.state
                    item["updatedAt"] = _as_moto_renders(item.get("updatedAt"), record.updated_at)
                if not item.get("stateDetails"):  # moto's "" breaks the model's pattern
                    item.pop("stateDetails", None)
                kept.append(item)
            document["applications"] = kept
            return status, answer_headers, json.dumps(document)
    except EmrServerlessError as error:
        return error.triple()


def _as_moto_renders(rendered: Any, epoch: float) -> Any:
    """A time in the form moto rendered the others of its answer (epoch seconds, or ISO)."""
    if isinstance(rendered, str):
        return to_datetime(epoch).isoformat() + "Z"
    return epoch


# -- the plugin's operations --------------------------------------------------------------

_START_APPLICATION = validator("StartApplication")
_STOP_APPLICATION = validator("StopApplication")


@serve("StartApplication")
def start_application(request: Request) -> Response:
    """`POST /applications/{applicationId}/start`."""
    params = _START_APPLICATION({"applicationId": request.segments[2]}, request.query)
    request.backend.start_application(params["applicationId"])
    return answer("{}")


@serve("StopApplication")
def stop_application(request: Request) -> Response:
    """`POST /applications/{applicationId}/stop`."""
    params = _STOP_APPLICATION({"applicationId": request.segments[2]}, request.query)
    request.backend.stop_application(params["applicationId"])
    return answer("{}")


start = _by_method("start", {"POST": start_application})
stop = _by_method("stop", {"POST": stop_application})
