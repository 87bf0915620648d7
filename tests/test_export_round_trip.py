"""Anything the API accepted, the export keeps and loads (issue 19, item 3).

Random sequences of calls (CreateApplication and UpdateApplication with monitoring and scheduler
configurations and odd but valid Unicode text, StartJobRun, CancelJobRun, polls under manual
progression, scripted outcomes, seeds and history documents with logs) run against a mock; the
calls the plugin refuses are left out, as a user's would have failed (never with a 5xx). The
export is then loaded into a fresh mock, and every answer must be the same: ListApplications,
GetApplication, ListJobRuns, GetJobRun for every attempt and ListJobRunAttempts, and the log
objects in S3, read in the same order on both (the reads are polls too, and move both alike).
The clock is frozen, so that both mocks stamp the same times, and moto's ids are seeded, so that
a sequence passes or fails the same way every time.

Sequences per profile (`tests/_hypothesis.py`): quick 3, default 10, deep 1,000 (random).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3
from botocore.exceptions import ClientError, ParamValidationError
from freezegun import freeze_time
from hypothesis import given, settings
from hypothesis import strategies as st
from moto import mock_aws
from moto.moto_api import state_manager
from moto.moto_api._internal import mock_random

import moto_emrs_attempts as mea

from . import _hypothesis

#: Sequences run per profile: each one runs two mocks, so fewer than a plain property's.
EXAMPLES = {"quick": 3, "default": 10, "deep": 1_000}
ROLE = "arn:aws:iam::123456789012:role/job-role"
BUCKET = "emrs-round-trip"
MODEL = "emrserverless::job_run"
STATES = ("SUCCESS", "FAILED", "CANCELLED", "RUNNING")

#: Text of every plane but surrogates: accents, CJK, emoji, controls, bidi marks, U+FFFD...
odd_text = st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=12)
names = st.one_of(odd_text, st.sampled_from(["etl", "nightly-é", "作业", "job 🚀", "a\tb"]))
s3 = st.fixed_dictionaries(
    {"logUri": st.sampled_from([f"s3://{BUCKET}/logs/", f"s3://{BUCKET}/é 🚀/", "s3://nowhere/"])}
)
cloudwatch = st.fixed_dictionaries(
    {"enabled": st.booleans()},
    optional={
        "logGroupName": st.sampled_from(["/aws/emr-serverless", "team.logs"]),
        "logStreamNamePrefix": odd_text,
        "logTypes": st.sampled_from(
            [{"SPARK_DRIVER": ["stdout", "stderr"]}, {"SPARK_EXECUTOR": ["stdout"]}]
        ),
    },
)
monitoring = st.fixed_dictionaries(
    {}, optional={"s3MonitoringConfiguration": s3, "cloudWatchLoggingConfiguration": cloudwatch}
)
scheduler = st.fixed_dictionaries(
    {},
    optional={"maxConcurrentRuns": st.integers(1, 3), "queueTimeoutMinutes": st.integers(15, 30)},
)
logs = st.dictionaries(
    st.sampled_from(["SPARK_DRIVER/stdout", "SPARK_DRIVER/stderr", "SPARK_EXECUTOR/1/stdout"]),
    st.one_of(odd_text, st.binary(max_size=8)),
    max_size=2,
)
attempt = st.fixed_dictionaries(
    {"state": st.sampled_from(STATES)}, optional={"stateDetails": odd_text, "logs": logs}
)
pick = st.integers(0, 3)  # which of the applications (or job runs) made so far
attempts = st.lists(attempt, min_size=1, max_size=3)
calls = st.one_of(
    st.tuples(st.just("create"), names, st.none() | monitoring, st.none() | scheduler),
    st.tuples(st.just("update"), pick, st.none() | monitoring, st.none() | scheduler),
    st.tuples(
        st.just("start"),
        pick,
        st.none() | names,
        st.sampled_from(["BATCH", "STREAMING"]),
        st.none() | st.integers(1, 3),
    ),
    st.tuples(st.just("cancel"), pick),
    st.tuples(st.just("poll"), pick),
    st.tuples(st.just("script"), pick, attempts),
    st.tuples(st.just("seed"), st.none() | pick, attempts, st.none() | names),
    st.tuples(st.just("load"), pick, attempts, st.none() | names),
)


@contextmanager
def _mock() -> Iterator[Any]:
    with mock_aws():
        mock_random.seed(19)  # moto's ids: the same sequence gives the same ids, every run
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        yield boto3.client("emr-serverless", region_name="us-east-1")


def _some(items: list[Any], index: int) -> Any:
    return items[index % len(items)] if items else None


def _call(emr: Any, call: tuple[Any, ...], apps: list[str], runs: list[tuple[str, str]]) -> None:
    """Make one call; what it creates joins `apps` and `runs`."""
    kind, *args = call
    if kind == "create":
        name, given_monitoring, given_scheduler = args
        members = {
            key: value
            for key, value in (
                ("monitoringConfiguration", given_monitoring),
                ("schedulerConfiguration", given_scheduler),
            )
            if value is not None
        }
        apps.append(
            emr.create_application(name=name, releaseLabel="emr-7.1.0", type="SPARK", **members)[
                "applicationId"
            ]
        )
        return
    if kind == "seed":
        where, given, name = args
        seeded = mea.seed_job_run(given, application_id=_some(apps, where or 0), name=name)
    elif kind == "load":
        where, given, name = args
        run = {"attempts": given, "applicationId": _some(apps, where)}
        [seeded] = mea.load_history(
            {"version": 1, "jobRuns": [{k: v for k, v in {**run, "name": name}.items() if v}]}
        )
    else:
        app, run_ = _some(apps, args[0]), _some(runs, args[0])
        if kind == "update" and app is not None:
            members = {
                key: value
                for key, value in (
                    ("monitoringConfiguration", args[1]),
                    ("schedulerConfiguration", args[2]),
                )
                if value is not None
            }
            emr.update_application(applicationId=app, **members)
        elif kind == "start" and app is not None:
            name, mode, max_attempts = args[1:]
            members = {"name": name} if name is not None else {}
            if max_attempts is not None:
                key = "maxAttempts" if mode == "BATCH" else "maxFailedAttemptsPerHour"
                members["retryPolicy"] = {key: max_attempts}
            started = emr.start_job_run(
                applicationId=app, executionRoleArn=ROLE, mode=mode, **members
            )
            runs.append((app, started["jobRunId"]))
        elif kind == "cancel" and run_ is not None:
            emr.cancel_job_run(applicationId=run_[0], jobRunId=run_[1])
        elif kind == "poll" and run_ is not None:
            emr.get_job_run(applicationId=run_[0], jobRunId=run_[1])
        elif kind == "script":
            mea.script_outcomes(args[1], application_id=app)
        return
    if seeded.application_id not in apps:
        apps.append(seeded.application_id)
    runs.append((seeded.application_id, seeded.job_run_id))


def _play(emr: Any, sequence: list[tuple[Any, ...]]) -> tuple[list[str], list[tuple[str, str]]]:
    """Make the calls; refused ones change nothing and are left out. None may be a 5xx."""
    apps: list[str] = []
    runs: list[tuple[str, str]] = []
    for call in sequence:
        try:
            _call(emr, call, apps, runs)
        except ClientError as error:
            assert error.response["ResponseMetadata"]["HTTPStatusCode"] < 500, error
        except (ParamValidationError, mea.HistoryError):
            pass
    return apps, runs


def _pages(emr: Any, operation: str, key: str, **members: Any) -> list[Any]:
    pages = emr.get_paginator(operation).paginate(**members)
    return [item for page in pages for item in page.get(key, [])]


def _answers(emr: Any, apps: list[str], runs: list[tuple[str, str]]) -> list[Any]:
    """Every answer about what the calls made, in one order (reads under manual progression
    are polls: both mocks are read alike)."""
    seen: list[Any] = [_pages(emr, "list_applications", "applications")]
    for app in apps:
        seen.append(emr.get_application(applicationId=app)["application"])
        seen.append(_pages(emr, "list_job_runs", "jobRuns", applicationId=app))
    for app, run in runs:
        job_run = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]
        seen.append(job_run)
        for number in range(1, job_run.get("attempt", 1) + 1):
            seen.append(emr.get_job_run(applicationId=app, jobRunId=run, attempt=number)["jobRun"])
        seen.append(
            _pages(emr, "list_job_run_attempts", "jobRunAttempts", applicationId=app, jobRunId=run)
        )
    s3 = boto3.client("s3", region_name="us-east-1")
    for found in _pages(s3, "list_objects_v2", "Contents", Bucket=BUCKET):
        body = s3.get_object(Bucket=BUCKET, Key=found["Key"])["Body"].read()
        seen.append((found["Key"], body))
    return seen


@settings(max_examples=EXAMPLES.get(_hypothesis.PROFILE, EXAMPLES["default"]))
@given(sequence=st.lists(calls, min_size=1, max_size=12))
def test_every_accepted_call_survives_export_and_load(sequence: list[tuple[Any, ...]]) -> None:
    state_manager.set_transition(model_name=MODEL, transition={"progression": "manual", "times": 1})
    try:
        with freeze_time("2026-03-01T10:00:00Z"):
            with _mock() as emr:
                apps, runs = _play(emr, sequence)
                document = mea.export_history()
                before = _answers(emr, apps, runs)
            with _mock() as emr:
                mea.load_history(document)
                after = _answers(emr, apps, runs)
    finally:
        state_manager.unset_transition(model_name=MODEL)
    assert after == before
