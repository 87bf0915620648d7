"""A compiled route for the plugin's URLs, ahead of moto's URL scan (in-process only).

moto answers a mocked request by scanning the URL patterns of every service, rebuilding the
matched backend's URL table and trying its routes one by one. For the plugin's own routes that
scan costs more than the plugin's handler; this wrapper around moto's one `botocore_stubber`
matches the same routes with precompiled patterns and keeps everything else moto does there:
passthrough and whitelist settings, header decoding, the request recorder, HTTPException
answers. Every other URL goes to moto's own `process_request` unchanged.

It also routes `requests` calls on the path as the client sent it: moto rebuilds those with
werkzeug, which decodes `%2F` into `/`, while boto3's path keeps it encoded.
"""

from __future__ import annotations

import importlib
import re
from typing import Any, Callable

from moto.core import config as moto_config
from werkzeug.exceptions import HTTPException

_SERVICE = "emrserverless"
_HOST = re.compile(r"(https?://emr-serverless\.[^/]+\.amazonaws\.com(?:\.cn)?)(/[^?#]*)")
_MARKER = "_emrs_attempts_fast_route"

Route = tuple["re.Pattern[str]", Callable[[Any, str, Any], Any]]


def _routes(url_paths: dict[str, Callable[[Any, str, Any], Any]]) -> list[Route]:
    """The plugin's routes as moto formats them: every url base, aws and aws-cn domains."""
    from moto.emrserverless import urls as moto_urls

    routes = []
    for base in moto_urls.url_bases:
        for domain_base in (base, base.replace(r"amazonaws\.com", r"amazonaws\.com\.cn")):
            routes += [
                (re.compile(path.format(domain_base)), h)
                for path, h in url_paths.items()
                # left to moto's dispatch, unless the route says when it is not (`fast_when`)
                if not getattr(h, "moto_first", False) or hasattr(h, "fast_when")
            ]
    return routes


def _raw_url(request: Any) -> str:
    """The request URL with its path as the client sent it (still percent-encoded)."""
    url: str = request.url
    environ = getattr(request, "environ", None)
    raw = environ.get("RAW_URI") if environ else None
    if isinstance(raw, str) and raw.startswith("/"):
        found = _HOST.match(url)
        if found is not None:
            # moto 5.2.4 hands over werkzeug requests built from primitives, whose RAW_URI is
            # the path alone: the query string must come from the request itself.
            query = getattr(request, "query_string", b"")
            if "?" not in raw and isinstance(query, bytes) and query:
                raw += "?" + query.decode("latin-1")
            return found.group(1) + raw
    return url


def _normalizer() -> Callable[[Any], Any] | None:
    """moto's `normalize_request`, where moto's stubber module uses it (moto 5.2.4 and later)."""
    stubber_module = importlib.import_module("moto.core.botocore_stubber")
    normalize: Callable[[Any], Any] | None = getattr(stubber_module, "normalize_request", None)
    return normalize


def _recordable(request: Any, normalize: Callable[[Any], Any] | None) -> Any:
    """The request as moto's own stubber hands it to its recorder.

    From moto 5.2.4 on, the stubber turns whatever reached it into moto's werkzeug `Request`
    (`normalize`) before recording it: 5.2.4 at the door, 5.2.5 only once a route matched, so
    this wrapper receives botocore's request there, which the recorder of those versions cannot
    read. Before 5.2.4 the recorder takes botocore's request as it is, once its bytes headers
    are decoded in place (as moto did).
    """
    if normalize is not None:
        return normalize(request)
    for name, value in request.headers.items():
        if isinstance(value, bytes):
            request.headers[name] = value.decode("utf-8")
    return request


def install(url_paths: dict[str, Callable[[Any, str, Any], Any]]) -> None:
    """Wrap moto's `botocore_stubber.process_request` with the plugin's routes (idempotent).

    The routes are compiled on the first EMR Serverless request: installing costs nothing else.
    """
    from moto.core.models import botocore_stubber
    from moto.moto_api import recorder

    if getattr(botocore_stubber, _MARKER, False):
        return
    routes: list[Route] = []
    moto_process_request = botocore_stubber.process_request
    whitelisted = getattr(moto_config, "service_whitelisted", None)  # moto >= 5.1
    normalize = _normalizer()

    def process_request(request: Any) -> Any:
        url = _raw_url(request)
        found = _HOST.match(url)
        if found is None:
            return moto_process_request(request)
        if not routes:
            routes[:] = _routes(url_paths)
        clean = found.group(0)
        handler = next((h for pattern, h in routes if pattern.match(clean)), None)
        fast_when = getattr(handler, "fast_when", None)
        if fast_when is not None:  # a route moto dispatches, but for the requests it takes
            handler = fast_when(request, url)
        if handler is None:
            answer = moto_process_request(request)
            if answer is not None and answer[0] == 404 and answer[2] == "Not yet implemented":
                from .job_run_handlers import unknown_operation

                return unknown_operation(request.method, url)  # JSON, as from every route
            if answer is not None:  # moto's own operations: errors with the model's statuses
                from ..contract.errors import modeled_status

                answer = (modeled_status(answer[0], answer[1]), answer[1], answer[2])
            return answer
        if moto_config.passthrough_url(clean) or moto_config.passthrough_service(_SERVICE):
            return None
        if whitelisted is not None and not whitelisted(_SERVICE):
            from moto.core.exceptions import ServiceNotWhitelisted

            raise ServiceNotWhitelisted(_SERVICE)
        try:
            if recorder._user_enabled:
                recorder._record_request(_recordable(request, normalize))
            return handler(request, url, request.headers)  # the handler reads them as `Headers`
        except HTTPException as error:
            return error.code, error.get_headers(), error.get_body()

    botocore_stubber.process_request = process_request  # type: ignore[method-assign]
    setattr(botocore_stubber, _MARKER, True)
