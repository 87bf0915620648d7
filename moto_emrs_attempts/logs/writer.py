"""What an attempt leaves behind: its driver's logs, written into moto's own S3 and CloudWatch
Logs backends (directly, never over HTTP), as moto's Batch and Lambda write theirs.

Where they go is the job run's `configurationOverrides.monitoringConfiguration`, merged over its
application's (`monitoring_of`); `Destinations` is that, resolved. A job run without either has
no writer (`JobRunHistory.log_writer` is None), and costs nothing more. A `LogWriter` is called
whenever the run's attempts change (`Progression.sync`): an attempt's logs appear when it reaches
RUNNING (every line but the last) and hold the whole text once it ends.

    S3:          <logUri>/applications/<app>/jobs/<run>/[attempts/<n>/]SPARK_DRIVER/stdout.gz
    CloudWatch:  <logStreamNamePrefix>/applications/<app>/jobs/<run>/[attempts/<n>/]SPARK_DRIVER/stdout
"""

from __future__ import annotations

import copy
import gzip
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from moto.logs.models import logs_backends
from moto.s3.exceptions import S3ClientError
from moto.s3.models import s3_backends

from ..contract.policies import DEFAULT_MAX_ATTEMPTS, DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR
from ..engine.job_run import JobRunHistory
from ..engine.lifecycle import TERMINAL, AttemptRecord, Outcome, started
from .content import DRIVERS, LogContent, Logs, default_logs, lines_of, split_name
from .content import while_running as _while_running

#: CloudWatch's log group when `logGroupName` is not given (AWS's default).
DEFAULT_LOG_GROUP = "/aws/emr-serverless"
_S3_URI = re.compile(r"s3://(?P<bucket>[^/]+)(?P<path>/.*)?", re.S)
_MEMBER = MONITORING = "monitoringConfiguration"
#: The attribute of moto's application that keeps its monitoring configuration (moto keeps
#: none; moto releases that render applications from their attributes answer it by this name).
_ATTRIBUTE = "monitoring_configuration"


def keep_monitoring(application: Any, body: Any) -> None:
    """Keep the `monitoringConfiguration` of a CreateApplication or UpdateApplication body on
    moto's application (UpdateApplication replaces it as a whole, as AWS does)."""
    given = body.get(_MEMBER) if isinstance(body, Mapping) else None
    if isinstance(given, Mapping):
        setattr(application, _ATTRIBUTE, copy.deepcopy(dict(given)))


def kept_monitoring(application: Any) -> dict[str, Any] | None:
    """The monitoring configuration kept on moto's application, if any."""
    found = getattr(application, _ATTRIBUTE, None)
    return found if isinstance(found, dict) else None


def merged(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`over` merged into `base`, member by member (the job run's settings win): the merge
    dagster-aws's reader makes of an application's and a job run's monitoring configurations."""
    result = copy.deepcopy(dict(base))
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(result.get(key), Mapping):
            result[key] = merged(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def monitoring_of(application: Any, configuration_overrides: Any) -> dict[str, Any] | None:
    """A job run's monitoring configuration: its own over its application's; None for none."""
    base = getattr(application, _ATTRIBUTE, None) if application else None
    over = (
        configuration_overrides.get(_MEMBER)
        if isinstance(configuration_overrides, Mapping)
        else None
    )
    if not base and not over:
        return None
    return merged(base if isinstance(base, Mapping) else {}, over or {})


@dataclass(frozen=True)
class Destinations:
    """Where a job run's logs go. `bucket` None: no S3 logs; `log_group` None: no CloudWatch."""

    driver: str
    log_uri: str | None = None
    bucket: str | None = None
    key_prefix: str = ""
    log_group: str | None = None
    #: The log group was named (not AWS's default): it must exist.
    named_group: bool = False
    stream_prefix: str = ""
    #: CloudWatch's streams: worker type -> log types (lower case) it gets.
    log_types: Mapping[str, frozenset[str]] | None = None

    def s3_key(self, application_id: str, job_run_id: str, attempt: int, name: str) -> str:
        return self.key_prefix + _folder(application_id, job_run_id, attempt) + name + ".gz"

    def stream(self, application_id: str, job_run_id: str, attempt: int, name: str) -> str:
        # dagster-aws joins the prefix as given to "/applications/...": so does AWS's layout
        return f"{self.stream_prefix}/{_folder(application_id, job_run_id, attempt)}{name}"

    def to_cloudwatch(self, name: str) -> bool:
        split = split_name(name)
        if split is None or self.log_group is None:
            return False
        types = (self.log_types or {}).get(split[0])
        return types is not None and split[1] in types


def _folder(application_id: str, job_run_id: str, attempt: int) -> str:
    folder = f"applications/{application_id}/jobs/{job_run_id}/"
    return folder if attempt == 1 else f"{folder}attempts/{attempt}/"


def destinations(monitoring: Mapping[str, Any] | None, job_type: str) -> Destinations | None:
    """Resolve a monitoring configuration; None when it sends logs nowhere."""
    if not monitoring:
        return None
    driver = "HIVE_DRIVER" if str(job_type).upper() == "HIVE" else "SPARK_DRIVER"
    found: dict[str, Any] = {"driver": driver}
    s3 = monitoring.get("s3MonitoringConfiguration")
    log_uri = s3.get("logUri") if isinstance(s3, Mapping) else None
    if isinstance(log_uri, str) and log_uri:
        found["log_uri"] = log_uri
        uri = _S3_URI.fullmatch(log_uri)
        if uri is not None:
            path = (uri["path"] or "").strip("/")
            found.update(bucket=uri["bucket"], key_prefix=f"{path}/" if path else "")
    cloudwatch = monitoring.get("cloudWatchLoggingConfiguration")
    if isinstance(cloudwatch, Mapping) and cloudwatch.get("enabled") is True:
        group = cloudwatch.get("logGroupName")
        found.update(
            log_group=group or DEFAULT_LOG_GROUP,
            named_group=bool(group),
            stream_prefix=cloudwatch.get("logStreamNamePrefix") or "",
            log_types=_log_types(cloudwatch.get("logTypes"), driver),
        )
    if "log_uri" not in found and "log_group" not in found:
        return None
    return Destinations(**found)


def _log_types(given: Any, driver: str) -> Mapping[str, frozenset[str]]:
    """`logTypes` by worker type, in lower case; by default the driver's STDOUT and STDERR."""
    if not isinstance(given, Mapping) or not given:
        return {driver: frozenset(("stdout", "stderr"))}
    return {
        str(worker): frozenset(str(kind).lower() for kind in kinds)
        for worker, kinds in given.items()
        if isinstance(kinds, (list, tuple))
    }


# -- moto's backends -------------------------------------------------------------------------


def _s3(account_id: str, partition: str) -> Any:
    regions = s3_backends[account_id]
    # moto 5.0 keeps one S3 backend per account ("global"); later releases one per partition
    return regions[partition if partition in regions.regions else "global"]


def _bucket_exists(s3: Any, bucket: str) -> bool:
    try:
        s3.get_bucket(bucket)
    except S3ClientError:  # NoSuchBucket, or another account's bucket behind moto's lock
        return False
    return True


def start_problem(backend: Any, job_run: Any, configuration_overrides: Any) -> str | None:
    """Why a started job run cannot write its logs (its attempts then fail, saying so), or None.

    A logUri that is not `s3://bucket/...` or names a bucket that does not exist, and a named
    log group that does not exist, are problems; AWS's default log group is created instead.
    """
    application = backend.emr.applications.get(job_run.application_id)
    monitoring = monitoring_of(application, configuration_overrides)
    if monitoring is None:  # logging off: nothing to check
        return None
    found = destinations(monitoring, job_run.application_type)
    if found is None:
        return None
    account_id, region_name = backend.account_id, backend.region_name
    if found.log_uri is not None:
        if found.bucket is None:
            return _short(
                f"Job run failed: the logUri {found.log_uri!r} is not an S3 URI such as s3://bucket/logs."
            )
        if not _bucket_exists(_s3(account_id, backend.partition), found.bucket):
            return _short(
                f"Job run failed: cannot write logs to {found.log_uri}: the S3 bucket "
                f"{found.bucket} does not exist."
            )
    if found.named_group and found.log_group not in logs_backends[account_id][region_name].groups:
        return _short(
            f"Job run failed: cannot write logs to the CloudWatch log group {found.log_group}: "
            f"it does not exist."
        )
    return None


def failing(mode: str, policy: Mapping[str, int] | None, details: str) -> list[Outcome]:
    """Outcomes that fail every attempt the retry policy allows, with `details`."""
    policy = policy or {}
    if mode == "STREAMING":
        count = policy.get("maxFailedAttemptsPerHour", DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR)
    else:
        count = policy.get("maxAttempts", DEFAULT_MAX_ATTEMPTS)
    return [Outcome("FAILED", details)] * count


def _short(details: str) -> str:
    # stateDetails is a String256
    return details if len(details) <= 256 else details[:253] + "..."


class LogWriter:
    """Writes one job run's attempt logs as its attempts move (see the module's docstring).

    `given` holds the content seeds and scripts gave, by attempt number; the rest is made up.
    With `create`, a missing bucket or log group is created (seeded job runs describe logs that
    were written); otherwise writing to one skips it (the run's attempts already failed).
    """

    __slots__ = (
        "account_id",
        "create",
        "destinations",
        "partition",
        "region_name",
        "settled",
        "written",
    )

    def __init__(
        self,
        found: Destinations,
        *,
        account_id: str,
        region_name: str,
        partition: str,
        create: bool = False,
    ) -> None:
        self.destinations = found
        self.account_id = account_id
        self.region_name = region_name
        self.partition = partition
        self.create = create
        #: Attempts before this index have ended and are written for good.
        self.settled = 0
        #: Per attempt number: 1 (written while running) or 2 (written whole).
        self.written: dict[int, int] = {}

    def sync(self, history: JobRunHistory) -> None:
        """Write what the attempts' states make due. Call under the backend's lock."""
        attempts = history.attempts
        index = self.settled
        while index < len(attempts):
            record = attempts[index]
            ended = record.state in TERMINAL
            if started(record) is not None:
                phase = 2 if ended else 1
                if self.written.get(index + 1, 0) < phase:
                    self._write(history, index + 1, record, phase)
            if ended and index == self.settled:
                self.settled += 1
            index += 1

    def contents(
        self, history: JobRunHistory, number: int, record: AttemptRecord
    ) -> dict[str, LogContent]:
        """The logs of attempt `number` as of `record`: what was given, over the made-up driver's."""
        begin = started(record)
        logs: dict[str, LogContent] = dict(
            default_logs(
                self.destinations.driver,
                job_run_id=history.job_run_id,
                name=history.name,
                release_label=history.release_label,
                attempt=number,
                state=record.state,
                state_details=record.state_details,
                started_at=record.created_at if begin is None else begin,
                updated_at=record.updated_at,
            )
        )
        given = history.given_logs
        if given is not None and number in given:
            logs.update(given[number])
        return logs

    def _write(
        self, history: JobRunHistory, number: int, record: AttemptRecord, phase: int
    ) -> None:
        before = self.written.get(number, 0)
        self.written[number] = phase
        logs = self.contents(history, number, record)
        if phase == 1:
            logs = {name: _while_running(content) for name, content in logs.items()}
        found = self.destinations
        app, run = history.application_id, history.job_run_id
        if found.bucket is not None:
            self._to_s3(
                found.bucket, {found.s3_key(app, run, number, n): c for n, c in logs.items()}
            )
        if found.log_group is not None:
            streams = {
                found.stream(app, run, number, name): content
                for name, content in logs.items()
                if found.to_cloudwatch(name)
            }
            # stamped when the lines were written: the attempt's start while it runs, its end
            began = started(record)
            moment = record.updated_at if phase == 2 or began is None else began
            self._to_cloudwatch(found.log_group, streams, before, int(moment * 1000))

    def _to_s3(self, bucket: str, objects: Mapping[str, LogContent]) -> None:
        s3 = _s3(self.account_id, self.partition)
        if not _bucket_exists(s3, bucket):
            if not self.create:
                return
            try:
                s3.create_bucket(bucket, self.region_name)
            except S3ClientError:  # a name S3 refuses: the logs cannot be kept
                return
        for key, content in objects.items():
            raw = content.encode("utf-8") if isinstance(content, str) else content
            # mtime 0: the same text is the same object, run after run
            s3.put_object(bucket, key, gzip.compress(raw, mtime=0))

    def _to_cloudwatch(
        self,
        group_name: str,
        streams: Mapping[str, LogContent],
        before: int,
        stamp: int,
    ) -> None:
        backend = logs_backends[self.account_id][self.region_name]
        group = backend.groups.get(group_name)
        if group is None:
            if self.destinations.named_group and not self.create:
                return
            backend.ensure_log_group(group_name)
            group = backend.groups[group_name]
        for stream_name, content in streams.items():
            if stream_name not in group.streams:
                group.create_log_stream(stream_name)
            lines = lines_of(content)
            if before == 1:  # the lines written while the attempt ran are there already
                lines = lines[len(lines_of(_while_running(content))) :]
            if lines:
                group.streams[stream_name].put_log_events(
                    [{"timestamp": stamp, "message": line} for line in lines]
                )


def writer_for(backend: Any, history: JobRunHistory, create: bool = False) -> LogWriter | None:
    """The writer of a job run's logs, or None when its monitoring configuration sends none.

    `backend` is the attempts backend of the job run's account and region (its `emr`,
    `account_id`, `region_name` and `partition`); `create` as `LogWriter` takes it.
    """
    job_run = history.job_run
    found = destinations(
        monitoring_of(
            backend.emr.applications.get(history.application_id),
            getattr(job_run, "configuration_overrides", None),
        ),
        history.job_type,
    )
    if found is None:
        return None
    return LogWriter(
        found,
        account_id=backend.account_id,
        region_name=backend.region_name,
        partition=backend.partition,
        create=create,
    )


__all__ = [
    "DEFAULT_LOG_GROUP",
    "DRIVERS",
    "MONITORING",
    "Destinations",
    "LogWriter",
    "Logs",
    "destinations",
    "failing",
    "keep_monitoring",
    "kept_monitoring",
    "merged",
    "monitoring_of",
    "start_problem",
    "writer_for",
]
