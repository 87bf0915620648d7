"""The state file of `serve --state-file PATH`: what it holds, and how it is locked, read and written.

`state_document` and `load_state` are the document: the plugin's whole state, and how it comes
back. The rest is the file, and knows nothing of what the document holds:

- `opened(path)` checks that the file can be written, takes the lock beside it for as long as
  the server serves (a second server on the same file, or on another link to it, stops with one
  line), removes the temporary files of interrupted writes, and loads the file;
- `save_state(path, document)` writes atomically through any symbolic link to its target, and
  when that fails saves the state to a recovery file in the temporary directory instead.

Every failure is a `StateFileError` with a one-line message.
"""

from __future__ import annotations

import fcntl
import glob
import json
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from moto.core.models import DEFAULT_ACCOUNT_ID

from ..contract.errors import HistoryError
from ..contract.utf8 import utf8
from ..history import pending
from ..history.document import export_history, load_history
from ..models.backend import attempts_backends
from ..models.faults import FAULTS

#: What the name of a recovery file starts with, in the temporary directory.
RECOVERY_PREFIX = "moto-emrs-attempts-recovery-"
#: How long a second server waits for the lock holder to write its pid.
_PID_WAIT_SECONDS = 1.0


class StateFileError(Exception):
    """A state file that cannot be locked, read, loaded or written; the message is one line."""


# -- the document ------------------------------------------------------------------------


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
    faults = pending.render_faults()  # the process's, so the document's top level's
    if len(documents) > 1:
        return {"version": 1, "histories": documents, **({"faults": faults} if faults else {})}
    if documents:
        document = documents[0]
    else:
        document = export_history(region_name="us-east-1", account_id=DEFAULT_ACCOUNT_ID)
    if faults:
        document["faults"] = faults
    return document


def load_state(document: Any) -> int:
    """Load a state document (either form of `state_document`); return the job runs loaded."""
    if isinstance(document, dict) and "histories" in document:
        unknown = sorted(set(document) - {"version", "histories", "faults"})
        if document.get("version") != 1:
            raise HistoryError("version", f"must be 1, not {document.get('version')!r}")
        if unknown:
            raise HistoryError(unknown[0], "is not a member of a state document")
        histories = document["histories"]
        if not isinstance(histories, list):
            raise HistoryError("histories", "must be a list of history documents")
        faults = pending.parse_faults(document.get("faults", []))
        loaded = 0
        for index, history in enumerate(histories):
            if not isinstance(history, dict):
                raise HistoryError(f"histories[{index}]", "must be a history document")
            try:
                loaded += len(load_history(history))
            except HistoryError as error:
                raise HistoryError(f"histories[{index}].{error.path}", error.problem) from None
        FAULTS.extend(faults)
        return loaded
    if not isinstance(document, dict):
        raise HistoryError("", f"must be a history document, not {type(document).__name__}")
    return len(load_history(document))


# -- the file ----------------------------------------------------------------------------


def _reason(error: OSError) -> str:
    """What went wrong, without the name of a temporary file the user never chose."""
    return error.strerror or str(error)


def target(path: Path) -> Path:
    """The file that `path` names once every symbolic link is followed (it may not exist yet).

    Writing replaces this file, so a link stays a link; the lock and the temporary files go
    beside it, so servers on two links to one file conflict.
    """
    return Path(os.path.realpath(path))


def lock_path(path: Path) -> Path:
    """The lock file of the state file `path`: `.<name>.lock` beside its target."""
    real = target(path)
    return real.with_name(f".{real.name}.lock")


def check_writable(path: Path) -> None:
    """Fail now, not at shutdown, when the state file cannot be written."""
    real = target(path)
    directory = real.parent
    if real.is_dir():
        raise StateFileError(f"the state file {path} is a directory")
    if not directory.is_dir():
        raise StateFileError(f"cannot write the state file {path}: {directory} is not a directory")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise StateFileError(f"cannot write the state file {path}: {directory} is not writable")


def _holder(descriptor: int) -> str:
    """The pid the lock's holder wrote, waiting briefly: it writes it just after locking."""
    deadline = time.monotonic() + _PID_WAIT_SECONDS
    while True:
        with suppress(OSError):
            written = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip()
            if written.isdigit():
                return f"pid {written}"
        if time.monotonic() >= deadline:
            return "pid unknown"
        time.sleep(0.02)


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """Hold the state file's lock (`flock`, exclusive) for as long as the block runs.

    The lock file holds the holder's pid and stays when the block ends: unlinking a file others
    may be locking would let two servers hold two different locks on one path.

        >>> with locked(Path("emrs-state.json")):
        ...     pass
    """
    lock = lock_path(path)
    try:
        descriptor = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as error:
        raise StateFileError(
            f"cannot lock the state file {path}: {lock}: {_reason(error)}"
        ) from None
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StateFileError(
                f"the state file {path} is in use by another server ({_holder(descriptor)}); "
                "stop it or use another --state-file"
            ) from None
        except OSError as error:
            raise StateFileError(
                f"cannot lock the state file {path}: {lock}: {_reason(error)}"
            ) from None
        os.ftruncate(descriptor, 0)
        os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(descriptor)  # releases the lock


def _temporary_prefix(real: Path) -> str:
    return f".{real.name}."


def remove_leftovers(path: Path) -> None:
    """Remove the temporary files of writes that a crash interrupted (hold the lock first)."""
    real = target(path)
    for leftover in real.parent.glob(f"{glob.escape(_temporary_prefix(real))}*.tmp"):
        with suppress(OSError):
            leftover.unlink()


def read_state(path: Path) -> int:
    """Load the state file at `path` if it exists; return the job runs loaded."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return 0
    except (OSError, UnicodeDecodeError) as error:
        raise StateFileError(f"cannot read the state file {path}: {error}") from None
    too_deep = f"the state file {path} is not a state document: it is nested too deeply"
    try:
        document = json.loads(text)
    except RecursionError:  # Python's parser and the checks recurse; no document is that deep
        raise StateFileError(too_deep) from None
    except ValueError as error:
        raise StateFileError(f"the state file {path} is not JSON: {error}") from None
    try:
        return load_state(document)
    except RecursionError:
        raise StateFileError(too_deep) from None
    except HistoryError as error:
        raise StateFileError(f"the state file {path} is not a state document: {error}") from None


@contextmanager
def opened(path: Path) -> Iterator[int]:
    """Check, lock and load the state file; the lock is held until the block ends.

    Yields the number of job runs loaded. Write the state back with `save_state` before the
    block ends, so that no other server reads the file in between.

        >>> with opened(Path("emrs-state.json")) as loaded:
        ...     save_state(Path("emrs-state.json"), state_document())
    """
    check_writable(path)
    with locked(path):
        remove_leftovers(path)
        yield read_state(path)


def _mode(real: Path) -> int:
    """The permissions of the file being replaced, else those a new file gets."""
    try:
        return real.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _write(descriptor: int, data: bytes, mode: int | None = None) -> None:
    """Give the file `mode`, write all of `data`, flush it to disk, and close the descriptor."""
    with os.fdopen(descriptor, "wb") as file:
        if mode is not None:
            os.fchmod(descriptor, mode)
        file.write(data)
        file.flush()
        os.fsync(file.fileno())


def write_state(path: Path, data: bytes) -> None:
    """Write `data` over the state file atomically: a temporary file beside its target, flushed
    to disk, then renamed over the target. A crash at any moment leaves the old file or the new
    one. Raises `OSError`; the temporary file is gone."""
    real = target(path)
    descriptor, temporary = tempfile.mkstemp(
        prefix=_temporary_prefix(real), suffix=".tmp", dir=real.parent
    )
    try:
        _write(descriptor, data, _mode(real))
        os.replace(temporary, real)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    with suppress(OSError):  # the rename itself survives a power cut once this is done
        directory = os.open(real.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def recover(path: Path, data: bytes) -> Path:
    """Save `data` to a new recovery file in the temporary directory; return its path.

    Its name says what it is and cannot collide: `moto-emrs-attempts-recovery-<name>-<random>.json`
    (readable by its owner only). Raises `OSError`; no partial file is left.
    """
    prefix = f"{RECOVERY_PREFIX}{target(path).name[:100]}-"
    descriptor, recovery = tempfile.mkstemp(prefix=prefix, suffix=".json")
    try:
        _write(descriptor, data)
    except BaseException:
        with suppress(OSError):
            os.unlink(recovery)
        raise
    return Path(recovery)


def save_state(path: Path, document: Any) -> None:
    """Write `document` to the state file; when that fails, to a recovery file instead.

    The state file is then left as it was, and `StateFileError` says where the state went:

        >>> save_state(Path("/full-disk/emrs-state.json"), state_document())
        Traceback (most recent call last):
        StateFileError: cannot write the state file /full-disk/emrs-state.json: No space left on
        device; the state is saved in /tmp/moto-emrs-attempts-recovery-emrs-state.json-k2j4h1ab.json
        instead
    """
    try:
        # total: text UTF-8 cannot encode (which no validated input holds) is replaced, so
        # that the server never writes a state file it cannot read back
        data = utf8(json.dumps(document, ensure_ascii=False, separators=(",", ":")))
    except (TypeError, ValueError, RecursionError) as error:
        raise StateFileError(
            f"cannot write the state file {path}: the state is not JSON ({error})"
        ) from None
    try:
        write_state(path, data)
        return
    except OSError as error:
        failure = f"cannot write the state file {path}: {_reason(error)}"
    try:
        recovery = recover(path, data)
    except OSError as error:
        try:
            directory = tempfile.gettempdir()
        except OSError:  # none is usable: the error said so already
            directory = "the temporary directory"
        raise StateFileError(
            f"{failure}; the state is lost: a recovery file in {directory} cannot be written "
            f"either: {_reason(error)}"
        ) from None
    raise StateFileError(f"{failure}; the state is saved in {recovery} instead")
