#!/usr/bin/env python
"""Benchmark of moto-emrs-attempts (issue 5): every figure is a ratio measured in one run.

    python tests/benchmarks/bench_attempts.py [--rounds N] [--calls N] [--only P1,P3] [--quick]
                                              [--check]

Each comparison interleaves its variants (A B, B A, A B, ...; P1 and P2 rotate three variants in
one run) after a warm-up, times a block of calls per variant per round, and reports the median
over the rounds of the per-round ratio, so that machine drift (frequency scaling, other
processes) hits both sides alike. The floor's client goes without moto's `before-send` handler:
botocore runs every `before-send` handler, so under a mock moto would otherwise still dispatch
the request behind the canned answer. The figures:

| figure  | A                                          | B                                         | target |
|---------|--------------------------------------------|-------------------------------------------|--------|
| P1      | list_job_run_attempts, one attempt, mocked | the same call answered by a canned        | <= 1.15|
|         |                                            | `before-send` hook registered first       |        |
| P2      | the same list_job_run_attempts call        | moto's own get_application                | <= 0.55|
| P3      | per page, 10,000-attempt run, 50 a page    | per page, 100-attempt run, 50 a page      | <= 1.2 |
| P4      | bytes retained per seeded attempt (tracemalloc over 100,000 attempts)  | <= 200 B|
| P5      | server: 4 threads' list_job_run_attempts   | the same threads' get_application         | >= 1.0 |
|         | throughput                                 | throughput (0 errors required)            |        |
| Seeding | seed_attempts of 100,000 attempts          | building 100,000 plain dicts              | report |
| Export  | export_history of 100,000 attempts         | building 100,000 plain dicts              | report |
|         | (1,000 job runs of 100)                    |                                           |        |
| Load    | load_history of that export, fresh mock    | building 100,000 plain dicts              | report |
| P8      | export_history of 1,000,000 attempts       | export_history of 100,000 attempts        | <= 11  |
|         | (also reported: the same ratio for plain dicts; a 10,000-attempt export fits in the |
|         | CPU's cache, which makes 10,000 vs 100,000 a measure of the machine, not the code)  |
| P6      | get_job_run of a moving job run under      | moto's own get_application                | <= 0.6 |
|         | manual progression (one step a poll)       |                                           |        |
| P7      | the same poll, application of 10,000 runs  | the same poll, application of 10 runs     | <= 1.2 |
| P11     | get_application of an application in       | moto's own get_application (of an         | <= 0.6 |
|         | flight under manual progression (a poll    | application at rest), interleaved with    |        |
|         | counted, no step yet), SPEC 12             | P6 and P7 (also: the ratio to P6's poll)  |        |
| P9      | a minimal test with the fixtures:          | the same test with `mock_aws` and         | <= 0.25|
|         | emrs_attempts + emrs_client, seed, list    | `boto3.client`                            |        |
| Recording | `record` of 1,000 attempts from a server   | the same HTTP calls, answers unused       | report |
|         | (also: attempts recorded per second)       |                                           |        |
| Logs    | start_job_run + get_job_run, logging off   | the same, the log hooks made no-ops       | <= 1.05|
|         | (also reported: the same with S3 and CloudWatch logging on, against logging off) |
| P10     | load_history of 100,000 job runs, each in  | the same of 10,000 job runs, per run      | <= 1.2 |
|         | its own application (a state file: what    | (each size in a fresh process; also: its  |        |
|         | export_history writes), per run            | seconds, peak RSS, bytes a run, and the   |        |
|         |                                            | time to build the document's dicts)       |        |
| Import  | `import moto, boto3` then                  | `import moto, boto3`, in fresh processes  | <= 60  |
|         | `import moto_emrs_attempts`, in fresh      | (CPU time; the figure is what the plugin's|        |
|         | processes: ms the plugin's import costs    | import costs after moto and boto3; also:  |        |
|         |                                            | the difference of the totals)             |        |

It prints one JSON line per figure, then a summary table. The exit code is 0 even when a target
is missed (it is a measuring tool) unless `--check` is given: then a missed or skipped figure
exits 1. `--quick` uses tiny sizes so that a smoke test can run it in seconds.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import io
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tracemalloc
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Callable

import boto3
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.models import botocore_stubber

import moto_emrs_attempts as mea
from moto_emrs_attempts.history import document as history_document

REGION = "us-east-1"
SERVER_THREADS = 4
FIGURES = (
    "P1",
    "P2",
    "P3",
    "P4",
    "P5",
    "Seeding",
    "P6",
    "P7",
    "P11",
    "P9",
    "Recording",
    "Logs",
    "Export",
    "Load",
    "P8",
    "P10",
    "Import",
)


@dataclass(frozen=True)
class Sizes:
    """Rounds and sizes; short blocks and many rounds resist a noisy, shared machine best."""

    rounds: int = 21  # P1/P2 rounds
    calls: int = 100  # P1/P2 calls per variant per round
    server_rounds: int = 9  # P5 rounds
    server_calls: int = 200  # P5 calls per phase, over all threads
    page_rounds: int = 9  # P3 rounds, each a whole walk of each history
    big: int = 10_000  # P3
    small: int = 100  # P3
    page: int = 50  # P3
    stored: int = 100_000  # P4
    seeded: int = 100_000  # Seeding
    seed_rounds: int = 7
    exported: int = 100_000  # Export, Load and P8's small state
    exported_large: int = 1_000_000  # P8's large state
    run_length: int = 100  # attempts per job run of those states
    many_runs: int = 10_000  # P7
    few_runs: int = 10  # P7
    test_rounds: int = 9  # P9 rounds
    tests: int = 5  # P9 tests per variant per round
    recorded: int = 1_000  # Recording: attempts, 50 a job run
    record_rounds: int = 5
    loaded_runs: int = 100_000  # P10's large document; the small one has a tenth
    small_loads: int = 2  # P10: the small document loads before the large one, and after
    import_rounds: int = 9  # Import: fresh processes of each kind


QUICK = Sizes(
    rounds=3,
    calls=8,
    server_rounds=3,
    server_calls=8,
    page_rounds=3,
    big=300,
    small=100,
    stored=2_000,
    seeded=2_000,
    seed_rounds=3,
    exported=2_000,
    exported_large=20_000,
    run_length=20,
    many_runs=200,
    test_rounds=3,
    tests=2,
    recorded=100,
    record_rounds=3,
    loaded_runs=1_000,
    small_loads=1,
    import_rounds=1,
)


# -- measuring ----------------------------------------------------------------------------


def _timed(block: Callable[[], Any]) -> float:
    """Seconds one block takes; the collector runs before, not during, the measurement."""
    gc.collect()
    start = time.perf_counter()
    block()
    return time.perf_counter() - start


def interleaved(
    variants: dict[str, Callable[[], Any]], rounds: int, warmup: int = 1
) -> dict[str, list[float]]:
    """Time each variant's block once per round, rotating their order every round."""
    names = list(variants)
    for _ in range(warmup):
        for name in names:
            variants[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            times[name].append(_timed(variants[name]))
    return times


def per_call_us(times: Sequence[float], calls: int) -> float:
    """Microseconds per call: the median block time over the calls each block made."""
    return statistics.median(times) / calls * 1e6


def median_ratio(a: Sequence[float], b: Sequence[float]) -> float:
    return statistics.median(x / y for x, y in zip(a, b))


def figure(
    name: str,
    ratio: float,
    target: str | None,
    a_us: float | None = None,
    b_us: float | None = None,
    **extra: Any,
) -> dict[str, Any]:
    ok: bool | None = None
    if target is not None:
        op, limit = target.split()
        ok = ratio <= float(limit) if op == "<=" else ratio >= float(limit)
    line: dict[str, Any] = {"figure": name, "ratio": round(ratio, 4), "target": target, "ok": ok}
    if a_us is not None:
        line["a_us"] = round(a_us, 1)
    if b_us is not None:
        line["b_us"] = round(b_us, 1)
    line.update(extra)
    return line


def skipped(name: str, target: str | None, reason: str) -> dict[str, Any]:
    return {"figure": name, "ratio": None, "target": target, "ok": None, "skipped": reason}


def _states(count: int) -> list[str]:
    """A literal history AWS could produce: failures, then the final SUCCESS."""
    return ["FAILED"] * (count - 1) + ["SUCCESS"]


def _client(**kwargs: Any) -> Any:
    return boto3.client("emr-serverless", region_name=REGION, **kwargs)


# -- P1 and P2: one call, against the floor and against moto's own handler ---------------


class _RawBody(io.BytesIO):
    """The `raw` botocore reads a response body from (`AWSResponse.content`)."""

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.read()


def canned_client(body: bytes, headers: dict[str, str], status: int = 200) -> Any:
    """A client whose first `before-send` handler answers every call with `body`.

    botocore emits `before-send` to every handler and takes the first answer, so moto's own
    handler (registered on every client while a mock is active) would still dispatch the
    request behind the canned answer: the floor client goes without it.
    """

    def answer(request: Any, **_: Any) -> AWSResponse:
        return AWSResponse(request.url, status, headers, _RawBody(body))

    client = _client()
    client.meta.events.unregister("before-send", botocore_stubber)
    client.meta.events.register_first("before-send", answer)
    return client


def bench_call(sizes: Sizes) -> list[dict[str, Any]]:
    """P1 and P2, from one interleaved run of three variants."""
    with mock_aws():
        run = mea.seed_job_run(["SUCCESS"])
        args = {"applicationId": run.application_id, "jobRunId": run.job_run_id}
        client = _client()
        wire: dict[str, Any] = {}

        def capture(http_response: Any, **_: Any) -> None:
            wire.update(body=http_response.content, headers=dict(http_response.headers))

        event = "after-call.emr-serverless.ListJobRunAttempts"
        client.meta.events.register(event, capture)
        mocked = client.list_job_run_attempts(**args)
        client.meta.events.unregister(event, capture)
        floor = canned_client(wire["body"], wire["headers"])
        canned = floor.list_job_run_attempts(**args)
        mocked.pop("ResponseMetadata")
        canned.pop("ResponseMetadata")
        if canned != mocked or len(mocked["jobRunAttempts"]) != 1:
            raise AssertionError(f"the floor does not answer like the plugin: {canned} {mocked}")
        mea.inject_error("ListJobRunAttempts", "ValidationException")
        floor.list_job_run_attempts(**args)  # must not reach moto, so must not take the fault
        try:
            client.list_job_run_attempts(**args)
        except ClientError:
            pass
        else:
            raise AssertionError("the floor client dispatched its call through moto")

        calls = range(sizes.calls)

        def plugin() -> None:
            for _ in calls:
                client.list_job_run_attempts(**args)

        def canned_floor() -> None:
            for _ in calls:
                floor.list_job_run_attempts(**args)

        def get_application() -> None:
            for _ in calls:
                client.get_application(applicationId=run.application_id)

        times = interleaved(
            {"plugin": plugin, "floor": canned_floor, "moto": get_application}, sizes.rounds
        )

    def per_call(name: str) -> float:
        return per_call_us(times[name], sizes.calls)

    common = {"rounds": sizes.rounds, "calls": sizes.calls}
    return [
        figure(
            "P1",
            median_ratio(times["plugin"], times["floor"]),
            "<= 1.15",
            per_call("plugin"),
            per_call("floor"),
            **common,
        ),
        figure(
            "P2",
            median_ratio(times["plugin"], times["moto"]),
            "<= 0.55",
            per_call("plugin"),
            per_call("moto"),
            **common,
        ),
    ]


# -- P3: page cost against history length --------------------------------------------------


def walk(client: Any, application_id: str, job_run_id: str, page: int) -> tuple[int, int]:
    """Walk every page with explicit nextTokens; return (pages, attempts)."""
    kwargs: dict[str, Any] = {
        "applicationId": application_id,
        "jobRunId": job_run_id,
        "maxResults": page,
    }
    pages = attempts = 0
    while True:
        response = client.list_job_run_attempts(**kwargs)
        pages += 1
        attempts += len(response["jobRunAttempts"])
        token = response.get("nextToken")
        if token is None:
            return pages, attempts
        kwargs["nextToken"] = token


def bench_pages(sizes: Sizes) -> list[dict[str, Any]]:
    with mock_aws():
        client = _client()
        big = mea.seed_job_run(_states(sizes.big))
        small = mea.seed_job_run(_states(sizes.small))
        big_pages, seen = walk(client, big.application_id, big.job_run_id, sizes.page)
        if seen != sizes.big:
            raise AssertionError(f"walked {seen} of {sizes.big} attempts")
        small_pages, seen = walk(client, small.application_id, small.job_run_id, sizes.page)
        if seen != sizes.small:
            raise AssertionError(f"walked {seen} of {sizes.small} attempts")
        repeats = max(1, big_pages // small_pages)  # both sides time about as many pages

        def walk_big() -> None:
            walk(client, big.application_id, big.job_run_id, sizes.page)

        def walk_small() -> None:
            for _ in range(repeats):
                walk(client, small.application_id, small.job_run_id, sizes.page)

        times = interleaved({"big": walk_big, "small": walk_small}, sizes.page_rounds)
    a = [t / big_pages for t in times["big"]]
    b = [t / (small_pages * repeats) for t in times["small"]]
    return [
        figure(
            "P3",
            median_ratio(a, b),
            "<= 1.2",
            statistics.median(a) * 1e6,
            statistics.median(b) * 1e6,
            attempts=[sizes.big, sizes.small],
            pages=[big_pages, small_pages * repeats],
            rounds=sizes.page_rounds,
        )
    ]


# -- P4: memory per stored attempt ---------------------------------------------------------


def bench_memory(sizes: Sizes) -> list[dict[str, Any]]:
    with mock_aws():
        mea.seed_job_run(_states(10))  # first-use caches are not the attempts' cost
        states = _states(sizes.stored)  # allocated before tracing: not part of the figure
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            run = mea.seed_job_run(states)
            gc.collect()
            retained, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        if run.attempts != sizes.stored:
            raise AssertionError(f"seeded {run.attempts} of {sizes.stored} attempts")
    per_attempt = (retained - before) / sizes.stored
    return [
        figure(
            "P4",
            per_attempt,
            "<= 200",
            unit="B/attempt",
            attempts=sizes.stored,
            peak_b_per_attempt=round((peak - before) / sizes.stored, 1),
        )
    ]


# -- Seeding: seed_attempts against building plain dicts -----------------------------------


def bench_seeding(sizes: Sizes) -> list[dict[str, Any]]:
    states = _states(sizes.seeded)

    def seed() -> float:
        with mock_aws():  # a fresh mock each round: earlier rounds' attempts are freed
            run = mea.seed_job_run(["FAILED"])  # a job run that has not ended
            return _timed(lambda: mea.seed_attempts(run.application_id, run.job_run_id, states))

    def build() -> float:
        return _timed(
            lambda: [
                {"state": s, "stateDetails": "Job run failed.", "createdAt": 0.0, "updatedAt": 1.0}
                for s in states
            ]
        )

    seed()
    build()
    a: list[float] = []
    b: list[float] = []
    for index in range(sizes.seed_rounds):
        if index % 2:
            b.append(build())
            a.append(seed())
        else:
            a.append(seed())
            b.append(build())
    return [
        figure(
            "Seeding",
            median_ratio(a, b),
            None,
            statistics.median(a) / sizes.seeded * 1e6,
            statistics.median(b) / sizes.seeded * 1e6,
            attempts=sizes.seeded,
            seed_ms=round(statistics.median(a) * 1e3, 1),
            dicts_ms=round(statistics.median(b) * 1e3, 1),
            rounds=sizes.seed_rounds,
        )
    ]


# -- P9: what a short test costs -----------------------------------------------------------


def _fixture_test() -> None:
    """A minimal test with the `emrs_attempts` and `emrs_client` fixtures (their very bodies)."""
    mock = mea.mock_emrs_attempts()
    emrs_attempts = mock.start()
    try:
        emrs_client = emrs_attempts.client()
        run = emrs_attempts.seed_job_run()
        emrs_client.list_job_run_attempts(applicationId=run.application_id, jobRunId=run.job_run_id)
    finally:
        mock.stop()


def _plain_test() -> None:
    """The same test written with `mock_aws` and `boto3.client`."""
    with mock_aws():
        client = boto3.client("emr-serverless", region_name=REGION)
        run = mea.seed_job_run()
        client.list_job_run_attempts(applicationId=run.application_id, jobRunId=run.job_run_id)


def bench_tests(sizes: Sizes) -> list[dict[str, Any]]:
    def block(test: Callable[[], None]) -> Callable[[], None]:
        def tests() -> None:
            for _ in range(sizes.tests):
                test()

        return tests

    times = interleaved(
        {"fixtures": block(_fixture_test), "plain": block(_plain_test)}, sizes.test_rounds
    )
    a, b = times["fixtures"], times["plain"]
    return [
        figure(
            "P9",
            median_ratio(a, b),
            "<= 0.25",
            statistics.median(a) / sizes.tests * 1e6,
            statistics.median(b) / sizes.tests * 1e6,
            tests=sizes.tests,
            rounds=sizes.test_rounds,
        )
    ]


# -- Export, Load and P8: the history document ---------------------------------------------


def _export_state(attempts: int, run_length: int, region_name: str = REGION) -> None:
    """Seed `attempts` attempts, as job runs of `run_length` literal attempts each."""
    states = _states(run_length)
    for _ in range(attempts // run_length):
        mea.seed_job_run(states, region_name=region_name)


def _plain_dicts(count: int) -> Callable[[], Any]:
    states = _states(count)
    return lambda: [
        {
            "state": s,
            "stateDetails": "Job run failed.",
            "createdAt": "2026-01-01T00:00:00Z",
            "updatedAt": "2026-01-01T00:05:00Z",
        }
        for s in states
    ]


def bench_history(sizes: Sizes) -> list[dict[str, Any]]:
    """Export and Load against plain dicts, and P8: export's cost at 10x the attempts."""
    big, large = sizes.exported, sizes.exported_large
    with mock_aws():
        _export_state(big, sizes.run_length)
        _export_state(large, sizes.run_length, region_name="eu-west-1")
        document = mea.export_history()
        exported = interleaved(
            {
                "export": mea.export_history,
                "dicts": _plain_dicts(big),
                "large": lambda: mea.export_history(region_name="eu-west-1"),
                "large_dicts": _plain_dicts(large),
            },
            sizes.seed_rounds,
        )

    def load() -> float:
        with mock_aws():  # a fresh mock each round
            return _timed(lambda: mea.load_history(document))

    build = _plain_dicts(big)
    loads: list[float] = []
    dicts: list[float] = []
    for index in range(sizes.seed_rounds):
        if index % 2:
            dicts.append(_timed(build))
            loads.append(load())
        else:
            loads.append(load())
            dicts.append(_timed(build))

    def per_attempt(times: list[float]) -> float:
        return statistics.median(times) / big * 1e6

    return [
        figure(
            "Export",
            median_ratio(exported["export"], exported["dicts"]),
            None,
            per_attempt(exported["export"]),
            per_attempt(exported["dicts"]),
            attempts=big,
            export_ms=round(statistics.median(exported["export"]) * 1e3, 1),
            dicts_ms=round(statistics.median(exported["dicts"]) * 1e3, 1),
            rounds=sizes.seed_rounds,
        ),
        figure(
            "Load",
            median_ratio(loads, dicts),
            None,
            per_attempt(loads),
            per_attempt(dicts),
            attempts=big,
            load_ms=round(statistics.median(loads) * 1e3, 1),
            dicts_ms=round(statistics.median(dicts) * 1e3, 1),
            rounds=sizes.seed_rounds,
        ),
        figure(
            "P8",
            median_ratio(exported["large"], exported["export"]),
            "<= 11",
            statistics.median(exported["large"]) / large * 1e6,
            per_attempt(exported["export"]),
            attempts=[big, large],
            dicts_ratio=round(median_ratio(exported["large_dicts"], exported["dicts"]), 2),
            rounds=sizes.seed_rounds,
        ),
    ]


# -- P10: a history document of many job runs, each with its own application -----------------


def _runs_template() -> dict[str, Any]:
    """A real export of one job run of two attempts, under the installed moto and botocore."""
    with mock_aws():
        mea.seed_job_run(["FAILED", "SUCCESS"], name="nightly")
        return mea.export_history()


def _runs_document(template: dict[str, Any], runs: int, first: int = 0) -> dict[str, Any]:
    """A history document of `runs` job runs, each in its own application with two attempts,
    as `export_history` writes one (a state file): the members of `template`, the ids and
    times distinct for every run."""
    [application], [job_run] = template["applications"], template["jobRuns"]
    render = history_document.render_time
    start = 1_767_225_600.0  # 2026-01-01T00:00:00Z
    applications, job_runs = [], []
    for number in range(first, first + runs):
        application_id = f"{number:015x}a"
        at = start + 60 * number
        applications.append({**application, "applicationId": application_id})
        job_runs.append(
            {
                **job_run,
                "jobRunId": f"{number:015x}j",
                "applicationId": application_id,
                "name": f"nightly-{number}",
                "createdAt": render(at),
                "jobDriver": json.loads(json.dumps(job_run["jobDriver"])),
                "attempts": [
                    {**attempt, "createdAt": render(at + begin), "updatedAt": render(at + end)}
                    for attempt, (begin, end) in zip(job_run["attempts"], ((0, 300), (360, 660)))
                ],
            }
        )
    return {**template, "applications": applications, "jobRuns": job_runs}


def _memory_kb(field: str) -> int | None:
    """VmRSS or VmHWM (the peak) of this process in kB, where /proc tells them."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak() -> bool:
    """Start VmHWM afresh at the current RSS (Linux), so that the peak is the load's own."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def load_runs(runs: int, traced: bool) -> dict[str, Any]:
    """What loading a document of `runs` job runs costs in this (fresh) process: run by
    `bench_load_runs` in a subprocess of its own, so that the RSS it reports is the load's."""
    template = _runs_template()
    document = _runs_document(template, runs)
    dicts = [_timed(lambda: _runs_document(template, runs))]  # the machine's speed, now
    with mock_aws():  # first use of the model, the backends and the caches is not the runs' cost
        mea.load_history(_runs_document(template, 2, first=runs))
    result: dict[str, Any] = {"runs": runs}
    with mock_aws():
        mea.export_history()  # the account's and region's backends exist, as in a started server
        gc.collect()
        before = _memory_kb("VmRSS")
        peak_is_the_loads = _reset_peak()
        cpu = time.process_time()
        seconds = _timed(lambda: mea.load_history(document))
        result["cpu_s"] = time.process_time() - cpu
        result["s"] = seconds
        peak = _memory_kb("VmHWM")
        if before is not None and peak is not None and peak_is_the_loads:
            result["rss_b_per_run"] = (peak - before) * 1024 / runs
            result["rss_mb"] = (peak - before) / 1024
        # the document loads back as it was exported: the same answers
        if traced and json.loads(json.dumps(mea.export_history())) != document:
            raise AssertionError("the loaded document does not export as it was")
    with mock_aws():  # validation alone, nothing created (the collector off, as in a load)
        gc.disable()
        try:
            plans = [_timed(lambda: history_document.plan_history(document)) for _ in range(2)]
        finally:
            gc.enable()
        result["plan_s"] = min(plans)
    dicts.append(_timed(lambda: _runs_document(template, runs)))
    result["dicts_s"] = statistics.mean(dicts)
    if traced:  # bytes a run by tracemalloc (slower: not timed), the document made under it
        with mock_aws():
            mea.export_history()
            gc.collect()
            tracemalloc.start()
            try:
                start = tracemalloc.get_traced_memory()[0]
                traced_document = _runs_document(template, runs)
                with_document = tracemalloc.get_traced_memory()[0]
                tracemalloc.reset_peak()
                mea.load_history(traced_document)
                peak_traced = tracemalloc.get_traced_memory()[1]
                del traced_document
                gc.collect()
                retained = tracemalloc.get_traced_memory()[0]
            finally:
                tracemalloc.stop()
        result["traced_b_per_run"] = (retained - start) / runs  # what stays once it is gone
        result["traced_peak_b_per_run"] = (peak_traced - with_document) / runs
    return result


def _load_runs_in_a_process(runs: int, traced: bool) -> dict[str, Any]:
    command = [sys.executable, __file__, "--load-runs", str(runs)]
    if traced:
        command.append("--traced")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"loading {runs} job runs failed: {done.stderr[-2000:]}")
    found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def bench_load_runs(sizes: Sizes) -> list[dict[str, Any]]:
    """P10: per run, a document of 10x the job runs against one of a tenth, each loaded in a
    fresh process; the small one loads before and after the large one (machine drift)."""
    large, small = sizes.loaded_runs, sizes.loaded_runs // 10
    first = _load_runs_in_a_process(small, traced=True)
    big = _load_runs_in_a_process(large, traced=False)
    last = _load_runs_in_a_process(small, traced=False) if sizes.small_loads > 1 else first

    def per_run(result: dict[str, Any], key: str = "s") -> float:
        return float(result[key]) / result["runs"]

    small_s = statistics.mean([per_run(first), per_run(last)])
    small_cpu = statistics.mean([per_run(first, "cpu_s"), per_run(last, "cpu_s")])
    small_dicts = statistics.mean([first["s"] / first["dicts_s"], last["s"] / last["dicts_s"]])
    rss = [first.get("rss_b_per_run"), big.get("rss_b_per_run")]
    return [
        figure(
            "P10",
            per_run(big) / small_s,
            "<= 1.2",
            per_run(big) * 1e6,
            small_s * 1e6,
            runs=[small, large],
            seconds=round(big["s"], 2),
            cpu_seconds=round(big["cpu_s"], 2),
            plan_seconds=round(big["plan_s"], 2),
            cpu_ratio=round(per_run(big, "cpu_s") / small_cpu, 3),
            peak_rss_mb=None if big.get("rss_mb") is None else round(big["rss_mb"], 1),
            rss_b_per_run=[None if b is None else round(b) for b in rss],
            traced_b_per_run=round(first["traced_b_per_run"]),
            traced_peak_b_per_run=round(first["traced_peak_b_per_run"]),
            dicts_ratio=round(big["s"] / big["dicts_s"], 2),
            small_dicts_ratio=round(small_dicts, 2),
            # the machine's own scaling: building the large document's dicts, per run, against
            # building the small one's (caches and memory make even that grow)
            dicts_scaling=round(
                per_run(big, "dicts_s")
                / statistics.mean([per_run(first, "dicts_s"), per_run(last, "dicts_s")]),
                3,
            ),
            aim="100,000 runs: <= 5 s, <= 250 MB",
            unit="per-run time, large/small",
        )
    ]


# -- P5: server throughput -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_command(port: int) -> tuple[list[str], str]:
    """The plugin's server entry point, or moto's server with the plugin imported."""
    if importlib.util.find_spec("moto_emrs_attempts.__main__") is not None:
        return [sys.executable, "-m", "moto_emrs_attempts", "--port", str(port)], "entry point"
    code = f"import moto_emrs_attempts; from moto.server import main; main(['-p', '{port}'])"
    return [sys.executable, "-c", code], "moto.server with the plugin imported"


def _post(url: str, document: Any) -> tuple[int, Any]:
    request = urllib.request.Request(
        url, json.dumps(document).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, None


def _wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url + "/moto-api/data.json", timeout=2):
                return True
        except (OSError, urllib.error.URLError):
            time.sleep(0.1)
    return False


def _server_clients(url: str, count: int) -> list[Any]:
    config = Config(retries={"total_max_attempts": 1, "mode": "standard"})
    return [
        _client(
            endpoint_url=url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=config,
        )
        for _ in range(count)
    ]


def _seed_over_http(url: str, client: Any) -> tuple[str, str, str]:
    """A one-attempt job run: the history endpoint, else moto's StartJobRun."""
    status, body = _post(
        url + "/moto-api/emrs-attempts/history",
        {"version": 1, "jobRuns": [{"attempts": [{"state": "SUCCESS"}]}]},
    )
    if status == 200:
        job_run = body["jobRuns"][0]
        return job_run["applicationId"], job_run["jobRunId"], "POST /moto-api/emrs-attempts/history"
    application_id = client.create_application(
        name="bench", releaseLabel="emr-7.1.0", type="SPARK"
    )["applicationId"]
    job_run_id = client.start_job_run(
        applicationId=application_id,
        executionRoleArn="arn:aws:iam::123456789012:role/bench",
        jobDriver={"sparkSubmit": {"entryPoint": "local:///bench.py"}},
    )["jobRunId"]
    return application_id, job_run_id, f"StartJobRun (history endpoint answered {status})"


def _phase(clients: list[Any], calls: int, call: Callable[[Any], None]) -> tuple[float, int]:
    """Run `calls` calls on each client's own thread; return (wall seconds, errors)."""
    errors = [0]
    lock = threading.Lock()
    barrier = threading.Barrier(len(clients) + 1)

    def work(client: Any) -> None:
        barrier.wait()
        failed = 0
        for _ in range(calls):
            try:
                call(client)
            except Exception:
                failed += 1
        with lock:
            errors[0] += failed

    threads = [threading.Thread(target=work, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    gc.collect()
    barrier.wait()
    start = time.perf_counter()
    for thread in threads:
        thread.join()
    return time.perf_counter() - start, errors[0]


def bench_server(sizes: Sizes) -> list[dict[str, Any]]:
    target = ">= 1.0"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command, how = server_command(port)
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        try:
            if not _wait_for(url, process):
                log.seek(0)
                tail = log.read()[-400:].decode(errors="replace")
                return [skipped("P5", target, f"the server ({how}) did not start: {tail}")]
            clients = _server_clients(url, SERVER_THREADS)
            application_id, job_run_id, seeded_via = _seed_over_http(url, clients[0])
            args = {"applicationId": application_id, "jobRunId": job_run_id}
            try:
                found = clients[0].list_job_run_attempts(**args)["jobRunAttempts"]
            except Exception as error:
                return [skipped("P5", target, f"the server does not serve the call: {error!r}")]
            if len(found) != 1:
                return [skipped("P5", target, f"seeded job run has {len(found)} attempts")]

            def list_attempts(client: Any) -> None:
                if len(client.list_job_run_attempts(**args)["jobRunAttempts"]) != 1:
                    raise AssertionError("wrong number of attempts")

            def get_application(client: Any) -> None:
                client.get_application(applicationId=application_id)

            per_thread = max(1, math.ceil(sizes.server_calls / SERVER_THREADS))
            _phase(clients, per_thread, list_attempts)  # warm-up
            _phase(clients, per_thread, get_application)
            a: list[float] = []
            b: list[float] = []
            errors = 0
            for index in range(sizes.server_rounds):
                order = [(a, list_attempts), (b, get_application)]
                for times, call in order if index % 2 == 0 else order[::-1]:
                    seconds, failed = _phase(clients, per_thread, call)
                    times.append(seconds)
                    errors += failed
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    total = per_thread * SERVER_THREADS
    line = figure(
        "P5",
        median_ratio(b, a),  # throughput ratio = inverse time ratio
        target,
        statistics.median(a) / total * 1e6,
        statistics.median(b) / total * 1e6,
        errors=errors,
        threads=SERVER_THREADS,
        calls_per_phase=total,
        rounds=sizes.server_rounds,
        list_per_s=round(total / statistics.median(a), 1),
        get_application_per_s=round(total / statistics.median(b), 1),
        server=how,
        seeded_via=seeded_via,
    )
    line["ok"] = bool(line["ok"]) and errors == 0
    return [line]


# -- Recording: `moto-emrs-attempts record` through the server's HTTP answers ---------------


def bench_recording(sizes: Sizes) -> list[dict[str, Any]]:
    """The recorder reading a server, against the bare HTTP calls it makes (answers unused):
    the ratio is the recorder's own cost; attempts per second is what a user sees."""
    from moto_emrs_attempts.recording.recorder import Recorder, client

    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command, how = server_command(port)
    per_run = 50
    runs = max(1, sizes.recorded // per_run)
    history = ["FAILED"] * (per_run - 1) + ["SUCCESS"]
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        os.environ.setdefault(name, "testing")
    with tempfile.TemporaryFile() as log:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=log)
        try:
            if not _wait_for(url, process):
                log.seek(0)
                tail = log.read()[-400:].decode(errors="replace")
                return [skipped("Recording", None, f"the server ({how}) did not start: {tail}")]
            seeding = url + "/moto-api/emrs-attempts/history"
            status, seeded = _post(seeding, {"version": 1, "jobRuns": [{"attempts": history}]})
            if status != 200:
                return [skipped("Recording", None, f"seeding answered {status}")]
            application_id = seeded["jobRuns"][0]["applicationId"]
            more = [{"applicationId": application_id, "attempts": history}] * (runs - 1)
            if more and _post(seeding, {"version": 1, "jobRuns": more})[0] != 200:
                return [skipped("Recording", None, "seeding the other job runs failed")]
            emr = client(REGION, url, None)

            def record() -> None:
                recorded = Recorder(emr).record(application_id)
                if sum(len(run["attempts"]) for run in recorded["jobRuns"]) != runs * per_run:
                    raise AssertionError("the recording lost attempts")

            def bare_calls() -> None:
                emr.get_application(applicationId=application_id)
                pages = emr.get_paginator("list_job_runs").paginate(applicationId=application_id)
                for job_run in [run for page in pages for run in page["jobRuns"]]:
                    ids = {"applicationId": application_id, "jobRunId": job_run["id"]}
                    attempts = emr.get_paginator("list_job_run_attempts").paginate(**ids)
                    for page in attempts:
                        for attempt in page["jobRunAttempts"]:
                            emr.get_job_run(**ids, attempt=attempt["attempt"])

            times = interleaved({"record": record, "calls": bare_calls}, sizes.record_rounds)
        finally:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    attempts = runs * per_run
    a, b = times["record"], times["calls"]
    return [
        figure(
            "Recording",
            median_ratio(a, b),
            None,
            statistics.median(a) / attempts * 1e6,
            statistics.median(b) / attempts * 1e6,
            attempts=attempts,
            job_runs=runs,
            attempts_per_s=round(attempts / statistics.median(a), 1),
            rounds=sizes.record_rounds,
            unit="attempts recorded per second: see attempts_per_s",
            server=how,
        )
    ]


# -- P6 and P7: polls of a job run that moves (manual progression) ---------------------------

ROLE = "arn:aws:iam::123456789012:role/bench-role"
PROGRESSION = "emrserverless::job_run"


def _moving_run(client: Any, fillers: int) -> tuple[str, str]:
    """An application with `fillers` ended job runs and one STREAMING run that keeps moving:
    under manual progression every poll of it is a step that the engine takes."""
    from moto.moto_api import state_manager

    application_id = client.create_application(
        name="bench", releaseLabel="emr-7.1.0", type="SPARK"
    )["applicationId"]
    backend = mea.attempts_backends["123456789012"][REGION]
    for _ in range(fillers):  # immediate progression: born ended, straight through the backend
        backend.start_job_run(
            application_id=application_id,
            client_token=None,
            execution_role_arn=ROLE,
            job_driver=None,
            configuration_overrides=None,
            tags=None,
            execution_timeout_minutes=None,
            name=None,
        )
    state_manager.set_transition(PROGRESSION, {"progression": "manual", "times": 1})
    job_run_id = client.start_job_run(
        applicationId=application_id, executionRoleArn=ROLE, mode="STREAMING"
    )["jobRunId"]
    seen = [
        client.get_job_run(applicationId=application_id, jobRunId=job_run_id)["jobRun"]["state"]
        for _ in range(4)
    ]
    if seen != ["PENDING", "SCHEDULED", "RUNNING", "RUNNING"]:
        raise AssertionError(f"the run does not move under manual progression: {seen}")
    return application_id, job_run_id


APPLICATIONS = "emrserverless::application"


def _moving_application(client: Any) -> str:
    """An application in flight under manual progression whose polls never make its step
    (CREATING, a step every 10**9 polls): every poll is counted, as P6's run is polled."""
    from moto.moto_api import state_manager

    state_manager.set_transition(APPLICATIONS, {"progression": "manual", "times": 10**9})
    application_id: str = client.create_application(
        name="moving", releaseLabel="emr-7.1.0", type="SPARK"
    )["applicationId"]
    seen = [client.get_application(applicationId=application_id)["application"]["state"]] * 2
    if seen != ["CREATING", "CREATING"]:
        raise AssertionError(f"the application is not in flight: {seen}")
    return application_id


def bench_progression(sizes: Sizes) -> list[dict[str, Any]]:
    """P6, P7 and P11, from one interleaved run of four variants."""
    from moto.moto_api import state_manager

    try:
        with mock_aws():
            client = _client()
            many = _moving_run(client, sizes.many_runs - 1)
            few = _moving_run(client, sizes.few_runs - 1)
            moving = _moving_application(client)
            calls = range(sizes.calls)

            def poll_application() -> None:
                for _ in calls:
                    client.get_application(applicationId=moving)

            def poll_many() -> None:
                for _ in calls:
                    client.get_job_run(applicationId=many[0], jobRunId=many[1])

            def poll_few() -> None:
                for _ in calls:
                    client.get_job_run(applicationId=few[0], jobRunId=few[1])

            def get_application() -> None:
                for _ in calls:
                    client.get_application(applicationId=few[0])

            times = interleaved(
                {
                    "many": poll_many,
                    "few": poll_few,
                    "moto": get_application,
                    "application": poll_application,
                },
                sizes.rounds,
            )
    finally:
        state_manager.unset_transition(PROGRESSION)
        state_manager.unset_transition(APPLICATIONS)

    def per_call(name: str) -> float:
        return per_call_us(times[name], sizes.calls)

    common = {"rounds": sizes.rounds, "calls": sizes.calls}
    return [
        figure(
            "P6",
            median_ratio(times["few"], times["moto"]),
            "<= 0.6",
            per_call("few"),
            per_call("moto"),
            **common,
        ),
        figure(
            "P7",
            median_ratio(times["many"], times["few"]),
            "<= 1.2",
            per_call("many"),
            per_call("few"),
            job_runs=[sizes.many_runs, sizes.few_runs],
            **common,
        ),
        figure(
            "P11",
            median_ratio(times["application"], times["moto"]),
            "<= 0.6",
            per_call("application"),
            per_call("moto"),
            to_job_run_poll=round(median_ratio(times["application"], times["few"]), 4),
            **common,
        ),
    ]


# -- Logs: what attempt logs cost a job run (SPEC 11) -------------------------------------------


def bench_logs(sizes: Sizes) -> list[dict[str, Any]]:
    """StartJobRun and one GetJobRun: logging off, against the same with the log hooks made
    no-ops (the code before attempt logs, but for the one attribute check in `sync`); and
    with S3 and CloudWatch logging on, against logging off."""
    from moto_emrs_attempts.logs import writer as attempt_logs

    monitoring = {
        "s3MonitoringConfiguration": {"logUri": "s3://bench-emr-logs/emr"},
        "cloudWatchLoggingConfiguration": {"enabled": True},
    }
    with mock_aws():
        client = _client()
        boto3.client("s3", region_name=REGION).create_bucket(Bucket="bench-emr-logs")

        def application(**extra: Any) -> str:
            found: str = client.create_application(
                name="bench", releaseLabel="emr-7.1.0", type="SPARK", **extra
            )["applicationId"]
            return found

        off, hooks_off, on = application(), application(), application()
        calls = range(sizes.calls)

        def runs(application_id: str, overrides: dict[str, Any] | None = None) -> None:
            extra = {} if overrides is None else {"configurationOverrides": overrides}
            for _ in calls:
                run = client.start_job_run(
                    applicationId=application_id, executionRoleArn=ROLE, **extra
                )
                client.get_job_run(applicationId=application_id, jobRunId=run["jobRunId"])

        def today() -> None:
            saved = attempt_logs.start_problem, attempt_logs.writer_for
            attempt_logs.start_problem = lambda *_: None  # type: ignore[assignment]
            attempt_logs.writer_for = lambda *_, **__: None  # type: ignore[assignment]
            try:
                runs(hooks_off)
            finally:
                attempt_logs.start_problem, attempt_logs.writer_for = saved

        times = interleaved(
            {
                "off": lambda: runs(off),
                "today": today,
                "on": lambda: runs(on, {"monitoringConfiguration": monitoring}),
            },
            sizes.rounds,
        )

    def per_call(name: str) -> float:
        return per_call_us(times[name], sizes.calls)

    return [
        figure(
            "Logs",
            median_ratio(times["off"], times["today"]),
            "<= 1.05",
            per_call("off"),
            per_call("today"),
            logging_on_ratio=round(median_ratio(times["on"], times["off"]), 4),
            logging_on_us=round(per_call("on"), 1),
            rounds=sizes.rounds,
            calls=sizes.calls,
            unit="StartJobRun + GetJobRun",
        )
    ]


# -- Import: what importing the plugin costs -------------------------------------------------

_IMPORTS = """
import time
start = time.process_time()
import moto, boto3
base = time.process_time()
{}
print(base - start, time.process_time() - base)
"""


def _import_seconds(plugin: bool) -> tuple[float, float]:
    """CPU seconds a fresh interpreter takes to import moto and boto3, then the plugin (0.0
    without it), as it measures them itself: its own start-up left out, and CPU time, which other
    processes on the machine do not stretch as they do the wall clock. The plugin imported is
    the one this benchmark runs with."""
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(mea.__file__)))
    path = os.pathsep.join(filter(None, (package_root, os.environ.get("PYTHONPATH"))))
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTS.format("import moto_emrs_attempts" if plugin else "")],
        capture_output=True,
        text=True,
        check=True,
        cwd=package_root,  # `python -c` puts its working directory first on the path
        env={**os.environ, "PYTHONPATH": path},
    )
    base, extra = map(float, done.stdout.split())
    return base, extra


def bench_import(sizes: Sizes) -> list[dict[str, Any]]:
    """Import: `import moto, boto3` then `import moto_emrs_attempts`, against `import moto, boto3`
    alone, each in a fresh process, in turn (A B, B A, ...) after one of each. The figure is the
    median of what the plugin's import costs in A's processes, after moto and boto3, in
    milliseconds; also reported: the median of the per-round differences of the totals (noisier:
    two processes' imports of moto and boto3 differ by more than the plugin costs)."""
    runs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for plugin in (True, False):
        _import_seconds(plugin)  # the warm-up: compiled files, the disk's cache
    for index in range(sizes.import_rounds):
        for plugin in (True, False) if index % 2 == 0 else (False, True):
            runs[plugin].append(_import_seconds(plugin))
    a = [base + extra for base, extra in runs[True]]
    b = [base for base, _ in runs[False]]
    return [
        figure(
            "Import",
            statistics.median(extra for _, extra in runs[True]) * 1e3,
            "<= 60",
            statistics.median(a) * 1e6,
            statistics.median(b) * 1e6,
            difference_ms=round(statistics.median(x - y for x, y in zip(a, b)) * 1e3, 1),
            unit="ms over import moto, boto3",
        )
    ]


# -- main ----------------------------------------------------------------------------------


BENCHES: dict[str, Callable[[Sizes], list[dict[str, Any]]]] = {
    "P1": bench_call,
    "P3": bench_pages,
    "P4": bench_memory,
    "Seeding": bench_seeding,
    "Export": bench_history,
    "P5": bench_server,
    "P6": bench_progression,
    "P9": bench_tests,
    "Recording": bench_recording,
    "Logs": bench_logs,
    "P10": bench_load_runs,
    "Import": bench_import,
}


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    return str(value)


def summary(lines: list[dict[str, Any]]) -> str:
    rows = [("figure", "measured", "target", "ok", "A µs", "B µs", "note")]
    for line in lines:
        note = line.get("skipped") or line.get("unit") or ""
        if "errors" in line:
            note = f"errors={line['errors']}"
        rows.append(
            (
                line["figure"],
                _cell(line["ratio"]),
                line["target"] or "report",
                {True: "yes", False: "NO", None: "-"}[line["ok"]],
                _cell(line.get("a_us")),
                _cell(line.get("b_us")),
                str(note)[:60],
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test")
    parser.add_argument(
        "--rounds",
        type=int,
        help="rounds of every interleaved figure (default: P1/P2 21, others 9)",
    )
    parser.add_argument(
        "--calls", type=int, help="calls per variant per round, P1/P2 and P5 (default 100, 200)"
    )
    parser.add_argument(
        "--only",
        help=f"comma-separated figures to run, of {', '.join(FIGURES)} (P1 gives P2, P6 gives P7 and P11)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    parser.add_argument("--load-runs", type=int, help=argparse.SUPPRESS)  # P10's subprocess
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.load_runs is not None:
        print(json.dumps(load_runs(args.load_runs, args.traced)))
        return 0
    for option in ("rounds", "calls"):
        if getattr(args, option) is not None and getattr(args, option) < 1:
            parser.error(f"--{option} must be at least 1")
    sizes = QUICK if args.quick else Sizes()
    if args.rounds is not None:
        sizes = replace(
            sizes,
            rounds=args.rounds,
            server_rounds=args.rounds,
            page_rounds=args.rounds,
            seed_rounds=args.rounds,
            import_rounds=args.rounds,
        )
    if args.calls is not None:
        sizes = replace(sizes, calls=args.calls, server_calls=args.calls)
    only = set(args.only.split(",")) if args.only else set(FIGURES)
    if "P2" in only:
        only.add("P1")
    if only & {"Load", "P8"}:
        only.add("Export")
    if only & {"P7", "P11"}:
        only.add("P6")
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    lines: list[dict[str, Any]] = []
    for name, bench in BENCHES.items():
        if name not in only:
            continue
        for line in bench(sizes):
            lines.append(line)
            print(json.dumps(line), flush=True)
    print()
    print(summary(lines))
    missed = [line["figure"] for line in lines if line["ok"] is False or "skipped" in line]
    return 1 if args.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
