"""A moto-emrs-attempts server in a subprocess, shared by the server and client tests.

`server` (session scope) starts `python -m moto_emrs_attempts --port 0` once, reads the URL the
server announces on its first stdout line, polls until it answers, and terminates it at the
end. `clean_server` (function scope) resets it before a test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from typing import IO, Any

import boto3
import pytest
import requests
from botocore.config import Config

ANNOUNCEMENT = re.compile(r" \* Running on (http://\S+) ")
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def sigv4_headers(region: str = "us-east-1", service: str = "emr-serverless") -> dict[str, str]:
    """An Authorization header that routes a raw request to a service (moto checks no signature)."""
    return {
        "Authorization": (
            f"AWS4-HMAC-SHA256 Credential=testing/20260101/{region}/{service}/aws4_request, "
            "SignedHeaders=host, Signature=0"
        )
    }


class ServerProcess:
    """One running server: its URL, and helpers to talk to it."""

    def __init__(self, command: Sequence[str]) -> None:
        # A file, not a pipe: a full pipe would block the server.
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the process)
        self.process = subprocess.Popen(
            list(command), stdout=subprocess.PIPE, stderr=self.stderr, text=True
        )
        assert self.process.stdout is not None
        first_line = self.process.stdout.readline()
        found = ANNOUNCEMENT.match(first_line)
        if found is None:
            self.stop()
            raise RuntimeError(f"the server did not start: {first_line!r}\n{self.errors()}")
        self.url: str = found.group(1)
        self.port = int(self.url.rsplit(":", 1)[1])
        self._wait_until_ready()

    def _wait_until_ready(self) -> None:
        for _ in range(200):  # bounded: 10 s at most
            try:
                requests.get(f"{self.url}/moto-api/emrs-attempts/", timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the server at {self.url} never answered\n{self.errors()}")

    def errors(self) -> str:
        """What the server wrote to stderr so far."""
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def stop(self) -> int:
        """Terminate the server (SIGTERM) and return its exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.process.stdout is not None:
            self.process.stdout.close()
        return self.process.returncode

    def close(self) -> None:
        """Stop the server and drop its stderr file."""
        self.stop()
        self.stderr.close()

    # -- talking to it ---------------------------------------------------------------------

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        """POST a JSON body (or `data=...` as it is) to a path of the server."""
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs.setdefault("headers", {"Content-Type": "application/json"})
        return requests.post(self.url + path, timeout=30, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        """GET a path of the server, routed to EMR Serverless unless headers say otherwise."""
        kwargs.setdefault("headers", sigv4_headers())
        return requests.get(self.url + path, timeout=30, **kwargs)

    def seed(self, document: dict[str, Any]) -> list[dict[str, Any]]:
        """Seed a history document and return the seeded job runs."""
        response = self.post("/moto-api/emrs-attempts/history", document)
        assert response.status_code == 200, response.text
        runs: list[dict[str, Any]] = response.json()["jobRuns"]
        return runs

    def reset(self) -> None:
        response = self.post("/moto-api/reset")
        assert response.status_code == 200, response.text

    def client(self, service: str = "emr-serverless", region: str = "us-east-1") -> Any:
        """A boto3 client of the server, with retries off so that every error shows."""
        return boto3.client(
            service,
            region_name=region,
            endpoint_url=self.url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=Config(retries={"total_max_attempts": 1}),
        )


def start(*arguments: str, program: Sequence[str] | None = None) -> ServerProcess:
    """Start a server: `python -m moto_emrs_attempts --port 0`, or `program` with arguments."""
    command = list(program or (sys.executable, "-m", "moto_emrs_attempts"))
    return ServerProcess([*command, *(arguments or ("--port", "0"))])


_shared: ServerProcess | None = None


@pytest.fixture(scope="session")
def server() -> Iterator[ServerProcess]:
    """The server every test module shares (started once, terminated at the end)."""
    global _shared
    if _shared is None or _shared.process.poll() is not None:
        _shared = start()
    yield _shared
    if _shared is not None:
        _shared.close()


@pytest.fixture
def clean_server(server: ServerProcess) -> ServerProcess:
    """The shared server, reset: no applications, job runs, attempts, faults or scripts."""
    server.reset()
    return server
