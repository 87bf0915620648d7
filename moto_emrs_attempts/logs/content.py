"""What an attempt's logs are: their names, the content seeds give them, the content the
plugin makes up when none is given, and their plain-JSON form in history documents.

A log is named as EMR Serverless lays it out under an attempt's folder, without `.gz`:
`SPARK_DRIVER/stdout`, `SPARK_DRIVER/stderr`, `SPARK_EXECUTOR/1/stdout`, `HIVE_DRIVER/stderr`,
`TEZ_TASK/1/stdout`. Its content is a `str` or `bytes`. Nothing here reads a backend.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, Union

from ..contract.errors import HistoryError
from ..contract.shape_checks import check_text

LogContent = Union[str, bytes]
Logs = Mapping[str, LogContent]

#: The worker types of `cloudWatchLoggingConfiguration.logTypes` (the API reference lists them;
#: the botocore model leaves its keys free), and those that run one process per job run.
WORKERS = ("SPARK_DRIVER", "SPARK_EXECUTOR", "HIVE_DRIVER", "TEZ_TASK")
DRIVERS = ("SPARK_DRIVER", "HIVE_DRIVER")
#: The log types of `logTypes`' values, as the S3 and stream names spell them (lower case).
TYPES = ("stdout", "stderr", "hive_log", "tez_am", "system_logs")
#: The workers of each engine and the log types each writes, as the user guide's "Logging for
#: EMR Serverless with CloudWatch" lists them for `logTypes`.
ENGINE_LOGS: dict[str, dict[str, tuple[str, ...]]] = {
    "SPARK": {"SPARK_DRIVER": ("stdout", "stderr"), "SPARK_EXECUTOR": ("stdout", "stderr")},
    "HIVE": {
        "HIVE_DRIVER": ("stdout", "stderr", "hive_log", "tez_am"),
        "TEZ_TASK": ("stdout", "stderr", "system_logs"),
    },
}
_NAME = re.compile(
    r"(?P<worker>SPARK_DRIVER|HIVE_DRIVER)/(?P<type>[a-z_]+)"
    r"|(?P<pool>SPARK_EXECUTOR|TEZ_TASK)/(?P<id>[A-Za-z0-9_.-]{1,64})/(?P<ptype>[a-z_]+)"
)
#: The JSON form of bytes content in a history document: `{"base64": "..."}`.
BASE64 = "base64"


def split_name(name: str) -> tuple[str, str] | None:
    """The worker type and the log type of a log name, or None for a name that is not one."""
    found = _NAME.fullmatch(name)
    if found is None:
        return None
    if found["id"] is not None and not found["id"].strip("."):
        return None  # `.` or `..`: a folder of its own in S3 keys and stream names
    worker, kind = found["worker"] or found["pool"], found["type"] or found["ptype"]
    return (worker, kind) if kind in TYPES else None


def engine_problem(name: str, engine: str) -> str | None:
    """Why a log `name` (a log name) is not one an application of `engine` writes, or None."""
    split = split_name(name)
    workers = ENGINE_LOGS.get(engine.upper())
    if split is None or workers is None or split[1] in workers.get(split[0], ()):
        return None
    written = "; ".join(f"{worker}: {', '.join(kinds)}" for worker, kinds in workers.items())
    return f"{name!r} is not a log a {engine.upper()} application writes ({written})"


def for_engine(logs: Mapping[int, Logs] | None, engine: str) -> dict[int, Logs] | None:
    """Of attempts' logs by number, those an application of `engine` writes (a script for any
    application may be played by either engine's)."""
    if not logs:
        return None
    kept = {
        number: {name: text for name, text in given.items() if not engine_problem(name, engine)}
        for number, given in logs.items()
    }
    return {number: given for number, given in kept.items() if given} or None


def check_engine(logs: Mapping[int, Logs], engine: str, path: str, first: int = 0) -> None:
    """Raise HistoryError for the first log that `engine` does not write; `logs` are by attempt
    index counted from `first`, `path` the attempts' path (`jobRuns[0].attempts`)."""
    for index in sorted(logs):
        for name in logs[index]:
            problem = engine_problem(name, engine)
            if problem is not None:
                raise HistoryError(f"{path}[{index - first}].logs", problem)


def name_problem(name: Any) -> str | None:
    """Why `name` is not a log name, or None."""
    if isinstance(name, str) and split_name(name) is not None:
        return None
    if isinstance(name, str) and any(not part.strip(".") for part in name.split("/")):
        return f"{name!r} is not a log name: a segment is empty, '.' or '..'"
    return (
        f"{name!r} is not a log name; use a driver's such as 'SPARK_DRIVER/stdout' or "
        f"'HIVE_DRIVER/stderr', or a worker's such as 'SPARK_EXECUTOR/1/stdout' "
        f"(log types: {', '.join(TYPES)})"
    )


def check_logs(value: Any, path: str, *, document: bool = False) -> dict[str, LogContent]:
    """Validate an attempt's `logs`: names to `str` or `bytes` (in a document: to a string, or
    `{"base64": "..."}` for bytes). Raises HistoryError at the first problem."""
    if not isinstance(value, Mapping):
        raise HistoryError(path, f"must be an object of log names to their text, not {value!r}")
    checked: dict[str, LogContent] = {}
    for name, content in value.items():
        problem = name_problem(name)
        if problem is not None:
            raise HistoryError(path, problem)
        where = f"{path}.{name}"
        if document and isinstance(content, Mapping):
            content = _from_base64(content, where)
        if not isinstance(content, (str, bytes)):
            wanted = 'a string or {"base64": ...}' if document else "a str or bytes"
            raise HistoryError(where, f"must be {wanted}, not {content!r}")
        if isinstance(content, str):
            check_text(content, where)  # a log's text is written in UTF-8
        checked[name] = content
    return checked


def _from_base64(value: Mapping[str, Any], path: str) -> bytes:
    text = value.get(BASE64)
    if set(value) != {BASE64} or not isinstance(text, str):
        raise HistoryError(path, 'bytes are written {"base64": "<base64 text>"}, and nothing else')
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise HistoryError(f"{path}.{BASE64}", "is not base64 text") from None


def to_document(logs: Logs) -> dict[str, Any]:
    """The plain-JSON form of an attempt's logs: text as it is, bytes as `{"base64": ...}`."""
    return {
        name: content
        if isinstance(content, str)
        else {BASE64: base64.b64encode(content).decode("ascii")}
        for name, content in logs.items()
    }


# -- content made up when none is given ---------------------------------------------------


def _stamp(epoch: float) -> str:
    """log4j's `yy/MM/dd HH:mm:ss`, as Spark drivers write it."""
    return datetime.fromtimestamp(epoch, timezone.utc).strftime("%y/%m/%d %H:%M:%S")


def default_logs(
    driver: str,
    *,
    job_run_id: str,
    name: str | None,
    release_label: str,
    attempt: int,
    state: str,
    state_details: str,
    started_at: float,
    updated_at: float,
) -> dict[str, str]:
    """A few realistic lines of a driver's stdout and stderr. Every line but the last is the same
    whatever the outcome (they are written while the attempt runs); a FAILED attempt's stderr
    ends with its stateDetails."""
    begin, end = _stamp(started_at), _stamp(updated_at)
    label = name or job_run_id
    if driver == "HIVE_DRIVER":
        err = [
            f"{begin} INFO SessionState: Hive Session ID = {job_run_id}-{attempt}",
            f"{begin} INFO Driver: Compiling command (queryId={job_run_id}-{attempt}): {label}",
            f"{begin} INFO Driver: Executing command (queryId={job_run_id}-{attempt})",
        ]
        ok = f"{end} INFO Driver: Completed executing command (queryId={job_run_id}-{attempt})"
        out = [f"Attempt {attempt} of job run {job_run_id} on {release_label}"]
        result = "OK"
    else:
        err = [
            f"{begin} INFO SparkContext: Running Spark on {release_label}",
            f"{begin} INFO SparkContext: Submitted application: {label} (attempt {attempt})",
            f"{begin} INFO DAGScheduler: Got job 0 with 2 output partitions",
        ]
        ok = f"{end} INFO SparkContext: Successfully stopped SparkContext"
        out = [f"Attempt {attempt} of job run {job_run_id} on {release_label}"]
        result = "Pi is roughly 3.141592"
    if state == "FAILED":
        err.append(f"{end} ERROR {driver}: {state_details}")
        out.append("The job did not finish.")
    elif state == "CANCELLED":
        err.append(f"{end} WARN {driver}: {state_details}")
        out.append("The job did not finish.")
    elif state == "SUCCESS":
        err.append(ok)
        out.append(result)
    else:  # still running: only the lines written while it runs
        err.append("")
        out.append("")
    return {
        f"{driver}/stdout": "\n".join(out) + "\n",
        f"{driver}/stderr": "\n".join(err) + "\n",
    }


def while_running(content: LogContent) -> LogContent:
    """What a log holds while its attempt runs: every line but the last."""
    if isinstance(content, str):
        lines = content.splitlines(keepends=True)
        return "".join(lines[:-1])
    raw = content.splitlines(keepends=True)
    return b"".join(raw[:-1])


def lines_of(content: LogContent) -> list[str]:
    """A log's non-empty lines, as CloudWatch events (bytes are read as UTF-8)."""
    text = content if isinstance(content, str) else content.decode("utf-8", errors="replace")
    return [line for line in text.splitlines() if line.strip()]
