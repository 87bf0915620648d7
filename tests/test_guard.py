"""Loud mistakes: a bad region or account, a missing application, or no active mock get the same
clear error from every public function, and nothing is written anywhere."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any, Callable

import pytest
import requests
from moto import mock_aws

import moto_emrs_attempts as mea
from moto_emrs_attempts.server.process import create_app

#: Every public function that takes a region and an account, called with them.
WHERE: dict[str, Callable[..., Any]] = {
    "seed_job_run": lambda **where: mea.seed_job_run(**where),
    "seed_attempts": lambda **where: mea.seed_attempts("app", "run", ["SUCCESS"], **where),
    "script_outcomes": lambda **where: mea.script_outcomes(["SUCCESS"], **where),
    "inject_error": lambda **where: mea.inject_error(**where),
    "EmrsAttempts.backend": lambda **where: mea.EmrsAttempts().backend(**where),
    "EmrsAttempts.peek_job_run": lambda **where: mea.EmrsAttempts().peek_job_run(
        "app", "run", **where
    ),
}

#: Every public function, called with valid arguments.
CALLS: dict[str, Callable[[], Any]] = {
    "seed_job_run": lambda: mea.seed_job_run(),
    "seed_attempts": lambda: mea.seed_attempts("app", "run", ["SUCCESS"]),
    "load_history": lambda: mea.load_history(
        {"version": 1, "jobRuns": [{"attempts": ["SUCCESS"]}]}
    ),
    "script_outcomes": lambda: mea.script_outcomes(["SUCCESS"]),
    "inject_error": lambda: mea.inject_error(),
    "backend": lambda: mea.EmrsAttempts().backend(),
    "client": lambda: mea.EmrsAttempts().client(),
}


def _nothing_pending() -> bool:
    from moto_emrs_attempts.models.faults import FAULTS

    backends = [b for account in mea.attempts_backends.values() for b in account.values()]
    return not FAULTS.pending and not any(b.scripts or b.histories for b in backends)


@pytest.mark.parametrize("function", WHERE)
def test_a_region_emr_serverless_does_not_serve_is_one_clear_error(
    emrs_attempts: Any, function: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        WHERE[function](region_name="us-east-l")

    assert str(caught.value) == "region_name: 'us-east-l' is not a region EMR Serverless serves"
    assert _nothing_pending()


@pytest.mark.parametrize("function", WHERE)
@pytest.mark.parametrize("account_id", ["12345", "1234567890123", "12345678901a"])
def test_an_account_id_that_is_not_12_digits_is_one_clear_error(
    emrs_attempts: Any, function: str, account_id: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        WHERE[function](account_id=account_id)

    assert str(caught.value) == (
        f"account_id: must be a 12-digit AWS account id, not {account_id!r}"
    )
    assert _nothing_pending()


def test_load_history_names_the_documents_region_member(emrs_attempts: Any) -> None:
    document = {"version": 1, "region": "us-east-l", "jobRuns": [{"attempts": ["SUCCESS"]}]}

    with pytest.raises(mea.HistoryError) as caught:
        mea.load_history(document)

    assert str(caught.value) == "region: 'us-east-l' is not a region EMR Serverless serves"


def test_the_handle_client_rejects_a_region_emr_serverless_does_not_serve(
    emrs_attempts: Any,
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.client("us-east-l")

    assert str(caught.value) == "region_name: 'us-east-l' is not a region EMR Serverless serves"


def test_a_script_for_a_missing_application_is_a_lookup_error(emrs_attempts: Any) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        mea.script_outcomes(["FAILED"], application_id="nope", region_name="eu-west-1")

    assert isinstance(caught.value, LookupError)
    assert str(caught.value) == (
        "application_id: application nope does not exist in account 123456789012, region eu-west-1"
    )
    assert _nothing_pending()


def test_a_script_for_an_application_of_another_region_is_a_lookup_error(
    emrs_attempts: Any,
) -> None:
    run = mea.seed_job_run(region_name="eu-west-1")

    with pytest.raises(LookupError):
        mea.script_outcomes(["FAILED"], application_id=run.application_id)


def test_an_execution_role_that_is_not_an_arn_says_so(emrs_attempts: Any) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        mea.seed_job_run(execution_role_arn="not-an-arn")

    assert str(caught.value) == (
        "execution_role_arn: 'not-an-arn' is not an IAM role ARN such as "
        "'arn:aws:iam::123456789012:role/job-role'"
    )


@pytest.mark.parametrize("function", CALLS)
def test_every_public_function_says_to_start_a_mock_when_none_is_active(function: str) -> None:
    with pytest.raises(RuntimeError) as caught:
        CALLS[function]()

    assert str(caught.value) == (
        f"Start a moto mock before calling {function}(): use `with mock_emrs_attempts():`, "
        "decorate the test with `@mock_aws`, or take the `emrs_attempts` fixture. "
        "Without one, its state would vanish at the next mock's reset."
    )
    assert _nothing_pending()


@pytest.mark.parametrize("function", CALLS)
def test_every_public_function_works_inside_a_plain_mock_aws(function: str) -> None:
    with mock_aws():
        run = mea.seed_job_run(["FAILED"])
        if function == "seed_attempts":
            mea.seed_attempts(run.application_id, run.job_run_id, ["SUCCESS"])
        else:
            CALLS[function]()


def test_the_functions_refuse_after_the_mock_has_ended() -> None:
    with mea.mock_emrs_attempts() as emrs:
        pass

    with pytest.raises(RuntimeError, match=r"^Start a moto mock before calling seed_job_run\(\)"):
        emrs.seed_job_run()


@pytest.fixture
def unmocked_server() -> Iterator[str]:
    """The plugin's server app, in a thread of this process, with no mock active."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.socket.getsockname()[1]}"
    try:
        yield url
    finally:
        requests.post(f"{url}/moto-api/reset", timeout=30)
        server.shutdown()
        thread.join(timeout=30)


def test_the_plugin_endpoints_work_without_a_mock_while_the_functions_refuse(
    unmocked_server: str,
) -> None:
    endpoint = f"{unmocked_server}/moto-api/emrs-attempts"
    document = {"version": 1, "jobRuns": [{"attempts": ["FAILED", "SUCCESS"]}]}

    seeded = requests.post(f"{endpoint}/history", json=document, timeout=30)
    fault = requests.post(f"{endpoint}/faults", json={"operation": "GetJobRun"}, timeout=30)
    script = requests.post(f"{endpoint}/scripts", json={"outcomes": ["FAILED"]}, timeout=30)
    run = seeded.json()["jobRuns"][0]
    appended = requests.post(
        f"{endpoint}/attempts",
        json={"applicationId": run["applicationId"], "jobRunId": run["jobRunId"], "attempts": []},
        timeout=30,
    )

    assert (seeded.status_code, fault.status_code, script.status_code) == (200, 200, 200)
    assert appended.json() == {"message": "attempts: must list at least one attempt"}
    with pytest.raises(RuntimeError, match=r"^Start a moto mock"):
        mea.seed_job_run()


def test_a_script_for_a_missing_application_answers_404_over_http(emrs_attempts: Any) -> None:
    answer = requests.post(
        "http://motoapi.amazonaws.com/moto-api/emrs-attempts/scripts",
        json={"outcomes": ["FAILED"], "applicationId": "nope"},
        timeout=30,
    )

    assert (answer.status_code, answer.json()) == (
        404,
        {
            "message": "applicationId: application nope does not exist in account 123456789012, "
            "region us-east-1"
        },
    )
    assert _nothing_pending()
