"""Importing the package registers the ListJobRunAttempts route with moto, once."""

from __future__ import annotations

import importlib
from typing import Any

import boto3
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
    from moto_emrs_attempts import app_handlers, applications

    # StartApplication is the plugin's (applications over time), on moto's own spelling
    assert moto_urls.url_paths["{0}/applications/(?P<applicationId>[^/]+)/start$"] is (
        app_handlers.start
    )
    # the application routes pass through the plugin for schedulerConfiguration, to moto
    assert moto_urls.url_paths["{0}/applications$"] is applications.applications


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
