"""Shared test wiring: every EMR Serverless answer any test receives is checked against the model.

The check is registered once, at import time, as a botocore built-in handler, so every client
created afterwards (boto3's, moto's, the fixtures') runs it after each call: a 2xx body must
conform to the operation's output shape, an error must carry `x-amzn-ErrorType` and a
`{"message"}` body. Raw HTTP calls made through `raw_get` get the same check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from typing import Any, Callable, Union
from urllib.parse import urlencode

import botocore.handlers
import botocore.session
import pytest
import requests
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.moto_api import state_manager

from .conformance import assert_conforms, assert_error_conforms, problems

ENDPOINT = "https://emr-serverless.us-east-1.amazonaws.com"

#: Problems of moto's own answers (not the plugin's) that the checker tolerates: moto answers
#: an application's `stateDetails` as "", which the model forbids. Everything the plugin answers,
#: job runs included, is checked without exception.
MOTO_GAPS = tuple(
    re.compile(p)
    for p in (
        r"\$\.applications?(\[\d+\])?\.stateDetails: (length 0 is less than|'' does not match)",
    )
)
#: The same for moto 5.0.x (tox -e moto-min), matched against "<operation> <problem>":
#: its CreateApplication echoes the auto start/stop configuration, and its ListApplications
#: answers `"nextToken": null`.
MOTO_5_0_GAPS = tuple(
    re.compile(p)
    for p in (
        r"CreateApplication \$\.auto(Start|Stop)Config: unknown member ",
        r"ListApplications \$\.nextToken: expected a string \(NextToken\), got None$",
    )
)


def _check_answer(http_response: Any, model: Any, **_: Any) -> None:
    status = http_response.status_code
    content = http_response.content
    if status >= 400:
        assert_error_conforms(status, http_response.headers, content)
        return
    if status >= 300:
        return
    body = json.loads(content) if content else {}
    found = [
        p
        for p in problems(model.name, body)
        if not any(g.match(p) for g in MOTO_GAPS)
        and not any(g.match(f"{model.name} {p}") for g in MOTO_5_0_GAPS)
    ]
    assert not found, f"{model.name} answer does not conform:\n" + "\n".join(found)


botocore.handlers.BUILTIN_HANDLERS.append(("after-call.emr-serverless", _check_answer))


Query = Union[Mapping[str, Any], str, None]
RawAnswer = tuple[int, Mapping[str, str], Any]
RawGet = Callable[..., RawAnswer]


def attempts_path(application_id: str, job_run_id: str) -> str:
    """The path of ListJobRunAttempts for a job run."""
    return f"/applications/{application_id}/jobruns/{job_run_id}/attempts"


def send_raw_get(
    path: str,
    query: Query = None,
    headers: Mapping[str, str] | None = None,
    *,
    endpoint: str = ENDPOINT,
    operation: str = "ListJobRunAttempts",
) -> RawAnswer:
    """Send a raw GET inside the active mock and return (status, headers, decoded JSON body).

    `query` is a dict (encoded) or a string appended as it is, so any bytes can be sent.
    A 2xx body must conform to `operation`'s output shape; an error must follow the AWS
    JSON error contract. Both answer with `Content-Type: application/json`.
    """
    url = endpoint + path
    if isinstance(query, str):
        url += "?" + query
    elif query:
        url += "?" + urlencode(query)
    response = requests.get(url, headers=dict(headers or {}), timeout=30)
    status = response.status_code
    assert response.headers.get("Content-Type") == "application/json", (
        f"GET {url} answered {status} {response.headers.get('Content-Type')}: {response.text!r}"
    )
    body = response.json()
    if status >= 400:
        assert_error_conforms(status, response.headers, body)
    else:
        assert_conforms(operation, body)
    return status, response.headers, body


@pytest.fixture
def raw_get() -> RawGet:
    """`raw_get(path, query=None, headers=None)`: a checked raw GET inside the active mock."""
    return send_raw_get


@pytest.fixture
def aws() -> Iterator[None]:
    """A plain `moto.mock_aws`, for tests of the plugin under moto's own entry point."""
    with mock_aws():
        yield


JOB_ROLE = "arn:aws:iam::123456789012:role/job-role"


def start_run(emr: Any, app: str, **kwargs: Any) -> str:
    """StartJobRun on `app` (with a job role); the new job run's id."""
    found: str = emr.start_job_run(applicationId=app, executionRoleArn=JOB_ROLE, **kwargs)[
        "jobRunId"
    ]
    return found


def run_state(emr: Any, app: str, run: str) -> str:
    """The state one GetJobRun (a poll) answers."""
    found: str = emr.get_job_run(applicationId=app, jobRunId=run)["jobRun"]["state"]
    return found


def error_of(call: Callable[..., Any], **kwargs: Any) -> tuple[int, str, str]:
    """The (status, code, message) of the ClientError a boto3 call raises."""
    with pytest.raises(ClientError) as caught:
        call(**kwargs)
    response = caught.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    )


#: Skips a test of application concurrency where the installed model has none (botocore 1.34.116).
#: GetJobRun's time members arrived in newer botocore models (not in 1.34.116's).
needs_time_members = pytest.mark.skipif(
    "startedAt"
    not in botocore.session.get_session()
    .get_service_model("emr-serverless")
    .shape_for("JobRun")
    .members,
    reason="this botocore's model has no startedAt/endedAt/queuedDurationMilliseconds",
)
needs_scheduler = pytest.mark.skipif(
    "SchedulerConfiguration"
    not in botocore.session.get_session().get_service_model("emr-serverless").shape_names,
    reason="this botocore's model has no schedulerConfiguration",
)

#: The job runs' model in moto's state manager.
MODEL = "emrserverless::job_run"


@pytest.fixture
def emr(emrs_attempts: Any) -> Any:
    """A boto3 `emr-serverless` client of the test's `emrs_attempts` mock."""
    return emrs_attempts.client()


@pytest.fixture
def app(emr: Any) -> str:
    """The id of a new application (`emr-7.1.0`, Spark)."""
    found: str = emr.create_application(name="app", releaseLabel="emr-7.1.0", type="SPARK")[
        "applicationId"
    ]
    return found


@pytest.fixture
def logged_app(emr: Any) -> str:
    """The id of a new application (`emr-7.1.0`, Spark) whose job runs log to CloudWatch
    (`/aws/emr-serverless`, the default group)."""
    found: str = emr.create_application(
        name="etl",
        releaseLabel="emr-7.1.0",
        type="SPARK",
        monitoringConfiguration={"cloudWatchLoggingConfiguration": {"enabled": True}},
    )["applicationId"]
    return found


@pytest.fixture
def transition() -> Iterator[Callable[..., None]]:
    """`transition(progression=..., times=...)` sets the job runs' transition for one test;
    moto's default comes back afterwards."""
    yield lambda **given: state_manager.set_transition(model_name=MODEL, transition=given)
    state_manager.unset_transition(MODEL)


@pytest.fixture
def manual(transition: Callable[..., None]) -> None:
    """Every poll of a job run is one step (`manual`, `times` 1) for one test."""
    transition(progression="manual", times=1)
