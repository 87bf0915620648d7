"""`moto-emrs-attempts record`: read one application's job runs and attempts from any endpoint.

It reads through boto3, from AWS (boto3's usual credential chain, `--profile`, `--region`) or
from any EMR Serverless endpoint (`--endpoint-url`, e.g. a moto-emrs-attempts server), with
`ListJobRuns`, `ListJobRunAttempts` and `GetJobRun(attempt=k)`, and returns a history document
that `load_history` replays, ids and times included.

    $ moto-emrs-attempts record --application-id 00fabcdexample --region eu-west-1 -o nightly.json
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Callable

from ..history.export import ECHO_WIRES, VERSION, render_time
from ..logs.content import to_document

#: Adaptive retries: throttling slows the client down; four tries before giving up.
_RETRIES = {"mode": "adaptive", "total_max_attempts": 4}


class RecordError(Exception):
    """A recording that cannot be done; the message is one line, for the terminal."""


def _time(value: Any) -> str | float:
    """A botocore timestamp as the history document writes times."""
    return render_time(value.timestamp())


def _attempt(item: dict[str, Any]) -> dict[str, Any]:
    attempt: dict[str, Any] = {"state": item["state"]}
    if item.get("stateDetails"):
        attempt["stateDetails"] = item["stateDetails"]
    for key in ("createdAt", "updatedAt"):
        if isinstance(item.get(key), datetime):
            attempt[key] = _time(item[key])
    return attempt


def _application(application: dict[str, Any]) -> dict[str, Any]:
    """The application as the history document creates it when it is missing."""
    document: dict[str, Any] = {"applicationId": application["applicationId"]}
    if application.get("name"):
        document["name"] = application["name"]
    document["releaseLabel"] = application["releaseLabel"]
    document["type"] = str(application["type"]).upper()
    if application.get("monitoringConfiguration"):  # where its job runs' logs go
        document["monitoringConfiguration"] = application["monitoringConfiguration"]
    if application.get("state"):  # the application as it was (SPEC 12)
        document["state"] = application["state"]
    for key in ("createdAt", "updatedAt"):
        if isinstance(application.get(key), datetime):
            document[key] = _time(application[key])
    for key in ("autoStartConfiguration", "autoStopConfiguration"):
        if application.get(key):
            document[key] = application[key]
    return document


def _job_run(job_run: dict[str, Any], attempts: list[dict[str, Any]]) -> dict[str, Any]:
    """One job run of the history document, from GetJobRun's answer and its attempts."""
    document: dict[str, Any] = {
        "jobRunId": job_run["jobRunId"],
        "applicationId": job_run["applicationId"],
    }
    if job_run.get("name"):
        document["name"] = job_run["name"]
    document["mode"] = job_run.get("mode", "BATCH")
    if job_run.get("retryPolicy"):
        document["retryPolicy"] = job_run["retryPolicy"]
    document["executionRoleArn"] = job_run["executionRole"]
    document["releaseLabel"] = job_run["releaseLabel"]
    if isinstance(job_run.get("createdAt"), datetime):
        document["createdAt"] = _time(job_run["createdAt"])
    if job_run.get("createdBy"):
        document["createdBy"] = job_run["createdBy"]
    for wire in ECHO_WIRES:
        if job_run.get(wire) is not None:
            document[wire] = job_run[wire]
    document["attempts"] = attempts
    return document


class Recorder:
    """Reads job runs and their attempts through one boto3 `emr-serverless` client."""

    def __init__(
        self,
        client: Any,
        progress: Callable[[int, int], None] | None = None,
        log_reader: Any = None,
    ) -> None:
        self.client = client
        self.progress = progress
        self.job_runs = 0
        self.attempts = 0
        #: `recording.log_reader.LogReader` for `--with-logs`, and the application it reads for.
        self.log_reader = log_reader
        self.application: dict[str, Any] = {}

    def job_run_ids(self, application_id: str) -> list[str]:
        """Every job run of the application, in ListJobRuns' order (newest first), which is
        the order `export_history` writes too."""
        pages = self.client.get_paginator("list_job_runs").paginate(applicationId=application_id)
        return list(dict.fromkeys(run["id"] for page in pages for run in page["jobRuns"]))

    def job_run(self, application_id: str, job_run_id: str) -> dict[str, Any]:
        """One job run and every attempt of it."""
        pages = self.client.get_paginator("list_job_run_attempts").paginate(
            applicationId=application_id, jobRunId=job_run_id
        )
        listed = [item for page in pages for item in page["jobRunAttempts"]]
        latest: dict[str, Any] | None = None
        attempts = []
        for item in listed:
            snapshot = self.client.get_job_run(
                applicationId=application_id, jobRunId=job_run_id, attempt=item["attempt"]
            )["jobRun"]
            attempts.append(_attempt(item))
            if self.log_reader is not None:
                logs = self.log_reader.attempt_logs(self.application, snapshot, item["attempt"])
                if logs:
                    attempts[-1]["logs"] = to_document(logs)
            latest = snapshot
            self.attempts += 1
            self._show()
        if latest is None:  # an endpoint without attempts: the job run is its only attempt
            latest = self.client.get_job_run(applicationId=application_id, jobRunId=job_run_id)[
                "jobRun"
            ]
            attempts.append(_attempt(latest))
            self.attempts += 1
        self.job_runs += 1
        self._show()
        return _job_run(latest, attempts)

    def record(self, application_id: str, job_run_ids: Sequence[str] = ()) -> dict[str, Any]:
        """The history document of the application's job runs (all, or those named)."""
        # An unknown application is a not-found error now, not an empty recording.
        application = self.client.get_application(applicationId=application_id)["application"]
        self.application = application
        ids = list(dict.fromkeys(job_run_ids)) or self.job_run_ids(application_id)
        runs = [self.job_run(application_id, job_run_id) for job_run_id in ids]
        document: dict[str, Any] = {"version": VERSION, "region": self.client.meta.region_name}
        arn = application.get("arn", "").split(":")
        if len(arn) > 4 and arn[4].isdigit():
            document["account"] = arn[4]
        document["applications"] = [_application(application)]
        document["jobRuns"] = runs
        return document

    def _show(self) -> None:
        if self.progress is not None:
            self.progress(self.job_runs, self.attempts)


def client(region: str | None, endpoint_url: str | None, profile: str | None) -> Any:
    """A boto3 `emr-serverless` client with adaptive retries; `RecordError` for bad options."""
    import boto3
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError

    try:
        session = boto3.session.Session(profile_name=profile, region_name=region)
    except BotoCoreError as error:  # ProfileNotFound
        raise RecordError(f"{error}.") from None
    name = session.region_name
    if not name:
        raise RecordError("Name a region: pass --region or set AWS_DEFAULT_REGION.")
    served = {
        served
        for partition in session.get_available_partitions()
        for served in session.get_available_regions("emr-serverless", partition)
    }
    if name not in served:
        raise RecordError(f"--region {name!r} is not a region EMR Serverless serves.")
    try:
        return session.client(
            "emr-serverless", endpoint_url=endpoint_url, config=Config(retries=_RETRIES)
        )
    except (BotoCoreError, ValueError) as error:  # e.g. an endpoint URL that is not a URL
        raise RecordError(f"{error}.".replace("..", ".")) from None


#: How much of an answer that is not EMR Serverless's (an HTML page, say) a message shows.
EXCERPT_CHARACTERS = 100


def _one_line(text: str) -> str:
    """`text` on one line: every run of whitespace (newlines included) is one space."""
    return " ".join(text.split())


def _excerpt(text: str) -> str:
    """The start of `text` on one line, at most `EXCERPT_CHARACTERS` and an ellipsis."""
    line = _one_line(text)
    if len(line) <= EXCERPT_CHARACTERS:
        return line
    return line[:EXCERPT_CHARACTERS].rstrip() + "..."


def _log_reader(emr: Any, endpoint_url: str | None, profile: str | None) -> Any:
    """The reader of `--with-logs`: S3 and CloudWatch Logs clients of the recording's session."""
    import boto3
    from botocore.config import Config

    from .log_reader import LogReader, clients

    session = boto3.session.Session(profile_name=profile, region_name=emr.meta.region_name)
    s3, logs = clients(session, endpoint_url, Config(retries=_RETRIES))
    return LogReader(s3, logs, sys.stderr, show_progress=sys.stderr.isatty())


def _explain(error: Exception, application_id: str, endpoint: str) -> str:
    """One line that says what went wrong and what to do.

    An answer without an AWS error code (botocore then names the error after the HTTP status)
    is not EMR Serverless's: a web server's HTML page, say. Only its start is shown.
    """
    from botocore.exceptions import (
        ClientError,
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        PartialCredentialsError,
    )

    if isinstance(error, (NoCredentialsError, PartialCredentialsError)):
        return (
            f"No AWS credentials found ({error}); configure them (aws configure, "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) or pass --profile."
        )
    if isinstance(error, (EndpointConnectionError, ConnectTimeoutError)):
        return f"Cannot reach the endpoint {endpoint}: {error}."
    if isinstance(error, ClientError):
        code = str(error.response.get("Error", {}).get("Code", "Unknown"))
        body = str(error.response.get("Error", {}).get("Message", ""))
        metadata = error.response.get("ResponseMetadata", {})
        attempts = metadata.get("RetryAttempts", 0)
        if code.isdigit():
            status = metadata.get("HTTPStatusCode", code)
            shown = _excerpt(body) or "an empty body"
            return (
                f"The endpoint {endpoint} answered HTTP {status} without an EMR Serverless "
                f"error: {shown}"
            )
        message = _one_line(body or str(error))
        if code == "AccessDeniedException":
            return f"Access denied: {message}"
        if code == "ResourceNotFoundException":
            return f"Not found in {endpoint}: {message}"
        if code in ("ThrottlingException", "TooManyRequestsException"):
            return f"Still throttled after {attempts + 1} tries ({message}); try again later."
        return f"{code}: {message}"
    return _one_line(f"{type(error).__name__}: {error}")


def _counter(stream: IO[str]) -> Callable[[int, int], None]:
    def show(job_runs: int, attempts: int) -> None:
        stream.write(f"\rrecorded {job_runs} job runs, {attempts} attempts")
        stream.flush()

    return show


def record(
    application_id: str,
    job_run_ids: Iterable[str] = (),
    *,
    region: str | None = None,
    endpoint_url: str | None = None,
    profile: str | None = None,
    output: Path | None = None,
    with_logs: bool = False,
) -> dict[str, Any]:
    """Record one application's job runs and write the history document to `output` (a path)
    or stdout; return it. Every failure is a `RecordError` with one line to show. `with_logs`
    also records each attempt's logs from S3 and CloudWatch Logs (`recording.log_reader`)."""
    from botocore.exceptions import BotoCoreError, ClientError

    emr = client(region, endpoint_url, profile)
    endpoint = emr.meta.endpoint_url
    progress = _counter(sys.stderr) if sys.stderr.isatty() else None
    recorder = Recorder(
        emr, progress, _log_reader(emr, endpoint_url, profile) if with_logs else None
    )
    try:
        document = recorder.record(application_id, list(job_run_ids))
    except (BotoCoreError, ClientError) as error:
        raise RecordError(_explain(error, application_id, endpoint)) from None
    except (KeyError, TypeError, AttributeError) as error:  # an answer without a member
        raise RecordError(
            f"The endpoint {endpoint} answered without a member EMR Serverless always sends: "
            f"{error!r}."
        ) from None
    finally:
        if progress is not None and (recorder.job_runs or recorder.attempts):
            sys.stderr.write("\n")
    text = json.dumps(document, indent=2) + "\n"
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise RecordError(f"Cannot write {output}: {error.strerror or error}.") from None
    return document
