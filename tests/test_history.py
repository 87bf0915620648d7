"""The history document: export, the round trip, the new members and the schema (SPEC 6 and 9)."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID

import moto_emrs_attempts as mea
from moto_emrs_attempts.contract import service_model
from moto_emrs_attempts.contract.service_model import enum, shape
from moto_emrs_attempts.history import document as history

from . import _hypothesis  # noqa: F401  (the profiles)

STATES = enum("JobRunState")
ENDED = ("SUCCESS", "CANCELLED")
ROLE = f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/job-role"

#: The shipped schema describes the current model; botocore 1.34.116's (moto-min) is older: it
#: lacks QUEUED, executionIamPolicy and writes the role pattern differently.
current_model = pytest.mark.skipif(
    "QUEUED" not in enum("JobRunState"), reason="the schema describes a newer botocore model"
)
needs_iam_policy = pytest.mark.skipif(
    "executionIamPolicy" not in shape("JobRun").members,
    reason="this botocore's model has no executionIamPolicy",
)


def client(region_name: str = "us-east-1") -> Any:
    return boto3.client("emr-serverless", region_name=region_name)


def _strip(answer: dict[str, Any]) -> dict[str, Any]:
    answer.pop("ResponseMetadata", None)
    return answer


def pages(call: Any, **kwargs: Any) -> list[dict[str, Any]]:
    """Every page of a listing, walked by hand so that the tokens are compared too."""
    found = [_strip(call(**kwargs))]
    while "nextToken" in found[-1]:
        found.append(_strip(call(**kwargs, nextToken=found[-1]["nextToken"])))
    return found


def answers(region_name: str = "us-east-1") -> dict[str, Any]:
    """What ListJobRuns, ListJobRunAttempts and GetJobRun answer for every job run."""
    emr = client(region_name)
    seen: dict[str, Any] = {}
    for application in emr.list_applications()["applications"]:
        application_id = application["id"]
        runs = pages(emr.list_job_runs, applicationId=application_id, maxResults=2)
        seen[application_id] = runs
        for page in runs:
            for run in page["jobRuns"]:
                ids = {"applicationId": application_id, "jobRunId": run["id"]}
                listed = pages(emr.list_job_run_attempts, **ids, maxResults=2)
                count = sum(len(p["jobRunAttempts"]) for p in listed)
                seen[run["id"]] = {
                    "attempts": listed,
                    "runs": [
                        _strip(emr.get_job_run(**ids, attempt=n)) for n in range(1, count + 1)
                    ],
                    "latest": _strip(emr.get_job_run(**ids)),
                }
    return seen


def reloaded(document: dict[str, Any], region_name: str = "us-east-1") -> dict[str, Any]:
    """Load a document into a fresh mock and return its answers and its export."""
    with mock_aws():
        mea.load_history(json.loads(json.dumps(document)))
        return {
            "answers": answers(region_name),
            "export": mea.export_history(region_name=region_name),
        }


# -- export -------------------------------------------------------------------------------


def test_an_empty_backend_exports_a_document_with_no_job_runs(emrs_attempts: Any) -> None:
    assert emrs_attempts.export_history() == {
        "version": 1,
        "region": "us-east-1",
        "account": DEFAULT_ACCOUNT_ID,
        "applications": [],
        "jobRuns": [],
    }


def test_loading_an_empty_export_seeds_nothing(emrs_attempts: Any, emrs_client: Any) -> None:
    assert emrs_attempts.load_history(emrs_attempts.export_history()) == []
    assert emrs_client.list_applications()["applications"] == []


def test_the_handle_and_the_module_export_alike(emrs_attempts: Any) -> None:
    assert mea.EmrsAttempts.export_history is mea.export_history
    emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])
    assert emrs_attempts.export_history() == mea.export_history()


@pytest.mark.skipif(
    "SchedulerConfiguration" not in service_model.MODEL.shape_names,
    reason="this botocore's model has no schedulerConfiguration",
)
def test_an_applications_scheduler_configuration_survives_export_and_load() -> None:
    with mea.mock_emrs_attempts() as emrs:
        application_id = emrs.client().create_application(
            name="app",
            releaseLabel="emr-7.1.0",
            type="SPARK",
            schedulerConfiguration={"maxConcurrentRuns": 2},
        )["applicationId"]
        document = emrs.export_history()

    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(document)
        shown = emrs.client().get_application(applicationId=application_id)["application"]

    assert document["applications"][0]["schedulerConfiguration"] == {
        "maxConcurrentRuns": 2,
        "queueTimeoutMinutes": 360,
    }
    assert shown["schedulerConfiguration"] == {"maxConcurrentRuns": 2, "queueTimeoutMinutes": 360}


_HAS_SCHEDULER = "SchedulerConfiguration" in service_model.MODEL.shape_names
#: The members the installed model's SchedulerConfiguration has (botocore 1.34.116 has none).
_SCHEDULER_MEMBERS = ", ".join(shape("SchedulerConfiguration").members) if _HAS_SCHEDULER else ""


@pytest.mark.skipif(
    not _HAS_SCHEDULER, reason="this botocore's model has no schedulerConfiguration"
)
@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"maxConcurrentRuns": 0}, "maxConcurrentRuns: Member must have value greater than or equal to 1"),
        ({"queueTimeoutMinutes": 721}, "queueTimeoutMinutes: Member must have value less than or equal to 720"),
        ({"queueTimeoutMinutes": "a' at 'b"}, "queueTimeoutMinutes: Member must be an integer"),
        ({"slots": 1}, "slots: is not a scheduler configuration member; use " + _SCHEDULER_MEMBERS),
    ],
)  # fmt: skip
def test_a_bad_scheduler_configuration_names_its_path_and_seeds_nothing(
    emrs_attempts: Any, config: Any, message: str
) -> None:
    document = {"version": 1, "applications": [{"applicationId": "00app0001", "schedulerConfiguration": config}]}  # fmt: skip

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(document)

    assert str(caught.value) == f"applications[0].schedulerConfiguration.{message}"
    assert emrs_attempts.export_history()["applications"] == []


def test_an_export_is_plain_json(emrs_attempts: Any) -> None:
    emrs_attempts.seed_job_run(["FAILED", "SUCCESS"], retry_policy={"maxAttempts": 2})
    document = emrs_attempts.export_history()

    assert json.loads(json.dumps(document)) == document


def test_exporting_changes_nothing(emrs_attempts: Any, emrs_client: Any) -> None:
    application_id = emrs_client.create_application(
        name="app", releaseLabel="emr-7.1.0", type="SPARK"
    )["applicationId"]
    emrs_client.start_job_run(
        applicationId=application_id, executionRoleArn=ROLE, tags={"team": "data"}
    )
    before = answers()
    document = emrs_attempts.export_history()
    document["jobRuns"][0]["tags"]["team"] = "changed"  # the export is a copy, too
    document["jobRuns"][0]["attempts"].clear()

    assert answers() == before
    assert emrs_attempts.export_history()["jobRuns"][0]["tags"] == {"team": "data"}


def test_export_names_every_member_of_a_started_job_run(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    application_id = emrs_client.create_application(
        name="app", releaseLabel="emr-6.9.0", type="HIVE"
    )["applicationId"]
    emrs_attempts.script_outcomes(["FAILED", "SUCCESS"])
    job_run_id = emrs_client.start_job_run(
        applicationId=application_id,
        executionRoleArn=ROLE,
        name="nightly",
        mode="BATCH",
        retryPolicy={"maxAttempts": 2},
        jobDriver={"hive": {"query": "SELECT 1"}},
        configurationOverrides={"applicationConfiguration": [{"classification": "hive-site"}]},
        tags={"team": "data"},
        executionTimeoutMinutes=60,
    )["jobRunId"]
    [run] = emrs_attempts.export_history()["jobRuns"]
    created = emrs_client.get_job_run(applicationId=application_id, jobRunId=job_run_id)

    [application] = emrs_attempts.export_history()["applications"]
    over_time = ("state", "createdAt", "updatedAt", "progress")  # `test_applications_history`
    assert {k: v for k, v in application.items() if k not in over_time} == {
        "applicationId": application_id,
        "name": "app",
        "releaseLabel": "emr-6.9.0",
        "type": "HIVE",
        "autoStartConfiguration": {"enabled": True},
        "autoStopConfiguration": {"enabled": True, "idleTimeoutMinutes": 15},
    }
    assert application["state"] == "STARTED"  # auto-started by the job run
    assert [a["state"] for a in run.pop("attempts")] == ["FAILED", "SUCCESS"]
    assert run == {
        "jobRunId": job_run_id,
        "applicationId": application_id,
        "name": "nightly",
        "mode": "BATCH",
        "retryPolicy": {"maxAttempts": 2},
        "executionRoleArn": ROLE,
        "releaseLabel": "emr-6.9.0",
        "createdAt": created["jobRun"]["createdAt"].isoformat().replace("+00:00", "Z"),
        "createdBy": created["jobRun"]["createdBy"],
        "jobDriver": {"hive": {"query": "SELECT 1"}},
        "configurationOverrides": {"applicationConfiguration": [{"classification": "hive-site"}]},
        "tags": {"team": "data"},
        "executionTimeoutMinutes": 60,
    }


def test_export_honours_region_and_account(emrs_attempts: Any) -> None:
    emrs_attempts.seed_job_run(["SUCCESS"], region_name="eu-west-1", account_id="111111111111")

    assert emrs_attempts.export_history()["jobRuns"] == []
    document = emrs_attempts.export_history(region_name="eu-west-1", account_id="111111111111")
    assert (document["region"], document["account"], len(document["jobRuns"])) == (
        "eu-west-1",
        "111111111111",
        1,
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"region_name": "us-east-l"},
            "region_name: 'us-east-l' is not a region EMR Serverless serves",
        ),
        ({"account_id": "12345"}, "account_id: must be a 12-digit AWS account id, not '12345'"),
    ],
)
def test_export_rejects_an_unknown_region_or_account(
    emrs_attempts: Any, kwargs: dict[str, str], message: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.export_history(**kwargs)

    assert str(caught.value) == message


def test_regions_held_names_every_account_and_region_with_an_application(
    emrs_attempts: Any,
) -> None:
    emrs_attempts.seed_job_run(["SUCCESS"])
    emrs_attempts.seed_job_run(["SUCCESS"], region_name="eu-west-1", account_id="111111111111")
    emrs_attempts.export_history(region_name="ap-south-1")  # looking creates nothing

    assert sorted(history.regions_held()) == [
        ("111111111111", "eu-west-1"),
        (DEFAULT_ACCOUNT_ID, "us-east-1"),
    ]


def test_a_job_run_moto_started_by_itself_is_exported_without_being_adopted(
    emrs_attempts: Any,
) -> None:
    backend = emrs_attempts.backend()
    application = backend.emr.create_application(
        "app", "emr-7.1.0", "SPARK", None, None, None, None, None, None, None
    )
    backend.emr.start_job_run(application.id, None, ROLE, None, None, None, None, "raw")

    [run] = emrs_attempts.export_history()["jobRuns"]

    assert [a["state"] for a in run["attempts"]] == ["SUCCESS"]
    assert backend.histories == {}


# -- the round trip -----------------------------------------------------------------------


@st.composite
def _attempt(draw: Any) -> Any:
    state = draw(st.sampled_from(STATES))
    if draw(st.booleans()):
        return state
    attempt: dict[str, Any] = {"state": state}
    if draw(st.booleans()):
        attempt["stateDetails"] = draw(st.sampled_from(["Driver OOM", "Spot lost", "ok"]))
    return attempt


_OPERATION = st.one_of(
    st.tuples(
        st.just("seed"),
        st.lists(_attempt(), min_size=1, max_size=4),
        st.sampled_from(["BATCH", "STREAMING"]),
        st.integers(1, 4),
        st.booleans(),
        st.one_of(st.none(), st.text("abc-", min_size=1, max_size=6)),
        st.integers(0, 3),
    ),
    st.tuples(
        st.just("start"),
        st.lists(st.sampled_from(["FAILED", "SUCCESS", "CANCELLED"]), max_size=4),
        st.sampled_from(["BATCH", "STREAMING"]),
        st.integers(1, 4),
        st.booleans(),
        st.dictionaries(st.sampled_from(["team", "env"]), st.sampled_from(["a", "b"])),
        st.integers(0, 3),
    ),
    st.tuples(st.just("cancel"), st.integers(0, 20)),
    st.tuples(st.just("append"), st.integers(0, 20), st.lists(_attempt(), min_size=1, max_size=3)),
)


def _build(operations: list[Any]) -> None:
    """Build a state with the public API; steps AWS could not take are skipped."""
    emr = client()
    applications: list[str] = []
    runs: list[tuple[str, str]] = []
    for operation in operations:
        kind = operation[0]
        try:
            if kind == "seed":
                _, attempts, mode, limit, with_policy, name, app = operation
                member = "maxAttempts" if mode == "BATCH" else "maxFailedAttemptsPerHour"
                run = mea.seed_job_run(
                    attempts,
                    application_id=applications[app] if app < len(applications) else None,
                    name=name,
                    mode=mode,
                    retry_policy={member: limit} if with_policy else None,
                )
                applications += [run.application_id] * (run.application_id not in applications)
                runs.append((run.application_id, run.job_run_id))
            elif kind == "start":
                _, outcomes, mode, limit, with_policy, tags, app = operation
                if app >= len(applications):
                    created = emr.create_application(
                        name=f"app{app}", releaseLabel="emr-7.1.0", type="SPARK"
                    )
                    applications.append(created["applicationId"])
                application_id = applications[min(app, len(applications) - 1)]
                if outcomes:
                    mea.script_outcomes(outcomes, application_id=application_id)
                member = "maxAttempts" if mode == "BATCH" else "maxFailedAttemptsPerHour"
                extra: dict[str, Any] = {"retryPolicy": {member: limit}} if with_policy else {}
                started = emr.start_job_run(
                    applicationId=application_id,
                    executionRoleArn=ROLE,
                    mode=mode,
                    tags=tags,
                    **extra,
                )
                runs.append((application_id, started["jobRunId"]))
            elif kind == "cancel" and runs:
                application_id, job_run_id = runs[operation[1] % len(runs)]
                emr.cancel_job_run(applicationId=application_id, jobRunId=job_run_id)
            elif kind == "append" and runs:
                application_id, job_run_id = runs[operation[1] % len(runs)]
                run = emr.get_job_run(applicationId=application_id, jobRunId=job_run_id)
                if "retryPolicy" in run["jobRun"] or run["jobRun"]["state"] in ENDED:
                    continue  # AWS could not add attempts (seed_attempts refuses it, issue 12)
                mea.seed_attempts(application_id, job_run_id, operation[2])
        except mea.HistoryError:
            continue


@settings(max_examples=max(10, settings.default.max_examples // 12))
@given(operations=st.lists(_OPERATION, max_size=6))
def test_any_state_survives_export_and_load_into_a_fresh_mock(operations: list[Any]) -> None:
    with mock_aws():
        _build(operations)
        before = answers()
        document = mea.export_history()
        assert mea.export_history() == document

    after = reloaded(document)

    jsonschema.validate(document, history.schema())
    assert after["answers"] == before
    assert after["export"] == document


def test_a_cancelled_streaming_run_survives_the_round_trip() -> None:
    with mock_aws():
        run = mea.seed_job_run(["RUNNING"], mode="STREAMING")
        client().cancel_job_run(applicationId=run.application_id, jobRunId=run.job_run_id)
        before = answers()
        document = mea.export_history()

    assert reloaded(document)["answers"] == before


def test_the_round_trip_keeps_other_regions_and_accounts_apart() -> None:
    where = {"region_name": "eu-west-1", "account_id": "111111111111"}
    with mock_aws():
        mea.seed_job_run(["FAILED", "SUCCESS"], **where)
        document = mea.export_history(**where)

    with mock_aws():
        [run] = mea.load_history(document)
        assert mea.export_history(**where) == document
        assert mea.export_history()["jobRuns"] == []
    assert run.arn.startswith("arn:aws:emr-serverless:eu-west-1:111111111111:")


def test_times_finer_than_a_microsecond_survive_as_epoch_seconds() -> None:
    epoch = 1767225600.1234567
    with mock_aws():
        mea.load_history(
            {"version": 1, "jobRuns": [{"attempts": [{"state": "SUCCESS", "createdAt": epoch}]}]}
        )
        document = mea.export_history()
    [run] = document["jobRuns"]

    assert run["attempts"][0]["createdAt"] == epoch
    assert run["createdAt"] == epoch
    assert reloaded(document)["export"] == document


@pytest.mark.parametrize(
    ("epoch", "rendered"),
    [
        (1767225600.0, "2026-01-01T00:00:00Z"),
        (1767225600.25, "2026-01-01T00:00:00.250000Z"),
        (1767225600.123456, "2026-01-01T00:00:00.123456Z"),
        (1767225600.1234567, 1767225600.1234567),
    ],
)
def test_times_render_as_iso_8601_when_that_is_exact(epoch: float, rendered: Any) -> None:
    assert history.render_time(epoch) == rendered


# -- the new members ----------------------------------------------------------------------


def doc(*job_runs: Any, **top: Any) -> dict[str, Any]:
    return {"version": 1, **top, "jobRuns": list(job_runs)}


APP = {"applicationId": "00app0001", "name": "etl", "releaseLabel": "emr-6.9.0", "type": "SPARK"}


def test_a_document_creates_its_applications_with_their_ids(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    emrs_attempts.load_history(doc(applications=[APP]))

    found = emrs_client.get_application(applicationId="00app0001")["application"]
    assert (found["name"], found["releaseLabel"], found["type"]) == ("etl", "emr-6.9.0", "Spark")
    assert found["arn"].endswith(":/applications/00app0001")


def test_a_document_keeps_an_application_that_exists(emrs_attempts: Any, emrs_client: Any) -> None:
    emrs_attempts.load_history(doc(applications=[APP]))
    emrs_attempts.load_history(
        doc(
            {"applicationId": "00app0001", "attempts": ["SUCCESS"]},
            applications=[{**APP, "name": "x"}],
        )
    )

    assert emrs_client.get_application(applicationId="00app0001")["application"]["name"] == "etl"
    assert len(emrs_client.list_applications()["applications"]) == 1


@needs_iam_policy
def test_a_loaded_job_run_keeps_its_id_and_members(emrs_attempts: Any, emrs_client: Any) -> None:
    [run] = emrs_attempts.load_history(
        doc(
            {
                "jobRunId": "00run0001",
                "applicationId": "00app0001",
                "name": "nightly",
                "executionRoleArn": ROLE,
                "releaseLabel": "emr-6.8.0",
                "createdAt": "2025-12-31T23:00:00Z",
                "createdBy": f"arn:aws:sts::{DEFAULT_ACCOUNT_ID}:assumed-role/ci/bot",
                "tags": {"team": "data"},
                "executionTimeoutMinutes": 90,
                "executionIamPolicy": {"policyArns": ["arn:aws:iam::aws:policy/ReadOnlyAccess"]},
                "attempts": [{"state": "SUCCESS", "createdAt": "2026-01-01T00:00:00Z"}],
            },
            applications=[APP],
        )
    )
    job_run = emrs_client.get_job_run(applicationId="00app0001", jobRunId="00run0001")["jobRun"]
    listed = emrs_client.list_job_runs(applicationId="00app0001")["jobRuns"]

    assert (run.application_id, run.job_run_id) == ("00app0001", "00run0001")
    assert run.arn.endswith(":/applications/00app0001/jobruns/00run0001")
    assert job_run["arn"] == run.arn
    assert job_run["releaseLabel"] == "emr-6.8.0"
    assert job_run["createdAt"].isoformat() == "2025-12-31T23:00:00+00:00"
    assert job_run["createdBy"] == f"arn:aws:sts::{DEFAULT_ACCOUNT_ID}:assumed-role/ci/bot"
    assert (job_run["tags"], job_run["executionTimeoutMinutes"]) == ({"team": "data"}, 90)
    assert [r["id"] for r in listed] == ["00run0001"]


def test_a_job_runs_createdat_starts_its_simulated_attempts(emrs_attempts: Any) -> None:
    emrs_attempts.load_history(doc({"createdAt": "2025-06-01T12:00:00Z", "attempts": ["SUCCESS"]}))

    [run] = emrs_attempts.export_history()["jobRuns"]
    assert run["attempts"][0]["createdAt"] == "2025-06-01T12:00:00Z"


ID_IN_USE = "00run0001"

BAD_NEW_MEMBERS: list[Any] = [
    pytest.param(doc(applications={}), "applications: must be a list of applications, not {}", id="applications not a list"),
    pytest.param(doc(applications=["x"]), "applications[0]: must be an object, not 'x'", id="application not an object"),
    pytest.param(doc(applications=[{"name": "x"}]), "applications[0].applicationId: is required", id="application without id"),
    pytest.param(doc(applications=[{**APP, "owner": "me"}]), "applications[0].owner: is not an application member; use applicationId, name, releaseLabel, type, schedulerConfiguration, monitoringConfiguration, state, createdAt, updatedAt, autoStartConfiguration, autoStopConfiguration, progress", id="unknown application key"),
    pytest.param(doc(applications=[{**APP, "applicationId": "Bad-Id"}]), "applications[0].applicationId: Member must satisfy regular expression pattern: [0-9a-z]+", id="application id pattern"),
    pytest.param(doc(applications=[APP, APP]), "applications[1].applicationId: application 00app0001 is already listed at applications[0]", id="application listed twice"),
    pytest.param(doc(applications=[{**APP, "type": "spark"}]), "applications[0].type: 'spark' is not an application type; use SPARK, HIVE", id="application type"),
    pytest.param(doc(applications=[{**APP, "releaseLabel": "7.1"}]), "applications[0].releaseLabel: '7.1' is not an EMR release label such as 'emr-7.1.0'", id="application release label"),
    pytest.param(doc(applications=[{**APP, "name": 5}]), "applications[0].name: must be a string, not 5", id="application name"),
    pytest.param(doc({"jobRunId": "x_1", "attempts": ["SUCCESS"]}), "jobRuns[0].jobRunId: Member must satisfy regular expression pattern: [0-9a-z]+", id="job run id pattern"),
    pytest.param(doc({"jobRunId": "a" * 65, "attempts": ["SUCCESS"]}), "jobRuns[0].jobRunId: Member must have length less than or equal to 64", id="job run id length"),
    pytest.param(doc({"jobRunId": 7, "attempts": ["SUCCESS"]}), "jobRuns[0].jobRunId: must be a string, not 7", id="job run id type"),
    pytest.param(doc({"jobRunId": ID_IN_USE, "attempts": ["SUCCESS"]}), f"jobRuns[0].jobRunId: job run {ID_IN_USE} is already in use in account {DEFAULT_ACCOUNT_ID}, region us-east-1", id="job run id in use"),
    pytest.param(doc({"jobRunId": "00new", "attempts": ["SUCCESS"]}, {"jobRunId": "00new", "attempts": ["SUCCESS"]}), "jobRuns[1].jobRunId: job run 00new is already listed at jobRuns[0]", id="job run id listed twice"),
    pytest.param(doc({"createdAt": "yesterday", "attempts": ["SUCCESS"]}), "jobRuns[0].createdAt: must be an ISO 8601 timestamp or epoch seconds, not 'yesterday'", id="createdAt"),
    pytest.param(doc({"createdAt": "2026-01-02T00:00:00Z", "attempts": [{"state": "SUCCESS", "createdAt": "2026-01-01T00:00:00Z"}]}), "jobRuns[0].attempts[0].createdAt: is before the job run's createdAt", id="first attempt before the job run"),
    pytest.param(doc({"createdBy": "me", "attempts": ["SUCCESS"]}), "jobRuns[0].createdBy: Member must have length greater than or equal to 20", id="createdBy"),
    pytest.param(doc({"releaseLabel": "emr-latest", "attempts": ["SUCCESS"]}), "jobRuns[0].releaseLabel: 'emr-latest' is not an EMR release label such as 'emr-7.1.0'", id="releaseLabel"),
    pytest.param(doc({"executionRoleArn": "arn:aws:iam::999999999999:role/r", "attempts": ["SUCCESS"]}), "jobRuns[0].executionRoleArn: must be a role of account 123456789012: cross-account pass role is not allowed", id="executionRoleArn of another account"),
    pytest.param(doc({"tags": {"team": 5}, "attempts": ["SUCCESS"]}), "jobRuns[0].tags.team: Member must be a string", id="tag value"),
    pytest.param(doc({"tags": [], "attempts": ["SUCCESS"]}), "jobRuns[0].tags: Member must be a map", id="tags not a map"),
    pytest.param(doc({"executionTimeoutMinutes": -1, "attempts": ["SUCCESS"]}), "jobRuns[0].executionTimeoutMinutes: Member must have value greater than or equal to 0", id="executionTimeoutMinutes"),
    pytest.param(doc({"jobDriver": {}, "attempts": ["SUCCESS"]}), "jobRuns[0].jobDriver: Member must have exactly one of its members set", id="jobDriver"),
    pytest.param(doc({"configurationOverrides": {"applicationConfiguration": [{}]}, "attempts": ["SUCCESS"]}), "jobRuns[0].configurationOverrides.applicationConfiguration[0].classification: Member must not be null", id="configurationOverrides"),
    pytest.param(doc({"executionIamPolicy": {"policy": ""}, "attempts": ["SUCCESS"]}), "jobRuns[0].executionIamPolicy.policy: Member must have length greater than or equal to 1", id="executionIamPolicy", marks=needs_iam_policy),
]  # fmt: skip


@pytest.mark.parametrize(("document", "message"), BAD_NEW_MEMBERS)
def test_a_bad_new_member_names_its_path_and_seeds_nothing(
    emrs_attempts: Any, emrs_client: Any, document: Any, message: str
) -> None:
    emrs_attempts.load_history(doc({"jobRunId": ID_IN_USE, "attempts": ["SUCCESS"]}))
    before = emrs_attempts.export_history()

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(document)

    assert str(caught.value) == message
    assert emrs_attempts.export_history() == before


# -- messages of issue 12 -----------------------------------------------------------------


def test_a_document_without_version_says_it_is_required(emrs_attempts: Any) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history({"jobRuns": []})

    assert str(caught.value) == "version: is required"


@pytest.mark.parametrize("text", ['{"version": 1, "jobRuns": []}', '  {"version": 1}'])
def test_json_text_is_refused_with_what_load_history_takes(emrs_attempts: Any, text: str) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(text)

    assert str(caught.value) == (
        "$: load_history takes a dict or a file path, not JSON text; parse it with json.loads first"
    )


# -- today's documents --------------------------------------------------------------------

README_DOCUMENT = {
    "version": 1,
    "region": "us-east-1",
    "account": "123456789012",
    "jobRuns": [
        {
            "name": "nightly-etl",
            "mode": "BATCH",
            "retryPolicy": {"maxAttempts": 3},
            "attempts": [{"state": "FAILED", "stateDetails": "Driver OOM"}, {"state": "SUCCESS"}],
        }
    ],
}


@pytest.mark.parametrize(
    "document",
    [
        README_DOCUMENT,
        {"version": 1, "jobRuns": [{"attempts": [{"state": "SUCCESS"}]}]},
        {"version": 1, "jobRuns": [{"applicationId": None, "attempts": ["FAILED", "SUCCESS"]}]},
        {
            "version": 1,
            "jobRuns": [
                {
                    "attempts": [
                        {
                            "state": "FAILED",
                            "createdAt": "2026-01-01T00:00:00Z",
                            "updatedAt": "2026-01-01T00:10:00Z",
                        },
                        {"state": "SUCCESS", "stateDetails": None, "createdAt": None},
                    ]
                }
            ],
        },
    ],
    ids=["README", "minimal", "null application", "times"],
)
def test_a_document_of_today_loads_with_the_same_meaning(
    emrs_attempts: Any, document: dict[str, Any]
) -> None:
    given = copy.deepcopy(document)
    runs = emrs_attempts.load_history(document)
    exported = emrs_attempts.export_history()

    assert document == given
    assert len(runs) == len(document["jobRuns"]) == len(exported["jobRuns"])
    for listed, run in zip(document["jobRuns"], exported["jobRuns"]):
        assert [a if isinstance(a, str) else a["state"] for a in listed["attempts"]] == [
            a["state"] for a in run["attempts"]
        ][: len(listed["attempts"])]
        assert run["mode"] == listed.get("mode", "BATCH")
        assert run.get("retryPolicy") == listed.get("retryPolicy")
        assert run["releaseLabel"] == "emr-7.1.0"
    assert exported["jobRuns"][0]["createdAt"] == "2026-01-01T00:00:00Z"


# -- the JSON Schema ------------------------------------------------------------------------

SCHEMA = history.schema()
SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)

#: What the validator enforces beyond the schema (the schema's `$comment` says the same), as
#: the messages it gives: a document the schema accepts may still fail only these ways.
RULES_BEYOND_THE_SCHEMA = {
    "the region is one EMR Serverless serves": r"^region: .* is not a region EMR Serverless serves$",
    "a job run's application exists or is listed": r"^jobRuns\[\d+\]\.applicationId: application \w+ does not exist in account",
    "ids are not in use nor listed twice": r"^\w+\[\d+\]\.\w+Id: .* is already (in use|listed)",
    "times parse": r"\.(createdAt|updatedAt): must be an ISO 8601 timestamp or epoch seconds, not",
    "times do not run backwards": r"(attempt times must not run backwards|is before the attempt's createdAt|is before the job run's createdAt)$",
    "integers are JSON integers": r"(must be an integer, not \d+\.0|executionTimeoutMinutes: Member must be an integer)$",
    "the role is of the document's account": r"executionRoleArn: must be a role of account \d+: cross-account pass role is not allowed$",
    "StartJobRun members satisfy the model": r"^jobRuns\[\d+\]\.(jobDriver|configurationOverrides|executionIamPolicy|networkConfiguration|tags)\b.*: Member must",
    "times end by 9999-12-31T23:59:59Z": r"\.(createdAt|updatedAt): (.* is after|is simulated after) 9999-12-31T23:59:59Z",
    "a policy's attempts are those it runs": r"\.attempts(\[\d+\])?: (the retryPolicy \w+ \d+ ends the job run|attempt \d+ FAILED .* retries it)",
    "members nest at most 100 deep": r": is nested more than 100 levels deep$",
}  # fmt: skip


_ABSENT = object()
#: One in this many draws breaks something, so that a good share of documents is valid.
_RARELY = 80


@st.composite
def _object(draw: Any, members: dict[str, tuple[list[Any], list[Any]]]) -> dict[str, Any]:
    """An object whose members are mostly left out or valid, now and then invalid (each
    member: valid values, invalid values), and now and then unknown."""
    found = {}
    for key, (valid, invalid) in members.items():
        roll = draw(st.integers(0, _RARELY))
        if roll < _RARELY // 2 and key not in ("state", "applicationId", "version", "jobRuns"):
            continue
        found[key] = draw(st.sampled_from(invalid if roll == _RARELY and invalid else valid))
    if draw(st.integers(0, _RARELY)) == 0:
        found["colour"] = "red"
    return found


_TIMES = (["2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z", 1767225600, None], ["yesterday", True])


_ATTEMPT_MEMBERS: dict[str, tuple[list[Any], list[Any]]] = {
    "state": (["SUCCESS"], [1, "DONE"]),
    "stateDetails": ([None, "Driver OOM"], ["", " ", 5, "x" * 257, "a\n"]),
    "createdAt": _TIMES,
    "updatedAt": _TIMES,
}


@st.composite
def _attempts(draw: Any) -> Any:
    """Attempt lists AWS could produce (only the last in flight, nothing after an end),
    and now and then something else."""
    if draw(st.integers(0, _RARELY)) == 0:
        return draw(st.sampled_from([_ABSENT, [], "SUCCESS", {"state": "SUCCESS"}, ["DONE"]]))
    states = ["FAILED"] * draw(st.integers(0, 2)) + [draw(st.sampled_from(STATES))]
    listed: list[Any] = []
    for state in states:
        if draw(st.booleans()):
            listed.append(state)
            continue
        listed.append(draw(_object({**_ATTEMPT_MEMBERS, "state": ([state], [1, "DONE"])})))
    return listed


_APPLICATION_MEMBERS: dict[str, tuple[list[Any], list[Any]]] = {
    "applicationId": (["00app0001", "00app0002"], ["Bad", "", 5, "00app0001\n"]),
    "name": (["etl", None, "a b"], [5]),
    "releaseLabel": (["emr-6.9.0", None], ["emr-latest", "emr-7.1.0\n", 5]),
    "type": (["SPARK", "HIVE", None], ["spark"]),
    "schedulerConfiguration": (
        [None, {}, {"maxConcurrentRuns": 2}, {"queueTimeoutMinutes": 15}],
        [{"maxConcurrentRuns": 0}, {"queueTimeoutMinutes": 721}, "x", {"x": 1}],
    ),
}
_JOB_RUN_MEMBERS: dict[str, tuple[list[Any], list[Any]]] = {
    "jobRunId": ([None, "00run01", "00run02"], [ID_IN_USE, "Bad_Id", "a" * 65, 7]),
    "applicationId": ([None, "00app0001"], ["nosuchapp", "Bad"]),
    "name": ([None, "etl"], ["", " ", 5, "x" * 257]),
    "mode": (["BATCH", "STREAMING"], ["batch", None]),
    "retryPolicy": (
        [None, {}, {"maxAttempts": 2}, {"maxFailedAttemptsPerHour": 3}],
        [{"maxAttempts": 11}, {"maxAttempts": 2.0}, {"maxAttempts": True}, {"x": 1}, 3],
    ),
    "executionRoleArn": (
        [None, ROLE],
        ["not-an-arn", "arn:aws:iam::999999999999:role/r", ROLE + "\n"],
    ),
    "releaseLabel": ([None, "emr-6.9.0"], ["emr-latest", 5]),
    "createdAt": _TIMES,
    "createdBy": ([None, f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:root"], ["me"]),
    "jobDriver": ([None, {"sparkSubmit": {"entryPoint": "x"}}], [{}, "x"]),
    "configurationOverrides": ([None, {}], [[], {"applicationConfiguration": [{}]}]),
    "tags": ([None, {}, {"a": "b"}], [{"a": 5}, []]),
    "executionTimeoutMinutes": ([None, 60], [-1, 2.0, "60", True]),
    "executionIamPolicy": ([None, {"policy": "{}"}], ["x", {"policy": ""}]),
    "networkConfiguration": ([None, {}], ["x"]),
}
_APPLICATION = _object(_APPLICATION_MEMBERS)
_JOB_RUN = st.builds(
    lambda members, attempts: {
        **members,
        **({} if attempts is _ABSENT else {"attempts": attempts}),
    },
    _object(_JOB_RUN_MEMBERS),
    _attempts(),
)
_DOCUMENT_MEMBERS: dict[str, tuple[list[Any], list[Any]]] = {
    "version": ([1, 1.0], [2, "1", True, None]),
    "region": (["us-east-1", "eu-west-1"], ["mars-1", 5]),
    "account": ([DEFAULT_ACCOUNT_ID, "111111111111"], ["42", 123456789012, "123456789012\n"]),
    "applications": ([[]], [{}, ["x"]]),
    "jobRuns": ([[]], [{}, "x"]),
}
_DOCUMENT = st.one_of(
    _object(_DOCUMENT_MEMBERS).flatmap(
        lambda top: st.builds(
            lambda applications, job_runs: {
                **top,
                **({"applications": applications} if top.get("applications") == [] else {}),
                **({"jobRuns": job_runs} if top.get("jobRuns") == [] else {}),
            },
            st.lists(_APPLICATION, max_size=2),
            st.lists(_JOB_RUN, max_size=3),
        )
    ),
    st.sampled_from([[], "x", None]),
    st.just({"version": 1, "jobRuns": []}),
)


def disagreement(document: Any) -> str | None:
    """Why the schema and the validator disagree on a document (under an active mock where
    job run ID_IN_USE exists), or None."""
    schema_accepts = SCHEMA_VALIDATOR.is_valid(document)
    try:
        history.plan_history(document)
    except mea.HistoryError as error:
        problem = str(error)
    else:
        return None if schema_accepts else f"only the schema rejects {document!r}"
    if schema_accepts and not any(re.search(r, problem) for r in RULES_BEYOND_THE_SCHEMA.values()):
        return f"only the validator rejects {document!r}: {problem}"
    return None


@pytest.fixture
def id_in_use() -> Iterator[None]:
    with mock_aws():
        mea.load_history(doc({"jobRunId": ID_IN_USE, "attempts": ["SUCCESS"]}))
        yield


@current_model
@given(document=_DOCUMENT)
def test_the_schema_and_the_validator_agree(id_in_use: None, document: Any) -> None:
    assert disagreement(document) is None


def _every_listed_value() -> Iterator[Any]:
    """A valid document with one member changed, for every value the tables above list."""
    run = {"applicationId": "00app0001", "attempts": [{"state": "SUCCESS"}]}
    base = {"version": 1, "applications": [{"applicationId": "00app0001"}], "jobRuns": [run]}
    places = (
        (_DOCUMENT_MEMBERS, lambda d: d),
        (_APPLICATION_MEMBERS, lambda d: d["applications"][0]),
        (_JOB_RUN_MEMBERS, lambda d: d["jobRuns"][0]),
        (_ATTEMPT_MEMBERS, lambda d: d["jobRuns"][0]["attempts"][0]),
    )
    for members, place in places:
        for key, (valid, invalid) in members.items():
            for value in [*valid, *invalid, _ABSENT]:
                document = copy.deepcopy(base)
                if value is _ABSENT:
                    place(document).pop(key, None)
                else:
                    place(document)[key] = value
                yield document


@current_model
def test_the_schema_and_the_validator_agree_on_every_listed_value(id_in_use: None) -> None:
    found = [d for d in map(disagreement, _every_listed_value()) if d is not None]

    assert found == []


@current_model
@pytest.mark.parametrize(
    ("definition", "member"),
    [
        ("applicationId", "applicationId"),
        ("jobRunId", "jobRunId"),
        ("string256", "name"),
        ("string256", "stateDetails"),
        ("releaseLabel", "releaseLabel"),
        ("executionRoleArn", "executionRole"),
        ("createdBy", "createdBy"),
    ],
)
def test_the_schemas_strings_are_the_models(definition: str, member: str) -> None:
    meta = shape("JobRun").members[member].metadata
    found = SCHEMA["$defs"][definition]

    assert (found.get("minLength"), found.get("maxLength")) == (meta.get("min"), meta.get("max"))
    assert found["pattern"] == f"^(?:{meta['pattern']})$(?!\\n)"


@current_model
def test_the_schemas_enums_are_the_models() -> None:
    job_run = SCHEMA["$defs"]["jobRun"]["properties"]

    assert SCHEMA["$defs"]["state"]["enum"] == list(enum("JobRunState"))
    assert job_run["mode"]["enum"] == list(enum("JobRunMode"))
    # The schema also names the echoed members newer models add; the installed model decides.
    newer = {"flexExecution"} - set(history.JOB_RUN_KEYS)
    assert sorted(set(job_run) - newer) == sorted(history.JOB_RUN_KEYS)
    assert sorted(SCHEMA["properties"]) == sorted(history.DOCUMENT_KEYS)
    assert sorted(SCHEMA["$defs"]["application"]["properties"]) == sorted(history.APPLICATION_KEYS)


def test_the_schema_is_a_valid_json_schema_shipped_with_the_package() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    assert history.SCHEMA_PATH.parent == Path(mea.__file__).parent / "history"
