"""What an attempt says: its 15 members, identities, times, and the per-account backend."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

import pytest
from moto.core.models import DEFAULT_ACCOUNT_ID

import moto_emrs_attempts as mea
from moto_emrs_attempts.contract.service_model import enum

MEMBERS = {
    "applicationId",
    "id",
    "name",
    "mode",
    "arn",
    "createdBy",
    "jobCreatedAt",
    "createdAt",
    "updatedAt",
    "executionRole",
    "state",
    "stateDetails",
    "releaseLabel",
    "type",
    "attempt",
}


def attempts_of(client: Any, run: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id
    )["jobRunAttempts"]
    return found


def test_every_attempt_has_all_15_members(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"], name="nightly")

    for attempt in attempts_of(emrs_client, run):
        assert set(attempt) == MEMBERS


def test_name_is_omitted_when_the_job_run_has_none(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])

    for attempt in attempts_of(emrs_client, run):
        assert set(attempt) == MEMBERS - {"name"}


def test_attempts_share_the_job_runs_members(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(
        ["FAILED", "SUCCESS"], name="nightly", release_label="emr-6.15.0"
    )

    first, second = attempts_of(emrs_client, run)

    shared = ("applicationId", "id", "name", "mode", "arn", "createdBy", "jobCreatedAt")
    assert [first[k] for k in shared] == [second[k] for k in shared]
    assert (first["applicationId"], first["id"]) == (run.application_id, run.job_run_id)
    assert (first["name"], first["mode"], first["releaseLabel"]) == (
        "nightly",
        "BATCH",
        "emr-6.15.0",
    )
    assert first["type"] == "Spark"


def test_created_by_and_execution_role_are_arns_of_the_account(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run()

    [attempt] = attempts_of(emrs_client, run)

    assert re.fullmatch(
        rf"arn:aws:(iam|sts)::{DEFAULT_ACCOUNT_ID}:[\w/+=,.@-]+", attempt["createdBy"]
    )
    assert re.fullmatch(
        rf"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/[\w/+=,.@-]+", attempt["executionRole"]
    )


def test_identities_follow_the_account_of_the_job_run(
    emrs_attempts: Any, emrs_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = emrs_attempts.seed_job_run(account_id="111111111111")
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111111111111")

    [attempt] = attempts_of(emrs_client, run)

    assert attempt["createdBy"].startswith("arn:aws:iam::111111111111:")
    assert attempt["executionRole"].startswith("arn:aws:iam::111111111111:role/")
    assert ":111111111111:/applications/" in attempt["arn"]


def test_a_given_execution_role_is_kept(emrs_attempts: Any, emrs_client: Any) -> None:
    role = f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/service-role/etl"
    run = emrs_attempts.seed_job_run(execution_role_arn=role)

    [attempt] = attempts_of(emrs_client, run)

    assert attempt["executionRole"] == role


def test_the_arn_is_the_job_runs_arn_in_the_requests_region(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run()

    [attempt] = attempts_of(emrs_client, run)

    assert (
        attempt["arn"]
        == run.arn
        == (
            f"arn:aws:emr-serverless:us-east-1:{DEFAULT_ACCOUNT_ID}"
            f":/applications/{run.application_id}/jobruns/{run.job_run_id}"
        )
    )


@pytest.mark.parametrize(
    ("region", "partition"),
    [("eu-west-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")],
)
def test_arns_use_the_partition_of_the_region(
    emrs_attempts: Any, region: str, partition: str
) -> None:
    run = emrs_attempts.seed_job_run(region_name=region)

    [attempt] = attempts_of(emrs_attempts.client(region), run)

    assert attempt["arn"] == (
        f"arn:{partition}:emr-serverless:{region}:{DEFAULT_ACCOUNT_ID}"
        f":/applications/{run.application_id}/jobruns/{run.job_run_id}"
    )
    assert attempt["createdBy"].startswith(f"arn:{partition}:iam::{DEFAULT_ACCOUNT_ID}:")
    assert attempt["executionRole"].startswith(f"arn:{partition}:iam::{DEFAULT_ACCOUNT_ID}:role/")


def test_job_created_at_is_the_job_runs_creation_time(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "FAILED", "SUCCESS"])
    job_run = emrs_client.get_job_run(applicationId=run.application_id, jobRunId=run.job_run_id)

    attempts = attempts_of(emrs_client, run)

    assert {a["jobCreatedAt"] for a in attempts} == {job_run["jobRun"]["createdAt"]}
    assert attempts[0]["createdAt"] == attempts[0]["jobCreatedAt"]


def test_each_attempt_starts_no_earlier_than_the_previous_one_ends(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"] * 4 + ["SUCCESS"])

    attempts = attempts_of(emrs_client, run)

    for previous, following in zip(attempts, attempts[1:]):
        assert previous["createdAt"] <= previous["updatedAt"] <= following["createdAt"]


def test_given_times_are_answered_as_given(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(
        [
            mea.Attempt(
                "FAILED",
                "Driver OOM",
                created_at=datetime(2025, 3, 1, 12, 0),
                updated_at=datetime(2025, 3, 1, 12, 30, tzinfo=timezone.utc),
            )
        ]
    )

    [attempt] = attempts_of(emrs_client, run)

    assert attempt["createdAt"] == datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
    assert attempt["updatedAt"] == datetime(2025, 3, 1, 12, 30, tzinfo=timezone.utc)
    assert attempt["stateDetails"] == "Driver OOM"


@pytest.mark.parametrize("state", enum("JobRunState"))
def test_state_details_are_never_blank(emrs_attempts: Any, emrs_client: Any, state: str) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", state])

    for attempt in attempts_of(emrs_client, run):
        assert attempt["stateDetails"].strip()


def test_the_job_run_shows_its_latest_attempts_state(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])

    job_run = emrs_client.get_job_run(applicationId=run.application_id, jobRunId=run.job_run_id)

    assert job_run["jobRun"]["state"] == "SUCCESS"


def test_a_seeded_job_run_is_listed_by_moto(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "CANCELLED"])

    listed = emrs_client.list_job_runs(applicationId=run.application_id)["jobRuns"]

    assert [(j["id"], j["state"]) for j in listed] == [(run.job_run_id, "CANCELLED")]


def test_the_backend_is_kept_per_account_and_region(emrs_attempts: Any) -> None:
    run = emrs_attempts.seed_job_run(region_name="eu-west-1", account_id="111111111111")

    elsewhere = mea.attempts_backends["111111111111"]["eu-west-1"]
    default = mea.attempts_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]

    assert (run.application_id, run.job_run_id) in elsewhere.histories
    assert (run.application_id, run.job_run_id) not in default.histories
    assert emrs_attempts.backend("eu-west-1", "111111111111") is elsewhere
