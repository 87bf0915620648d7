"""`record --with-logs`: read the logs of every recorded attempt from S3 and CloudWatch Logs.

Where a job run's logs are is its `configurationOverrides.monitoringConfiguration` merged over
its application's, laid out as `attempt_logs` writes them (and as AWS does). S3 comes first (it
holds the whole text, bytes exactly); a log only in CloudWatch is read from there. Each log is
read up to `LOG_LIMIT` bytes and each attempt up to `LOGS_PER_ATTEMPT` logs: what is cut is
said on stderr. A log that cannot be read (no bucket, access denied) is said on stderr too, and
the recording goes on without it. CloudWatch text with a lone UTF-16 surrogate (which no UTF-8,
so no history document that loads, can hold) is recorded with U+FFFD in its place, and said.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Mapping
from typing import IO, Any

from ..logs import writer as attempt_logs
from ..logs.content import LogContent, split_name

#: At most this many bytes of one log, and this many logs of one attempt, are recorded.
LOG_LIMIT = 1024 * 1024
LOGS_PER_ATTEMPT = 64
#: A UTF-16 surrogate in a `str`: Python pairs the valid ones, so each found is a lone one.
_SURROGATE = re.compile("[\ud800-\udfff]")


class LogReader:
    """Reads recorded attempts' logs through boto3 `s3` and `logs` clients."""

    def __init__(self, s3: Any, logs: Any, stderr: IO[str], *, show_progress: bool) -> None:
        self.s3 = s3
        self.logs = logs
        self.stderr = stderr
        self.show_progress = show_progress
        self.read = 0

    def attempt_logs(
        self,
        application: Mapping[str, Any],
        job_run: Mapping[str, Any],
        attempt: int,
    ) -> dict[str, LogContent]:
        """The logs of one attempt (`job_run` is GetJobRun's answer as of it).

        Every page of the S3 listing and of the log streams is read, so the count said when
        logs are cut is exact; only the logs kept are read."""
        overrides = job_run.get("configurationOverrides") or {}
        monitoring = attempt_logs.merged(
            application.get("monitoringConfiguration") or {},
            overrides.get("monitoringConfiguration") or {},
        )
        found = attempt_logs.destinations(monitoring, str(application.get("type", "SPARK")))
        if found is None:
            return {}
        ids = (job_run["applicationId"], job_run["jobRunId"], attempt)
        what = f"attempt {attempt} of job run {job_run['jobRunId']}"
        # name -> how to read it: an S3 key, else a log stream (S3 holds the whole text)
        sources: dict[str, tuple[str, str]] = {}
        if found.bucket is not None:
            sources.update(self._s3_names(found, *ids, what))
        if found.log_group is not None:
            for name, source in self._stream_names(found, *ids, what).items():
                sources.setdefault(name, source)
        if len(sources) > LOGS_PER_ATTEMPT:
            self._say(f"{what}: {len(sources)} logs; recording the first {LOGS_PER_ATTEMPT}")
        logs: dict[str, LogContent] = {}
        for name, (kind, where) in sorted(sources.items())[:LOGS_PER_ATTEMPT]:
            content = self._read(found, kind, where, name, what)
            if content is not None:
                logs[name] = content
        self.read += len(logs)
        if self.show_progress:
            self.stderr.write(f"\rread {self.read} logs ({what})")
            self.stderr.flush()
        return logs

    def _say(self, line: str) -> None:
        self.stderr.write(("\n" if self.show_progress else "") + f"record: {line}\n")
        self.stderr.flush()

    def _s3_names(
        self, found: Any, application_id: str, job_run_id: str, attempt: int, what: str
    ) -> dict[str, tuple[str, str]]:
        from botocore.exceptions import BotoCoreError, ClientError

        folder = found.s3_key(application_id, job_run_id, attempt, "")[: -len(".gz")]
        names: dict[str, tuple[str, str]] = {}
        try:
            pages = self.s3.get_paginator("list_objects_v2").paginate(
                Bucket=found.bucket, Prefix=folder
            )
            for page in pages:
                for item in page.get("Contents", []):
                    name = item["Key"][len(folder) :]
                    if name.endswith(".gz") and split_name(name[: -len(".gz")]) is not None:
                        names[name[: -len(".gz")]] = ("s3", item["Key"])  # else: not a log
        except (BotoCoreError, ClientError) as error:
            self._say(f"cannot read the logs of {what} from s3://{found.bucket}/{folder}: {error}")
        return names

    def _stream_names(
        self, found: Any, application_id: str, job_run_id: str, attempt: int, what: str
    ) -> dict[str, tuple[str, str]]:
        from botocore.exceptions import BotoCoreError, ClientError

        prefix = found.stream(application_id, job_run_id, attempt, "")
        names: dict[str, tuple[str, str]] = {}
        try:
            pages = self.logs.get_paginator("describe_log_streams").paginate(
                logGroupName=found.log_group, logStreamNamePrefix=prefix
            )
            for page in pages:
                for stream in page.get("logStreams", []):
                    name = stream["logStreamName"][len(prefix) :]
                    if split_name(name) is not None:
                        names[name] = ("logs", stream["logStreamName"])
        except (BotoCoreError, ClientError) as error:
            self._say(f"cannot read the logs of {what} from {found.log_group}: {error}")
        return names

    def _read(self, found: Any, kind: str, where: str, name: str, what: str) -> LogContent | None:
        """One log's content, or None (said on stderr) when it cannot be read."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            if kind == "s3":
                body = self.s3.get_object(Bucket=found.bucket, Key=where)["Body"]
                return self._bounded(_gunzip(body), f"{what}: {name}.gz")
            return self._stream(found.log_group, where, what, name)
        except (BotoCoreError, ClientError, zlib.error) as error:
            place = f"s3://{found.bucket}/{where}" if kind == "s3" else found.log_group
            self._say(f"cannot read {name} of {what} from {place}: {error}")
            return None

    def _stream(self, group: str, stream: str, what: str, name: str) -> str:
        lines: list[str] = []
        size, token = 0, None
        while size <= LOG_LIMIT:
            request: dict[str, Any] = {
                "logGroupName": group,
                "logStreamName": stream,
                "startFromHead": True,
            }
            if token is not None:
                request["nextToken"] = token
            page = self.logs.get_log_events(**request)
            for event in page["events"]:
                lines.append(event["message"])
                size += len(event["message"]) + 1
            if not page["events"] or page.get("nextForwardToken") == token:
                break
            token = page.get("nextForwardToken")
        text = "".join(f"{line}\n" for line in lines)
        lone = len(_SURROGATE.findall(text))
        if lone:  # text no UTF-8 holds (and so no history document): each becomes U+FFFD
            plural = "s" if lone > 1 else ""
            self._say(f"{what}: {name}: {lone} lone UTF-16 surrogate{plural}; recorded as U+FFFD")
            text = _SURROGATE.sub("\ufffd", text)
        raw = text.encode("utf-8")
        if len(raw) > LOG_LIMIT:
            self._say(f"{what}: {name}: {len(raw)} bytes or more; recording the first {LOG_LIMIT}")
        return raw[:LOG_LIMIT].decode("utf-8", errors="ignore")

    def _bounded(self, raw: bytes, what: str) -> LogContent:
        if len(raw) > LOG_LIMIT:
            self._say(f"{what}: {len(raw)} bytes or more; recording the first {LOG_LIMIT}")
            raw = raw[:LOG_LIMIT]
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw


def _gunzip(body: Any) -> bytes:
    """A gzip object's text, decompressed up to one byte past LOG_LIMIT."""
    inflate = zlib.decompressobj(zlib.MAX_WBITS | 16)
    out = b""
    for chunk in iter(lambda: body.read(64 * 1024), b""):
        out += inflate.decompress(chunk, LOG_LIMIT + 1 - len(out))
        if len(out) > LOG_LIMIT:
            break
    return out


def clients(session: Any, endpoint_url: str | None, config: Any) -> tuple[Any, Any]:
    """The `s3` and `logs` clients of a recording (path-style S3 against an endpoint)."""
    from botocore.config import Config

    s3_config = config.merge(Config(s3={"addressing_style": "path"})) if endpoint_url else config
    return (
        session.client("s3", endpoint_url=endpoint_url, config=s3_config),
        session.client("logs", endpoint_url=endpoint_url, config=config),
    )
