"""Thread safety in-process: concurrent seeding and listing through the Python API and boto3
lose no attempt, duplicate none, keep attempt numbers contiguous and raise nothing
(issue 6, item 4).

Every seeded attempt carries a unique `stateDetails` marker (`t<thread>-<n>`), so the tests
can tell exactly which attempts arrived, and in which order.
"""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
import requests

import moto_emrs_attempts as mea

from ._server import ServerProcess, clean_server, server, sigv4_headers

__all__ = ["clean_server", "server"]  # the server fixtures this module uses

THREADS = 8
BATCHES = 10  # seed_attempts calls per thread
BATCH = 3  # attempts per call
T = TypeVar("T")


def run_together(work: Callable[[int], T], threads: int = THREADS) -> list[T]:
    """Run `work(index)` in `threads` threads released at once; re-raise the first error."""
    barrier = threading.Barrier(threads)

    def start(index: int) -> T:
        barrier.wait()
        return work(index)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        futures = [pool.submit(start, index) for index in range(threads)]
        return [future.result() for future in futures]


def batch(thread: int, number: int) -> list[mea.Attempt]:
    return [
        mea.Attempt("FAILED", state_details=f"t{thread}-{number * BATCH + i}") for i in range(BATCH)
    ]


def all_attempts(client: Any, run: mea.SeededJobRun, page_size: int) -> list[dict[str, Any]]:
    paginator = client.get_paginator("list_job_run_attempts")
    pages = paginator.paginate(
        applicationId=run.application_id,
        jobRunId=run.job_run_id,
        PaginationConfig={"PageSize": page_size},
    )
    return [attempt for page in pages for attempt in page["jobRunAttempts"]]


def markers(attempts: list[dict[str, Any]]) -> list[str]:
    return [a["stateDetails"] for a in attempts[1:]]  # attempt 1 is the seed's own


@pytest.fixture
def emrs() -> Iterator[mea.EmrsAttempts]:
    """The mock, with threads switching as often as the interpreter allows, so they interleave."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with mea.mock_emrs_attempts() as handle:
            yield handle
    finally:
        sys.setswitchinterval(interval)


def test_concurrent_appends_to_one_job_run_lose_and_duplicate_nothing(
    emrs: mea.EmrsAttempts,
) -> None:
    run = emrs.seed_job_run(["FAILED"])

    def append(thread: int) -> list[int]:
        return [
            emrs.seed_attempts(run.application_id, run.job_run_id, batch(thread, n)).attempts
            for n in range(BATCHES)
        ]

    totals = run_together(append)

    attempts = all_attempts(emrs.client(), run, page_size=50)
    expected_total = 1 + THREADS * BATCHES * BATCH
    assert [a["attempt"] for a in attempts] == list(range(1, expected_total + 1))
    found = markers(attempts)
    assert sorted(found) == sorted(
        f"t{t}-{i}" for t in range(THREADS) for i in range(BATCHES * BATCH)
    )
    for thread in range(THREADS):  # each thread's attempts arrive in the order it sent them
        own = [m for m in found if m.startswith(f"t{thread}-")]
        assert own == [f"t{thread}-{i}" for i in range(BATCHES * BATCH)]
    # every call reported the total right after its own batch: all distinct, the last is all
    reported = sorted(total for per_thread in totals for total in per_thread)
    assert len(set(reported)) == len(reported) == THREADS * BATCHES
    assert reported[-1] == expected_total


def test_each_append_lands_as_one_contiguous_batch(emrs: mea.EmrsAttempts) -> None:
    run = emrs.seed_job_run(["FAILED"])

    run_together(
        lambda thread: [
            emrs.seed_attempts(run.application_id, run.job_run_id, batch(thread, n))
            for n in range(BATCHES)
        ]
    )

    found = markers(all_attempts(emrs.client(), run, page_size=50))
    for start in range(0, len(found), BATCH):
        thread = {m.split("-")[0] for m in found[start : start + BATCH]}
        assert len(thread) == 1, found[start : start + BATCH]


def test_listing_with_boto3_while_appending_sees_whole_consistent_histories(
    emrs: mea.EmrsAttempts,
) -> None:
    run = emrs.seed_job_run(["FAILED"])
    readers = 4
    clients = [emrs.client() for _ in range(readers)]  # boto3 clients are made in one thread
    appended = threading.Event()

    def work(index: int) -> list[list[dict[str, Any]]]:
        if index >= readers:  # writers
            for n in range(BATCHES):
                emrs.seed_attempts(run.application_id, run.job_run_id, batch(index, n))
            return []
        walks = []
        while not appended.is_set() or not walks:  # bounded: the writers finish
            walks.append(all_attempts(clients[index], run, page_size=index + 2))
        return walks

    def writers_then_flag(index: int) -> list[list[dict[str, Any]]]:
        try:
            return work(index)
        finally:
            if index >= readers:
                done.append(index)
                if len(done) == THREADS - readers:
                    appended.set()

    done: list[int] = []
    results = run_together(writers_then_flag)

    final = all_attempts(emrs.client(), run, page_size=50)
    assert len(final) == 1 + (THREADS - readers) * BATCHES * BATCH
    final_markers = markers(final)
    for walks in results[:readers]:
        for walk in walks:  # each walk is complete for the moment it ended: no gap, no repeat
            assert [a["attempt"] for a in walk] == list(range(1, len(walk) + 1))
            assert markers(walk) == final_markers[: len(walk) - 1]


def test_listing_through_the_python_api_while_appending_is_consistent(
    emrs: mea.EmrsAttempts,
) -> None:
    run = emrs.seed_job_run(["FAILED"])
    backend = emrs.backend()
    finished = threading.Event()

    def walk() -> list[str]:
        details: list[str] = []
        token = None
        while True:
            _, first, page, token = backend.list_job_run_attempts(
                application_id=run.application_id,
                job_run_id=run.job_run_id,
                max_results=3,
                next_token=token,
            )
            assert first == len(details) + 1
            details += [a.state_details for a in page]
            if token is None:
                return details[1:]

    def work(index: int) -> list[list[str]]:
        if index % 2:
            for n in range(BATCHES):
                emrs.seed_attempts(run.application_id, run.job_run_id, batch(index, n))
            return []
        walks = [walk()]
        while not finished.is_set():
            walks.append(walk())
        return walks

    def tracked(index: int) -> list[list[str]]:
        try:
            return work(index)
        finally:
            if index % 2:
                writers_done.append(index)
                if len(writers_done) == THREADS // 2:
                    finished.set()

    writers_done: list[int] = []
    results = run_together(tracked)

    final = walk()
    assert len(final) == THREADS // 2 * BATCHES * BATCH
    assert len(set(final)) == len(final)
    for walks in results[::2]:
        for seen in walks:
            assert seen == final[: len(seen)]


def test_concurrent_seed_job_run_into_one_application_creates_every_run(
    emrs: mea.EmrsAttempts,
) -> None:
    application_id = emrs.seed_job_run(["SUCCESS"]).application_id

    seeded = run_together(
        lambda thread: [
            emrs.seed_job_run(batch(thread, n), application_id=application_id)
            for n in range(BATCHES)
        ]
    )

    runs = [run for per_thread in seeded for run in per_thread]
    assert len({run.job_run_id for run in runs}) == THREADS * BATCHES
    client = emrs.client()
    listed = client.get_paginator("list_job_runs").paginate(applicationId=application_id)
    ids = [job_run["id"] for page in listed for job_run in page["jobRuns"]]
    assert len(ids) == len(set(ids)) == 1 + THREADS * BATCHES
    assert {run.job_run_id for run in runs} <= set(ids)
    for run in runs:
        assert run.attempts == BATCH
        attempts = client.list_job_run_attempts(
            applicationId=run.application_id, jobRunId=run.job_run_id
        )["jobRunAttempts"]
        assert len(attempts) == BATCH


@pytest.mark.slow
def test_reset_while_four_threads_page_answers_only_200_or_404(
    clean_server: ServerProcess,
) -> None:
    """moto's reset in server mode, while clients walk pages: the job run is there or gone."""
    document = {"version": 1, "jobRuns": [{"attempts": ["FAILED"] * 9 + ["SUCCESS"]}]}
    current = [clean_server.seed(document)[0]]
    resets_done = threading.Event()
    answered = threading.Semaphore(0)  # released once per answer the walkers get
    answers: list[tuple[int, str | None, str]] = []

    def walk(session: requests.Session) -> None:
        run = current[-1]
        url = (
            f"{clean_server.url}/applications/{run['applicationId']}"
            f"/jobruns/{run['jobRunId']}/attempts"
        )
        query: dict[str, str] = {"maxResults": "1"}
        while True:
            response = session.get(url, params=query, headers=sigv4_headers(), timeout=30)
            answers.append(
                (response.status_code, response.headers.get("x-amzn-ErrorType"), response.text)
            )
            answered.release()
            if response.status_code != 200 or "nextToken" not in response.json():
                return
            query["nextToken"] = response.json()["nextToken"]

    def work(index: int) -> None:
        session = requests.Session()
        if index == 0:  # the resetter: reset, then seed a fresh job run for the walkers
            for _ in range(10):
                for _ in range(12):  # let the walkers get a dozen answers between resets
                    answered.acquire(timeout=30)
                clean_server.reset()
                current.append(clean_server.seed(document)[0])
            resets_done.set()
            return
        walks = 0
        while not resets_done.is_set() and walks < 200:  # bounded
            walk(session)
            walks += 1

    run_together(work, threads=5)

    assert {status for status, _, _ in answers} <= {200, 404}, [
        a for a in answers if a[0] not in (200, 404)
    ][:3]
    for status, code, body in answers:
        if status == 404:
            assert code == "ResourceNotFoundException"
            assert set(json.loads(body)) == {"message"}
