"""`record --with-logs`: read the logs of every recorded attempt from S3 and CloudWatch Logs.

Where a job run's logs are is its `configurationOverrides.monitoringConfiguration` merged over
its application's, laid out as `attempt_logs` writes them (and as AWS does). S3 comes first (it
holds the whole text, bytes exactly); a log only in CloudWatch is read from there. Each log is
read up to `LOG_LIMIT` bytes and each attempt up to `LOGS_PER_ATTEMPT` logs: what is cut is
said on stderr. A log that cannot be read (no bucket, access denied) is said on stderr too, and
the recording goes on without it.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from typing import IO, Any

from . import attempt_logs
from ._log_texts import LogContent, split_name

#: At most this many bytes of one log, and this many logs of one attempt, are recorded.
LOG_LIMIT = 1024 * 1024
LOGS_PER_ATTEMPT = 64


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
        """The logs of one attempt (`job_run` is GetJobRun's answer as of it)."""
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
        logs: dict[str, LogContent] = {}
        if found.bucket is not None:
            logs.update(self._from_s3(found, *ids, what))
        if found.log_group is not None:
            for name, content in self._from_cloudwatch(found, *ids, what).items():
                logs.setdefault(name, content)
        if len(logs) > LOGS_PER_ATTEMPT:
            self._say(f"{what}: {len(logs)} logs; recording the first {LOGS_PER_ATTEMPT}")
            logs = dict(sorted(logs.items())[:LOGS_PER_ATTEMPT])
        self.read += len(logs)
        if self.show_progress:
            self.stderr.write(f"\rread {self.read} logs ({what})")
            self.stderr.flush()
        return logs

    def _say(self, line: str) -> None:
        self.stderr.write(("\n" if self.show_progress else "") + f"record: {line}\n")
        self.stderr.flush()

    def _from_s3(
        self, found: Any, application_id: str, job_run_id: str, attempt: int, what: str
    ) -> dict[str, LogContent]:
        from botocore.exceptions import BotoCoreError, ClientError

        folder = found.s3_key(application_id, job_run_id, attempt, "")[: -len(".gz")]
        logs: dict[str, LogContent] = {}
        try:
            listed = self.s3.list_objects_v2(
                Bucket=found.bucket, Prefix=folder, MaxKeys=LOGS_PER_ATTEMPT * 2
            )
            for item in listed.get("Contents", []):
                name = item["Key"][len(folder) :]
                if not name.endswith(".gz") or split_name(name[: -len(".gz")]) is None:
                    continue  # another attempt's folder, or not a log
                body = self.s3.get_object(Bucket=found.bucket, Key=item["Key"])["Body"]
                logs[name[: -len(".gz")]] = self._bounded(_gunzip(body), f"{what}: {name}")
        except (BotoCoreError, ClientError, zlib.error) as error:
            self._say(f"cannot read the logs of {what} from s3://{found.bucket}/{folder}: {error}")
        return logs

    def _from_cloudwatch(
        self, found: Any, application_id: str, job_run_id: str, attempt: int, what: str
    ) -> dict[str, LogContent]:
        from botocore.exceptions import BotoCoreError, ClientError

        prefix = found.stream(application_id, job_run_id, attempt, "")
        logs: dict[str, LogContent] = {}
        try:
            described = self.logs.describe_log_streams(
                logGroupName=found.log_group, logStreamNamePrefix=prefix, limit=50
            )
            for stream in described.get("logStreams", []):
                name = stream["logStreamName"][len(prefix) :]
                if split_name(name) is None:
                    continue
                logs[name] = self._stream(found.log_group, stream["logStreamName"], what, name)
        except (BotoCoreError, ClientError) as error:
            self._say(f"cannot read the logs of {what} from {found.log_group}: {error}")
        return logs

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
        raw = "".join(f"{line}\n" for line in lines).encode("utf-8")
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
