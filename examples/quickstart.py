"""Seed a FAILED -> FAILED -> SUCCESS job run and list its attempts, all in-process.

pip install -e . && python examples/quickstart.py
"""

from __future__ import annotations

from datetime import datetime, timezone

import moto_emrs_attempts as mea


def _utc(value: object) -> datetime:
    assert isinstance(value, datetime)
    return value.astimezone(timezone.utc)


def attempt_table(attempts: list[dict[str, object]]) -> str:
    """Render ListJobRunAttempts items as a fixed-width table."""
    rows = [("ATTEMPT", "STATE", "CREATED", "UPDATED", "DETAILS")]
    for item in attempts:
        rows.append(
            (
                str(item["attempt"]),
                str(item["state"]),
                f"{_utc(item['createdAt']):%Y-%m-%d %H:%M:%S}",
                f"{_utc(item['updatedAt']):%H:%M:%S}",
                str(item["stateDetails"]),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows
    )


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
        client = emrs.client()
        pages = client.get_paginator("list_job_run_attempts").paginate(
            applicationId=run.application_id, jobRunId=run.job_run_id
        )
        attempts = [item for page in pages for item in page["jobRunAttempts"]]
        print(
            f"Job run {run.job_run_id} of application {run.application_id}: {run.attempts} attempts"
        )
        print(attempt_table(attempts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
