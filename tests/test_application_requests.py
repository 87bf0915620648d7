"""CreateApplication, UpdateApplication and ListApplications validate every member against the
model, in AWS's wording (issue 19, items 2 and 12): a monitoring configuration the loader would
refuse is refused when it is given, and a refused request creates and changes nothing."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
import requests
from moto import mock_aws

import moto_emrs_attempts as mea

ENDPOINT = "https://emr-serverless.us-east-1.amazonaws.com"
CREATE = {"name": "etl", "releaseLabel": "emr-7.1.0", "type": "SPARK", "clientToken": "t"}
MONITORING = "monitoringConfiguration"
CLOUDWATCH = f"{MONITORING}.cloudWatchLoggingConfiguration"


def clause(value: Any, member: str, constraint: str) -> str:
    return f"Value '{value}' at '{member}' failed to satisfy constraint: Member must {constraint}"


def one(value: Any, member: str, constraint: str) -> str:
    return f"1 validation error detected: {clause(value, member, constraint)}"


#: (monitoringConfiguration, the message): each is refused by the history loader too.
BAD_MONITORING = [
    (
        {"s3MonitoringConfiguration": {"logUri": 5}},
        one(5, f"{MONITORING}.s3MonitoringConfiguration.logUri", "be a string"),
    ),
    (
        {"s3MonitoringConfiguration": {"logUri": ""}},
        one(
            "",
            f"{MONITORING}.s3MonitoringConfiguration.logUri",
            "have length greater than or equal to 1",
        ),
    ),
    (
        {"cloudWatchLoggingConfiguration": {"enabled": "yes"}},
        one("yes", f"{CLOUDWATCH}.enabled", "be a boolean"),
    ),
    (
        {"cloudWatchLoggingConfiguration": {"enabled": True, "logGroupName": 123}},
        one(123, f"{CLOUDWATCH}.logGroupName", "be a string"),
    ),
    (
        {"cloudWatchLoggingConfiguration": {"enabled": True, "logStreamNamePrefix": "a:b"}},
        one(
            "a:b",
            f"{CLOUDWATCH}.logStreamNamePrefix",
            "satisfy regular expression pattern: [^:*]*",
        ),
    ),
    (
        {"cloudWatchLoggingConfiguration": {"enabled": True, "logStreamNamePrefix": "a*"}},
        one(
            "a*", f"{CLOUDWATCH}.logStreamNamePrefix", "satisfy regular expression pattern: [^:*]*"
        ),
    ),
    (
        {"cloudWatchLoggingConfiguration": {"enabled": True, "logTypes": "SPARK_DRIVER"}},
        one("SPARK_DRIVER", f"{CLOUDWATCH}.logTypes", "be a map"),
    ),
    (
        {"cloudWatchLoggingConfiguration": {}},
        "1 validation error detected: Value null at "
        f"'{CLOUDWATCH}.enabled' failed to satisfy constraint: Member must not be null",
    ),
]


def _create(body: dict[str, Any]) -> requests.Response:
    return requests.post(f"{ENDPOINT}/applications", json=body, timeout=30)


def _update(application_id: str, body: dict[str, Any]) -> requests.Response:
    return requests.patch(
        f"{ENDPOINT}/applications/{application_id}", json={"clientToken": "u", **body}, timeout=30
    )


def _refused(answer: requests.Response) -> tuple[int, str, str]:
    return answer.status_code, answer.headers["x-amzn-ErrorType"], answer.json()["message"]


@pytest.mark.parametrize(("monitoring", "message"), BAD_MONITORING)
def test_create_application_refuses_a_monitoring_configuration_the_model_refuses(
    emr: Any, monitoring: dict[str, Any], message: str
) -> None:
    answer = _create({**CREATE, MONITORING: monitoring})
    assert _refused(answer) == (400, "ValidationException", message)
    assert emr.list_applications()["applications"] == []


@pytest.mark.parametrize(("monitoring", "message"), BAD_MONITORING)
def test_update_application_refuses_a_monitoring_configuration_and_changes_nothing(
    emr: Any, app: str, monitoring: dict[str, Any], message: str
) -> None:
    before = emr.get_application(applicationId=app)["application"]
    assert _refused(_update(app, {MONITORING: monitoring})) == (400, "ValidationException", message)
    assert emr.get_application(applicationId=app)["application"] == before


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"name": "my app"},
            one("my app", "name", "satisfy regular expression pattern: [A-Za-z0-9._/#-]+"),
        ),
        (
            {"architecture": "RISCV"},
            one("RISCV", "architecture", "satisfy enum value set: [ARM64, X86_64]"),
        ),
        ({"initialCapacity": []}, one([], "initialCapacity", "be a map")),
        (
            {"releaseLabel": None},
            "1 validation error detected: Value null at 'releaseLabel' failed to satisfy constraint: Member must not be null",
        ),
        (
            {"tags": {"team": 1}, "autoStopConfiguration": {"idleTimeoutMinutes": "15"}},
            "2 validation errors detected: "
            + clause(1, "tags.team", "be a string")
            + "; "
            + clause("15", "autoStopConfiguration.idleTimeoutMinutes", "be an integer"),
        ),
    ],
)
def test_create_application_validates_every_member(
    emr: Any, members: dict[str, Any], message: str
) -> None:
    body = {key: value for key, value in {**CREATE, **members}.items() if value is not None}
    assert _refused(_create(body)) == (400, "ValidationException", message)
    assert emr.list_applications()["applications"] == []


@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"architecture": "RISCV"},
            one("RISCV", "architecture", "satisfy enum value set: [ARM64, X86_64]"),
        ),
        (
            {"releaseLabel": ""},
            "2 validation errors detected: "
            + clause("", "releaseLabel", "have length greater than or equal to 1")
            + "; "
            + clause("", "releaseLabel", "satisfy regular expression pattern: [A-Za-z0-9._/-]+"),
        ),
        (
            {"clientToken": None},
            "1 validation error detected: Value null at 'clientToken' failed to satisfy constraint: Member must not be null",
        ),
    ],
)
def test_update_application_validates_every_member(
    emr: Any, app: str, members: dict[str, Any], message: str
) -> None:
    before = emr.get_application(applicationId=app)["application"]
    body = {
        key: value for key, value in {"clientToken": "u", **members}.items() if value is not None
    }
    answer = requests.patch(f"{ENDPOINT}/applications/{app}", json=body, timeout=30)
    assert _refused(answer) == (400, "ValidationException", message)
    assert emr.get_application(applicationId=app)["application"] == before


def test_an_accepted_monitoring_configuration_exports_and_loads_back() -> None:
    monitoring = {
        "cloudWatchLoggingConfiguration": {
            "enabled": True,
            "logGroupName": "/aws/emr",
            "logStreamNamePrefix": "team/\u00e9",
            "logTypes": {"SPARK_DRIVER": ["stdout"]},
        }
    }
    with mock_aws():
        emr = boto3.client("emr-serverless", region_name="us-east-1")
        app = emr.create_application(
            name="etl", releaseLabel="emr-7.1.0", type="SPARK", monitoringConfiguration=monitoring
        )["applicationId"]
        document = mea.export_history()
        shown = emr.get_application(applicationId=app)["application"]
    with mock_aws():
        mea.load_history(document)
        assert emr.get_application(applicationId=app)["application"] == shown


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("maxResults=abc", one("abc", "maxResults", "be an integer")),
        ("maxResults=", one("", "maxResults", "be an integer")),
        ("maxResults=0", one(0, "maxResults", "have value greater than or equal to 1")),
        ("maxResults=51", one(51, "maxResults", "have value less than or equal to 50")),
        (
            "nextToken=",
            "2 validation errors detected: "
            + clause("", "nextToken", "have length greater than or equal to 1")
            + "; "
            + clause("", "nextToken", "satisfy regular expression pattern: [A-Za-z0-9_=-]+"),
        ),
        (
            "nextToken=a%21",
            one("a!", "nextToken", "satisfy regular expression pattern: [A-Za-z0-9_=-]+"),
        ),
        (
            "states=RUNNING",
            one(
                "RUNNING",
                "states",
                "satisfy enum value set: "
                "[CREATING, CREATED, STARTING, STARTED, STOPPING, STOPPED, TERMINATED]",
            ),
        ),
    ],
)
def test_list_applications_validates_its_query(
    emr: Any, raw_get: Any, query: str, message: str
) -> None:
    status, headers, body = raw_get("/applications", query)
    assert (status, headers["x-amzn-ErrorType"], body["message"]) == (
        400,
        "ValidationException",
        message,
    )


def test_list_applications_with_a_valid_query_answers_as_before(emr: Any, app: str) -> None:
    found = emr.list_applications(maxResults=1, states=["CREATED", "STARTED"])["applications"]
    assert [a["id"] for a in found] == [app]
