"""Seeding attempt histories from Python and from history documents (SPEC 2 and 6)."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.moto_api._internal import mock_random

import moto_emrs_attempts as mea
from moto_emrs_attempts.contract.service_model import enum

UTC = timezone.utc


def attempts_of(client: Any, run: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id
    )["jobRunAttempts"]
    return found


def doc(*job_runs: Any, **top: Any) -> dict[str, Any]:
    return {"version": 1, **top, "jobRuns": list(job_runs)}


def nothing_seeded(client: Any) -> bool:
    return bool(client.list_applications()["applications"] == [])


# -- what can be seeded -------------------------------------------------------------------


def test_attempts_can_be_given_as_states(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "FAILED", "SUCCESS"])

    assert [a["state"] for a in attempts_of(emrs_client, run)] == ["FAILED", "FAILED", "SUCCESS"]


def test_attempts_can_be_given_as_attempt_objects(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(
        [
            mea.Attempt("FAILED", "Driver OOM"),
            mea.Attempt(
                "SUCCESS",
                created_at=datetime(2026, 2, 1, 10, 0),
                updated_at=datetime(2026, 2, 1, 10, 20),
            ),
        ]
    )

    first, second = attempts_of(emrs_client, run)

    assert (first["state"], first["stateDetails"]) == ("FAILED", "Driver OOM")
    assert second["state"] == "SUCCESS"
    assert second["createdAt"] == datetime(2026, 2, 1, 10, 0, tzinfo=UTC)
    assert second["updatedAt"] == datetime(2026, 2, 1, 10, 20, tzinfo=UTC)


def test_attempts_can_be_given_as_camel_case_dicts(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(
        [
            {
                "state": "FAILED",
                "stateDetails": "Executor lost",
                "createdAt": "2026-01-01T00:00:00Z",
                "updatedAt": "2026-01-01T00:10:00Z",
            },
            {"state": "SUCCESS"},
        ]
    )

    first, second = attempts_of(emrs_client, run)

    assert first["stateDetails"] == "Executor lost"
    assert first["updatedAt"] == datetime(2026, 1, 1, 0, 10, tzinfo=UTC)
    assert second["createdAt"] >= first["updatedAt"]


def test_the_default_seed_is_one_successful_attempt(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run()

    assert run.attempts == 1
    assert [a["state"] for a in attempts_of(emrs_client, run)] == ["SUCCESS"]


def test_seed_job_run_returns_the_seeded_ids(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])

    job_run = emrs_client.get_job_run(applicationId=run.application_id, jobRunId=run.job_run_id)

    assert isinstance(run, mea.SeededJobRun)
    assert run.arn == job_run["jobRun"]["arn"]
    assert run.attempts == 2


def test_a_job_run_can_be_seeded_into_an_existing_application(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    application_id = emrs_client.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK"
    )["applicationId"]

    run = emrs_attempts.seed_job_run(["SUCCESS"], application_id=application_id)

    assert run.application_id == application_id
    listed = emrs_client.list_job_runs(applicationId=application_id)["jobRuns"]
    assert [j["id"] for j in listed] == [run.job_run_id]


def test_a_retry_policy_plays_the_attempts_as_outcomes(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "FAILED"], retry_policy={"maxAttempts": 2})

    assert run.attempts == 2
    assert [a["state"] for a in attempts_of(emrs_client, run)] == ["FAILED", "FAILED"]


def test_without_a_retry_policy_attempts_are_taken_literally(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "FAILED", "FAILED", "SUCCESS"])

    states = [a["state"] for a in attempts_of(emrs_client, run)]
    assert states == ["FAILED", "FAILED", "FAILED", "SUCCESS"]


def test_attempt_and_seeded_job_run_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        mea.Attempt("SUCCESS").state = "FAILED"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        mea.SeededJobRun("a", "b", "arn", 1).attempts = 2  # type: ignore[misc]


# -- seed_attempts ------------------------------------------------------------------------


def test_seed_attempts_continues_the_numbering(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"])

    more = emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["FAILED", "SUCCESS"])

    assert more == dataclasses.replace(run, attempts=3)
    attempts = attempts_of(emrs_client, run)
    assert [(a["attempt"], a["state"]) for a in attempts] == [
        (1, "FAILED"),
        (2, "FAILED"),
        (3, "SUCCESS"),
    ]
    assert attempts[1]["createdAt"] >= attempts[0]["updatedAt"]


def test_seed_attempts_appends_to_a_job_run_started_with_moto(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    application_id = emrs_client.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK"
    )["applicationId"]
    emrs_attempts.script_outcomes(["FAILED"])  # a job run that has not ended: it may go on
    job_run_id = emrs_client.start_job_run(
        applicationId=application_id,
        executionRoleArn=f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/job",
        jobDriver={"sparkSubmit": {"entryPoint": "local:///app.py"}},
    )["jobRunId"]

    run = emrs_attempts.seed_attempts(application_id, job_run_id, ["SUCCESS"])

    assert run.attempts == 2
    states = [a["state"] for a in attempts_of(emrs_client, run)]
    assert states == ["FAILED", "SUCCESS"]
    job_run = emrs_client.get_job_run(applicationId=application_id, jobRunId=job_run_id)
    assert job_run["jobRun"]["state"] == "SUCCESS"


# -- rejected seeds -----------------------------------------------------------------------

BAD_SEEDS: list[Any] = [
    pytest.param({"attempts": ["FAILED", "DONE"]}, "attempts[1].state", id="unknown state"),
    pytest.param({"attempts": []}, "attempts", id="empty history"),
    pytest.param({"attempts": "SUCCESS"}, "attempts", id="a string, not a list"),
    pytest.param({"attempts": [7]}, "attempts[0]", id="wrong attempt type"),
    pytest.param({"attempts": [{"state": "SUCCESS", "State": "x"}]}, "attempts[0].State", id="unknown key"),
    pytest.param({"attempts": [{"stateDetails": "x"}]}, "attempts[0].state", id="missing state"),
    pytest.param({"attempts": [{"state": "FAILED", "stateDetails": " "}]}, "attempts[0].stateDetails", id="blank details"),
    pytest.param({"attempts": [{"state": "FAILED", "createdAt": "yesterday"}]}, "attempts[0].createdAt", id="bad time"),
    pytest.param(
        {"attempts": [{"state": "FAILED", "createdAt": "2026-01-01T01:00:00Z", "updatedAt": "2026-01-01T00:00:00Z"}]},
        "attempts[0].updatedAt",
        id="ends before it starts",
    ),
    pytest.param(
        {"attempts": [
            mea.Attempt("FAILED", created_at=datetime(2026, 1, 1, 1), updated_at=datetime(2026, 1, 1, 2)),
            mea.Attempt("SUCCESS", created_at=datetime(2026, 1, 1, 1, 30)),
        ]},
        "attempts[1].createdAt",
        id="starts before the previous ends",
    ),
    pytest.param({"name": " "}, "name", id="blank name"),
    pytest.param({"mode": "INTERACTIVE"}, "mode", id="unknown mode"),
    pytest.param({"retry_policy": {"maxAttempts": 11}}, "retry_policy.maxAttempts", id="retry policy out of range"),
    pytest.param({"execution_role_arn": "arn:aws:iam::999999999999:role/x"}, "execution_role_arn", id="role of another account"),
    pytest.param({"execution_role_arn": "not-an-arn"}, "execution_role_arn", id="role not an ARN"),
    pytest.param({"release_label": "seven"}, "release_label", id="bad release label"),
    pytest.param({"region_name": "mars-1"}, "region_name", id="unknown region"),
    pytest.param({"account_id": "12"}, "account_id", id="bad account"),
]  # fmt: skip


@pytest.mark.parametrize(("kwargs", "path"), BAD_SEEDS)
def test_a_bad_seed_names_its_path_and_seeds_nothing(
    emrs_attempts: Any, emrs_client: Any, kwargs: dict[str, Any], path: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_job_run(**kwargs)

    assert caught.value.path == path
    assert str(caught.value).startswith(f"{path}: ")
    assert nothing_seeded(emrs_client)


def test_a_history_error_is_a_value_error() -> None:
    assert issubclass(mea.HistoryError, ValueError)


def test_an_unknown_state_message_lists_the_states(emrs_attempts: Any) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_job_run(["FAILED", "DONE"])

    states = ", ".join(enum("JobRunState"))  # botocore 1.34 (tox -e moto-min) has no QUEUED
    assert str(caught.value) == (
        f"attempts[1].state: 'DONE' is not a job run state; use one of {states}"
    )


def test_a_missing_application_is_a_lookup_error(emrs_attempts: Any, emrs_client: Any) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_job_run(application_id="nosuchapp")

    assert isinstance(caught.value, LookupError)
    assert caught.value.path == "application_id"
    assert nothing_seeded(emrs_client)


def test_seed_attempts_on_a_missing_application_is_a_lookup_error(emrs_attempts: Any) -> None:
    with pytest.raises(LookupError) as caught:
        emrs_attempts.seed_attempts("nosuchapp", "nosuchrun", ["SUCCESS"])

    assert isinstance(caught.value, mea.HistoryError)
    assert caught.value.path == "application_id"


def test_seed_attempts_on_a_missing_job_run_is_a_lookup_error(emrs_attempts: Any) -> None:
    run = emrs_attempts.seed_job_run()

    with pytest.raises(LookupError) as caught:
        emrs_attempts.seed_attempts(run.application_id, "nosuchrun", ["SUCCESS"])

    assert isinstance(caught.value, mea.HistoryError)
    assert caught.value.path == "job_run_id"


def test_seed_attempts_on_a_job_run_of_another_application_is_a_lookup_error(
    emrs_attempts: Any,
) -> None:
    run = emrs_attempts.seed_job_run()
    other = emrs_attempts.seed_job_run()

    with pytest.raises(LookupError):
        emrs_attempts.seed_attempts(other.application_id, run.job_run_id, ["SUCCESS"])


def test_a_bad_seed_attempts_appends_nothing(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"])

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["FAILED", "DONE"])

    assert caught.value.path == "attempts[1].state"
    assert [a["attempt"] for a in attempts_of(emrs_client, run)] == [1]


def test_seed_attempts_may_not_run_backwards(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(
        [mea.Attempt("FAILED", created_at=datetime(2026, 5, 1), updated_at=datetime(2026, 5, 2))]
    )

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_attempts(
            run.application_id,
            run.job_run_id,
            [mea.Attempt("SUCCESS", created_at=datetime(2026, 5, 1, 12))],
        )

    assert caught.value.path == "attempts[0].createdAt"
    assert len(attempts_of(emrs_client, run)) == 1


# -- history documents --------------------------------------------------------------------

DOCUMENT = doc(
    {
        "name": "nightly-etl",
        "mode": "BATCH",
        "retryPolicy": {"maxAttempts": 3},
        "attempts": [
            {
                "state": "FAILED",
                "stateDetails": "Driver OOM",
                "createdAt": "2026-01-01T00:00:00Z",
                "updatedAt": "2026-01-01T00:10:00Z",
            },
            {"state": "SUCCESS"},
        ],
    },
    {"attempts": [{"state": "RUNNING"}]},
    region="us-east-1",
    account=DEFAULT_ACCOUNT_ID,
)


def test_load_history_seeds_every_job_run_in_order(emrs_attempts: Any, emrs_client: Any) -> None:
    first, second = emrs_attempts.load_history(DOCUMENT)

    assert (first.attempts, second.attempts) == (2, 1)
    attempts = attempts_of(emrs_client, first)
    assert [a["state"] for a in attempts] == ["FAILED", "SUCCESS"]
    assert attempts[0]["name"] == "nightly-etl"
    assert attempts[0]["stateDetails"] == "Driver OOM"
    assert [a["state"] for a in attempts_of(emrs_client, second)] == ["RUNNING"]


@pytest.fixture
def history_file(tmp_path: Path) -> Path:
    path = tmp_path / "history.json"
    path.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    return path


@pytest.mark.parametrize("as_type", [str, Path], ids=["str path", "pathlib.Path"])
def test_load_history_reads_a_json_file(
    emrs_attempts: Any, emrs_client: Any, history_file: Path, as_type: Callable[[Path], Any]
) -> None:
    runs = emrs_attempts.load_history(as_type(history_file))

    assert [r.attempts for r in runs] == [2, 1]


def test_load_history_honours_region_and_account(emrs_attempts: Any, emrs_client: Any) -> None:
    [run] = emrs_attempts.load_history(
        doc({"attempts": ["SUCCESS"]}, region="eu-west-1", account="111111111111")
    )

    assert run.arn.startswith("arn:aws:emr-serverless:eu-west-1:111111111111:")
    assert nothing_seeded(emrs_client)


BAD_DOCUMENTS: list[Any] = [
    pytest.param([], "$", id="not an object"),
    pytest.param({**doc({"attempts": ["SUCCESS"]}), "owner": "me"}, "owner", id="unknown top key"),
    pytest.param({"jobRuns": [{"attempts": ["SUCCESS"]}]}, "version", id="missing version"),
    pytest.param(doc({"attempts": ["SUCCESS"]}, version="1"), "version", id="version as string"),
    pytest.param({"version": 1}, "jobRuns", id="no job runs member"),
    pytest.param({"version": 1, "jobRuns": {"attempts": []}}, "jobRuns", id="job runs not a list"),
    pytest.param(doc({"attempts": ["SUCCESS"]}, region="xx-nowhere-9"), "region", id="unknown region"),
    pytest.param(doc({"attempts": ["SUCCESS"]}, account=123456789012), "account", id="account as number"),
    pytest.param(doc("SUCCESS"), "jobRuns[0]", id="job run not an object"),
    pytest.param(doc({"attempts": ["SUCCESS"], "state": "x"}), "jobRuns[0].state", id="unknown job run key"),
    pytest.param(doc({"name": "x"}), "jobRuns[0].attempts", id="missing attempts"),
    pytest.param(doc({"attempts": []}), "jobRuns[0].attempts", id="empty history"),
    pytest.param(doc({"attempts": ["SUCCESS"], "name": 5}), "jobRuns[0].name", id="name not a string"),
    pytest.param(doc({"attempts": ["SUCCESS"], "mode": "batch"}), "jobRuns[0].mode", id="unknown mode"),
    pytest.param(doc({"attempts": ["SUCCESS"], "retryPolicy": 3}), "jobRuns[0].retryPolicy", id="retry policy not an object"),
    pytest.param(
        doc({"mode": "STREAMING", "retryPolicy": {"maxAttempts": 2}, "attempts": ["SUCCESS"]}),
        "jobRuns[0].retryPolicy.maxAttempts",
        id="retry policy of the other mode",
    ),
    pytest.param(doc({"attempts": ["SUCCESS"], "applicationId": "nosuchapp"}), "jobRuns[0].applicationId", id="missing application"),
    pytest.param(doc({"attempts": ["SUCCESS"]}, {"attempts": ["SUCCESS", "DONE"]}), "jobRuns[1].attempts[1].state", id="unknown state"),
    pytest.param(doc({"attempts": [{"state": "SUCCESS", "id": 1}]}), "jobRuns[0].attempts[0].id", id="unknown attempt key"),
    pytest.param(doc({"attempts": [{"state": 1}]}), "jobRuns[0].attempts[0].state", id="state not a string"),
    pytest.param(doc({"attempts": [{"state": "SUCCESS", "createdAt": True}]}), "jobRuns[0].attempts[0].createdAt", id="time as a boolean"),
    pytest.param(
        doc(
            {"attempts": ["SUCCESS"]},
            {"attempts": [
                {"state": "FAILED", "createdAt": "2026-01-01T00:00:00Z", "updatedAt": "2026-01-01T00:10:00Z"},
                {"state": "SUCCESS", "createdAt": "2026-01-01T00:05:00Z"},
            ]},
        ),
        "jobRuns[1].attempts[1].createdAt",
        id="times run backwards",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("document", "path"), BAD_DOCUMENTS)
def test_a_bad_history_document_names_its_path_and_seeds_nothing(
    emrs_attempts: Any, emrs_client: Any, document: Any, path: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(document)

    assert caught.value.path == path
    assert nothing_seeded(emrs_client)


def test_a_missing_application_in_a_document_is_a_lookup_error(emrs_attempts: Any) -> None:
    with pytest.raises(LookupError):
        emrs_attempts.load_history(doc({"attempts": ["SUCCESS"], "applicationId": "nosuchapp"}))


def test_an_unparsable_file_seeds_nothing(
    emrs_attempts: Any, emrs_client: Any, tmp_path: Path
) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"version": 1, "jobRuns": [', encoding="utf-8")

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(path)

    assert caught.value.path == "$"
    assert str(path) in str(caught.value)
    assert nothing_seeded(emrs_client)


def test_a_missing_file_is_a_history_error(emrs_attempts: Any, tmp_path: Path) -> None:
    path = tmp_path / "missing.json"

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(str(path))

    assert caught.value.path == "$"
    assert str(path) in str(caught.value)


# -- determinism and separation -----------------------------------------------------------


@pytest.fixture
def fresh_mock() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Seed the same job run under a fresh mock with mock_random seeded; return its attempts."""

    def seed() -> list[dict[str, Any]]:
        with mock_aws():
            mock_random.seed(42)
            run = mea.seed_job_run(["FAILED", "SUCCESS"], name="etl")
            return attempts_of(mea.EmrsAttempts().client(), run)

    yield seed


def test_seeded_ids_are_reproducible_with_a_seeded_mock_random(
    fresh_mock: Callable[[], list[dict[str, Any]]],
) -> None:
    first, again = fresh_mock(), fresh_mock()

    assert [(a["applicationId"], a["id"]) for a in first] == [
        (a["applicationId"], a["id"]) for a in again
    ]


def test_seeded_timestamps_are_deterministic(
    fresh_mock: Callable[[], list[dict[str, Any]]],
) -> None:
    first, again = fresh_mock(), fresh_mock()

    keys = ("jobCreatedAt", "createdAt", "updatedAt")
    assert [[a[k] for k in keys] for a in first] == [[a[k] for k in keys] for a in again]


def test_seeded_job_runs_in_another_region_are_separate(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run(region_name="eu-west-1")

    assert nothing_seeded(emrs_client)
    assert not_found(emrs_client, run)
    assert len(attempts_of(emrs_attempts.client("eu-west-1"), run)) == 1


def not_found(client: Any, run: Any) -> bool:
    with pytest.raises(ClientError) as caught:
        attempts_of(client, run)
    response = caught.value.response
    return (response["ResponseMetadata"]["HTTPStatusCode"], response["Error"]["Code"]) == (
        404,
        "ResourceNotFoundException",
    )


def test_a_job_run_of_another_account_is_invisible_from_the_default_account(
    emrs_attempts: Any, emrs_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = emrs_attempts.seed_job_run(account_id="111111111111")

    assert nothing_seeded(emrs_client)
    assert not_found(emrs_client, run)
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111111111111")
    assert len(attempts_of(emrs_client, run)) == 1


def test_a_job_run_of_the_default_account_is_invisible_from_another_account(
    emrs_attempts: Any, emrs_client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = emrs_attempts.seed_job_run()
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111111111111")

    assert nothing_seeded(emrs_client)
    assert not_found(emrs_client, run)


def test_seed_attempts_for_an_application_of_another_region_names_the_account_and_region(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"])

    with pytest.raises(mea.HistoryError) as caught:
        mea.seed_attempts(run.application_id, run.job_run_id, ["SUCCESS"], region_name="eu-west-1")

    assert str(caught.value) == (
        f"application_id: application {run.application_id} does not exist in account "
        "123456789012, region eu-west-1"
    )


@pytest.mark.parametrize("member", ["maxAttempt", "MaxAttempts", "attempts"])
def test_a_retry_policy_member_typo_names_the_members(
    emrs_attempts: mea.EmrsAttempts, member: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_job_run(["SUCCESS"], retry_policy={member: 3})

    assert str(caught.value) == (
        f"retry_policy.{member}: is not a retry policy member; "
        "use maxAttempts, maxFailedAttemptsPerHour"
    )
    assert emrs_attempts.client().list_applications()["applications"] == []


@pytest.mark.parametrize(
    ("job_run_name", "application_name"),
    [
        (None, "seeded-application"),
        ("nightly-etl", "nightly-etl-application"),
        ("nightly etl é", "nightly-etl---application"),
        ("x" * 100, "x" * 52 + "-application"),
    ],
)
def test_a_seed_without_an_application_gets_a_name_the_model_allows(
    emr: Any, job_run_name: str | None, application_name: str
) -> None:
    run = mea.seed_job_run(["SUCCESS"], name=job_run_name)
    # the answer is checked against the model's ApplicationName (conftest)
    found = emr.get_application(applicationId=run.application_id)["application"]
    assert found["name"] == application_name
    assert [a["name"] for a in emr.list_applications()["applications"]] == [application_name]
