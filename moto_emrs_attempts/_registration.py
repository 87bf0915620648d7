"""Registration of the plugin's routes with moto (idempotent)."""

from __future__ import annotations

import threading

_lock = threading.Lock()


def register() -> None:
    """Put the plugin's routes first in moto's EMR Serverless URL table.

    moto derives every partition's URLs (aws, aws-cn, ISO) and its server's routes from this
    one table, so a route added here is served in-process, through `requests` and by the server.
    """
    from moto.emrserverless import urls as moto_urls

    from . import urls

    with _lock:
        table = moto_urls.url_paths
        if all(table.get(path) is handler for path, handler in urls.url_paths.items()):
            return
        merged = dict(urls.url_paths)
        merged.update((path, h) for path, h in table.items() if path not in urls.url_paths)
        table.clear()
        table.update(merged)
