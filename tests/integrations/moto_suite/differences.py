"""The tests of moto's own EMR Serverless suite whose result differs with the plugin installed,
each with the AWS behaviour behind the difference (the README's "moto's own tests" lists them).

A pytest plugin (`-p differences`): each listed test is marked `xfail(strict=True)`, so it must
fail; one that passes again, or that moto no longer has, fails the run.
"""

from __future__ import annotations

import pytest
from moto import settings

MODULE = "tests/test_emrserverless/test_emrserverless.py"

#: test id (relative to moto's checkout) -> the AWS fact that makes the plugin answer otherwise,
#: in-process and in server mode (moto's fixtures build applications differently in each)
BOTH: dict[str, str] = {
    f"{MODULE}::TestListJobRun::test_application_states": (
        "ListJobRuns(states=['COMPLETED']): COMPLETED is not a job run state; AWS validates the "
        "states filter against the model's enum and answers ValidationException"
    ),
}


IN_PROCESS: dict[str, str] = {}
SERVER_MODE: dict[str, str] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    DIFFERENCES = {**BOTH, **(SERVER_MODE if settings.TEST_SERVER_MODE else IN_PROCESS)}
    collected = {item.nodeid: item for item in items}
    missing = sorted(set(DIFFERENCES) - set(collected))
    if missing:
        raise pytest.UsageError(f"moto's suite no longer has these listed tests: {missing}")
    for nodeid, reason in DIFFERENCES.items():
        collected[nodeid].add_marker(pytest.mark.xfail(strict=True, reason=reason))
