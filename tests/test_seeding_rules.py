"""Seeds that AWS could produce (SPEC 4 and 6; issue 12, items 7 and 8).

Only a job run's latest attempt may be in flight, and no attempt follows SUCCESS or CANCELLED,
in `seed_job_run`, `seed_attempts`, `load_history` and over HTTP alike. `seed_attempts` plays
the new attempts under the job run's retry policy, continuing its count, and refuses a job run
that has ended.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests
from moto.core.models import DEFAULT_ACCOUNT_ID

import moto_emrs_attempts as mea
from moto_emrs_attempts.contract.service_model import enum
from moto_emrs_attempts.engine import lifecycle
from moto_emrs_attempts.engine.lifecycle import AttemptRecord, Outcome

CONTROL = "http://motoapi.amazonaws.com/moto-api/emrs-attempts"
STATES = enum("JobRunState")
#: SPEC 6: the states that end a job run, and those of an attempt still in flight.
ENDING = ("SUCCESS", "CANCELLED")
IN_FLIGHT = tuple(s for s in STATES if s not in ("SUCCESS", "FAILED", "CANCELLED"))


def states_of(client: Any, run: Any) -> list[str]:
    attempts = client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id
    )["jobRunAttempts"]
    return [a["state"] for a in attempts]


def follows(state: str, before: str) -> str:
    """The problem of an attempt in `state` listed after one in `before`."""
    if before in ENDING:
        return f"{state!r} follows {before}, which ends the job run; no attempt follows SUCCESS or CANCELLED"
    return f"{state!r} follows {before}, which is still in flight; only the latest attempt may be in flight"


# -- literal histories --------------------------------------------------------------------


@pytest.mark.parametrize("last", STATES)
def test_any_state_may_end_a_history_of_failures(
    emrs_attempts: Any, emrs_client: Any, last: str
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "FAILED", last])

    assert states_of(emrs_client, run) == ["FAILED", "FAILED", last]


IMPOSSIBLE = [
    pytest.param(["RUNNING", "SUCCESS"], "attempts[1].state", follows("SUCCESS", "RUNNING"), id="RUNNING then SUCCESS"),
    pytest.param(["FAILED", "SUCCESS", "FAILED"], "attempts[2].state", follows("FAILED", "SUCCESS"), id="after SUCCESS"),
    pytest.param(["CANCELLED", "CANCELLED"], "attempts[1].state", follows("CANCELLED", "CANCELLED"), id="after CANCELLED"),
    pytest.param(["FAILED", "PENDING", "RUNNING"], "attempts[2].state", follows("RUNNING", "PENDING"), id="two in flight"),
    *(
        pytest.param([before, "FAILED"], "attempts[1].state", follows("FAILED", before), id=f"after {before}")
        for before in IN_FLIGHT
    ),
]  # fmt: skip


@pytest.mark.parametrize(("attempts", "path", "problem"), IMPOSSIBLE)
def test_seed_job_run_refuses_a_history_aws_cannot_produce(
    emrs_attempts: Any, emrs_client: Any, attempts: list[str], path: str, problem: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_job_run(attempts)

    assert str(caught.value) == f"{path}: {problem}"
    assert emrs_client.list_applications()["applications"] == []


def test_the_order_rules_hold_with_a_retry_policy_too(emrs_attempts: Any) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_job_run(["RUNNING", "SUCCESS"], retry_policy={"maxAttempts": 3})

    assert str(caught.value) == f"attempts[1].state: {follows('SUCCESS', 'RUNNING')}"


def _document() -> dict[str, Any]:
    return {
        "version": 1,
        "jobRuns": [
            {"attempts": ["FAILED", "SUCCESS"]},
            {"name": "impossible", "attempts": [{"state": "RUNNING"}, {"state": "SUCCESS"}]},
        ],
    }


def test_load_history_names_the_json_path_and_seeds_nothing(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(_document())

    assert str(caught.value) == f"jobRuns[1].attempts[1].state: {follows('SUCCESS', 'RUNNING')}"
    assert emrs_client.list_applications()["applications"] == []


def test_the_history_endpoint_answers_400_and_seeds_nothing(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    answer = requests.post(f"{CONTROL}/history", json=_document(), timeout=30)

    assert answer.status_code == 400
    assert answer.json() == {
        "message": f"jobRuns[1].attempts[1].state: {follows('SUCCESS', 'RUNNING')}"
    }
    assert emrs_client.list_applications()["applications"] == []


# -- appending ----------------------------------------------------------------------------


def test_attempts_appended_without_a_policy_are_taken_literally(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"])

    more = emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["FAILED"] * 4)

    assert more.attempts == 5
    assert states_of(emrs_client, run) == ["FAILED"] * 5


def test_appended_attempts_obey_the_order_rules(emrs_attempts: Any, emrs_client: Any) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"])

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["SUCCESS", "FAILED"])

    assert str(caught.value) == f"attempts[1].state: {follows('FAILED', 'SUCCESS')}"
    assert states_of(emrs_client, run) == ["FAILED"]


@pytest.mark.parametrize("final", ENDING)
def test_appending_to_a_job_run_that_has_ended_names_it_and_its_state(
    emrs_attempts: Any, emrs_client: Any, final: str
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", final])

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["FAILED"])

    assert str(caught.value) == (
        f"job_run_id: job run {run.job_run_id} has ended ({final}); no attempt can follow"
    )
    assert states_of(emrs_client, run) == ["FAILED", final]


@pytest.mark.parametrize("latest", IN_FLIGHT)
def test_appending_after_an_attempt_in_flight_is_refused(
    emrs_attempts: Any, emrs_client: Any, latest: str
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", latest])

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["SUCCESS"])

    assert str(caught.value) == (
        f"attempts[0].state: 'SUCCESS' follows attempt 2 of job run {run.job_run_id}, "
        f"which is still {latest}; only the latest attempt may be in flight"
    )
    assert states_of(emrs_client, run) == ["FAILED", latest]


def test_a_job_run_moto_started_without_a_script_has_ended(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    application_id = emrs_client.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK"
    )["applicationId"]
    job_run_id = emrs_client.start_job_run(
        applicationId=application_id,
        executionRoleArn=f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/job",
        jobDriver={"sparkSubmit": {"entryPoint": "local:///app.py"}},
    )["jobRunId"]

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_attempts(application_id, job_run_id, ["FAILED"])

    assert str(caught.value) == (
        f"job_run_id: job run {job_run_id} has ended (SUCCESS); no attempt can follow"
    )


def test_the_attempts_endpoint_refuses_a_job_run_that_has_ended(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run(["SUCCESS"])

    answer = requests.post(
        f"{CONTROL}/attempts",
        json={
            "applicationId": run.application_id,
            "jobRunId": run.job_run_id,
            "attempts": ["FAILED"],
        },
        timeout=30,
    )

    assert answer.status_code == 400
    assert answer.json() == {
        "message": f"jobRunId: job run {run.job_run_id} has ended (SUCCESS); no attempt can follow"
    }
    assert states_of(emrs_client, run) == ["SUCCESS"]


# -- appending under a retry policy ---------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "policy", "text"),
    [
        ("BATCH", {"maxAttempts": 2}, "maxAttempts 2"),
        ("STREAMING", {"maxFailedAttemptsPerHour": 2}, "maxFailedAttemptsPerHour 2"),
    ],
)
def test_appending_to_a_run_with_no_retry_left_names_it_and_its_policy(
    emrs_attempts: Any, emrs_client: Any, mode: str, policy: dict[str, int], text: str
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "FAILED"], mode=mode, retry_policy=policy)

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["SUCCESS"])

    assert str(caught.value) == (
        f"job_run_id: job run {run.job_run_id} has ended (FAILED, with no retry left under "
        f"its retryPolicy {text}); no attempt can follow"
    )
    assert states_of(emrs_client, run) == ["FAILED", "FAILED"]


def test_a_run_started_with_a_policy_takes_no_attempt_beyond_it(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    application_id = emrs_client.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK"
    )["applicationId"]
    emrs_attempts.script_outcomes(["FAILED", "FAILED"])
    job_run_id = emrs_client.start_job_run(
        applicationId=application_id,
        executionRoleArn=f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/job",
        jobDriver={"sparkSubmit": {"entryPoint": "local:///app.py"}},
        retryPolicy={"maxAttempts": 2},
    )["jobRunId"]

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_attempts(application_id, job_run_id, ["FAILED"] * 3)

    assert caught.value.path == "job_run_id"
    assert "has ended (FAILED, with no retry left" in caught.value.problem
    attempts = emrs_client.list_job_run_attempts(applicationId=application_id, jobRunId=job_run_id)
    assert [a["state"] for a in attempts["jobRunAttempts"]] == ["FAILED", "FAILED"]


def test_a_played_run_that_succeeded_takes_no_more_attempts(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"], retry_policy={"maxAttempts": 2})

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["FAILED"] * 3)

    assert str(caught.value) == (
        f"job_run_id: job run {run.job_run_id} has ended (SUCCESS); no attempt can follow"
    )
    assert states_of(emrs_client, run) == ["FAILED", "SUCCESS"]


# -- seeds under a retry policy list exactly the attempts it runs --------------------------

MORE_THAN_THE_POLICY_RUNS = [
    pytest.param(
        "BATCH", {"maxAttempts": 2}, ["FAILED", "FAILED", "SUCCESS"], "attempts[2]",
        "the retryPolicy maxAttempts 2 ends the job run at attempt 2 (FAILED, with no retry "
        "left), so no attempt follows it; list at most 2 attempts",
        id="BATCH: a third attempt after the last allowed",
    ),
    pytest.param(
        "BATCH", {}, ["FAILED", "SUCCESS"], "attempts[1]",
        "the retryPolicy maxAttempts 1 ends the job run at attempt 1 (FAILED, with no retry "
        "left), so no attempt follows it; list at most 1 attempt",
        id="BATCH: the default policy retries nothing",
    ),
    pytest.param(
        "STREAMING", {"maxFailedAttemptsPerHour": 2}, ["FAILED", "FAILED", "SUCCESS"], "attempts[2]",
        "the retryPolicy maxFailedAttemptsPerHour 2 ends the job run at attempt 2 (FAILED, the "
        "2 failures within one hour it allows), so no attempt follows it",
        id="STREAMING: an attempt after the hour's last failure",
    ),
]  # fmt: skip

FEWER_THAN_THE_POLICY_RUNS = [
    pytest.param(
        "BATCH", {"maxAttempts": 3}, ["FAILED"],
        "attempt 1 FAILED and the retryPolicy maxAttempts 3 retries it; list the attempts "
        "that follow, up to one that succeeds, is cancelled, or fails as attempt 3",
        id="BATCH: a failure with retries left",
    ),
    pytest.param(
        "STREAMING", {"maxFailedAttemptsPerHour": 3}, ["FAILED", "FAILED"],
        "attempt 2 FAILED with fewer than 3 failures within one hour, so the retryPolicy "
        "maxFailedAttemptsPerHour 3 retries it; list the attempts that follow, up to one that "
        "ends the job run",
        id="STREAMING: a failure with retries left",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mode", "policy", "attempts", "path", "problem"), MORE_THAN_THE_POLICY_RUNS
)
def test_a_seed_listing_attempts_its_policy_never_runs_is_refused(
    emrs_attempts: Any,
    emrs_client: Any,
    mode: str,
    policy: Any,
    attempts: Any,
    path: str,
    problem: str,
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_job_run(attempts, mode=mode, retry_policy=policy)

    assert str(caught.value) == f"{path}: {problem}"
    assert emrs_client.list_applications()["applications"] == []


@pytest.mark.parametrize(("mode", "policy", "attempts", "problem"), FEWER_THAN_THE_POLICY_RUNS)
def test_a_seed_ending_with_a_failure_its_policy_retries_is_refused(
    emrs_attempts: Any, emrs_client: Any, mode: str, policy: Any, attempts: Any, problem: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_job_run(attempts, mode=mode, retry_policy=policy)

    assert str(caught.value) == f"attempts: {problem}"
    assert emrs_client.list_applications()["applications"] == []


def test_a_history_document_listing_attempts_its_policy_never_runs_names_the_path(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    document = {
        "version": 1,
        "jobRuns": [
            {"attempts": ["SUCCESS"]},
            {"retryPolicy": {"maxAttempts": 2}, "attempts": ["FAILED", "FAILED", "SUCCESS"]},
        ],
    }

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(document)

    assert caught.value.path == "jobRuns[1].attempts[2]"
    assert emrs_client.list_applications()["applications"] == []


def test_a_script_still_plays_under_the_policy_whatever_it_lists(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    application_id = emrs_client.create_application(
        name="etl", releaseLabel="emr-7.1.0", type="SPARK"
    )["applicationId"]
    emrs_attempts.script_outcomes(["FAILED"])  # the retry the script does not list succeeds

    job_run_id = emrs_client.start_job_run(
        applicationId=application_id,
        executionRoleArn=f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/job",
        retryPolicy={"maxAttempts": 3},
    )["jobRunId"]

    attempts = emrs_client.list_job_run_attempts(applicationId=application_id, jobRunId=job_run_id)
    assert [a["state"] for a in attempts["jobRunAttempts"]] == ["FAILED", "SUCCESS"]


# -- the engine: playing after a run's own attempts ----------------------------------------


def _failed(count: int, every: float = 360.0) -> list[AttemptRecord]:
    return [
        AttemptRecord("FAILED", "Job run failed.", i * every, i * every + 300) for i in range(count)
    ]


@pytest.mark.parametrize(
    ("mode", "policy", "prior", "played"),
    [
        pytest.param("BATCH", {"maxAttempts": 3}, 1, ["FAILED", "FAILED"], id="BATCH counts the attempts"),
        pytest.param("BATCH", {"maxAttempts": 2}, 2, [], id="BATCH with no retry left"),
        pytest.param("STREAMING", {"maxFailedAttemptsPerHour": 3}, 2, ["FAILED"], id="STREAMING counts the failures"),
        pytest.param("STREAMING", {"maxFailedAttemptsPerHour": 2}, 2, [], id="STREAMING with no retry left"),
    ],
)  # fmt: skip
def test_play_continues_the_count_of_the_prior_attempts(
    mode: str, policy: dict[str, int], prior: int, played: list[str]
) -> None:
    before = _failed(prior)

    records = lifecycle.play(
        [Outcome("FAILED")] * 5,
        start=0.0,
        mode=mode,
        retry_policy=policy,
        after=before[-1].updated_at,
        prior=before,
    )

    assert [r.state for r in records] == played


def test_play_forgets_failures_older_than_an_hour_for_streaming() -> None:
    before = _failed(2, every=3600.0)  # an hour apart: only the latest one counts

    records = lifecycle.play(
        [Outcome("FAILED"), Outcome("SUCCESS")],
        start=0.0,
        mode="STREAMING",
        retry_policy={"maxFailedAttemptsPerHour": 2},
        after=before[-1].updated_at,
        prior=before,
    )

    assert [r.state for r in records] == ["FAILED"]
