"""`moto-emrs-attempts`: one command with the subcommands `serve` and `record`.

The old names stay: `moto-emrs-attempts-server` and `python -m moto_emrs_attempts` are `serve`.
"""

from __future__ import annotations

import configparser
import http.server
import os
import signal
import socket
import subprocess
import sys
import sysconfig
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from moto_emrs_attempts import cli

from ._server import CREDENTIALS, start

ROOT = Path(__file__).resolve().parent.parent
SERVE_USAGE = (
    "usage: python -m moto_emrs_attempts serve [-h] [-H HOST] [-p PORT]\n"
    "                                          [--state-file PATH]\n"
)


def _help(capsys: pytest.CaptureFixture[str], *arguments: str) -> str:
    with pytest.raises(SystemExit) as exited:
        cli.main([*arguments, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_serve_help_names_its_options_and_shows_an_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown = _help(capsys, "serve")

    assert shown.startswith(
        "usage: moto-emrs-attempts serve [-h] [-H HOST] [-p PORT] [--state-file PATH]\n"
    )
    assert (
        "example:\n  moto-emrs-attempts serve --port 5000 --state-file emrs-state.json\n" in shown
    )


def test_record_help_names_its_options_and_shows_an_example(
    capsys: pytest.CaptureFixture[str],
) -> None:
    shown = _help(capsys, "record")

    assert shown.startswith(
        "usage: moto-emrs-attempts record [-h] --application-id ID [--job-run-id ID]\n"
    )
    for option in ("--region R", "--endpoint-url URL", "--profile P", "-o FILE, --output FILE"):
        assert option in shown
    assert (
        "examples:\n  moto-emrs-attempts record --application-id 00fabcdexample "
        "--region eu-west-1 -o nightly.json\n"
    ) in shown


def test_the_command_lists_its_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    shown = _help(capsys)

    assert shown.startswith("usage: moto-emrs-attempts [-h] {serve,record} ...\n")
    assert "run moto's server with the plugin" in shown
    assert "record job runs and attempts as a history document" in shown


def test_a_missing_subcommand_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([])

    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith(
        "moto-emrs-attempts: error: the following arguments are required: {serve,record}\n"
    )


def test_record_requires_the_application_id(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["record"])

    assert exited.value.code == 2
    assert capsys.readouterr().err.endswith(
        "moto-emrs-attempts record: error: the following arguments are required: --application-id\n"
    )


def test_setup_cfg_declares_both_console_scripts() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    lines = config["options.entry_points"]["console_scripts"].strip().splitlines()
    scripts = dict(line.replace(" ", "").split("=") for line in lines)

    assert scripts == {
        "moto-emrs-attempts": "moto_emrs_attempts.cli:main",
        "moto-emrs-attempts-server": "moto_emrs_attempts.cli:server_main",
    }


def _script(name: str) -> str:
    path = Path(sysconfig.get_path("scripts")) / name
    assert path.exists(), f"{path} is missing: run pip install -e ."
    return str(path)


@pytest.mark.slow
@pytest.mark.parametrize("console_script", [False, True], ids=["python -m", "console script"])
def test_serve_serves_then_exits_0_on_sigterm(console_script: bool) -> None:
    program = (
        [_script("moto-emrs-attempts")]
        if console_script
        else [sys.executable, "-m", "moto_emrs_attempts"]
    )
    running = start("serve", "--port", "0", program=program)
    try:
        assert running.get("/moto-api/emrs-attempts/history", headers={}).status_code == 200
    finally:
        running.process.send_signal(signal.SIGTERM)
        status = running.process.wait(timeout=30)
        errors = running.errors()
        running.close()

    assert status == 0
    assert "Traceback" not in errors


@pytest.mark.slow
@pytest.mark.parametrize("subcommand", ["serve", "record"])
def test_the_console_script_shows_each_subcommands_help(subcommand: str) -> None:
    done = subprocess.run(
        [_script("moto-emrs-attempts"), subcommand, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"usage: moto-emrs-attempts {subcommand} [-h]")
    assert f"moto-emrs-attempts {subcommand} --" in done.stdout


@pytest.mark.slow
def test_python_m_runs_the_subcommands_too() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "moto_emrs_attempts", "record", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python -m moto_emrs_attempts record [-h]")


def _run(
    *arguments: str, program: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m moto_emrs_attempts ARGUMENTS` (or a console script) to its end."""
    command = [_script(program)] if program else [sys.executable, "-m", "moto_emrs_attempts"]
    return subprocess.run(
        [*command, *arguments],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


# -- without the server extra ---------------------------------------------------------------

#: A `sitecustomize` that makes flask look uninstalled, as it is without the `server` extra.
NO_FLASK = """\
import sys


class _NoFlask:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("flask", "flask_cors"):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NoFlask())
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("program", "arguments", "name"),
    [
        ("", ["serve"], "python -m moto_emrs_attempts serve"),
        ("", [], "python -m moto_emrs_attempts"),
        ("moto-emrs-attempts", ["serve"], "moto-emrs-attempts serve"),
        ("moto-emrs-attempts-server", [], "moto-emrs-attempts-server"),
    ],
    ids=["python -m serve", "python -m", "serve", "the server script"],
)
def test_without_flask_serve_says_one_line_with_its_own_name(
    tmp_path: Path, program: str, arguments: list[str], name: str
) -> None:
    (tmp_path / "sitecustomize.py").write_text(NO_FLASK)
    path = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])

    done = _run(*arguments, "--port", "0", program=program, env={"PYTHONPATH": path})

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"{name}: the server needs the server extra: pip install 'moto-emrs-attempts[server]' "
        "(it brings moto[server]); No module named 'flask'.\n"
    )


# -- ports -------------------------------------------------------------------------------

PORT_PROBLEM = "is not a port: use 0 to 65535 (0 picks a free port)"


@pytest.mark.slow
@pytest.mark.parametrize("port", ["99999", "65536", "-1", "abc", "5.0", "+80", " 80", ""])
def test_a_port_out_of_range_or_not_a_number_is_a_usage_error(port: str) -> None:
    done = _run("serve", "--port", port)

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"{SERVE_USAGE}python -m moto_emrs_attempts serve: error: argument -p/--port: "
        f"{port!r} {PORT_PROBLEM}\n"
    )


@pytest.mark.slow
def test_the_old_names_validate_the_port_too() -> None:
    done = _run("--port", "99999")

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines()[-1] == (
        f"python -m moto_emrs_attempts: error: argument -p/--port: '99999' {PORT_PROBLEM}"
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "arguments", [["serve"], []], ids=["moto-emrs-attempts serve", "python -m moto_emrs_attempts"]
)
@pytest.mark.parametrize("value", ["abc", "99999", "-1"])
def test_a_bad_moto_port_is_a_usage_error_of_serve(arguments: list[str], value: str) -> None:
    done = _run(*arguments, env={"MOTO_PORT": value})

    prog = " ".join(["python -m moto_emrs_attempts", *arguments])
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.splitlines()[-1] == f"{prog}: error: MOTO_PORT: {value!r} {PORT_PROBLEM}"
    assert "Traceback" not in done.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("arguments", "status"),
    [
        (["--help"], 0),
        (["serve", "--help"], 0),
        (["record", "--help"], 0),
        (["record", "--application-id", "app", "--region", "mars-1"], 1),
    ],
    ids=["--help", "serve --help", "record --help", "record"],
)
def test_a_bad_moto_port_leaves_the_other_commands_alone(arguments: list[str], status: int) -> None:
    done = _run(*arguments, program="moto-emrs-attempts", env={"MOTO_PORT": "abc"})

    assert done.returncode == status, done.stderr
    assert "MOTO_PORT" not in done.stderr
    assert "Traceback" not in done.stderr


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.slow
@pytest.mark.parametrize(("arguments", "chosen"), [([], "MOTO_PORT"), (["--port", "0"], "--port")])
def test_moto_port_is_the_default_port_and_port_overrides_it(
    monkeypatch: pytest.MonkeyPatch, arguments: list[str], chosen: str
) -> None:
    port = _free_port()
    monkeypatch.setenv("MOTO_PORT", str(port))

    running = start("serve", *arguments)
    status = running.stop()
    running.close()

    assert (running.port == port) == (chosen == "MOTO_PORT")
    assert status == 0


# -- record against an endpoint that is not EMR Serverless ----------------------------------

NGINX_404 = """\
<html>
<head><title>404 Not Found</title></head>
<body>
<center><h1>404 Not Found</h1></center>
<hr><center>nginx/1.25.3</center>
</body>
</html>
<!-- a padding to disable MSIE and Chrome friendly error page -->
<!-- a padding to disable MSIE and Chrome friendly error page -->
"""


class _Html(http.server.BaseHTTPRequestHandler):
    """A web server that is not EMR Serverless: every GET gets an HTML page."""

    status = 404
    page = NGINX_404

    def do_GET(self) -> None:
        body = self.page.encode()
        self.send_response(self.status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def html_server(request: pytest.FixtureRequest) -> Iterator[tuple[str, int]]:
    """A local HTTP server answering `(status, page)` (the test's parameter): URL and status."""
    status, page = request.param
    handler = type("Handler", (_Html,), {"status": status, "page": page})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", status
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("html_server", "excerpt"),
    [
        (
            (404, NGINX_404),
            "<html> <head><title>404 Not Found</title></head> <body> "
            "<center><h1>404 Not Found</h1></center> <hr>...",
        ),
        (
            (403, "<html><body>\n  <p>Forbidden</p>\n</body></html>\n"),
            "<html><body> <p>Forbidden</p> </body></html>",
        ),
    ],
    indirect=["html_server"],
    ids=["long page", "short page"],
)
def test_record_against_an_html_endpoint_is_one_line_with_the_status_and_an_excerpt(
    html_server: tuple[str, int], excerpt: str
) -> None:
    url, status = html_server
    done = _run(
        "record",
        "--application-id",
        "app",
        "--region",
        "us-east-1",
        "--endpoint-url",
        url,
        env=CREDENTIALS,
    )

    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"python -m moto_emrs_attempts record: The endpoint {url} answered HTTP {status} "
        f"without an EMR Serverless error: {excerpt}\n"
    )
