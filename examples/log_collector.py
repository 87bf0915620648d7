"""A log collector that knows about retries: one log folder per job-run attempt.

EMR Serverless writes each attempt's logs under `.../jobs/<jobRunId>/attempts/<n>/`. A
collector that reads only the latest `GetJobRun` misses the logs of the attempts that
failed before it, so this one asks `GetJobRun(attempt=N)` for every attempt.

    pip install -e . && python examples/log_collector.py
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import moto_emrs_attempts as mea


@dataclass(frozen=True)
class AttemptLogs:
    """Where one attempt's logs live, and how the attempt ended."""

    attempt: int
    state: str
    state_details: str
    path: str


def collect_attempt_logs(
    client: Any, application_id: str, job_run_id: str, *, log_uri: str
) -> list[AttemptLogs]:
    """Return the log folder of every attempt of a job run, oldest first.

    `log_uri` is the job run's S3 log location, e.g. `s3://my-bucket/emr-logs`.
    """
    latest = client.get_job_run(applicationId=application_id, jobRunId=job_run_id)["jobRun"]
    base = f"{log_uri.rstrip('/')}/applications/{application_id}/jobs/{job_run_id}"
    collected = []
    for number in range(1, latest["attempt"] + 1):
        job_run = client.get_job_run(
            applicationId=application_id, jobRunId=job_run_id, attempt=number
        )["jobRun"]
        collected.append(
            AttemptLogs(
                attempt=job_run["attempt"],
                state=job_run["state"],
                state_details=job_run["stateDetails"],
                path=f"{base}/attempts/{job_run['attempt']}/",
            )
        )
    return collected


def main() -> int:
    with mea.mock_emrs_attempts() as emrs:
        run = emrs.seed_job_run(
            [
                mea.Attempt("FAILED", "Driver ran out of memory"),
                mea.Attempt("FAILED", "Executor lost: spot instance reclaimed"),
                "SUCCESS",
            ],
            name="nightly-etl",
            retry_policy={"maxAttempts": 3},
        )
        logs = collect_attempt_logs(
            emrs.client(), run.application_id, run.job_run_id, log_uri="s3://my-bucket/emr-logs"
        )
        for entry in logs:
            print(f"{entry.attempt}  {entry.state:<8} {entry.path}  ({entry.state_details})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
