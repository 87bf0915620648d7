"""What the integrations' test modules share: moto's server with the plugin, moto's state manager
in-process or over HTTP, and `emr`, a test's EMR Serverless in each of the four places a client
meets it (in-process or the server, under `immediate` or `manual` progressions). Every
integrations environment loads it, and `tox -e integrations` itself (pytest alone, for the
README's recipes): boto3 and moto are imported where they are used."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

#: the state manager's models of the plugin: job runs, and applications
MODELS = ("emrserverless::job_run", "emrserverless::application")
#: a poll a step, for both models (`immediate` is their default)
MANUAL = {"progression": "manual", "times": 1}


def post(url: str, body: dict[str, Any]) -> None:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST")
    urllib.request.urlopen(request).close()


class Server:
    """The running server: its address, and moto's state-manager endpoints on it."""

    def __init__(self, url: str) -> None:
        self.url = url

    def set_transition(self, model: str, transition: dict[str, Any]) -> None:
        body = {"model_name": model, "transition": transition}
        post(f"{self.url}/moto-api/state-manager/set-transition", body)

    def reset(self) -> None:
        """The default transitions, and no resource left (moto's own reset)."""
        for model in MODELS:
            post(f"{self.url}/moto-api/state-manager/unset-transition", {"model_name": model})
        post(f"{self.url}/moto-api/reset", {})


@pytest.fixture(scope="module")
def emrs_server() -> Iterator[Server]:
    """`python -m moto_emrs_attempts` on a free port, for the module's tests."""
    process = subprocess.Popen(
        [sys.executable, "-m", "moto_emrs_attempts", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    found = re.search(r"http://\S+", process.stdout.readline())
    assert found is not None
    yield Server(found.group(0))
    process.terminate()
    process.wait()


@dataclass
class Emr:
    """Where the clients under test go, with a client of the test's own that goes there too."""

    client: Any
    progression: str
    set_transition: Callable[[str, dict[str, Any]], None]

    def progress(self, transition: dict[str, Any]) -> None:
        """Both models under `transition`."""
        for model in MODELS:
            self.set_transition(model, transition)

    def app_state(self, app: str) -> str:
        state: str = self.client.get_application(applicationId=app)["application"]["state"]
        return state

    def run_state(self, app: str, run: str) -> str:
        state: str = self.client.get_job_run(applicationId=app, jobRunId=run)["jobRun"]["state"]
        return state


def _in_process(request: pytest.FixtureRequest, progression: str) -> Iterator[Emr]:
    from moto.moto_api import state_manager

    # the module's own in-process mock (moto's, or aiomoto's where aiobotocore polls too)
    client = request.getfixturevalue("in_process_client")
    yield Emr(client, progression, state_manager.set_transition)
    for model in MODELS:
        state_manager.unset_transition(model)


def _at_the_server(request: pytest.FixtureRequest, progression: str) -> Iterator[Emr]:
    import boto3

    server: Server = request.getfixturevalue("emrs_server")
    monkeypatch: pytest.MonkeyPatch = request.getfixturevalue("monkeypatch")
    # boto3's and aiobotocore's clients of EMR Serverless, Airflow's hooks' too, go there
    monkeypatch.setenv("AWS_ENDPOINT_URL_EMR_SERVERLESS", server.url)
    yield Emr(
        boto3.client("emr-serverless", region_name="us-east-1"), progression, server.set_transition
    )
    server.reset()


@pytest.fixture(
    params=[
        ("in-process", "immediate"),
        ("in-process", "manual"),
        ("server", "immediate"),
        ("server", "manual"),
    ],
    ids="-".join,
)
def emr(request: pytest.FixtureRequest) -> Iterator[Emr]:
    """In-process (the module's `in_process_client` fixture) or against the server, with job
    runs and applications under `immediate` or `manual` progression (a step a poll)."""
    where, progression = request.param
    places = {"in-process": _in_process, "server": _at_the_server}
    for emr in places[where](request, progression):
        if progression == "manual":
            emr.progress(MANUAL)
        yield emr
