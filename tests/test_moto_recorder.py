"""moto's own request recorder (`moto.moto_api.recorder`) and the plugin's operations.

The recorder records the plugin's calls as moto records its own (moto 5.2.5 hands its recorder a
request of another type than 5.2.1 does), and `replay_recording` plays a recording of plugin
calls into a fresh mock, which then answers as the recorded one did. `tox -e moto-min` runs this
on moto 5.0.7, `tox -e py` on the newest moto.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from freezegun import freeze_time
from moto.moto_api import recorder
from moto.moto_api._internal import mock_random

import moto_emrs_attempts as mea

from .conftest import ENDPOINT, attempts_path

ROLE = "arn:aws:iam::123456789012:role/job-role"
DRIVER = {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}}
#: A script is the mock's, not a call: each mock arms it (through `requests`, moto before 5.2.5
#: records a call twice, its own included, so a replayed POST would arm it twice).
SCRIPT = ["FAILED", "SUCCESS"]
#: moto's ids come from `mock_random`: seeded alike, the replay creates the recorded ids.
SEED = 20260101


@pytest.fixture
def recording(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """moto's recorder, writing its default file in a directory of the test's own; stopped
    and emptied afterwards."""
    monkeypatch.chdir(tmp_path)
    recorder.reset_recording()
    try:
        yield
    finally:
        recorder.stop_recording()
        recorder.reset_recording()


def _entries() -> list[dict[str, Any]]:
    return [json.loads(line) for line in recorder.download_recording().splitlines()]


def _calls(emrs: mea.EmrsAttempts) -> str:
    """Plugin calls of every kind, through boto3 and `requests` (a read); the application's id."""
    emr = emrs.client()
    app = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    app_id: str = app["applicationId"]
    batch = emr.start_job_run(
        applicationId=app_id,
        executionRoleArn=ROLE,
        jobDriver=DRIVER,
        retryPolicy={"maxAttempts": 3},
    )["jobRunId"]
    emr.list_job_run_attempts(applicationId=app_id, jobRunId=batch)
    emr.get_job_run(applicationId=app_id, jobRunId=batch, attempt=1)
    emr.get_dashboard_for_job_run(applicationId=app_id, jobRunId=batch, attempt=2)
    raw = requests.get(ENDPOINT + attempts_path(app_id, batch), timeout=30)
    assert raw.status_code == 200, raw.text
    streaming = emr.start_job_run(
        applicationId=app_id, executionRoleArn=ROLE, jobDriver=DRIVER, mode="STREAMING"
    )["jobRunId"]
    emr.cancel_job_run(applicationId=app_id, jobRunId=streaming)
    emr.list_job_runs(applicationId=app_id)
    return app_id


def _answers(emrs: mea.EmrsAttempts, app_id: str) -> dict[str, Any]:
    """What the mock answers about an application's job runs: ListJobRuns, and
    ListJobRunAttempts and GetJobRun of every attempt of every run."""
    emr = emrs.client()
    runs = emr.list_job_runs(applicationId=app_id)["jobRuns"]
    answers: dict[str, Any] = {"ListJobRuns": runs}
    for run in runs:
        attempts = emr.list_job_run_attempts(applicationId=app_id, jobRunId=run["id"])
        answers[run["id"]] = {
            "ListJobRunAttempts": attempts["jobRunAttempts"],
            "GetJobRun": [
                emr.get_job_run(applicationId=app_id, jobRunId=run["id"], attempt=a["attempt"])[
                    "jobRun"
                ]
                for a in attempts["jobRunAttempts"]
            ],
        }
    return answers


def test_a_replayed_recording_of_plugin_calls_answers_as_the_recorded_mock(
    recording: None,
) -> None:
    with freeze_time("2026-01-01 10:00:00"):
        with mea.mock_emrs_attempts() as emrs:
            mock_random.seed(SEED)
            emrs.script_outcomes(SCRIPT)
            recorder.start_recording()
            try:
                app_id = _calls(emrs)
            finally:
                recorder.stop_recording()
            recorded = _answers(emrs, app_id)
        saved = recorder.download_recording()

        with mea.mock_emrs_attempts() as emrs:
            mock_random.seed(SEED)
            emrs.script_outcomes(SCRIPT)
            recorder.upload_recording(saved)
            recorder.replay_recording()
            replayed = _answers(emrs, app_id)

    states = {
        run["mode"]: [a["state"] for a in recorded[run["id"]]["ListJobRunAttempts"]]
        for run in recorded["ListJobRuns"]
    }
    assert states == {"BATCH": ["FAILED", "SUCCESS"], "STREAMING": ["CANCELLED"]}
    assert replayed == recorded


def test_the_recorder_records_a_plugin_call_as_moto_records_its_own(
    recording: None, emrs_attempts: mea.EmrsAttempts
) -> None:
    emr = emrs_attempts.client()
    recorder.start_recording()
    app_id = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")[
        "applicationId"
    ]  # moto's own operation
    emr.start_job_run(applicationId=app_id, executionRoleArn=ROLE, jobDriver=DRIVER)  # the plugin's
    recorder.stop_recording()

    motos, plugins = _entries()

    assert sorted(plugins) == sorted(motos)
    assert sorted(plugins["headers"]) == sorted(motos["headers"])
    assert (plugins["method"], plugins["url"]) == (
        "POST",
        f"{ENDPOINT}/applications/{app_id}/jobruns",
    )
    assert plugins["body_encoded"] == motos["body_encoded"]
    body = plugins["body"]
    if plugins["body_encoded"]:
        body = base64.b64decode(body).decode("utf-8")
    assert json.loads(body)["executionRoleArn"] == ROLE


def test_a_stopped_recorder_records_no_plugin_call(
    recording: None, emrs_attempts: mea.EmrsAttempts
) -> None:
    run = emrs_attempts.seed_job_run(["SUCCESS"])
    emrs_attempts.client().list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id
    )

    assert _entries() == []
