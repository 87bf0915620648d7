"""The model may grow (issue 12, item 11): the members the plugin answers follow the installed
botocore model.

Every StartJobRun member that a job-run output shape also has comes back there as given, and
every output member the plugin does not answer is named, with a reason, in
`responses.job_run_handlers.rendering.NOT_APPLICABLE`. Run at both ends of the matrix (`tox -e py`, `tox -e moto-min`).
"""

from __future__ import annotations

from typing import Any

import botocore
import pytest
from botocore.session import get_session
from moto.core.models import DEFAULT_ACCOUNT_ID

from moto_emrs_attempts.contract.service_model import JOB_RUN_SHAPES
from moto_emrs_attempts.responses.rendering import NOT_APPLICABLE

MODEL = get_session().get_service_model("emr-serverless")
START_JOB_RUN = MODEL.operation_model("StartJobRun").input_shape
#: The newest botocore `NOT_APPLICABLE` was checked against; an older one may lack members.
CHECKED_WITH = (1, 44, 8)

#: A value for every StartJobRun body member, as a user would send it.
SAMPLES: dict[str, Any] = {
    "clientToken": "model-members-1",
    "executionRoleArn": f"arn:aws:iam::{DEFAULT_ACCOUNT_ID}:role/job-role",
    "executionIamPolicy": {
        "policy": '{"Version": "2012-10-17", "Statement": []}',
        "policyArns": ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
    },
    "jobDriver": {"sparkSubmit": {"entryPoint": "s3://bucket/job.py"}},
    "configurationOverrides": {
        "applicationConfiguration": [
            {"classification": "spark-defaults", "properties": {"spark.executor.memory": "2g"}}
        ],
        "monitoringConfiguration": {"s3MonitoringConfiguration": {"logUri": "s3://bucket/logs/"}},
    },
    "tags": {"team": "data"},
    "executionTimeoutMinutes": 60,
    "name": "nightly",
    "mode": "BATCH",
    "retryPolicy": {"maxAttempts": 2},
    "flexExecution": {"enabled": True},
}
BODY_MEMBERS = [
    name for name, member in START_JOB_RUN.members.items() if "location" not in member.serialization
]
#: (operation, member) for every StartJobRun member an output shape also has.
ECHOES = [
    (operation, name)
    for operation, output in JOB_RUN_SHAPES.items()
    for name in BODY_MEMBERS
    if name in MODEL.shape_for(output).members
]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".")[:3])


@pytest.fixture
def answers(emrs_attempts: Any, emrs_client: Any) -> dict[str, dict[str, Any]]:
    """One job run started with every StartJobRun member, as each operation answers it."""
    application_id = emrs_client.create_application(
        name="members",
        releaseLabel="emr-7.1.0",
        type="SPARK",
        networkConfiguration={"subnetIds": ["subnet-0abc"], "securityGroupIds": ["sg-0abc"]},
    )["applicationId"]
    emrs_attempts.script_outcomes(["FAILED", "SUCCESS"])
    missing = [name for name in BODY_MEMBERS if name not in SAMPLES]
    assert not missing, (
        f"the model's StartJobRun has members this test has no sample for: {missing}"
    )
    body = {name: SAMPLES[name] for name in BODY_MEMBERS}
    job_run_id = emrs_client.start_job_run(applicationId=application_id, **body)["jobRunId"]
    ids = {"applicationId": application_id, "jobRunId": job_run_id}
    return {
        "GetJobRun": emrs_client.get_job_run(**ids)["jobRun"],
        "ListJobRuns": emrs_client.list_job_runs(applicationId=application_id)["jobRuns"][0],
        "ListJobRunAttempts": emrs_client.list_job_run_attempts(**ids)["jobRunAttempts"][0],
    }


@pytest.mark.parametrize(("operation", "member"), ECHOES, ids=[f"{o}.{m}" for o, m in ECHOES])
def test_a_start_job_run_member_comes_back_as_given(
    answers: dict[str, dict[str, Any]], operation: str, member: str
) -> None:
    assert answers[operation].get(member) == SAMPLES[member]


@pytest.mark.parametrize("operation", JOB_RUN_SHAPES)
def test_every_output_member_is_answered_or_named_not_applicable(
    answers: dict[str, dict[str, Any]], operation: str
) -> None:
    members = set(MODEL.shape_for(JOB_RUN_SHAPES[operation]).members)
    answered = set(answers[operation])

    unaccounted = members - answered - set(NOT_APPLICABLE)
    assert not unaccounted, (
        f"{operation} answers neither {sorted(unaccounted)} nor names them in "
        "moto_emrs_attempts.responses.rendering.NOT_APPLICABLE"
    )


@pytest.mark.parametrize("operation", JOB_RUN_SHAPES)
def test_no_member_named_not_applicable_is_answered(
    answers: dict[str, dict[str, Any]], operation: str
) -> None:
    assert sorted(set(answers[operation]) & set(NOT_APPLICABLE)) == []


@pytest.mark.parametrize("member", NOT_APPLICABLE)
def test_a_member_named_not_applicable_is_an_output_member_of_the_model(member: str) -> None:
    shapes = [MODEL.shape_for(output) for output in JOB_RUN_SHAPES.values()]
    if not any(member in shape.members for shape in shapes):
        assert _version(botocore.__version__) < CHECKED_WITH, (
            f"{member} is named not applicable but no job-run output shape of botocore "
            f"{botocore.__version__} has it"
        )


@pytest.mark.parametrize("member", NOT_APPLICABLE)
def test_a_member_named_not_applicable_gives_its_reason(member: str) -> None:
    reason = NOT_APPLICABLE[member]
    assert reason.strip() == reason
    assert len(reason.split()) >= 5
