"""The state file of `serve --state-file PATH`: what it holds, and how it is read and written.

`state_document` and `load_state` are the document: the plugin's whole state, and how it comes
back. The rest is the file: checked on start, loaded, and written atomically on shutdown.
"""

from __future__ import annotations

import glob
import json
import os
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID

from .exceptions import HistoryError
from .history import export_history, load_history
from .models import attempts_backends


class StateFileError(Exception):
    """A state file that cannot be read, loaded or written; the message is one line."""


def _places() -> list[tuple[str, str]]:
    """The (account, region) pairs that hold applications, job runs or attempts, in order."""
    from moto.emrserverless.models import emrserverless_backends

    places = {
        (account, region)
        for account, regions in list(emrserverless_backends.items())
        for region, backend in list(regions.items())
        if backend.applications or backend.job_runs
    }
    places.update(
        (account, region)
        for account, regions in list(attempts_backends.items())
        for region, backend in list(regions.items())
        if backend.histories
    )
    return sorted(places)


def state_document() -> dict[str, Any]:
    """The plugin's whole state as one JSON document.

    One account and region (or none): a plain history document, as `load_history` takes it.
    Several: `{"version": 1, "histories": [document, ...]}`, one history document each.
    """
    documents = [export_history(region_name=r, account_id=a) for a, r in _places()]
    if len(documents) == 1:
        return documents[0]
    if not documents:
        return export_history(region_name="us-east-1", account_id=DEFAULT_ACCOUNT_ID)
    return {"version": 1, "histories": documents}


def load_state(document: Any) -> int:
    """Load a state document (either form of `state_document`); return the job runs loaded."""
    if isinstance(document, dict) and "histories" in document:
        unknown = sorted(set(document) - {"version", "histories"})
        if document.get("version") != 1:
            raise HistoryError("version", f"must be 1, not {document.get('version')!r}")
        if unknown:
            raise HistoryError(unknown[0], "is not a member of a state document")
        histories = document["histories"]
        if not isinstance(histories, list):
            raise HistoryError("histories", "must be a list of history documents")
        loaded = 0
        for index, history in enumerate(histories):
            if not isinstance(history, dict):
                raise HistoryError(f"histories[{index}]", "must be a history document")
            try:
                loaded += len(load_history(history))
            except HistoryError as error:
                raise HistoryError(f"histories[{index}].{error.path}", error.problem) from None
        return loaded
    if not isinstance(document, dict):
        raise HistoryError("", f"must be a history document, not {type(document).__name__}")
    return len(load_history(document))


def read_state(path: Path) -> int:
    """Load the state file at `path` if it exists; return the job runs loaded."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return 0
    except (OSError, UnicodeDecodeError) as error:
        raise StateFileError(f"cannot read the state file {path}: {error}") from None
    try:
        document = json.loads(text)
    except ValueError as error:
        raise StateFileError(f"the state file {path} is not JSON: {error}") from None
    try:
        return load_state(document)
    except HistoryError as error:
        raise StateFileError(f"the state file {path} is not a state document: {error}") from None


def _temporary_prefix(path: Path) -> str:
    return f".{path.name}."


def _mode(path: Path) -> int:
    """The permissions of the file being replaced, else those a new file gets."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def remove_leftovers(path: Path) -> None:
    """Remove the temporary files of writes that a crash interrupted."""
    for leftover in path.parent.glob(f"{glob.escape(_temporary_prefix(path))}*.tmp"):
        with suppress(OSError):
            leftover.unlink()


def check_writable(path: Path) -> None:
    """Fail now, not at shutdown, when the state file cannot be written."""
    directory = path.parent
    if path.is_dir():
        raise StateFileError(f"the state file {path} is a directory")
    if not directory.is_dir():
        raise StateFileError(f"cannot write the state file {path}: {directory} is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise StateFileError(f"cannot write the state file {path}: {directory} is not writable")


def write_state(path: Path, document: Any) -> None:
    """Write `document` to `path` atomically: a temporary file in the same directory, flushed
    to disk, then renamed over `path`. A crash at any moment leaves the old file or the new one."""
    descriptor, temporary = tempfile.mkstemp(
        prefix=_temporary_prefix(path), suffix=".tmp", dir=path.parent
    )
    try:
        os.fchmod(descriptor, _mode(path))
        with os.fdopen(descriptor, "w", encoding="utf-8") as file:
            json.dump(document, file, separators=(",", ":"))
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        with suppress(OSError):
            os.unlink(temporary)
        if isinstance(error, OSError):
            raise StateFileError(f"cannot write the state file {path}: {error}") from None
        raise
    with suppress(OSError):  # the rename itself survives a power cut once this is done
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
