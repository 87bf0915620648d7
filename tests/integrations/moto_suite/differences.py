"""The tests of moto's own EMR Serverless suite whose result differs with the plugin installed,
each with the AWS behaviour behind the difference (the README's "moto's own tests" lists them).

A pytest plugin (`-p differences`): each listed test is marked `xfail(strict=True)`, so it must
fail; one that passes again, or that moto no longer has, fails the run.
"""

from __future__ import annotations

import pytest
from moto import settings

MODULE = "tests/test_emrserverless/test_emrserverless.py"

CREATED = (
    "a new application is CREATED (CreateApplication -> CREATING -> CREATED, the user guide's "
    "Application states), where moto makes it STARTED; and it is stamped with the moment it was "
    "created, where moto stamps midnight"
)
STATE_FROM_THE_ENGINE = (
    "moto's fixture makes an application in each state by patching moto's APPLICATION_STATUS "
    "(in server mode: by StopApplication on a new application); with the plugin every new "
    "application is CREATED, as in AWS, and StopApplication leaves a CREATED one as it is, so "
    "the application the test expects in another state is CREATED, which DeleteApplication, "
    "UpdateApplication and the states filter of ListApplications treat as AWS does"
)
ID_PATTERN = (
    "'fake_application_id' breaks the model's applicationId pattern ^[0-9a-z]+$: AWS answers "
    "ValidationException before it looks the application up"
)
NOT_A_STATE = (
    "ListJobRuns(states=['COMPLETED']): COMPLETED is not a job run state; AWS checks the states "
    "filter against the model's enum and answers ValidationException"
)
NOT_AN_APPLICATION_STATE = (
    "ListApplications(states=['FOOBAA']): FOOBAA is not an application state; AWS checks the "
    "states filter against the model's enum and answers ValidationException"
)


def _ids(names: str, reason: str) -> dict[str, str]:
    return {f"{MODULE}::{name}": reason for name in names.split()}


#: test id (relative to moto's checkout) -> the AWS fact that makes the plugin answer otherwise,
#: in-process and in server mode (moto's fixtures build applications differently in each)
BOTH: dict[str, str] = {
    **_ids(
        " ".join(f"TestGetApplication::test_filtering[extra_configuration{i}]" for i in range(5))
        + " TestListApplication::test_response_context "
        + " ".join(
            f"TestUpdateApplication::test_valid_update[update_configuration{i}]" for i in range(7)
        ),
        CREATED,
    ),
    **_ids(
        "TestDeleteApplication::test_valid_application_id[0-STARTED-expectation0] "
        "TestUpdateApplication::test_application_status[0-STARTED-expectation0] "
        "TestListApplication::test_filtering[list_applications_args1-1] "
        "TestListApplication::test_filtering[list_applications_args2-2]",
        STATE_FROM_THE_ENGINE,
    ),
    **_ids(
        "TestStartApplication::test_invalid_application_id "
        "TestStopApplication::test_invalid_application_id "
        "TestUpdateApplication::test_invalid_application_id",
        ID_PATTERN,
    ),
    **_ids("TestListJobRun::test_application_states", NOT_A_STATE),
    **_ids(
        "TestListApplication::test_filtering[list_applications_args3-0]", NOT_AN_APPLICATION_STATE
    ),
}
IN_PROCESS: dict[str, str] = _ids(
    " ".join(
        f"{test}[{i}-{state}-expectation{i}]"
        for test in (
            "TestDeleteApplication::test_valid_application_id",
            "TestUpdateApplication::test_application_status",
        )
        for i, state in ((2, "CREATING"), (4, "STARTING"), (5, "STOPPING"), (6, "TERMINATED"))
    ),
    STATE_FROM_THE_ENGINE,
)
SERVER_MODE: dict[str, str] = {}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    differences = {**BOTH, **(SERVER_MODE if settings.TEST_SERVER_MODE else IN_PROCESS)}
    collected = {item.nodeid: item for item in items}
    missing = sorted(set(differences) - set(collected))
    if missing:
        raise pytest.UsageError(f"moto's suite no longer has these listed tests: {missing}")
    for nodeid, reason in differences.items():
        collected[nodeid].add_marker(pytest.mark.xfail(strict=True, reason=reason))
