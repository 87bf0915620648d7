"""Registration of the plugin with moto (idempotent): its routes, and its state-manager model.

It loads nothing of the plugin's handlers, backend or service model: the routes of `urls`
load them on their first request.
"""

from __future__ import annotations

import threading

_lock = threading.Lock()


def register() -> None:
    """Put the plugin's routes first in moto's EMR Serverless URL table.

    moto derives every partition's URLs (aws, aws-cn, ISO) and its server's routes from this
    one table, so a route added here is served in-process, through `requests` and by the server.
    The moto-api endpoints of `urls.control_paths` join moto's moto-api table the same way.
    In-process, `responses.job_run_handlers.fast_route` answers the same routes ahead of moto's scan of every service.
    Every moto mock's stop takes back what was set under it (`models.backend.mock_scope`).
    Job runs move through moto's state manager: their model is born with its default transition.
    A botocore too old to know ListJobRunAttempts is refused first.
    """
    from .contract.botocore_version import require_botocore

    require_botocore()
    from moto.emrserverless import urls as moto_urls
    from moto.moto_api import state_manager
    from moto.moto_api._internal import urls as moto_api_urls

    from . import urls
    from .engine import transitions
    from .models import mock_scope
    from .responses import fast_route

    with _lock:
        for model in transitions.MODEL_NAMES:  # job runs and applications
            state_manager.register_default_transition(model, transitions.DEFAULT_TRANSITION)
        fast_route.install(urls.url_paths)
        mock_scope.install()  # a mock's end takes back the faults, scripts and transitions set under it
        # The seeding and fault endpoints join moto's own /moto-api routes (reset, seed, ...).
        moto_api_urls.url_paths.update(urls.control_paths)
        table = moto_urls.url_paths
        if all(table.get(path) is handler for path, handler in urls.url_paths.items()):
            return
        merged = dict(urls.url_paths)
        merged.update((path, h) for path, h in table.items() if path not in urls.url_paths)
        table.clear()
        table.update(merged)
