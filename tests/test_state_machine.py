"""A model-based test: seeding, appending, scripted runs, cancels and paged listing, in any
order, across two accounts and two regions, agree with a plain in-memory reference model
(issue 6, item 3).

The reference model is a dict from (account, region, application, job run) to the list of its
attempts' states. Every listing (boto3's paginator or raw HTTP pages of a random size, from the
job run's account or from the other one) is compared with it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest
import requests
from botocore.exceptions import ClientError
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)
from moto.core import DEFAULT_ACCOUNT_ID
from moto.moto_api import state_manager

import moto_emrs_attempts as mea
from moto_emrs_attempts.contract.service_model import enum
from moto_emrs_attempts.responses import job_run_handlers as plugin_responses

from . import _hypothesis

ACCOUNTS = (DEFAULT_ACCOUNT_ID, "111111111111")
REGIONS = ("us-east-1", "eu-west-1")
STATES = enum("JobRunState")
ENDINGS = ("FAILED", "SUCCESS", "CANCELLED")
ROLE = "arn:aws:iam::{account}:role/state-machine-role"
#: Documented defaults of the retry policy (SPEC section 4).
DEFAULT_MAX_ATTEMPTS = 1
DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR = 5

#: StartJobRun and CancelJobRun rules run only once the plugin serves those operations.
LIFECYCLE = hasattr(plugin_responses, "start_job_run")
CANCEL = hasattr(plugin_responses, "cancel_job_run")

Key = tuple[str, str, str, str]  # account, region, application, job run
PROGRESSION = "emrserverless::job_run"


class Moving:
    """The reference model of a run started under manual progression: where it is in its
    steps, and whether a cancel is pending."""

    def __init__(self, steps: list[list[str]]) -> None:
        self.steps = steps
        self.index = 0
        self.cancelling = False
        self.cancelled: list[str] | None = None

    @property
    def now(self) -> list[str]:
        if self.cancelled is not None:
            return self.cancelled
        return self.steps[self.index]

    def step(self) -> None:
        if self.cancelled is not None:
            if self.cancelling:
                self.cancelling = False
                self.cancelled = [*self.cancelled[:-1], "CANCELLED"]
            return
        self.index = min(self.index + 1, len(self.steps) - 1)

    def settle(self) -> None:
        while self.cancelling or (self.cancelled is None and self.index < len(self.steps) - 1):
            self.step()

    def cancel(self, immediate: bool) -> None:
        states = self.now
        if states[-1] in ENDINGS:
            return
        self.cancelled = [*states[:-1], "CANCELLED" if immediate else "CANCELLING"]
        self.cancelling = not immediate


def _retry_due(mode: str, limit: int, states: Sequence[str]) -> bool:
    if states[-1] != "FAILED":
        return False
    if mode == "BATCH":
        return len(states) < limit
    return states.count("FAILED") < limit


def expected_attempts(
    mode: str, limit: int, outcomes: Sequence[str], prior: Sequence[str] = ()
) -> list[str]:
    """The states a scripted run plays after `prior`, by the rules of SPEC section 4.

    BATCH retries a FAILED attempt while attempts < maxAttempts; STREAMING retries until
    `limit` failures (its attempts are minutes apart, so all fall within one hour). SUCCESS
    and CANCELLED end the run; when the script runs out and a retry is due, the next succeeds.
    """
    states = list(prior)
    if states and not _retry_due(mode, limit, states):
        return states
    for taken in itertools.count():
        states.append(outcomes[taken] if taken < len(outcomes) else "SUCCESS")
        if not _retry_due(mode, limit, states):
            break
    return states


def expected_append(
    prior: Sequence[str], policy: tuple[str, int] | None, states: Sequence[str]
) -> list[str] | None:
    """The run's states after `seed_attempts(states)` (SPEC 6), or None for a HistoryError.

    Only the latest attempt may be in flight and nothing follows SUCCESS or CANCELLED, so
    every attempt but the last is FAILED; a run with a policy plays the new ones under it.
    """
    if any(state != "FAILED" for state in [*prior, *states][:-1]):
        return None
    if policy is None:
        return [*prior, *states]
    played = expected_attempts(*policy, states, prior)
    return played if len(played) > len(prior) else None


#: Histories AWS could produce: failures, then any state.
HISTORIES = st.tuples(st.integers(min_value=0, max_value=11), st.sampled_from(STATES)).map(
    lambda t: ["FAILED"] * t[0] + [t[1]]
)


def expected_steps(final: list[str]) -> list[list[str]]:
    """The attempts' states after each step of a run that plays `final` (SPEC 8): every
    attempt walks SUBMITTED, PENDING, SCHEDULED, RUNNING, then its outcome; the step that
    fails an attempt with a retry due creates the next one in SUBMITTED."""
    steps = [["SUBMITTED"]]
    for number, outcome in enumerate(final):
        done = final[:number]
        steps += [[*done, state] for state in ("PENDING", "SCHEDULED", "RUNNING")]
        if number + 1 < len(final):
            steps.append([*done, outcome, "SUBMITTED"])
        else:
            steps.append([*done, outcome])
    return steps


def test_the_reference_steps_walk_every_attempt() -> None:
    assert expected_steps(["FAILED", "SUCCESS"]) == [
        ["SUBMITTED"],
        ["PENDING"],
        ["SCHEDULED"],
        ["RUNNING"],
        ["FAILED", "SUBMITTED"],
        ["FAILED", "PENDING"],
        ["FAILED", "SCHEDULED"],
        ["FAILED", "RUNNING"],
        ["FAILED", "SUCCESS"],
    ]


def test_the_reference_rules_retry_as_documented() -> None:
    assert expected_attempts("BATCH", 3, ["FAILED", "FAILED", "SUCCESS"]) == [
        "FAILED",
        "FAILED",
        "SUCCESS",
    ]
    assert expected_attempts("BATCH", 2, ["FAILED", "FAILED", "SUCCESS"]) == ["FAILED", "FAILED"]
    assert expected_attempts("BATCH", 1, ["FAILED"]) == ["FAILED"]
    assert expected_attempts("BATCH", 3, ["FAILED"]) == ["FAILED", "SUCCESS"]
    assert expected_attempts("STREAMING", 2, ["FAILED"] * 4) == ["FAILED", "FAILED"]
    assert expected_attempts("STREAMING", 5, ["FAILED", "CANCELLED"]) == ["FAILED", "CANCELLED"]
    assert expected_attempts("BATCH", 3, ["FAILED"] * 5, ["FAILED"]) == ["FAILED"] * 3
    assert expected_attempts("BATCH", 2, ["FAILED"], ["FAILED", "FAILED"]) == ["FAILED"] * 2
    assert expected_append(["FAILED"], None, ["FAILED", "RUNNING"]) == ["FAILED"] * 2 + ["RUNNING"]
    assert expected_append(["SUCCESS"], None, ["FAILED"]) is None
    assert expected_append(["FAILED"], None, ["RUNNING", "FAILED"]) is None
    assert expected_append(["FAILED"] * 2, ("BATCH", 2), ["SUCCESS"]) is None


class AttemptHistories(RuleBasedStateMachine):
    """The plugin under a random sequence of operations, against the reference model."""

    runs = Bundle("runs")
    moving_runs = Bundle("moving_runs")

    def __init__(self) -> None:
        super().__init__()
        self.mock = mea.mock_emrs_attempts()
        self.mock.start()
        self.model: dict[Key, list[str]] = {}
        self.moving: dict[Key, Moving] = {}
        #: Each run's mode and retry setting, when it has a retry policy.
        self.policies: dict[Key, tuple[str, int]] = {}
        self.clients: dict[tuple[str, str], Any] = {}
        self.applications: dict[tuple[str, str], str] = {}
        self.session = requests.Session()
        self.session.trust_env = False

    def teardown(self) -> None:
        state_manager.unset_transition(PROGRESSION)
        self.session.close()
        self.mock.stop()

    # -- helpers ------------------------------------------------------------------------

    def client(self, account: str, region: str) -> Any:
        """A boto3 client of one account (moto's `x-moto-account-id` header) and region."""
        found = self.clients.get((account, region))
        if found is None:
            found = boto3.client("emr-serverless", region_name=region)

            def as_account(request: Any, **_: Any) -> None:
                request.headers["x-moto-account-id"] = account

            found.meta.events.register("request-created.emr-serverless", as_account)
            self.clients[(account, region)] = found
        return found

    def application(self, account: str, region: str) -> str:
        """One application per account and region, created with moto's own CreateApplication."""
        found = self.applications.get((account, region))
        if found is None:
            found = self.client(account, region).create_application(
                name="state-machine", releaseLabel="emr-7.1.0", type="SPARK"
            )["applicationId"]
            self.applications[(account, region)] = found
        return found

    def raw_pages(self, key: Key, reader: str, size: int) -> list[dict[str, Any]]:
        """Every page of ListJobRunAttempts over raw HTTP, from the `reader` account."""
        _, region, application_id, job_run_id = key
        url = (
            f"https://emr-serverless.{region}.amazonaws.com"
            f"/applications/{application_id}/jobruns/{job_run_id}/attempts"
        )
        pages: list[dict[str, Any]] = []
        query = {"maxResults": str(size)}
        while True:
            response = self.session.get(
                f"{url}?{urlencode(query)}", headers={"x-moto-account-id": reader}, timeout=30
            )
            pages.append({"status": response.status_code, **response.json()})
            if response.status_code != 200 or "nextToken" not in pages[-1]:
                return pages
            assert len(pages[-1]["jobRunAttempts"]) == size
            query["nextToken"] = pages[-1]["nextToken"]

    def check_listing(self, key: Key, attempts: list[dict[str, Any]]) -> None:
        account, region, application_id, job_run_id = key
        assert [a["attempt"] for a in attempts] == list(range(1, len(attempts) + 1))
        assert [a["state"] for a in attempts] == self.model[key]
        for attempt in attempts:
            assert (attempt["applicationId"], attempt["id"]) == (application_id, job_run_id)
            assert attempt["arn"].startswith(f"arn:aws:emr-serverless:{region}:{account}:/")
        for before, after in zip(attempts, attempts[1:]):
            assert after["createdAt"] >= before["updatedAt"]

    # -- rules --------------------------------------------------------------------------

    @initialize(target=runs)
    def seed_one_run(self) -> Key:
        return self.seed(DEFAULT_ACCOUNT_ID, "us-east-1", ["SUCCESS"], False)

    @rule(
        target=runs,
        account=st.sampled_from(ACCOUNTS),
        region=st.sampled_from(REGIONS),
        states=HISTORIES,
        shared_application=st.booleans(),
    )
    def seed(self, account: str, region: str, states: list[str], shared_application: bool) -> Key:
        application_id = self.application(account, region) if shared_application else None
        run = mea.seed_job_run(
            states, application_id=application_id, account_id=account, region_name=region
        )
        assert run.attempts == len(states)
        key = (account, region, run.application_id, run.job_run_id)
        assert key not in self.model
        self.model[key] = list(states)
        return key

    @rule(
        run=runs,
        states=st.one_of(HISTORIES, st.lists(st.sampled_from(STATES), min_size=1, max_size=8)),
    )
    def append(self, run: Key, states: list[str]) -> None:
        account, region, application_id, job_run_id = run
        expected = expected_append(self.model[run], self.policies.get(run), states)
        if expected is None:
            with pytest.raises(mea.HistoryError):
                mea.seed_attempts(
                    application_id, job_run_id, states, account_id=account, region_name=region
                )
            return
        seeded = mea.seed_attempts(
            application_id, job_run_id, states, account_id=account, region_name=region
        )
        self.model[run] = expected
        assert seeded.attempts == len(self.model[run])

    @precondition(lambda self: LIFECYCLE)
    @rule(
        target=runs,
        account=st.sampled_from(ACCOUNTS),
        region=st.sampled_from(REGIONS),
        mode=st.sampled_from(["BATCH", "STREAMING"]),
        limit=st.one_of(st.none(), st.integers(min_value=1, max_value=10)),
        outcomes=st.lists(st.sampled_from(ENDINGS), min_size=1, max_size=12),
        for_any_application=st.booleans(),
    )
    def start_scripted(
        self,
        account: str,
        region: str,
        mode: str,
        limit: int | None,
        outcomes: list[str],
        for_any_application: bool,
    ) -> Key:
        application_id = self.application(account, region)
        mea.script_outcomes(
            outcomes,
            application_id=None if for_any_application else application_id,
            account_id=account,
            region_name=region,
        )
        member = "maxAttempts" if mode == "BATCH" else "maxFailedAttemptsPerHour"
        extra = {} if limit is None else {"retryPolicy": {member: limit}}
        job_run_id = self.client(account, region).start_job_run(
            applicationId=application_id,
            executionRoleArn=ROLE.format(account=account),
            jobDriver={"sparkSubmit": {"entryPoint": "local:///state_machine.py"}},
            mode=mode,
            **extra,
        )["jobRunId"]
        key = (account, region, application_id, job_run_id)
        if limit is None:
            limit = (
                DEFAULT_MAX_ATTEMPTS if mode == "BATCH" else DEFAULT_MAX_FAILED_ATTEMPTS_PER_HOUR
            )
        else:
            self.policies[key] = (mode, limit)
        self.model[key] = expected_attempts(mode, limit, outcomes)
        return key

    @precondition(lambda self: CANCEL)
    @rule(run=runs)
    def cancel(self, run: Key) -> None:
        account, region, application_id, job_run_id = run
        self.client(account, region).cancel_job_run(
            applicationId=application_id, jobRunId=job_run_id
        )
        if self.model[run][-1] not in ENDINGS:  # a run that has ended is left as it is
            self.model[run][-1] = "CANCELLED"

    @rule(run=runs, size=st.integers(min_value=1, max_value=50), raw=st.booleans())
    def list_all(self, run: Key, size: int, raw: bool) -> None:
        account, region, application_id, job_run_id = run
        if raw:
            pages = self.raw_pages(run, account, size)
            assert all(page["status"] == 200 for page in pages)
        else:
            paginator = self.client(account, region).get_paginator("list_job_run_attempts")
            pages = list(
                paginator.paginate(
                    applicationId=application_id,
                    jobRunId=job_run_id,
                    PaginationConfig={"PageSize": size},
                )
            )
        assert len(pages) == max(1, -(-len(self.model[run]) // size))
        self.check_listing(run, [a for page in pages for a in page["jobRunAttempts"]])

    @rule(run=runs, size=st.integers(min_value=1, max_value=5), region=st.sampled_from(REGIONS))
    def list_from_elsewhere(self, run: Key, size: int, region: str) -> None:
        account, home_region, application_id, job_run_id = run
        other = next(a for a in ACCOUNTS if a != account)
        [page] = self.raw_pages(run, other, size)
        assert page["status"] == 404
        assert page["message"] == f"Application {application_id} does not exist"
        if region != home_region:
            with pytest.raises(ClientError) as caught:
                self.client(account, region).list_job_run_attempts(
                    applicationId=application_id, jobRunId=job_run_id
                )
            assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"

    @rule(
        run=runs,
        size=st.integers(min_value=1, max_value=4),
        states=HISTORIES,
    )
    def append_between_pages(self, run: Key, size: int, states: list[str]) -> None:
        """Pages stay exact when attempts are appended between them."""
        account, region, application_id, job_run_id = run
        client = self.client(account, region)
        first = client.list_job_run_attempts(
            applicationId=application_id, jobRunId=job_run_id, maxResults=size
        )
        self.append(run, states)
        attempts = list(first["jobRunAttempts"])
        token = first.get("nextToken")
        if token is None:  # the first page was the whole history: start over for the rest
            token_args: dict[str, Any] = {"maxResults": len(attempts)}
            rest = client.list_job_run_attempts(
                applicationId=application_id, jobRunId=job_run_id, **token_args
            )
            token = rest.get("nextToken")
        while token is not None:
            page = client.list_job_run_attempts(
                applicationId=application_id, jobRunId=job_run_id, maxResults=size, nextToken=token
            )
            attempts += page["jobRunAttempts"]
            token = page.get("nextToken")
        self.check_listing(run, attempts)

    # -- runs that move (manual progression, one step a poll) ----------------------------

    @precondition(lambda self: LIFECYCLE)
    @rule(
        target=moving_runs,
        account=st.sampled_from(ACCOUNTS),
        mode=st.sampled_from(["BATCH", "STREAMING"]),
        limit=st.integers(min_value=1, max_value=4),
        outcomes=st.lists(st.sampled_from(ENDINGS), min_size=1, max_size=5),
    )
    def start_moving(self, account: str, mode: str, limit: int, outcomes: list[str]) -> Key:
        region = "us-east-1"
        application_id = self.application(account, region)
        mea.script_outcomes(
            outcomes, application_id=application_id, account_id=account, region_name=region
        )
        member = "maxAttempts" if mode == "BATCH" else "maxFailedAttemptsPerHour"
        state_manager.set_transition(PROGRESSION, {"progression": "manual", "times": 1})
        try:
            job_run_id = self.client(account, region).start_job_run(
                applicationId=application_id,
                executionRoleArn=ROLE.format(account=account),
                mode=mode,
                retryPolicy={member: limit},
            )["jobRunId"]
        finally:
            state_manager.unset_transition(PROGRESSION)
        key = (account, region, application_id, job_run_id)
        self.moving[key] = Moving(expected_steps(expected_attempts(mode, limit, outcomes)))
        return key

    @rule(run=moving_runs, how=st.sampled_from(["GetJobRun", "ListJobRunAttempts", "ListJobRuns"]))
    def poll_moving(self, run: Key, how: str) -> None:
        """A poll under manual progression (times 1) moves the run one step and sees it."""
        account, region, application_id, job_run_id = run
        client = self.client(account, region)
        expected = self.moving[run]
        if how == "ListJobRuns":  # every page polls each run it returns (SPEC 8)
            for key, moving in self.moving.items():
                if key[:3] == run[:3]:
                    moving.step()
        else:
            expected.step()
        state_manager.set_transition(PROGRESSION, {"progression": "manual", "times": 1})
        try:
            if how == "GetJobRun":
                job_run = client.get_job_run(applicationId=application_id, jobRunId=job_run_id)
                seen = (job_run["jobRun"]["attempt"], job_run["jobRun"]["state"])
                assert seen == (len(expected.now), expected.now[-1])
            elif how == "ListJobRunAttempts":
                page = client.list_job_run_attempts(
                    applicationId=application_id, jobRunId=job_run_id
                )["jobRunAttempts"]
                assert [a["state"] for a in page] == expected.now
            else:
                pages = client.get_paginator("list_job_runs").paginate(applicationId=application_id)
                listed = [r for page in pages for r in page["jobRuns"]]
                [summary] = [r for r in listed if r["id"] == job_run_id]
                assert (summary["attempt"], summary["state"]) == (
                    len(expected.now),
                    expected.now[-1],
                )
        finally:
            state_manager.unset_transition(PROGRESSION)

    @rule(run=moving_runs, immediate=st.booleans())
    def cancel_moving(self, run: Key, immediate: bool) -> None:
        """CancelJobRun: CANCELLING under manual progression (CANCELLED at the next step),
        CANCELLED at once under immediate; a run that has ended stays as it is."""
        account, region, application_id, job_run_id = run
        if not immediate:
            state_manager.set_transition(PROGRESSION, {"progression": "manual", "times": 1})
        try:
            self.client(account, region).cancel_job_run(
                applicationId=application_id, jobRunId=job_run_id
            )
        finally:
            state_manager.unset_transition(PROGRESSION)
        if immediate:  # the cancel's own catch-up plays the run to its end first
            self.moving[run].settle()
        self.moving[run].cancel(immediate)

    @rule(run=moving_runs)
    def settle_moving(self, run: Key) -> None:
        """Under immediate progression (the default again) a poll plays the run to its end."""
        account, region, application_id, job_run_id = run
        expected = self.moving[run]
        expected.settle()
        page = self.client(account, region).list_job_run_attempts(
            applicationId=application_id, jobRunId=job_run_id
        )["jobRunAttempts"]
        assert [a["state"] for a in page] == expected.now

    @invariant()
    def every_run_is_known_to_moto(self) -> None:
        for account, region, application_id, job_run_id in self.model:
            job_runs = mea.attempts_backends[account][region].emr.job_runs[application_id]
            assert any(j.id == job_run_id for j in job_runs)


AttemptHistories.TestCase.settings = _hypothesis.stateful_settings()
test_attempt_histories_agree_with_the_reference_model = AttemptHistories.TestCase
