"""Cheap boto3 clients for the handle and the fixtures.

moto resets boto3's default session when a mock starts, so a plain `boto3.client(...)` in
every test loads and parses the service model again and registers botocore's ~130 built-in
handlers again: most of what a short test costs. A client here comes from a fresh botocore
session (so credentials, the account they imply, the profile and the region are read anew,
from the environment of this very test) that shares only what cannot differ between tests:
the data loader with its parsed models, and a template of the built-in handlers.
"""

from __future__ import annotations

import copy
import threading
from typing import Any

import botocore.handlers
import botocore.loaders
import botocore.session
from botocore.hooks import HierarchicalEmitter

_lock = threading.Lock()
#: One loader per data path (`AWS_DATA_PATH`): its instance cache holds the parsed models.
_loaders: dict[Any, botocore.loaders.Loader] = {}
#: The built-in handlers, registered once; rebuilt when `BUILTIN_HANDLERS` changes.
_template: tuple[tuple[int, ...], HierarchicalEmitter] | None = None


def _builtin_handlers() -> HierarchicalEmitter:
    global _template
    key = tuple(id(spec) for spec in botocore.handlers.BUILTIN_HANDLERS)
    template = _template
    if template is None or template[0] != key:
        emitter = HierarchicalEmitter()
        botocore.session.Session(event_hooks=emitter)  # registers the built-ins on `emitter`
        template = _template = (key, emitter)
    return template[1]


def _loader(session: botocore.session.Session) -> botocore.loaders.Loader:
    data_path = session.get_config_variable("data_path")
    loader = _loaders.get(data_path)
    if loader is None:
        loader = _loaders.setdefault(data_path, botocore.loaders.create_loader(data_path))
    return loader


def session() -> botocore.session.Session:
    """A fresh botocore session that shares the parsed models and the built-in handlers."""
    with _lock:
        events = copy.copy(_builtin_handlers())
    fresh = botocore.session.Session(event_hooks=events, include_builtin_handlers=False)
    with _lock:
        fresh.register_component("data_loader", _loader(fresh))
    return fresh


def client(service_name: str, region_name: str, **kwargs: Any) -> Any:
    """A client of `service_name`, as `boto3.client` would make it, from a fresh session."""
    return session().create_client(service_name, region_name=region_name, **kwargs)
