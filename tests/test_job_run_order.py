"""ListJobRuns lists an application's job runs newest first, by `createdAt` then by id, as AWS
does, whatever order they were started, seeded or loaded in: so a recorded or exported history
lists identically once replayed. Pages resume from a cursor, so that a walk yields every run once
even when runs are started or seeded between its pages; tokens stay in `[A-Za-z0-9_=-]`, at most
1,024 characters, bound to account, region and application, and tamper-proof.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest
from freezegun import freeze_time

import moto_emrs_attempts as mea

from ._server import ServerProcess, clean_server, server
from .conftest import error_of

__all__ = ["clean_server", "server"]  # fixtures

ROLE = "arn:aws:iam::123456789012:role/job-role"
T0 = datetime(2026, 3, 1, 12, 0, 0, tzinfo=timezone.utc)
INVALID_TOKEN = (
    400,
    "ValidationException",
    "Invalid nextToken: it was not issued for this application's job runs.",
)


def start(emr: Any, app: str, **kwargs: Any) -> str:
    found: str = emr.start_job_run(applicationId=app, executionRoleArn=ROLE, **kwargs)["jobRunId"]
    return found


def seed_at(app: str, *days: int) -> list[str]:
    """Seed one run per day offset from T0 (in that order); return their ids."""
    return [
        mea.seed_job_run(
            [mea.Attempt("SUCCESS", created_at=T0 + timedelta(days=day))], application_id=app
        ).job_run_id
        for day in days
    ]


def walk(emr: Any, app: str, page_size: int = 50, **filters: Any) -> list[dict[str, Any]]:
    """Every run ListJobRuns lists, page after page."""
    pages = emr.get_paginator("list_job_runs").paginate(
        applicationId=app, PaginationConfig={"PageSize": page_size}, **filters
    )
    return [run for page in pages for run in page["jobRuns"]]


def ids(runs: list[dict[str, Any]]) -> list[str]:
    return [run["id"] for run in runs]


# -- the order --------------------------------------------------------------------------


def test_runs_started_one_after_another_are_listed_newest_first(emr: Any, app: str) -> None:
    with freeze_time(T0) as frozen:
        started = []
        for _ in range(3):
            started.append(start(emr, app))
            frozen.tick(1)

    assert ids(walk(emr, app)) == started[::-1]


def test_seeded_runs_are_listed_by_created_at_not_as_seeded(emr: Any, app: str) -> None:
    june, january, march = seed_at(app, 120, 0, 30)

    assert ids(walk(emr, app)) == [june, march, january]


def test_runs_created_at_the_same_time_are_listed_by_id_descending(emr: Any, app: str) -> None:
    same = seed_at(app, 0, 0, 0, 0)
    later = seed_at(app, 1)

    assert ids(walk(emr, app)) == later + sorted(same, reverse=True)


def test_every_page_follows_the_order(emr: Any, app: str) -> None:
    seeded = seed_at(app, 3, 1, 4, 1, 5, 9, 2, 6)

    paged = ids(walk(emr, app, page_size=3))

    assert paged == ids(walk(emr, app))
    assert sorted(paged) == sorted(seeded)
    created = [run["createdAt"] for run in walk(emr, app, page_size=3)]
    assert created == sorted(created, reverse=True)


def test_filters_keep_the_order_across_pages(emr: Any, app: str) -> None:
    seed_at(app, 0, 10, 20, 30, 40, 50)
    window = {"createdAtAfter": T0 + timedelta(days=5), "createdAtBefore": T0 + timedelta(days=45)}

    found = walk(emr, app, page_size=1, **window)

    assert [run["createdAt"] for run in found] == [
        T0 + timedelta(days=day) for day in (40, 30, 20, 10)
    ]


def test_a_walk_yields_every_run_once_when_runs_are_started_or_seeded_between_pages(
    emr: Any, app: str
) -> None:
    before = seed_at(app, 5, 4, 3, 2, 1)
    first = emr.list_job_runs(applicationId=app, maxResults=2)
    start(emr, app)  # newer than every run: before the cursor
    [older] = seed_at(app, 0)  # older than every run: after it
    [between] = seed_at(app, 4)  # the same day as a listed run; its id decides its side

    seen = ids(first["jobRuns"])
    token = first["nextToken"]
    while token:
        page = emr.list_job_runs(applicationId=app, maxResults=2, nextToken=token)
        seen += ids(page["jobRuns"])
        token = page.get("nextToken")

    assert seen[:2] == before[:2]
    assert [run for run in seen if run in before] == before
    assert len(seen) == len(set(seen))
    assert older in seen
    assert (between in seen) == (between < before[1])


# -- tokens -----------------------------------------------------------------------------


def test_a_token_is_url_safe_and_short(emr: Any, app: str) -> None:
    seed_at(app, 0, 1)

    token = emr.list_job_runs(applicationId=app, maxResults=1)["nextToken"]

    assert re.fullmatch(r"[A-Za-z0-9_=-]+", token)
    assert len(token) <= 1024


def test_a_tampered_token_is_invalid(emr: Any, app: str) -> None:
    seed_at(app, 0, 1)
    token = emr.list_job_runs(applicationId=app, maxResults=1)["nextToken"]
    raw = bytearray(base64.urlsafe_b64decode(token))
    raw[1] ^= 1  # another createdAt
    tampered = base64.urlsafe_b64encode(bytes(raw)).decode()

    assert error_of(emr.list_job_runs, applicationId=app, nextToken=tampered) == INVALID_TOKEN


def twin_applications(*where: tuple[str, str]) -> None:
    """Application 00app0001, with two job runs, in each (account, region)."""
    for account, region in where:
        mea.load_history(
            {
                "version": 1,
                "account": account,
                "region": region,
                "applications": [
                    {"applicationId": "00app0001", "releaseLabel": "emr-7.1.0", "type": "SPARK"}
                ],
                "jobRuns": [{"applicationId": "00app0001", "attempts": ["SUCCESS"]}] * 2,
            }
        )


def test_a_token_of_another_region_is_invalid(emrs_attempts: mea.EmrsAttempts) -> None:
    twin_applications(("123456789012", "us-west-2"), ("123456789012", "us-east-1"))
    west, east = emrs_attempts.client("us-west-2"), emrs_attempts.client("us-east-1")
    token = west.list_job_runs(applicationId="00app0001", maxResults=1)["nextToken"]

    found = error_of(east.list_job_runs, applicationId="00app0001", nextToken=token)

    assert found == INVALID_TOKEN


def test_a_token_of_another_account_is_invalid(
    emrs_attempts: mea.EmrsAttempts, monkeypatch: pytest.MonkeyPatch
) -> None:
    twin_applications(("123456789012", "us-east-1"), ("111111111111", "us-east-1"))
    client = emrs_attempts.client()
    token = client.list_job_runs(applicationId="00app0001", maxResults=1)["nextToken"]
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111111111111")
    other_account = boto3.client("emr-serverless", region_name="us-east-1")

    found = error_of(other_account.list_job_runs, applicationId="00app0001", nextToken=token)

    assert found == INVALID_TOKEN


# -- replays list identically -----------------------------------------------------------


def test_an_export_loaded_into_a_fresh_mock_lists_identically() -> None:
    with mea.mock_emrs_attempts() as emrs:
        emr = emrs.client()
        app = emr.create_application(name="app", releaseLabel="emr-7.1.0", type="SPARK")
        app = app["applicationId"]
        seed_at(app, 7, 0, 3, 3, 3)
        with freeze_time(T0 + timedelta(days=1)):
            start(emr, app)
        before = walk(emr, app, page_size=2)
        document = emrs.export_history()

    with mea.mock_emrs_attempts() as fresh:
        fresh.load_history(document)

        assert walk(fresh.client(), app, page_size=2) == before


def _record(server: ServerProcess, application_id: str, output: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=str(output.with_name("no-config")),
        AWS_SHARED_CREDENTIALS_FILE=str(output.with_name("no-credentials")),
        AWS_EC2_METADATA_DISABLED="true",
    )
    done = subprocess.run(
        [
            *(sys.executable, "-m", "moto_emrs_attempts", "record"),
            *("--application-id", application_id, "--endpoint-url", server.url),
            *("--region", "us-east-1", "-o", str(output)),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert (done.returncode, done.stderr) == (0, ""), done.stderr


@pytest.mark.slow
def test_a_recording_of_a_server_lists_identically_once_loaded(
    clean_server: ServerProcess, tmp_path: Path
) -> None:
    application = {"applicationId": "00app0001", "releaseLabel": "emr-7.1.0", "type": "SPARK"}
    days = (7, 0, 3, 3, 3, 12)
    clean_server.seed(
        {
            "version": 1,
            "applications": [application],
            "jobRuns": [
                {
                    "applicationId": "00app0001",
                    "attempts": [
                        {"state": "SUCCESS", "createdAt": f"2026-03-{1 + day:02d}T12:00:00Z"}
                    ],
                }
                for day in days
            ],
        }
    )
    client = clean_server.client()
    client.start_job_run(applicationId="00app0001", executionRoleArn=ROLE)
    on_server = walk(client, "00app0001", page_size=2)
    output = tmp_path / "recorded.json"

    _record(clean_server, "00app0001", output)

    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(output)
        assert walk(emrs.client(), "00app0001", page_size=2) == on_server
