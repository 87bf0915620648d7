"""The `moto-emrs-attempts` command: `serve` and `record`.

`moto-emrs-attempts-server` and `python -m moto_emrs_attempts` are `serve` under their old names.
This module parses arguments and nothing else: `server` serves, `recorder` records.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from pathlib import Path

SERVE_EXAMPLE = """\
example:
  moto-emrs-attempts serve --port 5000 --state-file emrs-state.json
  curl -X POST http://127.0.0.1:5000/moto-api/emrs-attempts/history \\
       -d '{"version": 1, "jobRuns": [{"attempts": ["FAILED", "SUCCESS"]}]}'
  curl 'http://127.0.0.1:5000/moto-api/emrs-attempts/history?region=us-east-1'
"""

RECORD_EXAMPLE = """\
examples:
  moto-emrs-attempts record --application-id 00fabcdexample --region eu-west-1 -o nightly.json
  moto-emrs-attempts record --application-id 00fabcdexample --job-run-id 00fjobexample \\
      --endpoint-url http://127.0.0.1:5000
then replay it in a test:
  moto_emrs_attempts.load_history("nightly.json")
"""

SERVE_DESCRIPTION = textwrap.fill(
    "Run moto's server with the EMR Serverless attempts plugin. Every moto service "
    "answers on the same port; seed histories with POST /moto-api/emrs-attempts/history "
    "and clear everything with POST /moto-api/reset.",
    79,
)


#: The port `serve` listens on when neither `--port` nor `MOTO_PORT` names one.
DEFAULT_PORT = 5000
_MAX_PORT = 65535


def port(value: str) -> int:
    """A TCP port, 0 to 65535 (0 picks a free one), written in decimal digits only.

    >>> port("5000")
    5000
    """
    if value.isascii() and value.isdigit() and int(value) <= _MAX_PORT:
        return int(value)
    raise argparse.ArgumentTypeError(
        f"{value!r} is not a port: use 0 to {_MAX_PORT} (0 picks a free port)"
    )


def _port(parser: argparse.ArgumentParser, given: int | None) -> int:
    """`--port`, else `$MOTO_PORT`, else 5000; a bad `MOTO_PORT` is a usage error (status 2).

    The variable is read here, when `serve` runs, so that it never breaks another subcommand.
    """
    if given is not None:
        return given
    value = os.environ.get("MOTO_PORT", "")
    if not value:  # unset, or set to nothing as `MOTO_PORT= command` does
        return DEFAULT_PORT
    try:
        return port(value)
    except argparse.ArgumentTypeError as error:
        parser.error(f"MOTO_PORT: {error}")


def _serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-H", "--host", default="127.0.0.1", help="the host to bind (default: 127.0.0.1)"
    )
    parser.add_argument(
        "-p",
        "--port",
        type=port,
        help="the port to listen on, 0 to 65535; 0 picks a free one "
        f"(default: $MOTO_PORT, else {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        metavar="PATH",
        help="load the plugin's state from PATH on start (if it exists) and write it there, "
        "atomically, on SIGTERM or Ctrl-C; one server at a time per file",
    )


def _serve(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    chosen = _port(parser, args.port)
    from .server.process import ServeError, serve

    try:
        serve(args.host, chosen, args.state_file)
    except ServeError as error:
        parser.exit(error.status, f"{parser.prog}: {error}\n")
    return 0


def _record(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from .recording.recorder import RecordError, record

    try:
        record(
            args.application_id,
            args.job_run_ids or (),
            region=args.region,
            endpoint_url=args.endpoint_url,
            profile=args.profile,
            output=args.output,
            with_logs=args.with_logs,
        )
    except RecordError as error:
        parser.exit(1, f"{parser.prog}: {error}\n")
    except KeyboardInterrupt:
        parser.exit(130, f"{parser.prog}: interrupted; nothing written.\n")
    return 0


def parser(prog: str = "moto-emrs-attempts") -> argparse.ArgumentParser:
    """The `moto-emrs-attempts` parser, with its `serve` and `record` subcommands."""
    top = argparse.ArgumentParser(
        prog=prog,
        description="Amazon EMR Serverless job-run attempts for moto: a server, and a recorder "
        "that turns real job runs into history documents.",
    )
    commands = top.add_subparsers(dest="command", required=True, metavar="{serve,record}")
    serve = commands.add_parser(
        "serve",
        help="run moto's server with the plugin",
        description=SERVE_DESCRIPTION,
        epilog=SERVE_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _serve_arguments(serve)
    serve.set_defaults(run=_serve, subparser=serve)
    record = commands.add_parser(
        "record",
        help="record job runs and attempts as a history document",
        description=textwrap.fill(
            "Read one application's job runs (all, or those named) and every attempt of each "
            "from EMR Serverless (AWS by default, with boto3's credential chain, or any "
            "endpoint), and write a history document that load_history replays.",
            79,
        ),
        epilog=RECORD_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    record.add_argument("--application-id", required=True, metavar="ID", help="the application")
    record.add_argument(
        "--job-run-id",
        dest="job_run_ids",
        action="append",
        metavar="ID",
        help="a job run to record (repeat it for several; default: every job run)",
    )
    record.add_argument("--region", metavar="R", help="the region (default: boto3's)")
    record.add_argument(
        "--endpoint-url", metavar="URL", help="the endpoint to read (default: AWS's)"
    )
    record.add_argument("--profile", metavar="P", help="the AWS profile for credentials")
    record.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="where to write (default: stdout)"
    )
    record.add_argument(
        "--with-logs",
        action="store_true",
        help="also record each attempt's logs from S3 and CloudWatch Logs, where the job run "
        "had logging on (at most 1 MiB a log)",
    )
    record.set_defaults(run=_record, subparser=record)
    return top


def main(argv: list[str] | None = None, prog: str = "moto-emrs-attempts") -> int:
    """`moto-emrs-attempts`: run a subcommand and return its exit status; `prog` is the name
    the command was called by (`python -m moto_emrs_attempts`), which its messages show."""
    top = parser(prog)
    args = top.parse_args(argv)
    status: int = args.run(args.subparser, args)
    return status


def server_main(argv: list[str] | None = None, prog: str = "moto-emrs-attempts-server") -> int:
    """`moto-emrs-attempts-server` and `python -m moto_emrs_attempts`: `serve` by its old names;
    `prog` is the one it was called by."""
    server = argparse.ArgumentParser(
        prog=prog,
        description=SERVE_DESCRIPTION,
        epilog=SERVE_EXAMPLE.replace("moto-emrs-attempts serve", prog),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _serve_arguments(server)
    return _serve(server, server.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
