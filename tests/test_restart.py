"""A restart is invisible (issue 15, item 5): `serve --state-file` keeps what a run in flight needs.

Each scenario runs twice on real servers: once straight through, once with a SIGTERM and a new
server on the same state file in the middle. The answers after the restart must be the ones the
uninterrupted server gives: runs in flight keep moving (scripted outcomes, retries, the step they
were at, the queue and its slots), and pending scripts and faults still fire. Snapshots stay
snapshots: a seeded run in flight does not start moving because it was restored.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

import moto_emrs_attempts as mea

from ._server import ServerProcess, server, start
from .conftest import needs_scheduler

__all__ = ["server"]  # the fixture this module uses

pytestmark = pytest.mark.slow

ROLE = "arn:aws:iam::123456789012:role/job-role"
MANUAL = {"progression": "manual", "times": 1}


class Scenario:
    """One server's life, possibly restarted: the operations of a test, by name of run."""

    def __init__(
        self, state_file: Path, shared: ServerProcess | None = None, transition: Any = MANUAL
    ) -> None:
        """A server of its own on `state_file`, or the `shared` one (never restarted), whose
        job runs move under `transition`."""
        self.state_file = state_file
        self.shared = shared
        self.transition = transition
        self.server = self._serve() if shared is None else self._manual(shared, transition)
        self.runs: dict[str, str] = {}
        self.application_id = ""

    def _serve(self) -> ServerProcess:
        server = start("serve", "--port", "0", "--state-file", str(self.state_file))
        return self._manual(server, self.transition)

    @staticmethod
    def _manual(server: ServerProcess, transition: Any = MANUAL) -> ServerProcess:
        path = "set-transition" if transition else "unset-transition"
        body = {"model_name": "emrserverless::job_run", "transition": transition}
        answer = server.post(f"/moto-api/state-manager/{path}", body)
        assert answer.status_code == 201, answer.text
        return server

    def restart(self) -> None:
        self.server.process.send_signal(signal.SIGTERM)
        assert self.server.process.wait(timeout=60) == 0, self.server.errors()
        self.server.close()
        self.server = self._serve()  # the transition is the process's: set again, as a user would

    def close(self) -> None:
        if self.shared is None:
            self.server.close()
        else:  # the shared server is everyone's: as it was
            self._manual(self.shared, None)
            self.shared.reset()

    @property
    def emr(self) -> Any:
        return self.server.client()

    def application(self, **scheduler: int) -> None:
        configuration = {"schedulerConfiguration": scheduler} if scheduler else {}
        self.application_id = self.emr.create_application(
            name="etl", releaseLabel="emr-7.1.0", type="SPARK", **configuration
        )["applicationId"]

    def start(self, name: str, **kwargs: Any) -> None:
        self.runs[name] = self.emr.start_job_run(
            applicationId=self.application_id, executionRoleArn=ROLE, name=name, **kwargs
        )["jobRunId"]

    def script(self, *outcomes: str) -> None:
        body = {"outcomes": list(outcomes), "applicationId": self.application_id}
        assert self.server.post("/moto-api/emrs-attempts/scripts", body).status_code == 200

    def fault(self, operation: str, error: str) -> None:
        body = {"operation": operation, "error": error, "message": "Injected."}
        assert self.server.post("/moto-api/emrs-attempts/faults", body).status_code == 200

    def poll(self, name: str) -> tuple[Any, ...]:
        """One GetJobRun: what a poller sees (or the error it gets)."""
        try:
            run = self.emr.get_job_run(applicationId=self.application_id, jobRunId=self.runs[name])
        except ClientError as error:
            return (name, error.response["Error"]["Code"])
        job_run = run["jobRun"]
        return (name, job_run["attempt"], job_run["state"], job_run["stateDetails"])

    def cancel(self, name: str) -> None:
        self.emr.cancel_job_run(applicationId=self.application_id, jobRunId=self.runs[name])

    def attempts(self, name: str) -> list[tuple[int, str]]:
        listed = self.emr.list_job_run_attempts(
            applicationId=self.application_id, jobRunId=self.runs[name]
        )["jobRunAttempts"]
        return [(a["attempt"], a["state"]) for a in listed]

    def job_run(self, name: str, attempt: int) -> dict[str, Any]:
        found: dict[str, Any] = self.emr.get_job_run(
            applicationId=self.application_id, jobRunId=self.runs[name], attempt=attempt
        )["jobRun"]
        return found


Steps = list[Callable[[Scenario], Any]]


def _observe(
    tmp_path: Path,
    before: Steps,
    after: Steps,
    *,
    restart: bool,
    shared: ServerProcess,
    transition: Any = MANUAL,
) -> list[Any]:
    scenario = Scenario(tmp_path / "state.json", None if restart else shared, transition)
    try:
        seen = [step(scenario) for step in before]
        if restart:
            scenario.restart()
        return seen + [step(scenario) for step in after]
    finally:
        scenario.close()


def _same_either_way(
    server: ServerProcess, tmp_path: Path, before: Steps, after: Steps, transition: Any = MANUAL
) -> list[Any]:
    """The answers of the steps, straight through on the shared `server` and across a restart
    of a server of its own, under `transition`; they must be the same."""
    server.reset()
    straight = _observe(
        tmp_path, before, after, restart=False, shared=server, transition=transition
    )
    restarted = _observe(
        tmp_path, before, after, restart=True, shared=server, transition=transition
    )
    assert restarted == straight
    return restarted


def test_a_retrying_run_goes_on_through_its_script_after_a_restart(
    server: ServerProcess, tmp_path: Path
) -> None:
    before: Steps = [
        lambda s: s.application(),
        lambda s: s.script("FAILED", "FAILED", "SUCCESS"),
        lambda s: s.start("etl", retryPolicy={"maxAttempts": 3}),
        *[lambda s: s.poll("etl")] * 5,  # PENDING, SCHEDULED, RUNNING, 2:SUBMITTED, 2:PENDING
    ]
    after: Steps = [*[lambda s: s.poll("etl")] * 8, lambda s: s.attempts("etl")]

    seen = _same_either_way(server, tmp_path, before, after)

    assert seen[-2] == ("etl", 3, "SUCCESS", "Job run completed successfully.")
    assert seen[-1] == [(1, "FAILED"), (2, "FAILED"), (3, "SUCCESS")]


@needs_scheduler
def test_a_restored_cancelling_run_frees_its_slot_for_the_queued_one(
    server: ServerProcess, tmp_path: Path
) -> None:
    before: Steps = [
        lambda s: s.application(maxConcurrentRuns=1),
        lambda s: s.start("first"),
        lambda s: s.poll("first"),  # PENDING: it holds the only slot
        lambda s: s.cancel("first"),  # CANCELLING, still holding it
        lambda s: s.start("second"),
        lambda s: s.poll("second"),  # QUEUED behind it
    ]
    after: Steps = [
        lambda s: s.poll("first"),
        lambda s: s.poll("second"),
        lambda s: s.poll("second"),
    ]

    seen = _same_either_way(server, tmp_path, before, after)

    assert seen[-3:] == [
        ("first", 1, "CANCELLED", "Job run was cancelled."),
        ("second", 1, "PENDING", "Job run is pending."),
        ("second", 1, "SCHEDULED", "Job run is scheduled."),
    ]


@needs_scheduler
def test_a_run_cancelled_while_submitted_holds_no_slot_after_a_restart(
    server: ServerProcess, tmp_path: Path
) -> None:
    before: Steps = [
        lambda s: s.application(maxConcurrentRuns=1),
        lambda s: s.start("cancelled"),  # SUBMITTED, never polled: it never took the slot
        lambda s: s.cancel("cancelled"),  # CANCELLING, still without one
    ]
    after: Steps = [
        lambda s: s.start("next"),
        *[lambda s: s.poll("next")] * 3,  # times 3: the third poll is its first step
        *[lambda s: s.poll("cancelled")] * 3,
    ]

    seen = _same_either_way(server, tmp_path, before, after, {"progression": "manual", "times": 3})

    assert seen[-6:] == [
        *[("next", 1, "SUBMITTED", "Job run submitted.")] * 2,
        ("next", 1, "PENDING", "Job run is pending."),
        *[("cancelled", 1, "CANCELLING", "Job run is being cancelled.")] * 2,
        ("cancelled", 1, "CANCELLED", "Job run was cancelled."),
    ]


@needs_scheduler
def test_the_queue_keeps_its_order_across_a_restart(server: ServerProcess, tmp_path: Path) -> None:
    before: Steps = [
        lambda s: s.application(maxConcurrentRuns=1),
        lambda s: s.start("running"),
        lambda s: s.poll("running"),
        lambda s: s.start("early"),
        lambda s: s.start("late"),
        lambda s: s.poll("late"),  # queued first, although started last
        lambda s: s.poll("early"),
    ]
    after: Steps = [
        *[lambda s: s.poll("running")] * 3,  # SCHEDULED, RUNNING, SUCCESS: the slot is free
        lambda s: s.poll("early"),
        lambda s: s.poll("late"),
    ]

    seen = _same_either_way(server, tmp_path, before, after)

    assert seen[-2:] == [
        ("early", 1, "QUEUED", "Job run is queued."),
        ("late", 1, "PENDING", "Job run is pending."),
    ]


def test_pending_scripts_and_faults_survive_a_restart(
    server: ServerProcess, tmp_path: Path
) -> None:
    before: Steps = [
        lambda s: s.application(),
        lambda s: s.script("FAILED"),
        lambda s: s.fault("GetJobRun", "ThrottlingException"),
    ]
    after: Steps = [
        lambda s: s.start("etl", retryPolicy={"maxAttempts": 2}),
        lambda s: s.poll("etl"),  # the fault
        *[lambda s: s.poll("etl")] * 4,
    ]

    seen = _same_either_way(server, tmp_path, before, after)

    assert seen[4] == ("etl", "ThrottlingException")
    assert seen[-1] == ("etl", 2, "SUBMITTED", "Job run submitted.")  # attempt 1 FAILED: a retry


def test_the_times_a_run_has_shown_are_the_same_after_a_restart(tmp_path: Path) -> None:
    scenario = Scenario(tmp_path / "state.json")
    try:
        scenario.application()
        scenario.start("etl")
        for _ in range(3):  # PENDING, SCHEDULED, RUNNING: startedAt is now known
            scenario.poll("etl")
        shown = scenario.job_run("etl", 1)

        scenario.restart()

        assert scenario.job_run("etl", 1) == shown
    finally:
        scenario.close()


def test_a_seeded_run_in_flight_stays_a_snapshot_after_a_restart(tmp_path: Path) -> None:
    scenario = Scenario(tmp_path / "state.json")
    try:
        [run] = scenario.server.seed({"version": 1, "jobRuns": [{"attempts": ["RUNNING"]}]})
        scenario.application_id = run["applicationId"]
        scenario.runs["seeded"] = run["jobRunId"]

        scenario.restart()

        assert [scenario.poll("seeded") for _ in range(3)] == [("seeded", 1, "RUNNING", "Job run is running.")] * 3  # fmt: skip
    finally:
        scenario.close()


# -- the same in-process: export_history -> load_history ------------------------------------


def _started(emrs: Any, *outcomes: str) -> tuple[Any, str, str]:
    emr = emrs.client()
    application_id = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")[
        "applicationId"
    ]
    emrs.script_outcomes(list(outcomes))
    job_run_id = emr.start_job_run(
        applicationId=application_id, executionRoleArn=ROLE, retryPolicy={"maxAttempts": 3}
    )["jobRunId"]
    return emr, application_id, job_run_id


def _polls(emr: Any, application_id: str, job_run_id: str, count: int) -> list[tuple[int, str]]:
    runs = [
        emr.get_job_run(applicationId=application_id, jobRunId=job_run_id)["jobRun"]
        for _ in range(count)
    ]
    return [(run["attempt"], run["state"]) for run in runs]


def test_an_exported_run_in_flight_loads_back_moving_where_it_stood(manual: None) -> None:
    with mea.mock_emrs_attempts() as emrs:
        emr, application_id, job_run_id = _started(emrs, "FAILED", "SUCCESS")
        _polls(emr, application_id, job_run_id, 2)  # PENDING, SCHEDULED
        document = emrs.export_history()
        straight = _polls(emr, application_id, job_run_id, 6)

    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(document)
        restored = _polls(emrs.client(), application_id, job_run_id, 6)

    assert document["jobRuns"][0]["progress"]["outcomes"] == [
        {"state": "FAILED"},
        {"state": "SUCCESS"},
    ]
    assert restored == straight == [
        (1, "RUNNING"), (2, "SUBMITTED"), (2, "PENDING"), (2, "SCHEDULED"), (2, "RUNNING"), (2, "SUCCESS")
    ]  # fmt: skip


def test_an_ended_run_exports_no_progress(emrs_attempts: Any) -> None:
    _started(emrs_attempts, "FAILED", "SUCCESS")  # immediate: born with its whole history

    [job_run] = emrs_attempts.export_history()["jobRuns"]

    assert "progress" not in job_run


def test_pending_scripts_are_exported_and_loaded_back_in_order() -> None:
    with mea.mock_emrs_attempts() as emrs:
        emr = emrs.client()
        application_id = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")[
            "applicationId"
        ]
        emrs.script_outcomes(
            ["FAILED", mea.Attempt("SUCCESS", "Done.")], application_id=application_id
        )
        emrs.script_outcomes(["CANCELLED"])
        document = emrs.export_history()

    with mea.mock_emrs_attempts() as emrs:
        emrs.load_history(document)
        exported_again = emrs.export_history()

    assert document["scripts"] == [
        {"applicationId": application_id, "outcomes": ["FAILED", {"state": "SUCCESS", "stateDetails": "Done."}]},
        {"applicationId": None, "outcomes": ["CANCELLED"]},
    ]  # fmt: skip
    assert exported_again["scripts"] == document["scripts"]


def test_faults_in_a_document_fire_after_it_loads(emrs_attempts: Any) -> None:
    [run] = emrs_attempts.load_history(
        {
            "version": 1,
            "jobRuns": [{"attempts": ["SUCCESS"]}],
            "faults": [{"operation": "GetJobRun", "error": "ThrottlingException", "times": 1}],
        }
    )
    emr = boto3.client(
        "emr-serverless", region_name="us-east-1", config=Config(retries={"total_max_attempts": 1})
    )

    with pytest.raises(ClientError) as caught:
        emr.get_job_run(applicationId=run.application_id, jobRunId=run.job_run_id)

    assert caught.value.response["Error"]["Code"] == "ThrottlingException"
    assert emr.get_job_run(applicationId=run.application_id, jobRunId=run.job_run_id)


def _with_progress(progress: Any, *states: str) -> dict[str, Any]:
    return {
        "version": 1,
        "jobRuns": [{"attempts": list(states or ("RUNNING",)), "progress": progress}],
    }


BAD_PROGRESS = [
    pytest.param({"tick": 0}, "jobRuns[0].progress.start: is required", id="no start"),
    pytest.param({"start": 0, "tick": -1}, "jobRuns[0].progress.tick: must be an integer of 0 or more, not -1", id="a negative tick"),
    pytest.param({"start": 0, "slot": "mine"}, "jobRuns[0].progress.slot: 'mine' is not a slot; use held, queued", id="an unknown slot"),
    pytest.param({"start": 0, "colour": 1}, "jobRuns[0].progress.colour: is not a progress member; use start, tick, steps, outcomes, queuedSince, queuedMs, cancelDetails, slot, queuePosition, graceUntil", id="an unknown member"),
    pytest.param({"start": 0, "outcomes": ["DONE"]}, "jobRuns[0].progress.outcomes[0]: 'DONE' is not a job run state; use one of ", id="an unknown scripted state"),
    pytest.param("soon", "jobRuns[0].progress: must be an object, not 'soon'", id="not an object"),
]  # fmt: skip


@pytest.mark.parametrize(("progress", "message"), BAD_PROGRESS)
def test_a_bad_progress_member_is_a_history_error_and_seeds_nothing(
    emrs_attempts: Any, progress: Any, message: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(_with_progress(progress))

    assert str(caught.value).startswith(message)
    assert emrs_attempts.export_history()["jobRuns"] == []


def test_progress_on_a_run_that_has_ended_is_refused(emrs_attempts: Any) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(_with_progress({"start": 0}, "SUCCESS"))

    assert str(caught.value) == (
        "jobRuns[0].progress: belongs to a job run in flight; this one has ended (SUCCESS)"
    )
