"""Input that once lost data or answered 500 (issue 15, items 1, 6 and 7).

- A time that cannot be rendered (past 9999-12-31T23:59:59Z, given or simulated) is a
  HistoryError with its JSON path, and nothing is seeded: no half-seeded document is left to make
  every export, and so the state file, fail.
- History documents posted by many threads at once are planned and seeded atomically.
- JSON nested a thousand levels deep is a 400 on every plugin endpoint, never a RecursionError.
"""

from __future__ import annotations

import json
import threading
from datetime import datetime
from typing import Any

import pytest
import requests

import moto_emrs_attempts as mea

from ._server import ServerProcess, clean_server, server

__all__ = ["clean_server", "server"]  # the fixtures this module uses

CONTROL = "http://motoapi.amazonaws.com/moto-api/emrs-attempts"
LATEST = "9999-12-31T23:59:59Z, the latest time a job run can have"
SIMULATED = f"is simulated after {LATEST}; give the attempts earlier times"


def _document(**job_run: Any) -> dict[str, Any]:
    return {"version": 1, "jobRuns": [{"attempts": [{"state": "SUCCESS"}], **job_run}]}


# -- times past year 9999 -------------------------------------------------------------------

LATE = [
    pytest.param(
        _document(attempts=[{"state": "SUCCESS", "createdAt": "9999-12-31T23:59:00Z"}]),
        f"jobRuns[0].attempts[0].updatedAt: {SIMULATED}",
        id="an ISO createdAt whose simulated end is in year 10000",
    ),
    pytest.param(
        _document(attempts=[{"state": "SUCCESS", "createdAt": 253402300799}]),
        f"jobRuns[0].attempts[0].updatedAt: {SIMULATED}",
        id="epoch seconds of the last second of 9999",
    ),
    pytest.param(
        _document(
            retryPolicy={"maxAttempts": 2},
            attempts=[{"state": "FAILED", "createdAt": "9999-12-31T23:54:00Z"}, "SUCCESS"],
        ),
        f"jobRuns[0].attempts[1].createdAt: {SIMULATED}",
        id="a retry simulated into year 10000",
    ),
    pytest.param(
        _document(createdAt="9999-12-31T23:59:00Z"),
        f"jobRuns[0].attempts[0].updatedAt: {SIMULATED}",
        id="a job run createdAt whose first attempt ends in year 10000",
    ),
    pytest.param(
        _document(attempts=[{"state": "SUCCESS", "updatedAt": 253402300800}]),
        f"jobRuns[0].attempts[0].updatedAt: 253402300800 is after {LATEST}",
        id="a given time one second too late",
    ),
    pytest.param(
        _document(attempts=[{"state": "SUCCESS", "updatedAt": "9999-12-31T23:59:59.5Z"}]),
        f"jobRuns[0].attempts[0].updatedAt: '9999-12-31T23:59:59.5Z' is after {LATEST}",
        id="a given time half a second too late",
    ),
]


@pytest.mark.parametrize(("document", "message"), LATE)
def test_a_time_past_year_9999_is_a_history_error_and_seeds_nothing(
    emrs_attempts: Any, emrs_client: Any, document: dict[str, Any], message: str
) -> None:
    first = {"version": 1, "jobRuns": [{"attempts": ["SUCCESS"]}]}  # a run before the bad one
    document = {**document, "jobRuns": first["jobRuns"] + document["jobRuns"]}
    message = message.replace("jobRuns[0]", "jobRuns[1]")

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(document)

    assert str(caught.value) == message
    assert emrs_client.list_applications()["applications"] == []
    assert emrs_attempts.export_history()["jobRuns"] == []


def test_an_attempt_simulated_past_year_9999_is_refused_by_seed_job_run(
    emrs_attempts: Any, emrs_client: Any
) -> None:
    late = mea.Attempt("FAILED", created_at=datetime(9999, 12, 31, 23, 58))

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_job_run([late])

    assert str(caught.value) == f"attempts[0].updatedAt: {SIMULATED}"
    assert emrs_client.list_applications()["applications"] == []


def test_the_last_second_of_9999_seeds_and_exports(emrs_attempts: Any) -> None:
    last = "9999-12-31T23:59:59Z"
    attempt = {"state": "SUCCESS", "createdAt": last, "updatedAt": last}

    emrs_attempts.load_history(_document(attempts=[attempt]))

    [exported] = emrs_attempts.export_history()["jobRuns"]
    assert exported["attempts"][0]["updatedAt"] == last


def test_the_server_refuses_a_late_history_and_still_exports(clean_server: ServerProcess) -> None:
    document, message = LATE[0].values

    refused = clean_server.post("/moto-api/emrs-attempts/history", document)
    exported = requests.get(f"{clean_server.url}/moto-api/emrs-attempts/history", timeout=30)

    assert (refused.status_code, refused.json()) == (400, {"message": message})
    assert exported.status_code == 200
    assert exported.json()["jobRuns"] == []


# -- many loads at once ---------------------------------------------------------------------


@pytest.mark.slow
def test_histories_posted_by_eight_threads_at_once_all_seed(clean_server: ServerProcess) -> None:
    threads, posts, runs = 8, 20, 2
    # Many applications make every load's check of the ids in use long enough to overlap others.
    clean_server.seed({"version": 1, "jobRuns": [{"attempts": ["SUCCESS"]}] * 20_000})
    answers: list[int] = []
    failures: list[str] = []

    def post(thread: int) -> None:
        session = requests.Session()
        for number in range(posts):
            job_runs = [
                {"jobRunId": f"t{thread}p{number}r{run}", "attempts": ["SUCCESS"]}
                for run in range(runs)
            ]
            answer = session.post(
                f"{clean_server.url}/moto-api/emrs-attempts/history",
                data=json.dumps({"version": 1, "jobRuns": job_runs}),
                timeout=60,
            )
            answers.append(answer.status_code)
            if answer.status_code != 200:
                failures.append(answer.text)

    workers = [threading.Thread(target=post, args=(number,)) for number in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert failures == []
    assert answers == [200] * threads * posts
    exported = requests.get(f"{clean_server.url}/moto-api/emrs-attempts/history", timeout=60)
    assert len(exported.json()["jobRuns"]) == 20_000 + threads * posts * runs


# -- nested a thousand levels deep ----------------------------------------------------------


def _nested(depth: int) -> Any:
    value: Any = "leaf"
    for _ in range(depth):
        value = [value]
    return value


def _deep_text(member: str, depth: int = 1_000) -> str:
    """A JSON object whose `member` nests `depth` levels deep (built as text: json.dumps of
    such a value would itself hit the recursion limit)."""
    return '{"' + member + '": ' + "[" * depth + '"leaf"' + "]" * depth + "}"


DEEP_BODIES = [
    pytest.param("history", _deep_text("jobRuns"), id="history: jobRuns"),
    pytest.param(
        "history",
        '{"version": 1, "jobRuns": [{"attempts": ["SUCCESS"], "jobDriver": {"sparkSubmit": '
        + _deep_text("entryPoint", 900)
        + "}}]}",
        id="history: a deep job driver",
    ),
    pytest.param("attempts", _deep_text("attempts"), id="attempts"),
    pytest.param("faults", _deep_text("operation"), id="faults"),
    pytest.param("scripts", _deep_text("outcomes"), id="scripts"),
]


def _assert_one_line_400(status: int, body: Any) -> None:
    assert status == 400
    message = body["message"]
    assert "\n" not in message
    assert len(message) < 400
    assert "RecursionError" not in message


@pytest.mark.parametrize(("endpoint", "body"), DEEP_BODIES)
def test_a_body_nested_a_thousand_deep_answers_400_in_process(
    emrs_attempts: Any, endpoint: str, body: str
) -> None:
    answer = requests.post(f"{CONTROL}/{endpoint}", data=body, timeout=30)

    _assert_one_line_400(answer.status_code, answer.json())
    assert emrs_attempts.export_history()["jobRuns"] == []


@pytest.mark.parametrize(("endpoint", "body"), DEEP_BODIES)
def test_a_body_nested_a_thousand_deep_answers_400_on_the_server(
    clean_server: ServerProcess, endpoint: str, body: str
) -> None:
    answer = clean_server.post(f"/moto-api/emrs-attempts/{endpoint}", data=body)

    _assert_one_line_400(answer.status_code, answer.json())


def test_load_history_refuses_a_member_nested_too_deeply(emrs_attempts: Any) -> None:
    driver = {"sparkSubmit": {"entryPoint": "s3://b/a.py", "entryPointArguments": _nested(150)}}

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(_document(jobDriver=driver))

    assert str(caught.value) == "jobRuns[0].jobDriver: is nested more than 100 levels deep"
