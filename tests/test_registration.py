"""Importing the package registers the ListJobRunAttempts route with moto, once."""

from __future__ import annotations

import importlib
import subprocess
import sys
from typing import Any

import boto3
import pytest
from moto import mock_aws
from moto.emrserverless import urls as moto_urls

import moto_emrs_attempts
from moto_emrs_attempts import _registration, urls

from .conftest import RawGet, attempts_path


def test_the_route_comes_before_motos_own_routes() -> None:
    table = list(moto_urls.url_paths)
    [route] = [path for path in urls.url_paths if path.endswith("/attempts$")]

    # the plugin's routes come first (every route moto has is one of them now)
    assert table[: len(urls.url_paths)] == list(urls.url_paths)
    assert table.index(route) < len(urls.url_paths)
    assert moto_urls.url_paths[route] is urls.url_paths[route]


def test_registering_again_keeps_one_route() -> None:
    before = list(moto_urls.url_paths.items())

    _registration.register()
    _registration.register()

    assert list(moto_urls.url_paths.items()) == before


def test_importing_again_keeps_one_route() -> None:
    before = list(moto_urls.url_paths.items())

    importlib.reload(moto_emrs_attempts)

    assert list(moto_urls.url_paths.items()) == before


def test_a_table_reset_by_someone_else_is_registered_again() -> None:
    saved = dict(moto_urls.url_paths)
    try:
        for path in urls.url_paths:
            del moto_urls.url_paths[path]

        _registration.register()

        assert list(moto_urls.url_paths)[: len(urls.url_paths)] == list(urls.url_paths)
        assert len(moto_urls.url_paths) == len(saved)
    finally:
        moto_urls.url_paths.clear()
        moto_urls.url_paths.update(saved)


def test_motos_own_routes_stay_registered() -> None:
    start = "{0}/applications/(?P<applicationId>[^/]+)/start$"
    # StartApplication is the plugin's (applications over time), on moto's own spelling
    assert moto_urls.url_paths[start] is urls.url_paths[start]
    # the application routes pass through the plugin for schedulerConfiguration, to moto
    assert moto_urls.url_paths["{0}/applications$"] is urls.url_paths["{0}/applications$"]


def test_every_control_endpoint_has_its_route() -> None:
    from moto.moto_api._internal import urls as moto_api_urls

    from moto_emrs_attempts.responses import control_plane as control

    assert tuple(control.ENDPOINTS) == urls.CONTROL_ENDPOINTS
    assert urls.CONTROL_PREFIX == control.PREFIX
    assert all(getattr(control, name) is route for name, route in control.ENDPOINTS.items())
    for path, route in urls.control_paths.items():
        assert moto_api_urls.url_paths[path] is route


_IMPORT_ONLY = """
import sys
import moto.emrserverless.urls, moto.moto_api._internal.urls  # what moto itself loads for them
moto_own = set(sys.modules)
import moto_emrs_attempts
print(" ".join(sorted(set(sys.modules) - moto_own)))
"""
#: What the first request or the first public name loads, and importing the package does not
#: (beyond what moto's own EMR Serverless and moto-api modules load: moto 5.0's load `moto.s3`).
_LOADED_LATER = {
    "moto_emrs_attempts.contract.service_model",
    "moto_emrs_attempts.models.backend",
    "moto_emrs_attempts.responses.job_run_handlers",
    "moto_emrs_attempts.responses.control_plane",
    "moto_emrs_attempts.history.document",
    "moto_emrs_attempts._mock",
    "moto_emrs_attempts.server.process",
    "moto.s3",
    "moto.logs",
}


def test_importing_the_package_loads_no_model_backend_or_handlers() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORT_ONLY], capture_output=True, text=True, check=True
    )

    assert _LOADED_LATER & set(done.stdout.split()) == set()


_FIRST_NAME = """
import moto_emrs_attempts
from moto_emrs_attempts import mock_emrs_attempts, seed_job_run
print(mock_emrs_attempts.__module__, seed_job_run.__module__)
"""


def test_a_public_name_loads_its_module_when_first_used() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_NAME], capture_output=True, text=True, check=True
    )

    assert done.stdout.split() == ["moto_emrs_attempts._mock", "moto_emrs_attempts.history.seeding"]


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="has no attribute 'mock_emrs'"):
        moto_emrs_attempts.mock_emrs  # noqa: B018


def test_a_fault_can_be_set_for_every_served_operation_before_any_request() -> None:
    code = (
        "import moto_emrs_attempts as mea\n"
        "for operation in ('CancelJobRun', 'GetDashboardForJobRun', 'GetJobRun',"
        " 'ListJobRunAttempts', 'ListJobRuns', 'StartJobRun'):\n"
        "    with mea.mock_emrs_attempts() as emrs:\n"
        "        emrs.inject_error(operation, 'ThrottlingException')\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)

    assert (done.returncode, done.stdout.strip()) == (0, "ok"), done.stderr


def seeded() -> Any:
    import moto_emrs_attempts as mea

    return mea.seed_job_run(["FAILED", "SUCCESS"])


@mock_aws
def test_boto3_calls_are_answered() -> None:
    run = seeded()
    client = boto3.client("emr-serverless", region_name="us-east-1")

    page = client.list_job_run_attempts(applicationId=run.application_id, jobRunId=run.job_run_id)

    assert [a["attempt"] for a in page["jobRunAttempts"]] == [1, 2]


@mock_aws
def test_requests_calls_are_answered(raw_get: RawGet) -> None:
    run = seeded()

    status, _, body = raw_get(attempts_path(run.application_id, run.job_run_id))

    assert status == 200
    assert [a["attempt"] for a in body["jobRunAttempts"]] == [1, 2]


@mock_aws
def test_the_china_partition_is_answered(raw_get: RawGet) -> None:
    import moto_emrs_attempts as mea

    run = mea.seed_job_run(region_name="cn-north-1")

    status, _, body = raw_get(
        attempts_path(run.application_id, run.job_run_id),
        endpoint="https://emr-serverless.cn-north-1.amazonaws.com.cn",
    )

    assert status == 200
    assert body["jobRunAttempts"][0]["arn"].startswith("arn:aws-cn:emr-serverless:cn-north-1:")
