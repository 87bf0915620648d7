"""What is still to happen, in a history document: pending scripts and faults.

A script belongs to one account and region, like every moto resource: `export_history` writes
the backend's pending scripts as the document's `scripts`, in the order they will be used. Faults
belong to the process (a fault may fire in any region), so only the state file writes them, as
`faults`; `load_history` takes both, after every job run of the document is created.

    "scripts": [{"applicationId": "00app", "outcomes": ["FAILED", {"state": "SUCCESS"}]}],
    "faults": [{"operation": "GetJobRun", "error": "ThrottlingException", "times": 2,
                "message": "Slow down.", "region": null, "account": null}]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Optional

from moto.core.models import DEFAULT_ACCOUNT_ID

from ..contract.errors import HistoryError, HistoryResourceNotFound, shown
from ..engine.lifecycle import Outcome
from ..logs.content import check_engine
from ..models import guard
from ..models.backend import AttemptsBackend, attempts_backends
from ..models.faults import FAULTS, Fault, make
from ..models.moto_resources import engine_of
from .attempt_input import _scripted

SCRIPT_KEYS = ("applicationId", "outcomes")
FAULT_KEYS = ("operation", "error", "times", "message", "region", "account")

Script = tuple[Optional[str], list[Outcome], dict[int, Any]]


def render_scripts(backend: AttemptsBackend, logs: Callable[[Any], Any]) -> list[dict[str, Any]]:
    """The backend's pending scripts, as the document (and the scripts endpoint) writes them."""
    rendered = []
    for application_id, outcomes, given in backend.scripts:
        written: list[Any] = []
        for number, outcome in enumerate(outcomes, 1):
            if outcome.state_details is None and number not in given:
                written.append(outcome.state)
                continue
            member: dict[str, Any] = {"state": outcome.state}
            if outcome.state_details is not None:
                member["stateDetails"] = outcome.state_details
            if number in given:
                member["logs"] = logs(given[number])
            written.append(member)
        rendered.append({"applicationId": application_id, "outcomes": written})
    return rendered


def render_faults() -> list[dict[str, Any]]:
    """Every pending fault of the process, as the faults endpoint takes them."""
    return [
        {
            "operation": fault.operation,
            "error": fault.error,
            "times": fault.remaining,
            "message": fault.message,
            "region": fault.region_name,
            "account": fault.account_id,
        }
        for fault in FAULTS.snapshot()
    ]


def _entries(value: Any, path: str, keys: tuple[str, ...], what: str) -> list[Mapping[str, Any]]:
    if not isinstance(value, list):
        raise HistoryError(path, f"must be a list of {what}s, not {shown(value)}")
    for index, entry in enumerate(value):
        if not isinstance(entry, Mapping):
            raise HistoryError(f"{path}[{index}]", f"must be an object, not {shown(entry)}")
        for key in entry:
            if key not in keys:
                raise HistoryError(
                    f"{path}[{index}].{key}", f"is not a {what} member; use {', '.join(keys)}"
                )
    return value


def parse_scripts(value: Any, backend: AttemptsBackend, listed: Mapping[str, str]) -> list[Script]:
    """Check a document's `scripts`; an application must exist or be listed in the document
    (`listed`: the document's new applications, to their types)."""
    scripts: list[Script] = []
    for index, entry in enumerate(_entries(value, "scripts", SCRIPT_KEYS, "script")):
        path = f"scripts[{index}]"
        application_id = entry.get("applicationId")
        if application_id is not None:
            if not isinstance(application_id, str):
                raise HistoryError(
                    f"{path}.applicationId", f"must be a string, not {shown(application_id)}"
                )
            if application_id not in backend.emr.applications and application_id not in listed:
                raise HistoryResourceNotFound.application(
                    f"{path}.applicationId", application_id, backend.account_id, backend.region_name
                )
        outcomes = entry.get("outcomes")
        if not isinstance(outcomes, list) or not outcomes:
            raise HistoryError(
                f"{path}.outcomes", f"must be a list of at least one outcome, not {shown(outcomes)}"
            )
        try:
            played, logs = _scripted(outcomes)
        except HistoryError as error:  # its paths start at `outcomes`
            raise HistoryError(f"{path}.{error.path}", error.problem) from None
        if application_id is not None and logs:
            found = backend.emr.applications.get(application_id)
            engine = listed[application_id] if found is None else str(engine_of(found))
            check_engine(logs, engine, f"{path}.outcomes", first=1)
        scripts.append((application_id, played, logs))
    return scripts


def parse_faults(value: Any) -> list[Fault]:
    """Check a document's `faults` (each as `inject_error` takes it)."""
    faults = []
    for index, entry in enumerate(_entries(value, "faults", FAULT_KEYS, "fault")):
        path = f"faults[{index}]"
        region, account = entry.get("region"), entry.get("account")
        try:
            if region is not None:
                guard.check_region(region, "region")
            if account is not None:
                guard.check_account(account, "account")
            faults.append(
                make(
                    entry.get("operation", "ListJobRunAttempts"),
                    entry.get("error", "InternalServerException"),
                    entry.get("times", 1),
                    entry.get("message"),
                    region,
                    account,
                )
            )
        except HistoryError as error:
            raise HistoryError(f"{path}.{error.path}", error.problem) from None
    return faults


def add(backend: AttemptsBackend, scripts: list[Script], faults: list[Fault]) -> None:
    """Queue the document's scripts after the backend's, and its faults after the process's."""
    backend.scripts.extend(scripts)
    for account in {fault.account_id for fault in faults}:
        attempts_backends[account or DEFAULT_ACCOUNT_ID]  # moto's reset then clears them too
    FAULTS.extend(faults)
