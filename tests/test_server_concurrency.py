"""Many clients at once against one threaded server: nothing lost, duplicated or misnumbered.

Eight client threads seed job runs (history endpoint), append tagged attempts to one shared job
run (attempts endpoint) and page through the shared run and their own runs, all at the same
time. Every page walk is checked as it happens; the shared run is checked again at the end.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from typing import Any

import pytest
import requests

from ._server import ServerProcess, clean_server, server, sigv4_headers

__all__ = ["clean_server", "server"]  # fixtures

pytestmark = pytest.mark.slow

THREADS = 8
ROUNDS = 10
BATCH = 3


class Problems:
    """Everything that went wrong in any thread, as readable lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._lock = threading.Lock()

    def add(self, line: str) -> None:
        with self._lock:
            self.lines.append(line)


def _walk(
    session: requests.Session,
    server: ServerProcess,
    run: dict[str, Any],
    page_size: int,
    problems: Problems,
    who: str,
) -> list[dict[str, Any]]:
    """Page through a run's attempts; report any non-200 answer or malformed page."""
    path = f"/applications/{run['applicationId']}/jobruns/{run['jobRunId']}/attempts"
    attempts: list[dict[str, Any]] = []
    params: dict[str, Any] = {"maxResults": page_size}
    for _ in range(1000):  # bounded: far more pages than any walk here needs
        response = session.get(server.url + path, params=params, headers=sigv4_headers())
        if response.status_code != 200:
            problems.add(f"{who}: page answered {response.status_code}: {response.text}")
            return attempts
        body = response.json()
        page = body["jobRunAttempts"]
        if not 1 <= len(page) <= page_size:
            problems.add(f"{who}: a page of {len(page)} attempts for maxResults {page_size}")
        attempts.extend(page)
        if "nextToken" not in body:
            return attempts
        params = {"maxResults": page_size, "nextToken": body["nextToken"]}
    problems.add(f"{who}: the walk did not end")
    return attempts


def _check_numbering(attempts: list[dict[str, Any]], problems: Problems, who: str) -> None:
    numbers = [a["attempt"] for a in attempts]
    if numbers != list(range(1, len(numbers) + 1)):
        problems.add(f"{who}: attempt numbers are not 1..{len(numbers)} in order: {numbers}")


def _run_threads(target: Callable[[int], None], problems: Problems) -> None:
    def guarded(index: int) -> None:
        try:
            target(index)
        except Exception as error:  # reported, so that the test fails with it
            problems.add(f"thread {index}: {type(error).__name__}: {error}")

    threads = [threading.Thread(target=guarded, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    stuck = [t.name for t in threads if t.is_alive()]
    assert not stuck, f"threads never finished: {stuck}"


def test_eight_clients_seeding_appending_and_paging_at_once_lose_nothing(
    clean_server: ServerProcess,
) -> None:
    [shared] = clean_server.seed(
        {
            "version": 1,
            "jobRuns": [{"attempts": [{"state": "FAILED", "stateDetails": "origin"}]}],
        }
    )
    problems = Problems()
    start = threading.Barrier(THREADS)

    def client(index: int) -> None:
        chooser = random.Random(index)
        session = requests.Session()
        start.wait(timeout=60)
        for round_ in range(ROUNDS):
            who = f"thread {index} round {round_}"
            # a history AWS could produce: failures, then any final state
            states = ["FAILED"] * round_ + chooser.choices(
                ["FAILED", "SUCCESS", "CANCELLED", "RUNNING"]
            )
            seeded = session.post(
                clean_server.url + "/moto-api/emrs-attempts/history",
                json={"version": 1, "jobRuns": [{"name": who, "attempts": states}]},
            )
            if seeded.status_code != 200:
                problems.add(f"{who}: seeding answered {seeded.status_code}: {seeded.text}")
                continue
            [own] = seeded.json()["jobRuns"]

            tags = [f"t{index}-r{round_}-a{k}" for k in range(BATCH)]
            appended = session.post(
                clean_server.url + "/moto-api/emrs-attempts/attempts",
                json={
                    "applicationId": shared["applicationId"],
                    "jobRunId": shared["jobRunId"],
                    "attempts": [{"state": "FAILED", "stateDetails": tag} for tag in tags],
                },
            )
            if appended.status_code != 200:
                problems.add(f"{who}: appending answered {appended.status_code}: {appended.text}")

            walked = _walk(
                session, clean_server, shared, chooser.randint(5, 50), problems, f"{who}, shared"
            )
            _check_numbering(walked, problems, f"{who}, shared")
            details = [a["stateDetails"] for a in walked]
            if len(set(details)) != len(details):
                problems.add(f"{who}: the shared walk repeats attempts")
            missing = [tag for tag in tags if tag not in details]
            if missing:
                problems.add(f"{who}: the shared walk misses this thread's attempts {missing}")

            mine = _walk(session, clean_server, own, chooser.randint(1, 3), problems, f"{who}, own")
            _check_numbering(mine, problems, f"{who}, own")
            if [a["state"] for a in mine] != states:
                problems.add(f"{who}: own run lists {[a['state'] for a in mine]}, not {states}")

    _run_threads(client, problems)

    assert problems.lines == []
    final = _walk(requests.Session(), clean_server, shared, 50, problems, "final walk")
    _check_numbering(final, problems, "final walk")
    assert problems.lines == []
    details = [a["stateDetails"] for a in final]
    assert len(final) == 1 + THREADS * ROUNDS * BATCH
    assert details[0] == "origin"
    assert sorted(details[1:]) == sorted(
        f"t{i}-r{r}-a{k}" for i in range(THREADS) for r in range(ROUNDS) for k in range(BATCH)
    )
    for start_index in range(1, len(details), BATCH):  # every batch was appended in one piece
        batch = details[start_index : start_index + BATCH]
        prefix = batch[0].rsplit("-", 1)[0]
        assert batch == [f"{prefix}-a{k}" for k in range(BATCH)]


def test_reset_while_clients_seed_and_page_answers_no_server_errors(
    clean_server: ServerProcess,
) -> None:
    problems = Problems()
    statuses: list[int] = []
    done = threading.Event()

    def client(index: int) -> None:
        session = requests.Session()
        for round_ in range(25):
            if done.is_set():
                return
            seeded = session.post(
                clean_server.url + "/moto-api/emrs-attempts/history",
                json={"version": 1, "jobRuns": [{"attempts": ["FAILED"] * 5 + ["SUCCESS"]}]},
            )
            statuses.append(seeded.status_code)
            if seeded.status_code != 200:
                problems.add(f"thread {index}: seeding answered {seeded.status_code}")
                continue
            [run] = seeded.json()["jobRuns"]
            path = f"/applications/{run['applicationId']}/jobruns/{run['jobRunId']}/attempts"
            listed = session.get(
                clean_server.url + path, params={"maxResults": 2}, headers=sigv4_headers()
            )
            statuses.append(listed.status_code)
            if listed.status_code not in (200, 404):
                problems.add(f"thread {index} round {round_}: {listed.status_code} {listed.text}")
            elif listed.status_code == 404 and listed.json()["message"] != (
                f"Application {run['applicationId']} does not exist"
            ):
                problems.add(f"thread {index} round {round_}: {listed.text}")

    def resetter() -> None:
        session = requests.Session()
        for _ in range(20):
            answer = session.post(clean_server.url + "/moto-api/reset")
            statuses.append(answer.status_code)

    reset_thread = threading.Thread(target=resetter)
    reset_thread.start()
    try:
        _run_threads(client, problems)
    finally:
        done.set()
        reset_thread.join(timeout=300)

    assert problems.lines == []
    assert not [s for s in statuses if s >= 500]
    assert 200 in statuses
