"""Registration of the plugin's routes with moto (idempotent)."""

from __future__ import annotations

import threading

_lock = threading.Lock()


def register() -> None:
    """Put the plugin's routes first in moto's EMR Serverless URL table.

    moto derives every partition's URLs (aws, aws-cn, ISO) and its server's routes from this
    one table, so a route added here is served in-process, through `requests` and by the server.
    The moto-api endpoints of `control.url_paths` join moto's moto-api table the same way.
    In-process, `_fastpath` answers the same routes ahead of moto's scan of every service.
    Every moto mock's stop takes back what was set under it (`_scope`).
    """
    from moto.emrserverless import urls as moto_urls
    from moto.moto_api._internal import urls as moto_api_urls

    from . import _fastpath, _scope, control, urls

    with _lock:
        _fastpath.install(urls.url_paths)
        _scope.install()  # a mock's end takes back the faults, scripts and transitions set under it
        # The seeding and fault endpoints join moto's own /moto-api routes (reset, seed, ...).
        moto_api_urls.url_paths.update(control.url_paths)
        table = moto_urls.url_paths
        if all(table.get(path) is handler for path, handler in urls.url_paths.items()):
            return
        merged = dict(urls.url_paths)
        merged.update((path, h) for path, h in table.items() if path not in urls.url_paths)
        table.clear()
        table.update(merged)
