"""A log collector that knows about retries: the driver's stdout and stderr of every attempt.

EMR Serverless writes attempt 1's driver logs under `<logUri>/applications/<app>/jobs/<run>/`
and the logs of attempt N (N >= 2) under `.../jobs/<run>/attempts/N/`. A collector that reads
only the job run's own folder misses the attempts that failed before the last one, and one that
reads only the last attempt's misses why they failed, so this one asks `GetJobRun(attempt=N)`
for every attempt and reads that attempt's `SPARK_DRIVER/stdout.gz` and `stderr.gz` from S3.

    pip install -e . && python examples/log_collector.py
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from typing import Any

import boto3

import moto_emrs_attempts as mea


@dataclass(frozen=True)
class AttemptLogs:
    """One attempt: how it ended, where its driver's logs are, and their text."""

    attempt: int
    state: str
    state_details: str
    path: str
    stdout: str
    stderr: str


def log_uri_of(client: Any, job_run: dict[str, Any]) -> str | None:
    """The S3 log location of a job run: its own, else its application's."""
    own = job_run.get("configurationOverrides", {}).get("monitoringConfiguration", {})
    uri = own.get("s3MonitoringConfiguration", {}).get("logUri")
    if uri is None:
        application = client.get_application(applicationId=job_run["applicationId"])
        monitoring = application["application"].get("monitoringConfiguration", {})
        uri = monitoring.get("s3MonitoringConfiguration", {}).get("logUri")
    return uri if isinstance(uri, str) else None


def _read(s3: Any, bucket: str, key: str) -> str:
    try:
        body = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    except s3.exceptions.NoSuchKey:  # the attempt never ran, or wrote no such log
        return ""
    return gzip.decompress(body).decode("utf-8", errors="replace")


def collect_attempt_logs(
    client: Any, s3: Any, application_id: str, job_run_id: str, *, log_uri: str | None = None
) -> list[AttemptLogs]:
    """Return every attempt of a job run with its driver's logs, oldest first.

    `log_uri` (e.g. `s3://my-bucket/emr-logs`) defaults to the job run's, or its application's.
    """
    latest = client.get_job_run(applicationId=application_id, jobRunId=job_run_id)["jobRun"]
    log_uri = log_uri or log_uri_of(client, latest)
    if log_uri is None:
        raise ValueError(f"Job run {job_run_id} writes no logs to S3: give it a logUri.")
    bucket, _, prefix = log_uri.removeprefix("s3://").partition("/")
    prefix = f"{prefix.strip('/')}/" if prefix.strip("/") else ""
    base = f"{prefix}applications/{application_id}/jobs/{job_run_id}/"
    collected = []
    for number in range(1, latest["attempt"] + 1):
        job_run = client.get_job_run(
            applicationId=application_id, jobRunId=job_run_id, attempt=number
        )["jobRun"]
        folder = base if number == 1 else f"{base}attempts/{number}/"
        collected.append(
            AttemptLogs(
                attempt=number,
                state=job_run["state"],
                state_details=job_run["stateDetails"],
                path=f"s3://{bucket}/{folder}",
                stdout=_read(s3, bucket, f"{folder}SPARK_DRIVER/stdout.gz"),
                stderr=_read(s3, bucket, f"{folder}SPARK_DRIVER/stderr.gz"),
            )
        )
    return collected


def main() -> int:
    with mea.mock_emrs_attempts() as emrs:
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket="my-emr-logs")
        client = emrs.client()
        application_id = client.create_application(
            name="nightly",
            releaseLabel="emr-7.1.0",
            type="SPARK",
            clientToken="nightly",
            monitoringConfiguration={
                "s3MonitoringConfiguration": {"logUri": "s3://my-emr-logs/emr-logs/"}
            },
        )["applicationId"]
        run = emrs.seed_job_run(
            [
                mea.Attempt("FAILED", "Driver ran out of memory"),
                mea.Attempt("FAILED", "Executor lost: spot instance reclaimed"),
                mea.Attempt("SUCCESS", logs={"SPARK_DRIVER/stdout": "rows written: 1204\n"}),
            ],
            application_id=application_id,
            name="nightly-etl",
            retry_policy={"maxAttempts": 3},
        )
        for entry in collect_attempt_logs(client, s3, application_id, run.job_run_id):
            last = (entry.stderr if entry.state == "FAILED" else entry.stdout).splitlines()[-1]
            print(f"{entry.attempt}  {entry.state:<8} {entry.path}  {last}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
