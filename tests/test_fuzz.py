"""Every route the plugin serves answers any raw request as AWS documents it (issue 6, item 1).

Hypothesis sends raw `requests` calls inside the mock, with arbitrary path labels (empty,
overlong, unicode, percent-encoded, dots, valid-looking ids, the ids of seeded job runs) and
arbitrary query strings (any text or integer for the model's parameters, tokens of this and of
other job runs, repeated and unknown parameters, undecodable escapes), from two accounts and
two regions. Every answer must:

- have status 200, 400 or 404 and a JSON body (`Content-Type: application/json`);
- on 400 carry `x-amzn-ErrorType: ValidationException`, on 404 `ResourceNotFoundException`,
  with a body that is exactly `{"message": <str>}`;
- on 200 conform to the operation's output shape (`tests.conformance.problems`);
- on 400 for a model violation list exactly the violated constraints: the test counts them
  itself from the model's metadata and compares with "N validation error(s) detected".

ListJobRunAttempts also gets an exact oracle: which status, which attempts, which token.

The route table is one line per operation; its method and path come from the botocore model.
A route is fuzzed only when `moto_emrs_attempts.urls.url_paths` serves it (else it is skipped).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import boto3
import botocore
import pytest
import requests
from hypothesis import event, given
from hypothesis import strategies as st
from moto.core import DEFAULT_ACCOUNT_ID
from moto.emrserverless.models import emrserverless_backends

import moto_emrs_attempts as mea
from moto_emrs_attempts import urls as plugin_urls
from moto_emrs_attempts.contract.policies import scheduler_limits
from moto_emrs_attempts.contract.service_model import MODEL, enum
from moto_emrs_attempts.responses import control_plane as plugin_control
from moto_emrs_attempts.responses import job_run_handlers as plugin_responses

from . import _hypothesis  # noqa: F401  (loads the hypothesis profile)
from ._server import ServerProcess, server
from .conformance import problems

OTHER_ACCOUNT = "111111111111"
ACCOUNTS = (DEFAULT_ACCOUNT_ID, OTHER_ACCOUNT)
REGIONS = ("us-east-1", "eu-west-1")
ROLE = "arn:aws:iam::123456789012:role/fuzz-role"
ERROR_CODES = {400: "ValidationException", 404: "ResourceNotFoundException"}
COUNTED = re.compile(r"(\d+) validation (errors?) detected: ")


def endpoint(region: str) -> str:
    return f"https://emr-serverless.{region}.amazonaws.com"


def encode_label(label: str, dots: bool = False) -> str:
    """A label as a client puts it on the wire: every reserved byte percent-encoded.

    Dots are encoded too, unless `dots`: a bare `.` or `..` segment is a dot-segment that
    HTTP clients remove (RFC 3986, 5.2.4) before the request leaves, so it is no label.
    """
    encoded = quote(label, safe="")
    return encoded if dots else encoded.replace(".", "%2E")


DOT_SEGMENTS = (".", "..")


# -- the route table --------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """One operation the plugin serves; method, path and parameters come from the model."""

    operation: str

    @property
    def model(self) -> Any:
        return MODEL.operation_model(self.operation)

    @property
    def method(self) -> str:
        method: str = self.model.http["method"]
        return method

    @property
    def template(self) -> str:
        template: str = self.model.http["requestUri"]
        return template

    def members(self, location: str) -> dict[str, Any]:
        """The input members bound to `location` ("uri" or "querystring"), by wire name."""
        return {
            m.serialization.get("name", name): m
            for name, m in self.model.input_shape.members.items()
            if m.serialization.get("location") == location
        }

    def path(self, labels: Mapping[str, str], dots: bool = False) -> str:
        path = self.template
        for name, value in labels.items():
            path = path.replace("{" + name + "}", encode_label(value, dots))
        return path

    def served(self) -> bool:
        """Whether the plugin, not moto, answers this operation."""
        url = endpoint("us-east-1") + self.path(dict.fromkeys(self.members("uri"), "x"))
        base = r"https?://emr-serverless\.(.+)\.amazonaws\.com"
        routed = any(re.match(key.format(base), url) for key in plugin_urls.url_paths)
        return routed and hasattr(plugin_responses, botocore.xform_name(self.operation))


def route(operation: str) -> Any:
    """A row of the route table: skipped until the plugin serves the operation."""
    row = Route(operation)
    return pytest.param(
        row,
        id=operation,
        marks=pytest.mark.skipif(
            not row.served(), reason=f"the plugin does not serve {operation} yet"
        ),
    )


ROUTES = [
    route("ListJobRunAttempts"),
    route("GetJobRun"),
    route("ListJobRuns"),
    route("GetDashboardForJobRun"),
    route("CancelJobRun"),
]


# -- the wire ---------------------------------------------------------------------------


SESSION = requests.Session()
SESSION.trust_env = False  # no proxy look-ups: the mock answers every call in-process


@dataclass(frozen=True)
class Call:
    """One raw request: where it goes, and what the server should decode from it."""

    route: Route
    account: str
    region: str
    labels: dict[str, str]
    query_string: str
    #: Send dots as they are, so that `.` and `..` labels become dot-segments.
    dots: bool = False

    @property
    def rerouted(self) -> bool:
        """Whether the client's dot-segment removal sends the call to another path."""
        return self.dots and any(label in DOT_SEGMENTS for label in self.labels.values())

    def request(self) -> requests.PreparedRequest:
        url = endpoint(self.region) + self.route.path(self.labels, self.dots)
        if self.query_string:
            url += "?" + self.query_string
        headers = {} if self.account == DEFAULT_ACCOUNT_ID else {"x-moto-account-id": self.account}
        return requests.Request(self.route.method, url, headers=headers).prepare()

    @property
    def pairs(self) -> list[tuple[str, str]]:
        """The query parameters as sent: the client re-encodes a query with a stray `%`."""
        return parse_qsl(urlsplit(self.request().url or "").query, keep_blank_values=True)

    @property
    def query(self) -> dict[str, str]:
        """The query parameters, the first of repeated ones winning."""
        first: dict[str, str] = {}
        for key, value in self.pairs:
            first.setdefault(key, value)
        return first

    def values(self, name: str) -> list[str]:
        return [value for key, value in self.pairs if key == name]

    def send(self) -> requests.Response:
        return SESSION.send(self.request(), timeout=30)


# -- the expected clause count, from the model's metadata --------------------------------


def is_integer(raw: str) -> bool:
    """An integer as a query string spells it: an optional minus and ASCII digits."""
    digits = raw[1:] if raw.startswith("-") else raw
    return digits.isascii() and digits.isdigit()


def violations(raw: str, shape: Any) -> int:
    """How many of the model's constraints a raw query or label value violates."""
    meta = shape.metadata
    kind = shape.type_name
    if kind in ("integer", "long"):
        if not is_integer(raw):
            return 1
        value = int(raw)
        return int("min" in meta and value < meta["min"]) + int(
            "max" in meta and value > meta["max"]
        )
    if kind == "boolean":
        return int(raw not in ("true", "false"))
    count = int("min" in meta and len(raw) < meta["min"])
    count += int("max" in meta and len(raw) > meta["max"])
    count += int("pattern" in meta and re.fullmatch(meta["pattern"], raw) is None)
    count += int(bool(shape.enum) and raw not in shape.enum)
    return count


def expected_clauses(call: Call) -> tuple[int, bool]:
    """The number of violated constraints, and whether that number is exact.

    Timestamps are parsed by the handler with botocore's lenient parser, so a timestamp
    parameter makes the count a lower bound.
    """
    count, exact = 0, True
    for name, shape in call.route.members("uri").items():
        count += violations(call.labels[name], shape)
    query = call.query
    for name, shape in call.route.members("querystring").items():
        if shape.type_name == "list":
            items = call.values(name)
            if items:
                count += int("max" in shape.metadata and len(items) > shape.metadata["max"])
                count += sum(violations(item, shape.member) for item in items)
        elif name in query:
            if shape.type_name == "timestamp":
                exact = False
            else:
                count += violations(query[name], shape) or documented(name, query[name])
    return count, exact


def documented(name: str, raw: str) -> int:
    """Constraints the user guide documents and the model lacks: a graceful cancel's period
    is 0, or 15 to 1800 seconds."""
    if name != "shutdownGracePeriodInSeconds" or not is_integer(raw):
        return 0
    value = int(raw)
    return int(value != 0 and not 15 <= value <= 1800)


# -- the seeded world -------------------------------------------------------------------


@dataclass
class World:
    """What is seeded, per (account, region): applications, their job runs and attempt counts."""

    runs: dict[tuple[str, str], dict[str, dict[str, int]]] = field(default_factory=dict)
    #: ListJobRunAttempts tokens: token -> (account, region, application, job run, position).
    tokens: dict[str, tuple[str, str, str, str, int]] = field(default_factory=dict)
    #: ListJobRuns tokens: token -> (account, region, application).
    job_runs_tokens: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    #: The call strategy of each route, built once: building strategies is the slow part.
    strategies: dict[str, st.SearchStrategy[Call]] = field(default_factory=dict, repr=False)
    bodies: dict[str, st.SearchStrategy[Any]] = field(default_factory=dict, repr=False)

    def add(self, account: str, region: str, application_id: str, job_run_id: str, n: int) -> None:
        self.runs.setdefault((account, region), {}).setdefault(application_id, {})[job_run_id] = n

    @property
    def all_tokens(self) -> list[str]:
        return sorted(self.tokens) + sorted(self.job_runs_tokens)

    @property
    def application_ids(self) -> list[str]:
        return sorted({a for apps in self.runs.values() for a in apps})

    @property
    def job_run_ids(self) -> list[str]:
        return sorted({j for apps in self.runs.values() for runs in apps.values() for j in runs})


def seed_world() -> World:
    world = World()
    home = (DEFAULT_ACCOUNT_ID, "us-east-1")
    first = mea.seed_job_run(["FAILED"] * 6 + ["SUCCESS"], name="seven")
    world.add(*home, first.application_id, first.job_run_id, 7)
    second = mea.seed_job_run(["SUCCESS"], application_id=first.application_id)
    world.add(*home, second.application_id, second.job_run_id, 1)
    emr = boto3.client("emr-serverless", region_name="us-east-1")
    started = emr.start_job_run(
        applicationId=first.application_id,
        executionRoleArn=ROLE,
        jobDriver={"sparkSubmit": {"entryPoint": "local:///fuzz.py"}},
    )["jobRunId"]
    world.add(*home, first.application_id, started, 1)
    other_app = mea.seed_job_run(["FAILED", "FAILED", "SUCCESS"])
    world.add(*home, other_app.application_id, other_app.job_run_id, 3)
    abroad = mea.seed_job_run(["FAILED", "SUCCESS"], account_id=OTHER_ACCOUNT)
    world.add(OTHER_ACCOUNT, "us-east-1", abroad.application_id, abroad.job_run_id, 2)
    elsewhere = mea.seed_job_run(["FAILED"] * 3 + ["SUCCESS"], region_name="eu-west-1")
    world.add(DEFAULT_ACCOUNT_ID, "eu-west-1", elsewhere.application_id, elsewhere.job_run_id, 4)
    collect_tokens(world)
    if Route("ListJobRuns").served():
        collect_job_runs_tokens(world)
    return world


def collect_tokens(world: World) -> None:
    """Walk every seeded job run in pages of 1 and 2 and remember each token issued."""
    attempts = Route("ListJobRunAttempts")
    for (account, region), apps in world.runs.items():
        for application_id, runs in apps.items():
            for job_run_id in runs:
                for size in (1, 2):
                    query = {"maxResults": str(size)}
                    position = 0
                    while True:
                        labels = {"applicationId": application_id, "jobRunId": job_run_id}
                        call = Call(attempts, account, region, labels, urlencode(query))
                        body = call.send().json()
                        position += len(body["jobRunAttempts"])
                        if "nextToken" not in body:
                            break
                        token = body["nextToken"]
                        world.tokens[token] = (
                            account,
                            region,
                            application_id,
                            job_run_id,
                            position,
                        )
                        query["nextToken"] = token


def collect_job_runs_tokens(world: World) -> None:
    """Walk every application's job runs in pages of 1 and remember each token issued."""
    job_runs = Route("ListJobRuns")
    for (account, region), apps in world.runs.items():
        for application_id in apps:
            query = {"maxResults": "1"}
            while True:
                call = Call(job_runs, account, region, {"applicationId": application_id}, "")
                call = Call(job_runs, account, region, call.labels, urlencode(query))
                body = call.send().json()
                if "nextToken" not in body:
                    break
                world.job_runs_tokens[body["nextToken"]] = (account, region, application_id)
                query["nextToken"] = body["nextToken"]


@pytest.fixture
def world() -> Iterator[World]:
    """A mock seeded with job runs in two accounts and two regions, kept for all examples."""
    with mea.mock_emrs_attempts():
        yield seed_world()


# -- strategies -------------------------------------------------------------------------

ID_LIKE = st.from_regex(r"[0-9a-z]{1,64}", fullmatch=True)
ODD_TEXT = st.sampled_from(
    ["", ".", "..", "...", "%", "%zz", "%f", "%%", "%2", "%2F", "%2e", "%41", "%61", "a%", "/",
     "a/b", "a b", "a+b", "?", "#", "&", "=", ";", "\\", "\x00", "\n", "\u2028", "\ufeff", "é",
     "😀", "\uff21\uff22", "٣", "A" * 65]
)  # fmt: skip


def labels_strategy(world: World) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(world.application_ids + world.job_run_ids),
        ID_LIKE,
        ODD_TEXT,
        st.text(max_size=70),
        around(64, st.text(min_size=1, max_size=3)),
        around(
            64, st.text(alphabet="0123456789abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=3)
        ),
    )


def around(length: int, pieces: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Strings of `length` - 2 to `length` + 2 characters, cheap to draw however long."""
    sizes = st.integers(min_value=max(0, length - 2), max_value=length + 2)
    return st.tuples(sizes, pieces).map(lambda t: (t[1] * t[0])[: t[0]])


def integer_text(shape: Any) -> st.SearchStrategy[str]:
    meta = shape.metadata
    edges = [0, -1, 1]
    for bound in ("min", "max"):
        if bound in meta:
            edges += [meta[bound] - 1, meta[bound], meta[bound] + 1]
    return st.one_of(
        st.sampled_from(edges).map(str),
        st.integers().map(str),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.from_regex(r"[+-]?0*[0-9]{1,25}", fullmatch=True),
        st.sampled_from(["", " 5", "5 ", "1.5", "1e3", "0x10", "+5", "-0", "5\n", "٣", "1_0"]),
        st.text(max_size=12),
    )


def string_text(shape: Any, world: World) -> st.SearchStrategy[str]:
    meta = shape.metadata
    options = [st.text(max_size=40), ODD_TEXT]
    if "pattern" in meta:
        options.append(st.from_regex(meta["pattern"], fullmatch=True).map(lambda s: s[:2000]))
    if "max" in meta:
        options.append(
            around(meta["max"], st.text(alphabet="ABCxyz019_=-", min_size=1, max_size=3))
        )
        options.append(around(meta["max"], st.text(min_size=1, max_size=2)))
    if shape.enum:
        options.append(st.sampled_from(list(shape.enum)))
    if shape.name == "NextToken":
        tokens = world.all_tokens
        options += [st.sampled_from(tokens), tampered(tokens)]
    return st.one_of(options)


TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_=-"


def tamper(token: str, how: str, where: int, char: str) -> str:
    """A token changed in one place: a character swapped or cut, or one added at an end."""
    where %= len(token)
    if how == "swap":
        return token[:where] + char + token[where + 1 :]
    if how == "cut":
        return token[:where] + token[where + 1 :]
    return token + char if how == "append" else char + token


def tampered(tokens: list[str]) -> st.SearchStrategy[str]:
    return st.builds(
        tamper,
        st.sampled_from(tokens),
        st.sampled_from(["swap", "cut", "append", "prepend"]),
        st.integers(min_value=0, max_value=10_000),
        st.sampled_from(TOKEN_ALPHABET),
    ).filter(lambda t: t not in tokens)


def value_text(shape: Any, world: World) -> st.SearchStrategy[str]:
    if shape.type_name in ("integer", "long"):
        return integer_text(shape)
    if shape.type_name == "boolean":
        return st.one_of(st.sampled_from(["true", "false", "True", "1", ""]), st.text(max_size=8))
    if shape.type_name == "timestamp":
        return st.one_of(
            st.integers(min_value=-(10**12), max_value=10**12).map(str),
            st.sampled_from(["2026-01-01T00:00:00Z", "2026-13-01", "now", "", "1e309"]),
            st.text(max_size=20),
        )
    if shape.type_name == "list":
        return value_text(shape.member, world)
    return string_text(shape, world)


JUNK = st.sampled_from(["", "&", "&&", "&=", "&=x", "&%", "&%zz=1", "&%ff=%fe", "&;", "&a=1=2"])


def query_pair(route: Route, world: World) -> st.SearchStrategy[tuple[str, str]]:
    """One parameter: one of the model's with any value, or an unknown one."""
    known = route.members("querystring")
    known_pair = st.one_of(
        [st.tuples(st.just(name), value_text(shape, world)) for name, shape in known.items()]
    )
    unknown_pair = st.tuples(
        st.one_of(st.text(max_size=12), st.sampled_from(["MaxResults", "max_results", "x"])),
        st.text(max_size=12),
    )
    return st.one_of(known_pair, known_pair, unknown_pair) if known else unknown_pair


def query_strategy(route: Route, world: World) -> st.SearchStrategy[str]:
    pairs = st.lists(query_pair(route, world), max_size=5)
    return st.builds(
        lambda ps, junk: urlencode(ps, quote_via=quote) + junk,
        pairs,
        JUNK,
    )


def calls(route: Route, world: World) -> st.SearchStrategy[Call]:
    found = world.strategies.get(route.operation)
    if found is None:
        found = world.strategies[route.operation] = build_calls(route, world)
    return found


def build_calls(route: Route, world: World) -> st.SearchStrategy[Call]:
    """Arbitrary calls, and as often well-formed calls aimed at a seeded job run."""
    label = labels_strategy(world)
    labels = st.fixed_dictionaries({name: label for name in route.members("uri")})
    anything = st.builds(
        Call,
        st.just(route),
        st.sampled_from(ACCOUNTS),
        st.sampled_from(REGIONS),
        labels,
        query_strategy(route, world),
        st.booleans(),
    )
    aimed = [
        st.builds(
            Call,
            st.just(route),
            st.just(account),
            st.just(region),
            st.just(labels),
            aimed_query(route, world, (account, region, *labels.values())),
        )
        for account, region, labels in targets(route, world)
    ]
    return st.one_of(anything, st.one_of(aimed))


def targets(route: Route, world: World) -> list[tuple[str, str, dict[str, str]]]:
    """Every seeded (account, region, labels) the route can address."""
    found = []
    for (account, region), apps in world.runs.items():
        for application_id, runs in apps.items():
            if "jobRunId" not in route.members("uri"):
                found.append((account, region, {"applicationId": application_id}))
                continue
            for job_run_id in runs:
                labels = {"applicationId": application_id, "jobRunId": job_run_id}
                found.append((account, region, labels))
    return found


def aimed_query(route: Route, world: World, scope: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Well-formed parameters for a seeded target, now and then with one odd one."""
    known = route.members("querystring")
    pairs = [st.tuples(st.just(n), valid_text(s, world, scope)) for n, s in known.items()]
    odd = st.lists(query_pair(route, world), max_size=1)
    chosen = st.lists(st.one_of(pairs), max_size=len(known), unique_by=lambda p: p[0])
    return (
        st.builds(lambda ps, extra: urlencode(ps + extra, quote_via=quote), chosen, odd)
        if pairs
        else st.just("")
    )


def valid_text(shape: Any, world: World, scope: tuple[str, ...]) -> st.SearchStrategy[str]:
    """A value that satisfies the model, drawn near what the seeded target holds."""
    meta = shape.metadata
    kind = shape.type_name
    if kind == "list":
        return valid_text(shape.member, world, scope)
    if kind in ("integer", "long"):
        if shape.name == "AttemptNumber" and len(scope) == 4:
            account, region, application_id, job_run_id = scope
            count = world.runs[(account, region)][application_id][job_run_id]
            return st.integers(min_value=1, max_value=count + 1).map(str)
        low, high = meta.get("min", 0), meta.get("max", 3600)
        return st.integers(min_value=low, max_value=high).map(str)
    if kind == "boolean":
        return st.sampled_from(["true", "false"])
    if kind == "timestamp":
        return st.sampled_from(
            ["2025-01-01T00:00:00Z", "2026-01-01T00:00:00Z", "2030-01-01T00:00:00Z"]
        )
    if shape.enum:
        return st.sampled_from(list(shape.enum))
    if shape.name == "NextToken":
        if len(scope) == 4:
            own = [t for t, where in world.tokens.items() if where[:4] == scope]
        else:
            own = [t for t, where in world.job_runs_tokens.items() if where == scope]
        return st.sampled_from(own or world.all_tokens)
    return st.from_regex(meta.get("pattern", ".+"), fullmatch=True)


# -- the invariant ----------------------------------------------------------------------


def check_answer(call: Call, response: requests.Response) -> dict[str, Any] | None:
    """Assert the documented invariant; return the body of a 200, None for an error."""
    status = response.status_code
    event(f"{call.route.operation} answered {status}")
    assert status in (200, 400, 404), f"{status}: {response.text!r}"
    assert response.headers.get("Content-Type") == "application/json", response.headers
    body = json.loads(response.text)
    if call.rerouted:
        # Another path, maybe one of moto's own operations (GetApplication answers its
        # not-found with 400): only the JSON error contract holds there.
        if status != 200:
            assert response.headers.get("x-amzn-ErrorType") in ERROR_CODES.values()
            assert isinstance(body, dict) and isinstance(body.get("message"), str), body
        return None
    count, exact = expected_clauses(call)
    if status == 200:
        assert count == 0, f"{count} violated constraints, yet 200: {body!r}"
        found = problems(call.route.operation, body)
        assert not found, "\n".join(found)
        assert isinstance(body, dict)
        return body
    assert response.headers.get("x-amzn-ErrorType") == ERROR_CODES[status], response.headers
    assert isinstance(body, dict) and set(body) == {"message"}, body
    message = body["message"]
    assert isinstance(message, str) and message
    counted = COUNTED.match(message)
    if count:
        assert status == 400, f"{count} violated constraints, yet {status}: {message}"
        assert counted, message
        number = int(counted.group(1))
        assert counted.group(2) == ("error" if number == 1 else "errors"), message
        if exact:
            assert number == count, f"expected {count} clauses: {message}"
            assert message.count(" failed to satisfy constraint: ") == count, message
        else:
            assert number >= count, f"expected at least {count} clauses: {message}"
    elif exact:
        assert not counted, f"no model constraint is violated, yet: {message}"
    return None


def expected_attempts_answer(call: Call, world: World) -> tuple[int, str | None]:
    """ListJobRunAttempts' exact oracle: the status, and what the error message must name."""
    application_id, job_run_id = call.labels["applicationId"], call.labels["jobRunId"]
    token = call.query.get("nextToken")
    if token is not None:
        scope = world.tokens.get(token, ())[:4]
        if scope != (call.account, call.region, application_id, job_run_id):
            return 400, "nextToken"
    apps = world.runs.get((call.account, call.region), {})
    if application_id not in apps:
        return 404, application_id
    if job_run_id not in apps[application_id]:
        return 404, job_run_id
    return 200, None


def check_attempts_page(call: Call, world: World, body: dict[str, Any]) -> None:
    application_id, job_run_id = call.labels["applicationId"], call.labels["jobRunId"]
    total = world.runs[(call.account, call.region)][application_id][job_run_id]
    token = call.query.get("nextToken")
    start = world.tokens[token][4] if token is not None else 0
    size = int(call.query.get("maxResults", "50"))
    numbers = [a["attempt"] for a in body["jobRunAttempts"]]
    assert numbers == list(range(start + 1, min(start + size, total) + 1))
    assert all(
        (a["applicationId"], a["id"]) == (application_id, job_run_id)
        for a in body["jobRunAttempts"]
    )
    assert all(f":{call.region}:{call.account}:" in a["arn"] for a in body["jobRunAttempts"])
    assert ("nextToken" in body) == (start + size < total), body.get("nextToken")


# -- the properties ---------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES)
@given(data=st.data())
def test_every_answer_is_a_documented_one(route: Route, world: World, data: Any) -> None:
    call = data.draw(calls(route, world), label="call")
    check_answer(call, call.send())


@given(data=st.data())
def test_list_job_run_attempts_answers_exactly_what_is_seeded(world: World, data: Any) -> None:
    call = data.draw(calls(Route("ListJobRunAttempts"), world), label="call")
    response = call.send()
    body = check_answer(call, response)
    if call.rerouted or expected_clauses(call)[0]:
        return
    status, named = expected_attempts_answer(call, world)
    assert response.status_code == status, response.text
    if body is None:
        assert named is not None and named in response.json()["message"]
    else:
        check_attempts_page(call, world, body)


def test_the_route_table_covers_every_route_the_plugin_serves() -> None:
    served = {row.values[0].operation for row in ROUTES if row.values[0].served()}
    handlers = {
        botocore.xform_name(op)
        for op in MODEL.operation_names
        if hasattr(plugin_responses, botocore.xform_name(op))
    }
    missing = {
        op
        for op in MODEL.operation_names
        if botocore.xform_name(op) in handlers
        and MODEL.operation_model(op).http["method"] != "POST"
    } - served
    assert not missing, f"add these operations to ROUTES: {sorted(missing)}"


# -- transport pitfalls, pinned -------------------------------------------------------


def test_a_label_with_an_encoded_slash_is_a_validation_error(world: World) -> None:
    call = Call(
        Route("ListJobRunAttempts"),
        DEFAULT_ACCOUNT_ID,
        "us-east-1",
        {"applicationId": "a/b", "jobRunId": "abc"},
        "",
    )
    response = call.send()
    assert response.status_code == 400
    assert response.json()["message"] == (
        "1 validation error detected: Value 'a/b' at 'applicationId' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [0-9a-z]+"
    )


def test_a_label_that_spells_an_escape_is_a_validation_error(world: World) -> None:
    home = world.runs[(DEFAULT_ACCOUNT_ID, "us-east-1")]
    application_id = next(iter(home))
    job_run_id = next(iter(home[application_id]))
    spelled = f"%{ord(application_id[0]):02x}{application_id[1:]}"
    call = Call(
        Route("ListJobRunAttempts"),
        DEFAULT_ACCOUNT_ID,
        "us-east-1",
        {"applicationId": spelled, "jobRunId": job_run_id},
        "",
    )
    response = call.send()
    assert response.status_code == 400
    assert response.json()["message"] == (
        f"1 validation error detected: Value '{spelled}' at 'applicationId' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [0-9a-z]+"
    )


# -- the plugin's moto-api endpoints ----------------------------------------------------

MOTO_API = "http://motoapi.amazonaws.com/moto-api/emrs-attempts"
STATE_TEXT = st.sampled_from([*enum("JobRunState"), "DONE", "", "success"])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
TIMES = st.sampled_from(
    ["2026-01-01T00:00:00Z", "2026-01-01T00:10:00Z", "2025-12-31T23:00:00Z", "yesterday", 5]
)
REGION_VALUES = st.sampled_from(["us-east-1", "eu-west-1", "mars-1", "", 5, None])
ACCOUNT_VALUES = st.sampled_from([DEFAULT_ACCOUNT_ID, OTHER_ACCOUNT, "12", "", 7, None])


def body_of(keys: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """An endpoint body: its own members in any combination, an unknown one now and then, or
    any JSON value at all."""
    near = st.fixed_dictionaries(
        {}, optional={**keys, "unknown": JSON_VALUES, "region": REGION_VALUES}
    )
    return st.one_of(near, near, near, JSON_VALUES)


ATTEMPT_VALUES = st.one_of(
    STATE_TEXT,
    st.fixed_dictionaries(
        {"state": STATE_TEXT},
        optional={
            "stateDetails": st.one_of(st.text(max_size=4), st.none()),
            "createdAt": TIMES,
            "updatedAt": TIMES,
            "extra": st.integers(),
        },
    ),
    JSON_VALUES,
)
ATTEMPT_LISTS = st.one_of(st.lists(ATTEMPT_VALUES, max_size=4), JSON_VALUES)
JOB_RUN_VALUES = st.fixed_dictionaries(
    {"attempts": ATTEMPT_LISTS},
    optional={
        "name": st.one_of(st.text(max_size=6), st.integers()),
        "mode": st.sampled_from(["BATCH", "STREAMING", "INTERACTIVE", 1]),
        "retryPolicy": st.one_of(
            st.fixed_dictionaries(
                {},
                optional={
                    "maxAttempts": st.integers(min_value=-1, max_value=12),
                    "maxFailedAttemptsPerHour": st.integers(min_value=-1, max_value=12),
                },
            ),
            JSON_VALUES,
        ),
        "applicationId": st.one_of(ID_LIKE, st.integers()),
        "stray": JSON_VALUES,
    },
)


def endpoint_bodies(world: World) -> dict[str, st.SearchStrategy[Any]]:
    """What each endpoint gets: valid bodies (aimed at seeded job runs), nearly valid ones
    and junk, in about equal parts."""
    states = st.lists(st.sampled_from(enum("JobRunState")), min_size=1, max_size=4)
    places = st.sampled_from([{}, {"region": "eu-west-1"}, {"account": OTHER_ACCOUNT}])
    seeded = st.sampled_from(
        [
            {"applicationId": application_id, "jobRunId": job_run_id, "region": region, "account": account}
            for (account, region), apps in world.runs.items()
            for application_id, runs in apps.items()
            for job_run_id in runs
        ]
    )  # fmt: skip
    application_ids = st.one_of(st.sampled_from(world.application_ids), ID_LIKE, st.integers())
    job_run_ids = st.one_of(st.sampled_from(world.job_run_ids), ID_LIKE, st.none())
    valid = {
        "history": st.builds(
            lambda runs, place: {"version": 1, "jobRuns": runs, **place},
            st.lists(st.builds(lambda a: {"attempts": a}, states), min_size=1, max_size=3),
            places,
        ),
        "attempts": st.builds(lambda target, a: {**target, "attempts": a}, seeded, states),
        "faults": st.fixed_dictionaries(
            {
                "operation": st.sampled_from(["ListJobRunAttempts", "GetJobRun"]),
                "error": st.sampled_from(["InternalServerException", "ThrottlingException"]),
            },
            optional={"times": st.integers(min_value=1, max_value=3), "message": st.text()},
        ),
        "scripts": st.builds(lambda o, place: {"outcomes": o, **place}, states, places),
    }
    near = {
        "history": st.fixed_dictionaries(
            {"version": st.sampled_from([1, 1, 1, 2, "1"])},
            optional={
                "jobRuns": st.one_of(st.lists(JOB_RUN_VALUES, max_size=3), JSON_VALUES),
                "region": REGION_VALUES,
                "account": ACCOUNT_VALUES,
                "extra": JSON_VALUES,
            },
        ),
        "attempts": body_of(
            {
                "applicationId": application_ids,
                "jobRunId": job_run_ids,
                "attempts": ATTEMPT_LISTS,
                "account": ACCOUNT_VALUES,
            }
        ),
        "faults": body_of(
            {
                "operation": st.sampled_from(["ListJobRunAttempts", "GetJobRun", "Nope", "", 3]),
                "error": st.sampled_from(
                    ["InternalServerException", "ThrottlingException", "Oops", None]
                ),
                "times": st.one_of(st.integers(min_value=-2, max_value=5), st.just("2"), st.none()),
                "message": st.one_of(st.text(max_size=6), st.integers(), st.none()),
                "account": ACCOUNT_VALUES,
            }
        ),
        "scripts": body_of(
            {
                "outcomes": st.one_of(st.lists(STATE_TEXT, max_size=4), JSON_VALUES),
                "applicationId": application_ids,
                "account": ACCOUNT_VALUES,
            }
        ),
    }
    return {
        name: st.one_of(
            valid[name].map(json.dumps), near[name].map(json.dumps), st.binary(max_size=20)
        )
        for name in valid
    }


def seeded_count() -> int:
    """Applications, job runs and attempt histories that exist, in every account and region."""
    emr = [b for regions in emrserverless_backends.values() for b in regions.values()]
    plugin = [b for regions in mea.attempts_backends.values() for b in regions.values()]
    return (
        sum(len(b.applications) for b in emr)
        + sum(len(runs) for b in emr for runs in b.job_runs.values())
        + sum(len(h.attempts) for b in plugin for h in b.histories.values())
    )


@pytest.mark.parametrize("name", sorted(plugin_control.ENDPOINTS))
@given(data=st.data())
def test_every_moto_api_endpoint_answers_200_or_a_400_that_changes_nothing(
    name: str, world: World, data: Any
) -> None:
    """... or a 404 for a missing application or job run (`attempts`, `scripts`)."""
    bodies = world.bodies.get(name)
    if bodies is None:
        bodies = world.bodies[name] = endpoint_bodies(world)[name]
    body = data.draw(bodies, label="body")
    before = seeded_count()

    response = SESSION.post(f"{MOTO_API}/{name}", data=body, timeout=30)

    event(f"{name} answered {response.status_code}")
    assert response.status_code in (200, 400, 404), response.text
    assert response.headers.get("Content-Type") == "application/json"
    answer = json.loads(response.text)
    assert isinstance(answer, dict), answer
    if response.status_code == 404:
        assert name in ("attempts", "scripts") and "does not exist" in answer["message"], answer
    if response.status_code != 200:
        assert set(answer) == {"message"} and isinstance(answer["message"], str), answer
        assert seeded_count() == before, f"a refused {name} call changed the state: {body!r}"


@given(path=st.text(max_size=20), body=st.binary(max_size=20))
def test_an_unknown_moto_api_path_answers_a_json_404(world: World, path: str, body: bytes) -> None:
    if path in plugin_control.ENDPOINTS:
        return
    response = SESSION.post(f"{MOTO_API}/{quote(path, safe='')}", data=body, timeout=30)

    assert response.status_code == 404, response.text
    assert set(response.json()) == {"message"}


def test_the_endpoint_table_covers_every_moto_api_endpoint(world: World) -> None:
    assert set(endpoint_bodies(world)) == set(plugin_control.ENDPOINTS)


# -- schedulerConfiguration on CreateApplication and UpdateApplication -----------------------

#: The documented ranges (SPEC 8), an oracle independent of the plugin's reading of the model.
SCHEDULER_RANGES = {"maxConcurrentRuns": (1, 1000, 15), "queueTimeoutMinutes": (15, 720, 360)}
SCHEDULER_VALUE = st.one_of(
    st.none(),
    st.integers(min_value=-3, max_value=1100),
    st.sampled_from([0, 1, 14, 15, 720, 721, 1000, 1001, 2**31, -(2**31)]),
    st.booleans(),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.text(max_size=3),
    st.lists(st.integers(), max_size=2),
)
SCHEDULER_CONFIG = st.one_of(
    st.fixed_dictionaries(
        {},
        optional={
            "maxConcurrentRuns": SCHEDULER_VALUE,
            "queueTimeoutMinutes": SCHEDULER_VALUE,
            "unknownMember": SCHEDULER_VALUE,
        },
    ),
    SCHEDULER_VALUE,
)


def scheduler_violations(config: Any) -> int:
    """How many clauses a schedulerConfiguration earns: one per wrong type or value."""
    if config is None:
        return 0
    if not isinstance(config, dict):
        return 1
    count = 0
    for member, (low, high, _) in SCHEDULER_RANGES.items():
        value = config.get(member)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            count += 1
    return count


@pytest.mark.skipif(
    scheduler_limits() is None, reason="this botocore's model has no schedulerConfiguration"
)
@given(config=SCHEDULER_CONFIG, update=st.booleans())
def test_a_scheduler_configuration_is_taken_whole_or_refused_whole(
    world: World, config: Any, update: bool
) -> None:
    emr = emrserverless_backends[DEFAULT_ACCOUNT_ID]["us-east-1"]
    client = boto3.client("emr-serverless", region_name="us-east-1")
    before_apps = len(emr.applications)
    if update:
        app = client.create_application(
            name="fuzz", releaseLabel="emr-7.1.0", type="SPARK",
            schedulerConfiguration={"maxConcurrentRuns": 7},
        )["applicationId"]  # fmt: skip
        client.stop_application(applicationId=app)
        before_apps += 1
        response = SESSION.patch(
            f"{endpoint('us-east-1')}/applications/{app}",
            data=json.dumps({"clientToken": "t", "schedulerConfiguration": config}),
            timeout=30,
        )
    else:
        response = SESSION.post(
            f"{endpoint('us-east-1')}/applications",
            data=json.dumps(
                {"name": "fuzz", "releaseLabel": "emr-7.1.0", "type": "SPARK",
                 "clientToken": "t", "schedulerConfiguration": config}
            ),
            timeout=30,
        )  # fmt: skip
    expected = scheduler_violations(config)
    body = response.json()
    if expected == 0:
        assert response.status_code == 200, body
        app_id = app if update else body["applicationId"]
        shown = client.get_application(applicationId=app_id)["application"]
        if config is None:
            wanted = {"maxConcurrentRuns": 7, "queueTimeoutMinutes": 360} if update else None
        else:
            wanted = {
                m: config[m] if config.get(m) is not None else default
                for m, (_, _, default) in SCHEDULER_RANGES.items()
            }
        assert shown.get("schedulerConfiguration") == wanted
        return
    assert response.status_code == 400, body
    assert response.headers["x-amzn-ErrorType"] == "ValidationException"
    counted = COUNTED.match(body["message"])
    assert counted is not None, body
    assert int(counted.group(1)) == expected
    assert len(emr.applications) == before_apps
    if update:
        shown = client.get_application(applicationId=app)["application"]
        assert shown["schedulerConfiguration"] == {
            "maxConcurrentRuns": 7,
            "queueTimeoutMinutes": 360,
        }


# -- the plugin's moto-api paths on the server (issue 12, item 6) ------------------------

__all__ = ["server"]  # fixture

#: Path labels the server decodes before routing: the endpoints' names, alone or followed
#: by characters that a regular expression or a router may treat apart (newline, slash, ...).
ODD_CHARACTERS = "\n\r\t/+|%#?&=.; \x00\x7fé"
LABELS = st.one_of(
    st.text(max_size=12),
    st.text(alphabet=ODD_CHARACTERS + "abz", max_size=8),
    st.builds(
        lambda name, tail: name + tail,
        st.sampled_from(["", *plugin_control.ENDPOINTS]),
        st.text(alphabet=ODD_CHARACTERS, min_size=1, max_size=3),
    ),
)


def send_raw(server: ServerProcess, method: str, path: str) -> tuple[int, str | None, bytes]:
    """Send a path exactly as written (no client-side quoting) with an empty body."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        connection.putheader("Content-Length", "0")
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        connection.close()


@pytest.mark.slow
@given(
    labels=st.lists(LABELS, min_size=1, max_size=3),
    encode_slashes=st.booleans(),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]),
)
def test_every_path_under_the_plugin_prefix_answers_json_on_the_server(
    server: ServerProcess, labels: list[str], encode_slashes: bool, method: str
) -> None:
    safe = "" if encode_slashes else "/"
    path = "/moto-api/emrs-attempts/" + "/".join(quote(label, safe=safe) for label in labels)

    status, content_type, body = send_raw(server, method, path)

    event(f"{method} answered {status}")
    assert content_type == "application/json", (path, status, body)
    answer = json.loads(body)
    assert isinstance(answer, dict), answer
    if status != 200:
        assert status in (400, 404, 405), (path, status, body)
        assert set(answer) == {"message"} and isinstance(answer["message"], str), answer


@pytest.mark.slow
@pytest.mark.parametrize(
    "path", ["/moto-api/emrs-attempts/zaz%0A%7C", "/moto-api/emrs-attempts/%2Fc%2B%0A%0D"]
)
def test_a_label_with_an_encoded_newline_answers_the_json_404_on_the_server(
    server: ServerProcess, path: str
) -> None:
    status, content_type, body = send_raw(server, "GET", path)

    assert (status, content_type) == (404, "application/json")
    assert json.loads(body) == {
        "message": "Unknown plugin endpoint; POST to one of /moto-api/emrs-attempts/history, "
        "/moto-api/emrs-attempts/attempts, /moto-api/emrs-attempts/faults, "
        "/moto-api/emrs-attempts/scripts."
    }


# -- GET /moto-api/emrs-attempts/history: its query parameters ---------------------------

QUERY_NAMES = st.sampled_from(["region", "account", "region", "account", "Region", "", "x"])
QUERY_VALUES = st.one_of(
    st.sampled_from([*REGIONS, *ACCOUNTS, "", "mars-1", "12", "us-east-1 ", "%zz", "%0A"]),
    st.text(max_size=14),
)
RAW_QUERIES = st.text(alphabet="regionacut=&%0A2Fz;+ -1", max_size=30)


def export_oracle(query: str) -> tuple[str, str] | None:
    """The (region, account) a query asks for, or None when it must be refused."""
    found: dict[str, str] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        if name not in ("region", "account") or name in found:
            return None
        found[name] = value
    account = found.get("account", DEFAULT_ACCOUNT_ID)
    region = found.get("region", "us-east-1")
    if not re.fullmatch(r"[0-9]{12}", account) or region not in mea.attempts_backends[account]:
        return None
    return region, account


@given(
    query=st.one_of(
        st.fixed_dictionaries(
            {}, optional={"region": st.sampled_from(REGIONS), "account": st.sampled_from(ACCOUNTS)}
        ).map(urlencode),
        st.lists(st.tuples(QUERY_NAMES, QUERY_VALUES), max_size=3).map(urlencode),
        RAW_QUERIES,
    )
)
def test_get_history_answers_the_export_or_a_json_400_whatever_the_query(
    world: World, query: str
) -> None:
    before = seeded_count()

    response = SESSION.get(f"{MOTO_API}/history?{query}", timeout=30)

    expected = export_oracle(query)
    event(f"GET history answered {response.status_code}")
    assert response.headers.get("Content-Type") == "application/json"
    if expected is None:
        assert response.status_code == 400, (query, response.text)
        assert set(response.json()) == {"message"}
    else:
        assert response.status_code == 200, (query, response.text)
        region, account = expected
        assert response.json() == mea.export_history(region_name=region, account_id=account)
    assert seeded_count() == before
