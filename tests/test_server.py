"""Server mode: the entry points, the moto-api endpoints, moto's reset, and odd paths.

Everything here talks HTTP to a real `python -m moto_emrs_attempts` subprocess (see `_server`).
"""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import boto3
import pytest
import requests
from botocore.config import Config
from moto import mock_aws

import moto_emrs_attempts as mea
from moto_emrs_attempts.contract.service_model import enum
from moto_emrs_attempts.history import document as history_document
from moto_emrs_attempts.history.document import JOB_RUN_KEYS

from ._server import ServerProcess, clean_server, server, sigv4_headers, start
from .conftest import error_of

#: The model's job run states: botocore 1.34 (tox -e moto-min) has no QUEUED yet.
STATES = ", ".join(enum("JobRunState"))

__all__ = ["clean_server", "server"]  # fixtures

pytestmark = pytest.mark.slow

HISTORY = "/moto-api/emrs-attempts/history"
ATTEMPTS = "/moto-api/emrs-attempts/attempts"
FAULTS = "/moto-api/emrs-attempts/faults"
SCRIPTS = "/moto-api/emrs-attempts/scripts"
ROLE = "arn:aws:iam::123456789012:role/job-role"
SPARK = {"sparkSubmit": {"entryPoint": "local:///usr/lib/spark/examples/src/main/python/pi.py"}}


def _one_run(*states: str, **job_run: Any) -> dict[str, Any]:
    return {"version": 1, "jobRuns": [{"attempts": list(states), **job_run}]}


def _states(client: Any, run: dict[str, Any]) -> list[tuple[int, str]]:
    pages = client.get_paginator("list_job_run_attempts").paginate(
        applicationId=run["applicationId"], jobRunId=run["jobRunId"]
    )
    return [(a["attempt"], a["state"]) for page in pages for a in page["jobRunAttempts"]]


def _send(server: ServerProcess, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """Send a path exactly as written (no client-side quoting), routed to EMR Serverless."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in sigv4_headers().items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _script() -> str:
    path = Path(sysconfig.get_path("scripts")) / "moto-emrs-attempts-server"
    assert path.exists(), f"{path} is missing: run pip install -e ."
    return str(path)


# -- entry points -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "program",
    [[sys.executable, "-m", "moto_emrs_attempts"], [_script()]],
    ids=["python -m", "console script"],
)
def test_help_names_the_host_and_port_options(program: list[str]) -> None:
    done = subprocess.run([*program, "--help"], capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    name = "python -m moto_emrs_attempts" if "-m" in program else "moto-emrs-attempts-server"
    assert done.stdout.startswith(f"usage: {name} [-h] [-H HOST] [-p PORT]")
    assert "the host to bind (default: 127.0.0.1)" in done.stdout


@pytest.mark.parametrize(
    ("program", "signum"),
    [
        ([sys.executable, "-m", "moto_emrs_attempts"], signal.SIGINT),
        ([_script()], signal.SIGINT),
        ([sys.executable, "-m", "moto_emrs_attempts"], signal.SIGTERM),
    ],
    ids=["python -m, Ctrl-C", "console script, Ctrl-C", "python -m, SIGTERM"],
)
def test_server_serves_then_exits_0_without_traceback_on_interrupt(
    program: list[str], signum: signal.Signals
) -> None:
    running = start("--host", "127.0.0.1", "--port", "0", program=program)
    try:
        assert running.url == f"http://127.0.0.1:{running.port}"
        assert running.seed(_one_run("SUCCESS"))[0]["attempts"] == 1
    finally:
        running.process.send_signal(signum)
        status = running.process.wait(timeout=30)
        errors = running.errors()
        running.close()

    assert status == 0
    assert "Traceback" not in errors


def test_a_port_in_use_is_reported_with_exit_status_1(server: ServerProcess) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "moto_emrs_attempts", "--port", str(server.port)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 1
    assert f"Port {server.port} is in use by another program." in done.stderr
    assert "Traceback" not in done.stderr


# -- seeding a history ------------------------------------------------------------------


def test_history_answers_the_seeded_job_runs_in_document_order(clean_server: ServerProcess) -> None:
    response = clean_server.post(
        HISTORY,
        {
            "version": 1,
            "jobRuns": [
                {"name": "first", "attempts": [{"state": "FAILED"}, {"state": "SUCCESS"}]},
                {"name": "second", "attempts": ["RUNNING"]},
            ],
        },
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    runs = response.json()["jobRuns"]
    assert [sorted(run) for run in runs] == [["applicationId", "arn", "attempts", "jobRunId"]] * 2
    assert [run["attempts"] for run in runs] == [2, 1]
    client = clean_server.client()
    names = [client.get_job_run(**_ids(run))["jobRun"]["name"] for run in runs]
    assert names == ["first", "second"]
    for run in runs:
        assert run["arn"] == (
            f"arn:aws:emr-serverless:us-east-1:123456789012:/applications/"
            f"{run['applicationId']}/jobruns/{run['jobRunId']}"
        )


def _ids(run: dict[str, Any]) -> dict[str, str]:
    return {"applicationId": run["applicationId"], "jobRunId": run["jobRunId"]}


def test_seeded_attempts_are_listed_by_boto3_through_the_server(
    clean_server: ServerProcess,
) -> None:
    [run] = clean_server.seed(_one_run(*["FAILED"] * 59, "SUCCESS"))

    states = _states(clean_server.client(), run)

    assert states == [(n, "FAILED") for n in range(1, 60)] + [(60, "SUCCESS")]


def test_history_honours_the_documents_account_and_region(clean_server: ServerProcess) -> None:
    [run] = clean_server.seed(
        {
            "version": 1,
            "account": "111111111111",
            "region": "eu-west-1",
            "jobRuns": [{"attempts": ["SUCCESS"]}],
        }
    )
    path = f"/applications/{run['applicationId']}/jobruns/{run['jobRunId']}/attempts"

    there = clean_server.get(
        path, headers={**sigv4_headers("eu-west-1"), "x-moto-account-id": "111111111111"}
    )
    default_account = clean_server.get(path, headers=sigv4_headers("eu-west-1"))

    assert run["arn"].startswith("arn:aws:emr-serverless:eu-west-1:111111111111:/applications/")
    assert there.status_code == 200
    assert [a["attempt"] for a in there.json()["jobRunAttempts"]] == [1]
    assert default_account.status_code == 404
    assert default_account.headers["x-amzn-ErrorType"] == "ResourceNotFoundException"


def test_history_sent_as_a_form_like_curl_does_is_seeded(clean_server: ServerProcess) -> None:
    response = clean_server.post(
        HISTORY,
        data=json.dumps(_one_run("SUCCESS")),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 200
    assert response.json()["jobRuns"][0]["attempts"] == 1


BAD_DOCUMENTS = [
    pytest.param(
        {"version": 1, "jobRuns": [{"attempts": ["SUCCESS"]}, {"attempts": [{"state": "DONE"}]}]},
        f"jobRuns[1].attempts[0].state: 'DONE' is not a job run state; use one of {STATES}",
        id="unknown state after a valid job run",
    ),
    pytest.param({"jobRuns": [{"attempts": ["SUCCESS"]}]}, "version: is required", id="no version"),
    pytest.param({"version": 1}, "jobRuns: is required", id="no job runs"),
    pytest.param(
        _one_run(), "jobRuns[0].attempts: must list at least one attempt", id="no attempts"
    ),
    pytest.param(
        _one_run("SUCCESS", colour="red"),
        # the members follow the installed model (executionIamPolicy, flexExecution, ...)
        "jobRuns[0].colour: is not a job run member; use " + ", ".join(JOB_RUN_KEYS),
        id="unknown key",
    ),
    pytest.param(
        {"version": 1, "region": "mars-1", "jobRuns": [{"attempts": ["SUCCESS"]}]},
        "region: 'mars-1' is not a region EMR Serverless serves",
        id="unknown region",
    ),
    pytest.param(
        {"version": 1, "account": "42", "jobRuns": [{"attempts": ["SUCCESS"]}]},
        "account: must be a 12-digit AWS account id, not '42'",
        id="bad account",
    ),
    pytest.param(
        _one_run("SUCCESS", applicationId="doesnotexist"),
        "jobRuns[0].applicationId: application doesnotexist does not exist in account "
        "123456789012, region us-east-1",
        id="unknown application",
    ),
    pytest.param(
        _one_run(
            {"state": "FAILED", "createdAt": "2026-01-01T01:00:00Z"},
            {"state": "SUCCESS", "createdAt": "2026-01-01T00:00:00Z"},
        ),
        "jobRuns[0].attempts[1].createdAt: starts before the previous attempt ends; attempt "
        "times must not run backwards",
        id="times run backwards",
    ),
    pytest.param(
        _one_run("FAILED", retryPolicy={"maxAttempts": 11}),
        "jobRuns[0].retryPolicy.maxAttempts: must be between 1 and 10",
        id="retry policy out of range",
    ),
    pytest.param([], "$: a history document must be an object, not list", id="a list"),
    pytest.param(
        "/etc/hostname", "$: a history document must be an object, not str", id="a path string"
    ),
]


@pytest.mark.parametrize(("document", "message"), BAD_DOCUMENTS)
def test_a_bad_history_answers_400_with_the_history_error_and_seeds_nothing(
    clean_server: ServerProcess, document: Any, message: str
) -> None:
    response = clean_server.post(HISTORY, document)

    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"message": message}
    assert clean_server.client().list_applications()["applications"] == []


@pytest.mark.parametrize(("document", "message"), BAD_DOCUMENTS)
def test_the_http_endpoint_and_load_history_reject_a_document_alike(
    clean_server: ServerProcess, document: Any, message: str
) -> None:
    with mock_aws(), pytest.raises(mea.HistoryError) as raised:
        if isinstance(document, dict):
            mea.load_history(document)
        else:
            history_document.plan_history(document)

    assert clean_server.post(HISTORY, document).json() == {"message": str(raised.value)}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            b"",
            "Send a history document as a JSON body; this body is not JSON: "
            "Expecting value: line 1 column 1 (char 0).",
        ),
        (
            b"version=1",
            "Send a history document as a JSON body; this body is not JSON: "
            "Expecting value: line 1 column 1 (char 0).",
        ),
        (
            b'{"version": 1,',
            "Send a history document as a JSON body; this body is not JSON: "
            "Expecting property name enclosed in double quotes: line 1 column 15 (char 14).",
        ),
        (
            b"\xff\xfe\x00",
            "Send a history document as a JSON body; this body is not JSON: "
            "'utf-16-le' codec can't decode byte 0x00 in position 2: truncated data.",
        ),
    ],
    ids=["empty", "form", "truncated", "not text"],
)
def test_a_body_that_is_not_json_answers_400(
    clean_server: ServerProcess, body: bytes, message: str
) -> None:
    response = clean_server.post(HISTORY, data=body)

    assert response.status_code == 400
    assert response.json() == {"message": message}


@pytest.mark.parametrize("endpoint", [ATTEMPTS, FAULTS, SCRIPTS])
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_an_endpoint_answers_405_json_to_other_methods(
    server: ServerProcess, endpoint: str, method: str
) -> None:
    response = requests.request(method, server.url + endpoint, timeout=30)

    assert response.status_code == 405
    assert response.headers["Allow"] == "POST"
    assert response.json() == {"message": f"Use POST for {endpoint}, not {method}."}


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_history_answers_405_json_to_methods_other_than_get_and_post(
    server: ServerProcess, method: str
) -> None:
    response = requests.request(method, server.url + HISTORY, timeout=30)

    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, POST"
    assert response.json() == {"message": f"Use GET or POST for {HISTORY}, not {method}."}


@pytest.mark.parametrize(
    "path",
    [
        "/moto-api/emrs-attempts",
        "/moto-api/emrs-attempts/",
        "/moto-api/emrs-attempts/nope",
        "/moto-api/emrs-attempts/history/extra",
        "/moto-api/emrs-attempts/%2F%00%C3%A9",
    ],
)
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_unknown_plugin_endpoint_answers_404_json(
    server: ServerProcess, path: str, method: str
) -> None:
    response = requests.request(method, server.url + path, timeout=30)

    assert response.status_code == 404
    assert response.json() == {
        "message": "Unknown plugin endpoint; POST to one of /moto-api/emrs-attempts/history, "
        "/moto-api/emrs-attempts/attempts, /moto-api/emrs-attempts/faults, "
        "/moto-api/emrs-attempts/scripts."
    }


def test_the_endpoints_are_served_in_process_too() -> None:
    with mock_aws():
        response = requests.post(
            "http://motoapi.amazonaws.com/moto-api/emrs-attempts/history",
            json=_one_run("FAILED", "SUCCESS"),
            timeout=30,
        )

        assert response.status_code == 200
        [run] = response.json()["jobRuns"]
        backend = mea.attempts_backends["123456789012"]["us-east-1"]
        history = backend.history(run["applicationId"], run["jobRunId"])
        assert [a.state for a in history.attempts] == ["FAILED", "SUCCESS"]


# -- exporting a history ---------------------------------------------------------------


def test_get_history_answers_the_export_of_the_default_account_and_region(
    clean_server: ServerProcess,
) -> None:
    [run] = clean_server.seed(_one_run("FAILED", "SUCCESS", name="etl"))
    clean_server.seed({**_one_run("SUCCESS"), "region": "eu-west-1"})

    response = requests.get(clean_server.url + HISTORY, timeout=30)

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    document = response.json()
    assert (document["region"], document["account"]) == ("us-east-1", "123456789012")
    assert [(r["jobRunId"], r["name"]) for r in document["jobRuns"]] == [(run["jobRunId"], "etl")]
    assert [a["state"] for a in document["jobRuns"][0]["attempts"]] == ["FAILED", "SUCCESS"]


def test_get_history_answers_the_named_account_and_region(clean_server: ServerProcess) -> None:
    place = {"region": "eu-west-1", "account": "111111111111"}
    [run] = clean_server.seed({**_one_run("SUCCESS"), **place})

    response = requests.get(clean_server.url + HISTORY, params=place, timeout=30)

    assert response.status_code == 200
    document = response.json()
    assert (document["region"], document["account"]) == ("eu-west-1", "111111111111")
    assert [r["jobRunId"] for r in document["jobRuns"]] == [run["jobRunId"]]


def test_get_history_changes_nothing_and_loads_back_into_a_fresh_server(
    clean_server: ServerProcess,
) -> None:
    clean_server.seed(_one_run("FAILED", "FAILED", "SUCCESS", retryPolicy={"maxAttempts": 3}))
    exported = requests.get(clean_server.url + HISTORY, timeout=30).json()
    assert requests.get(clean_server.url + HISTORY, timeout=30).json() == exported

    clean_server.reset()
    clean_server.seed(exported)

    assert requests.get(clean_server.url + HISTORY, timeout=30).json() == exported


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("region=mars-1", "region: 'mars-1' is not a region EMR Serverless serves."),
        ("region=", "region: '' is not a region EMR Serverless serves."),
        ("account=12", "account: must be a 12-digit AWS account id, not '12'."),
        ("account=", "account: must be a 12-digit AWS account id, not ''."),
        ("region=us-east-1&region=eu-west-1", "region: give it at most once."),
        ("colour=red", "colour: is not a query parameter here; use region, account."),
    ],
)
def test_get_history_answers_400_json_to_bad_query_parameters(
    server: ServerProcess, query: str, message: str
) -> None:
    response = requests.get(f"{server.url}{HISTORY}?{query}", timeout=30)

    assert response.status_code == 400
    assert response.json() == {"message": message}


def test_get_history_is_served_in_process_too() -> None:
    with mock_aws():
        seeded = mea.seed_job_run(["FAILED", "SUCCESS"], region_name="eu-west-1")

        response = requests.get(
            "http://motoapi.amazonaws.com/moto-api/emrs-attempts/history?region=eu-west-1",
            timeout=30,
        )

        assert response.status_code == 200
        assert response.json() == mea.export_history(region_name="eu-west-1")
        assert response.json()["jobRuns"][0]["jobRunId"] == seeded.job_run_id


# -- appending attempts -----------------------------------------------------------------


def test_attempts_appends_to_a_job_run_and_numbering_continues(
    clean_server: ServerProcess,
) -> None:
    [run] = clean_server.seed(_one_run("FAILED"))

    response = clean_server.post(ATTEMPTS, {**_ids(run), "attempts": ["FAILED", "SUCCESS"]})

    assert response.status_code == 200
    assert response.json() == {**run, "attempts": 3}
    assert _states(clean_server.client(), run) == [(1, "FAILED"), (2, "FAILED"), (3, "SUCCESS")]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"jobRunId": "j", "attempts": ["SUCCESS"]}, "applicationId: is required."),
        (
            {"applicationId": "A", "jobRunId": "j", "attempts": ["SUCCESS"]},
            "applicationId: Member must satisfy regular expression pattern: [0-9a-z]+",
        ),
        (
            {"applicationId": "nope", "jobRunId": "j", "attempts": [], "runs": 2},
            "runs: is not a member of an attempts document; use applicationId, jobRunId, "
            "attempts, region, account.",
        ),
        (
            {"applicationId": "a", "jobRunId": "j", "attempts": ["X"], "region": "mars-1"},
            "region: 'mars-1' is not a region EMR Serverless serves.",
        ),
    ],
    ids=["missing member", "bad id", "unknown member", "unknown region"],
)
def test_bad_attempts_answer_400(
    clean_server: ServerProcess, body: dict[str, Any], message: str
) -> None:
    response = clean_server.post(ATTEMPTS, body)

    assert response.status_code == 400
    assert response.json() == {"message": message}


def test_attempts_for_an_unknown_job_run_answer_404_naming_it(clean_server: ServerProcess) -> None:
    [run] = clean_server.seed(_one_run("SUCCESS"))

    response = clean_server.post(
        ATTEMPTS, {"applicationId": run["applicationId"], "jobRunId": "nope", "attempts": ["X"]}
    )

    assert response.status_code == 404
    assert response.json() == {
        "message": f"jobRunId: job run nope does not exist in application {run['applicationId']}"
    }


@pytest.mark.parametrize("endpoint", [ATTEMPTS, SCRIPTS])
def test_attempts_and_scripts_for_an_unknown_application_answer_404_naming_where(
    clean_server: ServerProcess, endpoint: str
) -> None:
    body = {
        "applicationId": "nope",
        "jobRunId": "j",
        "attempts": ["SUCCESS"],
        "region": "eu-west-1",
    }
    if endpoint == SCRIPTS:
        body = {"applicationId": "nope", "outcomes": ["SUCCESS"], "region": "eu-west-1"}

    response = clean_server.post(endpoint, body)

    assert response.status_code == 404
    assert response.json() == {
        "message": "applicationId: application nope does not exist in account 123456789012, "
        "region eu-west-1"
    }


# -- faults -----------------------------------------------------------------------------


def test_an_injected_fault_answers_the_next_calls_then_stops(clean_server: ServerProcess) -> None:
    [run] = clean_server.seed(_one_run("SUCCESS"))
    client = clean_server.client()

    response = clean_server.post(
        FAULTS,
        {
            "operation": "ListJobRunAttempts",
            "error": "ThrottlingException",
            "times": 2,
            "message": "Slow down.",
        },
    )

    assert response.status_code == 200
    assert response.json() == {
        "operation": "ListJobRunAttempts",
        "error": "ThrottlingException",
        "times": 2,
        "message": "Slow down.",
    }
    for _ in range(2):
        assert error_of(client.list_job_run_attempts, **_ids(run)) == (
            400,
            "ThrottlingException",
            "Slow down.",
        )
    assert client.list_job_run_attempts(**_ids(run))["jobRunAttempts"][0]["attempt"] == 1


def test_a_fault_defaults_to_one_internal_server_exception(clean_server: ServerProcess) -> None:
    [run] = clean_server.seed(_one_run("SUCCESS"))
    client = clean_server.client()

    clean_server.post(FAULTS, {"operation": "ListJobRunAttempts"})

    assert error_of(client.list_job_run_attempts, **_ids(run)) == (
        500,
        "InternalServerException",
        "Injected InternalServerException for ListJobRunAttempts.",
    )
    assert client.list_job_run_attempts(**_ids(run))["jobRunAttempts"][0]["attempt"] == 1


def test_a_fault_for_a_region_leaves_other_regions_alone(clean_server: ServerProcess) -> None:
    [run] = clean_server.seed(_one_run("SUCCESS"))
    body = {"operation": "ListJobRunAttempts", "error": "InternalServerException"}
    clean_server.post(FAULTS, {**body, "region": "eu-west-1"})

    listed = clean_server.client().list_job_run_attempts(**_ids(run))

    assert [a["attempt"] for a in listed["jobRunAttempts"]] == [1]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            {"operation": "Nope"},
            "operation: 'Nope' is not an operation the plugin serves; use one of CancelJobRun, GetDashboardForJobRun, GetJobRun, ListJobRunAttempts, ListJobRuns, StartApplication, StartJobRun, StopApplication",
        ),
        (
            {"operation": {"name": "GetJobRun"}},
            "operation: must be a string, not {'name': 'GetJobRun'}.",
        ),
        (
            {},
            "operation: is required; name the operation to fail, such as ListJobRunAttempts.",
        ),
        (
            {"error": "ThrottlingException", "times": 2},
            "operation: is required; name the operation to fail, such as ListJobRunAttempts.",
        ),
        (
            {"operation": "GetJobRun", "error": ["ThrottlingException"]},
            "error: must be a string, not ['ThrottlingException'].",
        ),
        ({"operation": "GetJobRun", "times": 0}, "times: must be a positive integer, not 0"),
        ({"operation": "GetJobRun", "times": "2"}, "times: must be a positive integer, not '2'"),
        ({"operation": "GetJobRun", "message": 5}, "message: must be a string or None, not 5"),
        ({"account": "42"}, "account: must be a 12-digit AWS account id, not '42'."),
        ({"region": 5}, "region: must be a string, not 5."),
        ({"region": "mars-1"}, "region: 'mars-1' is not a region EMR Serverless serves."),
        (
            {"colour": "red"},
            "colour: is not a member of a fault; use operation, error, times, message, "
            "region, account.",
        ),
        ([], "Send a fault as a JSON object, not list."),
    ],
)
def test_a_bad_fault_answers_400(server: ServerProcess, body: Any, message: str) -> None:
    response = server.post(FAULTS, body)

    assert response.status_code == 400
    assert response.json() == {"message": message}


def test_an_unknown_error_code_answers_400_listing_the_codes(server: ServerProcess) -> None:
    response = server.post(FAULTS, {"operation": "GetJobRun", "error": "Oops"})

    assert response.status_code == 400
    message = response.json()["message"]
    assert message.startswith(
        "error: 'Oops' is not an error code; use one of AccessDeniedException, "
    )
    assert message.endswith(", ValidationException")


# -- scripts ----------------------------------------------------------------------------


def _start_job_run(client: Any, application_id: str, **kwargs: Any) -> dict[str, str]:
    started: dict[str, str] = client.start_job_run(
        applicationId=application_id, executionRoleArn=ROLE, jobDriver=SPARK, **kwargs
    )
    return {"applicationId": started["applicationId"], "jobRunId": started["jobRunId"]}


def test_a_script_plays_on_the_next_start_job_run(clean_server: ServerProcess) -> None:
    [seeded] = clean_server.seed(_one_run("SUCCESS"))
    client = clean_server.client()

    response = clean_server.post(SCRIPTS, {"outcomes": ["FAILED", "FAILED", "SUCCESS"]})
    run = _start_job_run(client, seeded["applicationId"], retryPolicy={"maxAttempts": 3})

    assert response.status_code == 200
    assert response.json() == {"outcomes": ["FAILED", "FAILED", "SUCCESS"], "applicationId": None}
    assert _states(client, run) == [(1, "FAILED"), (2, "FAILED"), (3, "SUCCESS")]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "outcomes: is required."),
        ({"outcomes": "FAILED"}, "outcomes: must be a list of job run states, not 'FAILED'."),
        ({"outcomes": []}, "outcomes: must list at least one state"),
        (
            {"outcomes": ["DONE"]},
            f"outcomes[0]: 'DONE' is not a job run state; use one of {STATES}",
        ),
        ({"outcomes": ["FAILED"], "applicationId": 7}, "applicationId: must be a string, not 7."),
        (
            {"outcomes": ["FAILED"], "region": "mars-1"},
            "region: 'mars-1' is not a region EMR Serverless serves.",
        ),
    ],
)
def test_a_bad_script_answers_400(server: ServerProcess, body: Any, message: str) -> None:
    response = server.post(SCRIPTS, body)

    assert response.status_code == 400
    assert response.json() == {"message": message}


# -- moto's reset -----------------------------------------------------------------------


def test_reset_clears_applications_job_runs_and_attempts(clean_server: ServerProcess) -> None:
    [run] = clean_server.seed(_one_run("FAILED", "SUCCESS"))
    client = clean_server.client()

    clean_server.reset()

    assert client.list_applications()["applications"] == []
    assert error_of(client.list_job_run_attempts, **_ids(run)) == (
        404,
        "ResourceNotFoundException",
        f"Application {run['applicationId']} does not exist",
    )


def test_reset_clears_pending_faults(clean_server: ServerProcess) -> None:
    clean_server.post(FAULTS, {"operation": "ListJobRunAttempts", "times": 5})

    clean_server.reset()
    [run] = clean_server.seed(_one_run("SUCCESS"))

    listed = clean_server.client().list_job_run_attempts(**_ids(run))
    assert [a["attempt"] for a in listed["jobRunAttempts"]] == [1]


def test_reset_clears_pending_scripts(clean_server: ServerProcess) -> None:
    clean_server.post(SCRIPTS, {"outcomes": ["FAILED", "FAILED", "SUCCESS"]})

    clean_server.reset()
    [seeded] = clean_server.seed(_one_run("SUCCESS"))
    client = clean_server.client()
    run = _start_job_run(client, seeded["applicationId"], retryPolicy={"maxAttempts": 3})

    assert _states(client, run) == [(1, "SUCCESS")]


# -- the rest of moto -------------------------------------------------------------------


def test_other_moto_services_answer_on_the_same_port(clean_server: ServerProcess) -> None:
    s3 = clean_server.client("s3")
    sqs = clean_server.client("sqs")

    s3.create_bucket(Bucket="attempt-logs")
    sqs.create_queue(QueueName="retries")

    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["attempt-logs"]
    assert sqs.list_queues()["QueueUrls"][0].endswith("/123456789012/retries")


def test_moto_reset_also_clears_other_services(clean_server: ServerProcess) -> None:
    s3 = clean_server.client("s3")
    s3.create_bucket(Bucket="attempt-logs")

    clean_server.reset()

    assert s3.list_buckets()["Buckets"] == []


# -- odd paths --------------------------------------------------------------------------

#: ListJobRunAttempts parameters that AWS rejects; `{a}`/`{j}` stand for a seeded run's ids.
#: botocore puts them in the path percent-encoded (`a/b` as `a%2Fb`, `%41` as `%2541`).
ODD_PARAMETERS = [
    {"applicationId": "", "jobRunId": "{j}"},
    {"applicationId": "{a}", "jobRunId": ""},
    {"applicationId": "a/b", "jobRunId": "{j}"},
    {"applicationId": "{a}/", "jobRunId": "{j}"},
    {"applicationId": "/", "jobRunId": "/"},
    {"applicationId": "../..", "jobRunId": "{j}"},
    {"applicationId": "\u00e9", "jobRunId": "{j}"},
    {"applicationId": "\u2603\U0001f600", "jobRunId": "{j}"},
    {"applicationId": "\x00", "jobRunId": "{j}"},
    {"applicationId": "%41", "jobRunId": "{j}"},
    {"applicationId": "%", "jobRunId": "{j}"},
    {"applicationId": "?x=1#", "jobRunId": "{j}"},
    {"applicationId": "{a}", "jobRunId": "{j}", "maxResults": 0},
    {"applicationId": "{a}", "jobRunId": "{j}", "nextToken": "\x00"},
    {"applicationId": "zzzz", "jobRunId": "{j}"},
    {"applicationId": "{a}", "jobRunId": "zzzz"},
]


def _fill(parameters: dict[str, Any], application_id: str, job_run_id: str) -> dict[str, Any]:
    return {
        key: value.replace("{a}", application_id).replace("{j}", job_run_id)
        if isinstance(value, str)
        else value
        for key, value in parameters.items()
    }


@pytest.mark.parametrize("parameters", ODD_PARAMETERS, ids=repr)
def test_odd_parameters_answer_through_the_server_as_they_do_in_process(
    clean_server: ServerProcess, parameters: dict[str, Any]
) -> None:
    unchecked = Config(parameter_validation=False, retries={"total_max_attempts": 1})
    with mock_aws():
        [local] = mea.load_history(_one_run("SUCCESS"))
        client = boto3.client("emr-serverless", region_name="us-east-1", config=unchecked)
        expected = error_of(
            client.list_job_run_attempts,
            **_fill(parameters, local.application_id, local.job_run_id),
        )
    [run] = clean_server.seed(_one_run("SUCCESS"))
    client = boto3.client(
        "emr-serverless",
        region_name="us-east-1",
        endpoint_url=clean_server.url,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=unchecked,
    )

    status, code, message = error_of(
        client.list_job_run_attempts, **_fill(parameters, run["applicationId"], run["jobRunId"])
    )

    assert status in (400, 404)
    assert (status, code) == expected[:2]
    local_message = expected[2].replace(local.application_id, run["applicationId"])
    assert message == local_message.replace(local.job_run_id, run["jobRunId"])


@pytest.mark.parametrize(
    ("path", "status", "code", "message"),
    [
        (
            "/applications/a%2Fb/jobruns/j/attempts",
            400,
            "ValidationException",
            "1 validation error detected: Value 'a/b' at 'applicationId' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [0-9a-z]+",
        ),
        (
            "/applications//jobruns/j/attempts",
            400,
            "ValidationException",
            "2 validation errors detected: Value '' at 'applicationId' failed to satisfy "
            "constraint: Member must have length greater than or equal to 1; Value '' at "
            "'applicationId' failed to satisfy constraint: Member must satisfy regular "
            "expression pattern: [0-9a-z]+",
        ),
        (
            "/nothing/here",
            404,
            "ResourceNotFoundException",
            "No EMR Serverless operation serves GET /nothing/here.",
        ),
        (
            "/applications/",
            404,
            "ResourceNotFoundException",
            "No EMR Serverless operation serves GET /applications/.",
        ),
        (
            "/applications/x/jobruns/y/attempts/",
            404,
            "ResourceNotFoundException",
            "No EMR Serverless operation serves GET /applications/x/jobruns/y/attempts/.",
        ),
        (
            "/applications/x//jobruns/y",
            404,
            "ResourceNotFoundException",
            "No EMR Serverless operation serves GET /applications/x//jobruns/y.",
        ),
    ],
)
def test_odd_paths_answer_aws_style_json(
    server: ServerProcess, path: str, status: int, code: str, message: str
) -> None:
    answer = _send(server, "GET", path)

    assert answer[0] == status
    assert answer[1]["Content-Type"] == "application/json"
    assert answer[1]["x-amzn-ErrorType"] == code
    assert json.loads(answer[2]) == {"message": message}


@pytest.mark.parametrize("method", ["TRACE", "BREW"])
def test_a_method_no_operation_takes_answers_404_json(server: ServerProcess, method: str) -> None:
    status, headers, body = _send(server, method, "/applications/x/jobruns/y/attempts")

    assert status == 404
    assert headers["x-amzn-ErrorType"] == "ResourceNotFoundException"
    assert json.loads(body) == {
        "message": f"No EMR Serverless operation serves {method} /applications/x/jobruns/y/attempts."
    }


def test_moto_get_application_answers_not_found_with_the_model_status(
    server: ServerProcess,
) -> None:
    status, headers, body = _send(server, "GET", "/applications/doesnotexist")
    error_type = {name.lower(): value for name, value in headers.items()}["x-amzn-errortype"]

    assert (status, error_type) == (404, "ResourceNotFoundException")
    assert json.loads(body)["message"] == "Application doesnotexist does not exist"


# -- request lines the HTTP server itself refuses -------------------------------------------

#: Bytes `str.split` cuts at, so Python's HTTP server cannot split the request line.
RAW_WHITESPACE = [0x09, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E, 0x1F, 0x85, 0xA0]


def _raw(server: ServerProcess, request_line: bytes) -> tuple[bytes, dict[str, str], bytes]:
    """Send a request line byte for byte on a socket; return the status line, headers, body."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as connection:
        connection.sendall(request_line + b"\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, value in (x.split(":", 1) for x in lines)}
    return status.encode("latin-1"), headers, body


@pytest.mark.parametrize("byte", RAW_WHITESPACE, ids=[f"0x{b:02x}" for b in RAW_WHITESPACE])
@pytest.mark.parametrize(
    "path", [b"/moto-api/emrs-attempts/history", b"/applications/app/jobruns/run/attempts"]
)
def test_a_request_line_the_http_server_cannot_split_is_answered_with_json(
    server: ServerProcess, byte: int, path: bytes
) -> None:
    line = b"GET " + path + bytes([byte]) + b"x HTTP/1.1"

    status, headers, body = _raw(server, line)

    assert status == b"HTTP/1.1 400 Bad Request"
    assert headers["content-type"] == "application/json"
    assert headers["x-amzn-errortype"] == "ValidationException"
    assert json.loads(body) == {"message": f"Bad request syntax ({line.decode('latin-1')!r})"}
