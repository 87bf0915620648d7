"""Loading a history document (SPEC sections 6 and 9): `load_history` reads one (a dict or a JSON
file), has `history.parsing` check it whole, then creates its applications, job runs, pending
scripts and faults atomically. `history.export` renders one (and owns the document's members);
its names, and `plan_history`, are re-exported here.

`export_history` renders one account and region as a document that loads back with the same
answers, ids included. `history/history.schema.json` is its JSON Schema; `plan_history` also
enforces the rules the schema's `$comment` lists.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..contract.errors import HistoryError, shown
from ..logs import writer as attempt_logs
from ..models import guard
from ..models.job_run_progression import clock
from . import application_document, in_flight
from . import pending as _pending
from .export import (
    APPLICATION_KEYS,
    DOCUMENT_KEYS,
    JOB_RUN_KEYS,
    SCHEMA_PATH,
    export_history,
    regions_held,
    render_time,
)
from .parsing import _document_backend, _planned, plan_history
from .plans import SeededJobRun, _create, undone_on_error


def schema() -> dict[str, Any]:
    """Return the history document's JSON Schema."""
    loaded: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return loaded


# -- read and load ----------------------------------------------------------------------


def _read(source: Mapping[str, Any] | str | Path) -> Any:
    if isinstance(source, Mapping):
        return source
    problem = f"pass a history document (dict) or a file path, not {shown(source)}"
    if isinstance(source, str) and source.lstrip().startswith("{"):
        problem = "load_history takes a dict or a file path, not JSON text; "
        problem += "parse it with json.loads first"
    elif isinstance(source, (str, Path)):
        try:
            return json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            problem = f"cannot read history file {str(source)!r}: {error}"
        except json.JSONDecodeError as error:
            problem = f"history file {str(source)!r} is not valid JSON: {error}"
    raise HistoryError("$", problem)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a document loads.

    A load makes several objects a job run and frees none of them: every collection would
    walk the whole document and all that is made so far for nothing (a quarter of a large
    load's time). Nothing a load makes is a cycle; reference counting frees as usual, and
    the collector starts again when the load ends. A collector that was off stays off.
    """
    running = gc.isenabled()
    if running:
        gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()


def load_history(document_or_path: Mapping[str, Any] | str | Path) -> list[SeededJobRun]:
    """Seed every job run of a history document (a dict, or the path of a JSON file).

    The whole document is validated first; a bad one raises HistoryError and seeds nothing.

        >>> [run] = load_history({"version": 1, "jobRuns": [{"attempts": [{"state": "SUCCESS"}]}]})
    """
    guard.require_mock("load_history")
    document = _read(document_or_path)
    backend = _document_backend(document)
    # concurrent loads see whole plans
    with backend.lock, _collector_paused(), undone_on_error(backend) as undo:
        plan = _planned(document, backend)
        for application in plan.applications:
            created = undo.resources.application(
                name=application.name,
                release_label=application.release_label,
                application_type=application.application_type,
                application_id=application.application_id,
            )
            undo.applications.append(application.application_id)
            attempt_logs.keep_monitoring(
                created, {"monitoringConfiguration": application.monitoring}
            )
            if application.scheduler is not None:
                backend.set_scheduler_configuration(created, dict(application.scheduler))
            application_document.restore(backend, created, application.over_time, clock())
        # Each plan is dropped once created: a large load's peak is then what it makes, not
        # that and all its plans.
        pending = plan.job_runs[::-1]
        plan.job_runs = []
        seeded = []
        queued = []
        while pending:
            run = pending.pop()
            found = _create(run, undo)
            seeded.append(found)
            restored = run.details.restored
            if restored is not None and restored.slot == "queued":
                key = (found.application_id, found.job_run_id)
                queued.append((restored, backend.histories[key]))
        in_flight.queue_in_order(queued, backend.slots_of)
        _pending.add(backend, plan.scripts, plan.faults)
        return seeded


__all__ = [
    "APPLICATION_KEYS",
    "DOCUMENT_KEYS",
    "JOB_RUN_KEYS",
    "SCHEMA_PATH",
    "export_history",
    "load_history",
    "plan_history",
    "regions_held",
    "render_time",
    "schema",
]
