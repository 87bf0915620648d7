"""Loading a document of many job runs (SPEC 6 and 9; the benchmark's P10): the applications
and job runs a load makes are moto's own, built as moto builds them, with ids drawn as moto
draws them, each with attributes of its own; a load that fails part way leaves nothing."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from moto import mock_aws
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.emrserverless import utils as moto_utils
from moto.emrserverless.models import emrserverless_backends
from moto.moto_api._internal import mock_random

import moto_emrs_attempts as mea

ROLE = f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/job-role"
#: What every job run of these documents has besides its ids and name.
RUN = {
    "executionRoleArn": ROLE,
    "jobDriver": {"sparkSubmit": {"entryPoint": "s3://bucket/job.py"}},
    "attempts": [{"state": "FAILED", "stateDetails": "Driver OOM"}, {"state": "SUCCESS"}],
}


def client() -> Any:
    return boto3.client("emr-serverless", region_name="us-east-1")


def moto_emr() -> Any:
    """moto's own EMR Serverless backend."""
    return emrserverless_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]


def document(runs: int) -> dict[str, Any]:
    """`runs` job runs, each in an application of its own that the document lists."""
    return {
        "version": 1,
        "applications": [
            {"applicationId": f"app{n:04d}", "name": f"etl-{n}", "releaseLabel": "emr-7.1.0"}
            for n in range(runs)
        ],
        "jobRuns": [
            {"jobRunId": f"run{n:04d}", "applicationId": f"app{n:04d}", "name": f"job-{n}", **RUN}
            for n in range(runs)
        ],
    }


@pytest.fixture
def mocked() -> Iterator[None]:
    with mock_aws():
        yield


def _without(answer: dict[str, Any], *members: str) -> dict[str, Any]:
    return {key: value for key, value in answer.items() if key not in members}


# -- moto's own resources ------------------------------------------------------------------


def test_every_application_of_a_load_answers_like_the_first(mocked: None) -> None:
    mea.load_history(document(4))
    emr = client()

    found = [emr.get_application(applicationId=f"app{n:04d}")["application"] for n in range(4)]

    assert [a["name"] for a in found] == ["etl-0", "etl-1", "etl-2", "etl-3"]
    assert [a["arn"].rsplit("/", 1)[1] for a in found] == [
        "app0000",
        "app0001",
        "app0002",
        "app0003",
    ]
    ids = ("applicationId", "name", "arn")
    assert all(_without(a, *ids) == _without(found[0], *ids) for a in found)
    assert sorted(a["id"] for a in emr.list_applications()["applications"]) == [
        "app0000",
        "app0001",
        "app0002",
        "app0003",
    ]


def test_every_job_run_of_a_load_answers_like_the_first(mocked: None) -> None:
    mea.load_history(document(4))
    emr = client()

    found = [
        emr.get_job_run(applicationId=f"app{n:04d}", jobRunId=f"run{n:04d}", attempt=k)["jobRun"]
        for n in range(4)
        for k in (1, 2)
    ]

    ids = ("applicationId", "jobRunId", "name", "arn")
    assert [j["jobRunId"] for j in found[::2]] == ["run0000", "run0001", "run0002", "run0003"]
    assert [
        j["arn"].endswith(f"/applications/app{n:04d}/jobruns/run{n:04d}")
        for n, j in enumerate(found[::2])
    ] == [True] * 4
    assert all(_without(j, *ids) == _without(found[k % 2], *ids) for k, j in enumerate(found))
    listed = emr.list_job_runs(applicationId="app0003")["jobRuns"]
    assert [(j["id"], j["state"], j["attempt"]) for j in listed] == [("run0003", "SUCCESS", 2)]


def test_a_loaded_job_run_has_the_attributes_of_one_moto_starts_in_their_order(
    mocked: None,
) -> None:
    emr = client()
    application_id = emr.create_application(name="x", releaseLabel="emr-7.1.0", type="SPARK")[
        "applicationId"
    ]
    started = emr.start_job_run(applicationId=application_id, executionRoleArn=ROLE)["jobRunId"]
    mea.load_history(document(3))
    backend = moto_emr()

    made_by_moto = next(j for j in backend.job_runs[application_id] if j.id == started)
    loaded = [backend.job_runs[f"app{n:04d}"][0] for n in range(3)]

    assert {type(j) for j in loaded} == {type(made_by_moto)}
    assert [list(vars(j)) for j in loaded] == [list(vars(made_by_moto))] * 3
    applications = [backend.applications[f"app{n:04d}"] for n in range(3)]
    assert [list(vars(a)) for a in applications] == [
        list(vars(backend.applications[application_id]))
    ] * 3


def test_no_two_loaded_objects_share_a_mutable_attribute(mocked: None) -> None:
    mea.load_history(document(3))
    mea.load_history({"version": 1, "jobRuns": [{**RUN, "name": f"more-{n}"} for n in range(3)]})
    backend = moto_emr()
    histories = mea.attempts_backends[DEFAULT_ACCOUNT_ID]["us-east-1"].histories.values()

    owners: dict[int, str] = {}
    objects = [*backend.applications.values(), *(j for r in backend.job_runs.values() for j in r)]
    values = [(f"{type(o).__name__} {o.id}.{k}", v) for o in objects for k, v in vars(o).items()]
    values += [(f"history {h.job_run_id}.echo", h.echo) for h in histories]
    shared = []
    for owner, value in values:
        pending = [value]
        while pending:
            found = pending.pop()
            if isinstance(found, (dict, list, set)):
                if id(found) in owners:
                    shared.append((owners[id(found)], owner))
                owners[id(found)] = owner
                pending.extend(found.values() if isinstance(found, dict) else found)

    assert shared == []


# -- ids -----------------------------------------------------------------------------------


def test_a_seeded_mock_random_gives_the_ids_moto_draws_through_a_load(mocked: None) -> None:
    mock_random.seed(7)
    drawn = [moto_utils.random_id(size=16) for _ in range(8)]
    mock_random.seed(7)

    # Draws, in order: the listed application, then for each job run its new application (if
    # it names none) and itself; a given id is drawn too, and replaced.
    seeded = mea.load_history(
        {
            "version": 1,
            "applications": [{"applicationId": "listed"}],
            "jobRuns": [
                {"applicationId": "listed", "jobRunId": "given", "attempts": ["SUCCESS"]},
                {"attempts": ["SUCCESS"]},
                {"applicationId": "listed", "attempts": ["SUCCESS"]},
                {"jobRunId": "also", "attempts": ["SUCCESS"]},
            ],
        }
    )
    after = client().create_application(name="after", releaseLabel="emr-7.1.0", type="SPARK")

    assert [(r.application_id, r.job_run_id) for r in seeded] == [
        ("listed", "given"),
        (drawn[2], drawn[3]),
        ("listed", drawn[4]),
        (drawn[5], "also"),
    ]
    assert after["applicationId"] == drawn[7]


# -- the collector -------------------------------------------------------------------------


def test_the_garbage_collector_runs_again_after_a_load(mocked: None) -> None:
    mea.load_history(document(2))

    assert gc.isenabled()


def test_the_garbage_collector_runs_again_after_a_refused_load(mocked: None) -> None:
    with pytest.raises(mea.HistoryError):
        mea.load_history({"version": 1, "jobRuns": [{"attempts": ["SUCCESS", "SUCCESS"]}]})

    assert gc.isenabled()


def test_a_garbage_collector_turned_off_stays_off_through_a_load(mocked: None) -> None:
    gc.disable()
    try:
        mea.load_history(document(2))
        assert not gc.isenabled()
    finally:
        gc.enable()


# -- what moto makes itself ----------------------------------------------------------------


def test_a_job_run_takes_its_applications_network_configuration_as_moto_gives_it(
    mocked: None,
) -> None:
    network = {"subnetIds": ["subnet-1"], "securityGroupIds": ["sg-1"]}
    emr = client()
    application_id = emr.create_application(
        name="vpc", releaseLabel="emr-7.1.0", type="SPARK", networkConfiguration=network
    )["applicationId"]
    mea.load_history(document(2))  # ordinary applications first: the load has its prototypes

    mea.load_history(
        {
            "version": 1,
            "jobRuns": [
                {"applicationId": application_id, "jobRunId": f"vpc{n}", **RUN} for n in range(2)
            ],
        }
    )

    job_runs = moto_emr().job_runs[application_id]
    assert [j.network_configuration for j in job_runs] == [network, network]


def test_a_load_that_moto_refuses_part_way_leaves_nothing(mocked: None) -> None:
    emr = client()
    ended = emr.create_application(name="old", releaseLabel="emr-7.1.0", type="SPARK")
    emr.stop_application(applicationId=ended["applicationId"])
    emr.delete_application(applicationId=ended["applicationId"])
    bad = document(3)
    bad["jobRuns"].append({"applicationId": ended["applicationId"], **RUN})

    with pytest.raises(Exception, match="is terminated"):
        mea.load_history(bad)

    assert list(moto_emr().applications) == [ended["applicationId"]]
    with pytest.raises(ClientError):
        emr.get_job_run(applicationId="app0000", jobRunId="run0000")
    assert mea.export_history()["jobRuns"] == []
