"""Request validation of ListJobRunAttempts: AWS's wording, counted clauses, before any lookup."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from .conftest import RawGet, attempts_path

PATTERN_ID = "Member must satisfy regular expression pattern: [0-9a-z]+"
PATTERN_TOKEN = "Member must satisfy regular expression pattern: [A-Za-z0-9_=-]+"
MIN_LENGTH = "Member must have length greater than or equal to 1"
MAX_ID = "Member must have length less than or equal to 64"
MAX_TOKEN = "Member must have length less than or equal to 1024"
MIN_VALUE = "Member must have value greater than or equal to 1"
MAX_VALUE = "Member must have value less than or equal to 50"
INTEGER = "Member must be an integer"


def clause(value: str, name: str, constraint: str) -> str:
    return f"Value '{value}' at '{name}' failed to satisfy constraint: {constraint}"


def message(*clauses: str) -> str:
    noun = "error" if len(clauses) == 1 else "errors"
    return f"{len(clauses)} validation {noun} detected: " + "; ".join(clauses)


@pytest.fixture
def run(emrs_attempts: Any) -> Any:
    return emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])


@pytest.fixture
def unchecked(emrs_attempts: Any) -> Any:
    """A client that sends whatever it is given: the server has to validate."""
    return boto3.client(
        "emr-serverless", region_name="us-east-1", config=Config(parameter_validation=False)
    )


def validation_error(client: Any, **kwargs: Any) -> tuple[int, str, str]:
    with pytest.raises(ClientError) as caught:
        client.list_job_run_attempts(**kwargs)
    response = caught.value.response
    return (
        response["ResponseMetadata"]["HTTPStatusCode"],
        response["Error"]["Code"],
        response["Error"]["Message"],
    )


# -- path labels, through boto3 with client-side validation off ---------------------------

LABELS = [
    ("empty", "", [MIN_LENGTH, PATTERN_ID]),
    ("65 characters", "a" * 65, [MAX_ID]),
    ("uppercase", "Abc", [PATTERN_ID]),
    ("unicode", "caf\u00e9", [PATTERN_ID]),
    ("slash", "a/b", [PATTERN_ID]),
    ("dash", "a-b", [PATTERN_ID]),
]


@pytest.mark.parametrize(
    ("value", "constraints"), [c[1:] for c in LABELS], ids=[c[0] for c in LABELS]
)
def test_a_bad_application_id_is_rejected(
    unchecked: Any, run: Any, value: str, constraints: list[str]
) -> None:
    assert validation_error(unchecked, applicationId=value, jobRunId=run.job_run_id) == (
        400,
        "ValidationException",
        message(*(clause(value, "applicationId", c) for c in constraints)),
    )


@pytest.mark.parametrize(
    ("value", "constraints"), [c[1:] for c in LABELS], ids=[c[0] for c in LABELS]
)
def test_a_bad_job_run_id_is_rejected(
    unchecked: Any, run: Any, value: str, constraints: list[str]
) -> None:
    assert validation_error(unchecked, applicationId=run.application_id, jobRunId=value) == (
        400,
        "ValidationException",
        message(*(clause(value, "jobRunId", c) for c in constraints)),
    )


# -- path labels, raw ----------------------------------------------------------------------

RAW_LABELS = [
    pytest.param("ABC", "ABC", [PATTERN_ID], id="uppercase"),
    pytest.param("%C3%A9", "\u00e9", [PATTERN_ID], id="percent-encoded unicode"),
    pytest.param("%41", "A", [PATTERN_ID], id="percent-encoded letters"),
    pytest.param("%2E%2E", "..", [PATTERN_ID], id="percent-encoded dots"),
    pytest.param("b" * 65, "b" * 65, [MAX_ID], id="65 characters"),
    pytest.param("a%2Fb", "a/b", [PATTERN_ID], id="percent-encoded slash"),
    pytest.param("%2531", "%31", [PATTERN_ID], id="a label spelling an escape"),
]


@pytest.mark.parametrize(("raw", "value", "constraints"), RAW_LABELS)
def test_a_bad_raw_application_id_is_rejected(
    raw_get: RawGet, run: Any, raw: str, value: str, constraints: list[str]
) -> None:
    status, headers, body = raw_get(attempts_path(raw, run.job_run_id))

    assert (status, headers["x-amzn-ErrorType"]) == (400, "ValidationException")
    assert body == {"message": message(*(clause(value, "applicationId", c) for c in constraints))}


# -- maxResults, raw -----------------------------------------------------------------------

MAX_RESULTS = [
    ("0", [MIN_VALUE]),
    ("51", [MAX_VALUE]),
    ("-1", [MIN_VALUE]),
    ("99999999999999999999", [MAX_VALUE]),
    ("abc", [INTEGER]),
    ("1.5", [INTEGER]),
    ("", [INTEGER]),
    (" 5", [INTEGER]),
    ("1e1", [INTEGER]),
]


@pytest.mark.parametrize(
    ("value", "constraints"), MAX_RESULTS, ids=[f"{v!r}" for v, _ in MAX_RESULTS]
)
def test_a_bad_max_results_is_rejected(
    raw_get: RawGet, run: Any, value: str, constraints: list[str]
) -> None:
    status, headers, body = raw_get(
        attempts_path(run.application_id, run.job_run_id), {"maxResults": value}
    )

    assert (status, headers["x-amzn-ErrorType"]) == (400, "ValidationException")
    assert body == {"message": message(*(clause(value, "maxResults", c) for c in constraints))}


@pytest.mark.parametrize("value", [1, 50])
def test_max_results_at_the_limits_is_accepted(emrs_client: Any, run: Any, value: int) -> None:
    page = emrs_client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id, maxResults=value
    )

    assert len(page["jobRunAttempts"]) == min(value, 2)


def test_max_results_51_through_boto3_is_rejected(unchecked: Any, run: Any) -> None:
    assert validation_error(
        unchecked, applicationId=run.application_id, jobRunId=run.job_run_id, maxResults=51
    ) == (400, "ValidationException", message(clause("51", "maxResults", MAX_VALUE)))


# -- nextToken, raw ------------------------------------------------------------------------

NEXT_TOKENS = [
    ("empty", "", [MIN_LENGTH, PATTERN_TOKEN]),
    ("1025 characters", "A" * 1025, [MAX_TOKEN]),
    ("plus", "a+b", [PATTERN_TOKEN]),
    ("slash", "a/b", [PATTERN_TOKEN]),
    ("space", "a b", [PATTERN_TOKEN]),
    ("unicode", "\u00e9", [PATTERN_TOKEN]),
]


@pytest.mark.parametrize(
    ("value", "constraints"), [t[1:] for t in NEXT_TOKENS], ids=[t[0] for t in NEXT_TOKENS]
)
def test_a_bad_next_token_is_rejected(
    raw_get: RawGet, run: Any, value: str, constraints: list[str]
) -> None:
    status, headers, body = raw_get(
        attempts_path(run.application_id, run.job_run_id), {"nextToken": value}
    )

    assert (status, headers["x-amzn-ErrorType"]) == (400, "ValidationException")
    assert body == {"message": message(*(clause(value, "nextToken", c) for c in constraints))}


# -- several violations --------------------------------------------------------------------


def test_several_violations_are_counted_in_model_order(raw_get: RawGet, run: Any) -> None:
    _, _, body = raw_get(attempts_path("App", "Run"), {"maxResults": "0", "nextToken": "a b"})

    assert body == {
        "message": message(
            clause("App", "applicationId", PATTERN_ID),
            clause("Run", "jobRunId", PATTERN_ID),
            clause("a b", "nextToken", PATTERN_TOKEN),
            clause("0", "maxResults", MIN_VALUE),
        )
    }


def test_two_violations_read_errors_in_the_plural(unchecked: Any, run: Any) -> None:
    assert validation_error(
        unchecked, applicationId="A", jobRunId=run.job_run_id, maxResults=51
    ) == (
        400,
        "ValidationException",
        "2 validation errors detected: "
        "Value 'A' at 'applicationId' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [0-9a-z]+; "
        "Value '51' at 'maxResults' failed to satisfy constraint: "
        "Member must have value less than or equal to 50",
    )


# -- validation before lookup --------------------------------------------------------------


def test_bad_max_results_on_an_unknown_job_run_is_400_not_404(raw_get: RawGet, run: Any) -> None:
    status, headers, _ = raw_get(
        attempts_path(run.application_id, "nosuchrun"), {"maxResults": "0"}
    )

    assert (status, headers["x-amzn-ErrorType"]) == (400, "ValidationException")


def test_bad_max_results_on_an_unknown_application_is_400_not_404(
    raw_get: RawGet, emrs_attempts: Any
) -> None:
    status, headers, _ = raw_get(attempts_path("nosuchapp", "nosuchrun"), {"maxResults": "abc"})

    assert (status, headers["x-amzn-ErrorType"]) == (400, "ValidationException")


def test_a_foreign_token_on_an_unknown_job_run_is_400_not_404(
    emrs_client: Any, raw_get: RawGet, emrs_attempts: Any
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED", "SUCCESS"])
    token = emrs_client.list_job_run_attempts(
        applicationId=run.application_id, jobRunId=run.job_run_id, maxResults=1
    )["nextToken"]

    status, headers, _ = raw_get(
        attempts_path(run.application_id, "nosuchrun"), {"nextToken": token}
    )

    assert (status, headers["x-amzn-ErrorType"]) == (400, "ValidationException")


def test_unknown_query_parameters_are_ignored(raw_get: RawGet, run: Any) -> None:
    status, _, body = raw_get(
        attempts_path(run.application_id, run.job_run_id), {"maxresults": "abc", "x": "1"}
    )

    assert status == 200
    assert len(body["jobRunAttempts"]) == 2


# -- any bytes: 400 or 404 with the error contract, never a 500 ----------------------------

ANY_BYTES = [
    ("NUL in path", "/applications/a%00b/jobruns/abc/attempts", ""),
    ("invalid UTF-8 in path", "/applications/%FF%FE/jobruns/abc/attempts", ""),
    ("broken escape in path", "/applications/%ZZ/jobruns/abc/attempts", ""),
    ("very long id", "/applications/" + "a" * 5000 + "/jobruns/abc/attempts", ""),
    ("invalid UTF-8 in query", "/applications/abc/jobruns/abc/attempts", "maxResults=%FF&nextToken=%C0"),
    ("broken escape in query", "/applications/abc/jobruns/abc/attempts", "maxResults=%Z"),
    ("NUL in token", "/applications/abc/jobruns/abc/attempts", "nextToken=AA%00AA"),
    ("bare key", "/applications/abc/jobruns/abc/attempts", "maxResults&nextToken"),
    ("semicolons", "/applications/abc/jobruns/abc/attempts", "maxResults=1;nextToken=x"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("path", "query"), [c[1:] for c in ANY_BYTES], ids=[c[0] for c in ANY_BYTES]
)
def test_any_bytes_answer_400_or_404_with_the_error_contract(
    raw_get: RawGet, emrs_attempts: Any, path: str, query: str
) -> None:
    status, _, _ = raw_get(path, query)  # raw_get checks the JSON error contract

    assert status in (400, 404)
