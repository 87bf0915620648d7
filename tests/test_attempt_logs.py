"""What an attempt leaves behind: its driver's logs in moto's S3 and CloudWatch Logs (SPEC 11).

Every check reads through boto3's `s3` and `logs` clients, as a log collector would.
"""

from __future__ import annotations

import gzip
from datetime import datetime
from typing import Any

import boto3
import pytest

import moto_emrs_attempts as mea

ROLE = "arn:aws:iam::123456789012:role/job-role"
BUCKET = "emr-job-logs"  # not "logs": moto would route logs.s3.amazonaws.com to CloudWatch Logs
GROUP = "/aws/emr-serverless"
S3_LOGS = {"s3MonitoringConfiguration": {"logUri": f"s3://{BUCKET}/emr"}}
CLOUDWATCH = {"cloudWatchLoggingConfiguration": {"enabled": True}}


# -- helpers ---------------------------------------------------------------------------------


def s3_client(region: str = "us-east-1") -> Any:
    return boto3.client("s3", region_name=region)


def logs_client(region: str = "us-east-1") -> Any:
    return boto3.client("logs", region_name=region)


def make_bucket(name: str = BUCKET, region: str = "us-east-1") -> None:
    s3 = s3_client(region)
    if region == "us-east-1":
        s3.create_bucket(Bucket=name)
    else:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": region})


def read_object(key: str, bucket: str = BUCKET, region: str = "us-east-1") -> str:
    body = s3_client(region).get_object(Bucket=bucket, Key=key)["Body"].read()
    return gzip.decompress(body).decode("utf-8")


def keys(bucket: str = BUCKET, region: str = "us-east-1") -> list[str]:
    listed = s3_client(region).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"] for item in listed.get("Contents", []))


def stream_text(stream: str, group: str = GROUP, region: str = "us-east-1") -> list[str]:
    events = logs_client(region).get_log_events(logGroupName=group, logStreamName=stream)
    return [event["message"] for event in events["events"]]


def streams(group: str = GROUP, region: str = "us-east-1") -> list[str]:
    found = logs_client(region).describe_log_streams(logGroupName=group)["logStreams"]
    return sorted(stream["logStreamName"] for stream in found)


def application(client: Any, monitoring: dict[str, Any] | None = None, kind: str = "SPARK") -> str:
    extra = {} if monitoring is None else {"monitoringConfiguration": monitoring}
    created = client.create_application(
        name="etl", releaseLabel="emr-7.1.0", type=kind, clientToken="app", **extra
    )
    application_id: str = created["applicationId"]
    return application_id


def start(
    client: Any,
    application_id: str,
    monitoring: dict[str, Any] | None = None,
    **members: Any,
) -> str:
    if monitoring is not None:
        members["configurationOverrides"] = {"monitoringConfiguration": monitoring}
    job_run_id: str = client.start_job_run(
        applicationId=application_id, executionRoleArn=ROLE, clientToken="run", **members
    )["jobRunId"]
    return job_run_id


def folder(application_id: str, job_run_id: str, attempt: int = 1) -> str:
    base = f"applications/{application_id}/jobs/{job_run_id}/"
    return base if attempt == 1 else f"{base}attempts/{attempt}/"


# -- S3 --------------------------------------------------------------------------------------


def test_attempt_one_writes_the_drivers_stdout_and_stderr_gzipped_under_the_log_uri(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client)
    run = start(client, app, S3_LOGS)

    base = "emr/" + folder(app, run)
    assert keys() == [f"{base}SPARK_DRIVER/stderr.gz", f"{base}SPARK_DRIVER/stdout.gz"]
    assert read_object(f"{base}SPARK_DRIVER/stdout.gz").endswith("Pi is roughly 3.141592\n")


def test_later_attempts_write_under_attempts_n(emrs_attempts: mea.EmrsAttempts) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client)
    emrs_attempts.script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    run = start(client, app, S3_LOGS, retryPolicy={"maxAttempts": 3})

    assert keys() == sorted(
        f"emr/{folder(app, run, n)}SPARK_DRIVER/{name}.gz"
        for n in (1, 2, 3)
        for name in ("stdout", "stderr")
    )


@pytest.mark.parametrize(
    ("log_uri", "prefix"),
    [
        pytest.param(f"s3://{BUCKET}/emr", "emr/", id="a folder"),
        pytest.param(f"s3://{BUCKET}/emr/", "emr/", id="a folder with a trailing slash"),
        pytest.param(f"s3://{BUCKET}/a/b/", "a/b/", id="nested folders"),
        pytest.param(f"s3://{BUCKET}", "", id="the bucket itself"),
        pytest.param(f"s3://{BUCKET}/", "", id="the bucket with a slash"),
    ],
)
def test_the_log_uri_is_joined_with_one_slash(
    emrs_attempts: mea.EmrsAttempts, log_uri: str, prefix: str
) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client)
    run = start(client, app, {"s3MonitoringConfiguration": {"logUri": log_uri}})

    assert f"{prefix}{folder(app, run)}SPARK_DRIVER/stdout.gz" in keys()


def test_the_applications_monitoring_configuration_applies_to_its_job_runs(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client, S3_LOGS)
    run = start(client, app)

    assert client.get_application(applicationId=app)["application"]["monitoringConfiguration"] == {
        "s3MonitoringConfiguration": {"logUri": f"s3://{BUCKET}/emr"}
    }
    assert f"emr/{folder(app, run)}SPARK_DRIVER/stdout.gz" in keys()


def test_the_job_runs_log_uri_overrides_the_applications(emrs_attempts: mea.EmrsAttempts) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client, S3_LOGS)
    run = start(client, app, {"s3MonitoringConfiguration": {"logUri": f"s3://{BUCKET}/mine"}})

    assert [k for k in keys() if k.startswith("emr/")] == []
    assert f"mine/{folder(app, run)}SPARK_DRIVER/stdout.gz" in keys()


def test_update_application_replaces_the_monitoring_configuration(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client, S3_LOGS)
    client.stop_application(applicationId=app)
    client.update_application(
        applicationId=app, clientToken="u", monitoringConfiguration=CLOUDWATCH
    )
    client.start_application(applicationId=app)
    run = start(client, app)

    assert (
        client.get_application(applicationId=app)["application"]["monitoringConfiguration"]
        == CLOUDWATCH
    )
    assert keys() == []
    assert streams() == [
        f"/{folder(app, run)}SPARK_DRIVER/stderr",
        f"/{folder(app, run)}SPARK_DRIVER/stdout",
    ]


def test_a_hive_application_writes_the_hive_driver(emrs_attempts: mea.EmrsAttempts) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client, kind="HIVE")
    run = start(client, app, S3_LOGS)

    base = f"emr/{folder(app, run)}"
    assert keys() == [f"{base}HIVE_DRIVER/stderr.gz", f"{base}HIVE_DRIVER/stdout.gz"]


def test_objects_are_gzipped_deterministically(emrs_attempts: mea.EmrsAttempts) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client)
    run = start(client, app, S3_LOGS)
    key = f"emr/{folder(app, run)}SPARK_DRIVER/stderr.gz"

    raw = s3_client().get_object(Bucket=BUCKET, Key=key)["Body"].read()
    assert raw == gzip.compress(gzip.decompress(raw), mtime=0)


# -- CloudWatch Logs -------------------------------------------------------------------------


def test_cloudwatch_streams_go_to_the_default_log_group_which_is_created(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    app = application(client)
    run = start(client, app, CLOUDWATCH)

    base = f"/{folder(app, run)}SPARK_DRIVER"
    assert streams() == [f"{base}/stderr", f"{base}/stdout"]
    assert stream_text(f"{base}/stdout")[-1] == "Pi is roughly 3.141592"


def test_cloudwatch_streams_of_later_attempts_name_the_attempt(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    app = application(client)
    emrs_attempts.script_outcomes(["FAILED", "SUCCESS"])
    run = start(client, app, CLOUDWATCH, retryPolicy={"maxAttempts": 2})

    assert streams() == sorted(
        f"/{folder(app, run, n)}SPARK_DRIVER/{name}"
        for n in (1, 2)
        for name in ("stdout", "stderr")
    )


def test_the_stream_prefix_and_the_log_group_are_taken_as_given(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    logs_client().create_log_group(logGroupName="/team/etl")
    app = application(client)
    config = {"enabled": True, "logGroupName": "/team/etl", "logStreamNamePrefix": "nightly"}
    run = start(client, app, {"cloudWatchLoggingConfiguration": config})

    base = f"nightly/{folder(app, run)}SPARK_DRIVER"
    assert streams("/team/etl") == [f"{base}/stderr", f"{base}/stdout"]


@pytest.mark.parametrize(
    ("log_types", "expected"),
    [
        pytest.param({"SPARK_DRIVER": ["STDERR"]}, ["SPARK_DRIVER/stderr"], id="stderr only"),
        pytest.param({"SPARK_DRIVER": ["STDOUT"]}, ["SPARK_DRIVER/stdout"], id="stdout only"),
        pytest.param({"SPARK_EXECUTOR": ["STDOUT"]}, [], id="another worker type"),
    ],
)
def test_log_types_choose_the_streams(
    emrs_attempts: mea.EmrsAttempts, log_types: dict[str, list[str]], expected: list[str]
) -> None:
    client = emrs_attempts.client()
    app = application(client)
    config = {"enabled": True, "logTypes": log_types}
    run = start(client, app, {"cloudWatchLoggingConfiguration": config})

    assert streams() == [f"/{folder(app, run)}{name}" for name in expected]


def test_a_disabled_cloudwatch_configuration_writes_nothing(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    app = application(client)
    start(client, app, {"cloudWatchLoggingConfiguration": {"enabled": False}})

    assert logs_client().describe_log_groups()["logGroups"] == []


def test_a_run_without_a_monitoring_configuration_writes_nowhere(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    app = application(client)
    start(client, app)

    assert s3_client().list_buckets()["Buckets"] == []
    assert logs_client().describe_log_groups()["logGroups"] == []


# -- destinations that do not exist -----------------------------------------------------------


def test_a_missing_bucket_fails_every_attempt_naming_the_log_uri(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    app = application(client)
    run = start(client, app, S3_LOGS, retryPolicy={"maxAttempts": 2})

    attempts = client.list_job_run_attempts(applicationId=app, jobRunId=run)["jobRunAttempts"]
    details = (
        f"Job run failed: cannot write logs to s3://{BUCKET}/emr: the S3 bucket {BUCKET} "
        "does not exist."
    )
    assert [(a["state"], a["stateDetails"]) for a in attempts] == [("FAILED", details)] * 2
    assert client.get_job_run(applicationId=app, jobRunId=run)["jobRun"]["stateDetails"] == details


def test_a_log_uri_that_is_not_s3_fails_the_attempt(emrs_attempts: mea.EmrsAttempts) -> None:
    client = emrs_attempts.client()
    app = application(client)
    run = start(client, app, {"s3MonitoringConfiguration": {"logUri": "https://example.com/x"}})

    job_run = client.get_job_run(applicationId=app, jobRunId=run)["jobRun"]
    assert (job_run["state"], job_run["stateDetails"]) == (
        "FAILED",
        "Job run failed: the logUri 'https://example.com/x' is not an S3 URI such as "
        "s3://bucket/logs.",
    )


def test_a_named_log_group_that_does_not_exist_fails_the_attempt(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    app = application(client)
    config = {"enabled": True, "logGroupName": "/team/missing"}
    run = start(client, app, {"cloudWatchLoggingConfiguration": config})

    job_run = client.get_job_run(applicationId=app, jobRunId=run)["jobRun"]
    assert (job_run["state"], job_run["stateDetails"]) == (
        "FAILED",
        "Job run failed: cannot write logs to the CloudWatch log group /team/missing: "
        "it does not exist.",
    )


# -- over time -------------------------------------------------------------------------------


def test_logs_appear_at_running_and_hold_the_whole_text_once_the_attempt_ends(
    emrs_attempts: mea.EmrsAttempts, manual: None
) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client)
    run = start(client, app, {**S3_LOGS, **CLOUDWATCH})
    key = f"emr/{folder(app, run)}SPARK_DRIVER/stderr.gz"
    stream = f"/{folder(app, run)}SPARK_DRIVER/stderr"
    seen = []
    for _ in range(4):  # PENDING, SCHEDULED, RUNNING, SUCCESS
        state = client.get_job_run(applicationId=app, jobRunId=run)["jobRun"]["state"]
        text = read_object(key) if keys() else None
        events = stream_text(stream) if logs_client().describe_log_groups()["logGroups"] else None
        seen.append((state, text is not None and text.count("\n"), events and len(events)))

    assert seen == [
        ("PENDING", False, None),
        ("SCHEDULED", False, None),
        ("RUNNING", 3, 3),
        ("SUCCESS", 4, 4),
    ]
    assert read_object(key).endswith("INFO SparkContext: Successfully stopped SparkContext\n")


def test_an_attempt_cancelled_before_it_ran_leaves_no_logs(
    emrs_attempts: mea.EmrsAttempts, manual: None
) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client)
    run = start(client, app, S3_LOGS)
    client.cancel_job_run(applicationId=app, jobRunId=run)
    client.get_job_run(applicationId=app, jobRunId=run)

    assert keys() == []


def test_an_attempt_cancelled_while_running_ends_its_stderr_with_the_cancellation(
    emrs_attempts: mea.EmrsAttempts, manual: None
) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client)
    run = start(client, app, S3_LOGS)
    for _ in range(3):
        client.get_job_run(applicationId=app, jobRunId=run)  # PENDING, SCHEDULED, RUNNING
    client.cancel_job_run(applicationId=app, jobRunId=run)
    job_run = client.get_job_run(applicationId=app, jobRunId=run)["jobRun"]

    stderr = read_object(f"emr/{folder(app, run)}SPARK_DRIVER/stderr.gz")
    assert job_run["state"] == "CANCELLED"
    assert stderr.rstrip("\n").endswith(job_run["stateDetails"])


# -- content ---------------------------------------------------------------------------------


def test_a_failed_attempts_default_stderr_ends_with_its_state_details(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client)
    emrs_attempts.script_outcomes([mea.Attempt("FAILED", "Driver ran out of memory"), "SUCCESS"])
    run = start(client, app, S3_LOGS, retryPolicy={"maxAttempts": 2})

    first = client.get_job_run(applicationId=app, jobRunId=run, attempt=1)["jobRun"]
    stderr = read_object(f"emr/{folder(app, run)}SPARK_DRIVER/stderr.gz")
    assert first["stateDetails"] == "Driver ran out of memory"
    assert stderr.rstrip("\n").endswith("ERROR SPARK_DRIVER: Driver ran out of memory")


def test_scripted_logs_are_the_attempts_text(emrs_attempts: mea.EmrsAttempts) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client)
    emrs_attempts.script_outcomes(
        [
            mea.Attempt("FAILED", logs={"SPARK_DRIVER/stderr": "boom\n"}),
            mea.Attempt("SUCCESS", logs={"SPARK_DRIVER/stdout": "rows: 42\n"}),
        ]
    )
    run = start(client, app, {**S3_LOGS, **CLOUDWATCH}, retryPolicy={"maxAttempts": 2})

    assert read_object(f"emr/{folder(app, run)}SPARK_DRIVER/stderr.gz") == "boom\n"
    assert read_object(f"emr/{folder(app, run, 2)}SPARK_DRIVER/stdout.gz") == "rows: 42\n"
    assert stream_text(f"/{folder(app, run, 2)}SPARK_DRIVER/stdout") == ["rows: 42"]


def test_a_seeded_job_run_writes_its_given_logs_bytes_exactly(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client, S3_LOGS)
    raw = b"\x00\xffbinary\n"
    run = emrs_attempts.seed_job_run(
        [
            mea.Attempt(
                "SUCCESS", logs={"SPARK_DRIVER/stdout": raw, "SPARK_EXECUTOR/1/stderr": "x\n"}
            )
        ],
        application_id=app,
    )

    base = f"emr/{folder(app, run.job_run_id)}"
    body = s3_client().get_object(Bucket=BUCKET, Key=f"{base}SPARK_DRIVER/stdout.gz")["Body"]
    assert gzip.decompress(body.read()) == raw
    assert read_object(f"{base}SPARK_EXECUTOR/1/stderr.gz") == "x\n"
    assert f"{base}SPARK_DRIVER/stderr.gz" in keys()  # the driver's other log is made up


def test_seeding_creates_a_missing_bucket(emrs_attempts: mea.EmrsAttempts) -> None:
    client = emrs_attempts.client()
    app = application(client, S3_LOGS)
    run = emrs_attempts.seed_job_run(["FAILED"], application_id=app)

    assert f"emr/{folder(app, run.job_run_id)}SPARK_DRIVER/stderr.gz" in keys()


def test_seed_attempts_writes_the_appended_attempts_logs(emrs_attempts: mea.EmrsAttempts) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client, S3_LOGS)
    run = emrs_attempts.seed_job_run(["FAILED"], application_id=app)
    emrs_attempts.seed_attempts(
        app, run.job_run_id, [mea.Attempt("SUCCESS", logs={"SPARK_DRIVER/stdout": "done\n"})]
    )

    assert read_object(f"emr/{folder(app, run.job_run_id, 2)}SPARK_DRIVER/stdout.gz") == "done\n"


@pytest.mark.parametrize(
    ("logs", "message"),
    [
        pytest.param({"DRIVER/stdout": "x"}, "attempts[0].logs: 'DRIVER/stdout' is not a log name; use a driver's such as 'SPARK_DRIVER/stdout' or 'HIVE_DRIVER/stderr', or a worker's such as 'SPARK_EXECUTOR/1/stdout' (log types: stdout, stderr, hive_log, tez_am, system_logs)", id="unknown worker"),
        pytest.param({"SPARK_DRIVER/stdout.gz": "x"}, "attempts[0].logs: 'SPARK_DRIVER/stdout.gz' is not a log name; use a driver's such as 'SPARK_DRIVER/stdout' or 'HIVE_DRIVER/stderr', or a worker's such as 'SPARK_EXECUTOR/1/stdout' (log types: stdout, stderr, hive_log, tez_am, system_logs)", id="with .gz"),
        pytest.param({"SPARK_EXECUTOR/stdout": "x"}, "attempts[0].logs: 'SPARK_EXECUTOR/stdout' is not a log name; use a driver's such as 'SPARK_DRIVER/stdout' or 'HIVE_DRIVER/stderr', or a worker's such as 'SPARK_EXECUTOR/1/stdout' (log types: stdout, stderr, hive_log, tez_am, system_logs)", id="executor without id"),
        pytest.param({"SPARK_EXECUTOR/../stdout": "x"}, "attempts[0].logs: 'SPARK_EXECUTOR/../stdout' is not a log name: a segment is empty, '.' or '..'", id="a .. segment"),
        pytest.param({"TEZ_TASK/./stderr": "x"}, "attempts[0].logs: 'TEZ_TASK/./stderr' is not a log name: a segment is empty, '.' or '..'", id="a . segment"),
        pytest.param({"SPARK_DRIVER//stdout": "x"}, "attempts[0].logs: 'SPARK_DRIVER//stdout' is not a log name: a segment is empty, '.' or '..'", id="an empty segment"),
        pytest.param({"HIVE_DRIVER/stderr": "x"}, "attempts[0].logs: 'HIVE_DRIVER/stderr' is not a log a SPARK application writes (SPARK_DRIVER: stdout, stderr; SPARK_EXECUTOR: stdout, stderr)", id="a Hive driver's"),
        pytest.param({"TEZ_TASK/1/stdout": "x"}, "attempts[0].logs: 'TEZ_TASK/1/stdout' is not a log a SPARK application writes (SPARK_DRIVER: stdout, stderr; SPARK_EXECUTOR: stdout, stderr)", id="a Tez task's"),
        pytest.param({"SPARK_DRIVER/hive_log": "x"}, "attempts[0].logs: 'SPARK_DRIVER/hive_log' is not a log a SPARK application writes (SPARK_DRIVER: stdout, stderr; SPARK_EXECUTOR: stdout, stderr)", id="a Hive log type"),
        pytest.param({"SPARK_DRIVER/stdout": 3}, "attempts[0].logs.SPARK_DRIVER/stdout: must be a str or bytes, not 3", id="not text"),
        pytest.param(["SPARK_DRIVER/stdout"], "attempts[0].logs: must be an object of log names to their text, not ['SPARK_DRIVER/stdout']", id="not a mapping"),
    ],
)  # fmt: skip
def test_bad_seeded_logs_name_their_path_and_seed_nothing(
    emrs_attempts: mea.EmrsAttempts, logs: Any, message: str
) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.seed_job_run([mea.Attempt("SUCCESS", logs=logs)])

    assert str(caught.value) == message
    assert emrs_attempts.client().list_applications()["applications"] == []


HIVE_APP = {"applicationId": "00hive0001", "type": "HIVE", "monitoringConfiguration": S3_LOGS}


@pytest.mark.parametrize(
    ("logs", "message"),
    [
        pytest.param({"SPARK_DRIVER/stdout": "x"}, "jobRuns[1].attempts[1].logs: 'SPARK_DRIVER/stdout' is not a log a HIVE application writes (HIVE_DRIVER: stdout, stderr, hive_log, tez_am; TEZ_TASK: stdout, stderr, system_logs)", id="a Spark driver's"),
        pytest.param({"TEZ_TASK/1/hive_log": "x"}, "jobRuns[1].attempts[1].logs: 'TEZ_TASK/1/hive_log' is not a log a HIVE application writes (HIVE_DRIVER: stdout, stderr, hive_log, tez_am; TEZ_TASK: stdout, stderr, system_logs)", id="a driver's type on a task"),
    ],
)  # fmt: skip
def test_logs_of_another_engine_in_a_document_name_their_path_and_seed_nothing(
    emrs_attempts: mea.EmrsAttempts, logs: Any, message: str
) -> None:
    make_bucket()
    document = {
        "version": 1,
        "applications": [HIVE_APP],
        "jobRuns": [
            {"applicationId": "00hive0001", "attempts": ["SUCCESS"]},
            {"applicationId": "00hive0001", "attempts": [{"state": "FAILED"}, {"state": "SUCCESS", "logs": logs}]},
        ],
    }  # fmt: skip

    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.load_history(document)

    assert str(caught.value) == message
    assert emrs_attempts.client().list_applications()["applications"] == []
    assert keys() == []


def test_a_hive_applications_own_logs_are_written(emrs_attempts: mea.EmrsAttempts) -> None:
    make_bucket()
    logs = {"HIVE_DRIVER/hive_log": "q\n", "TEZ_TASK/7/system_logs": "s\n"}
    emrs_attempts.load_history(
        {"version": 1, "applications": [HIVE_APP], "jobRuns": [{"applicationId": "00hive0001", "attempts": [{"state": "SUCCESS", "logs": logs}]}]}
    )  # fmt: skip

    assert {key.split("/", 5)[-1] for key in keys()} >= {
        "HIVE_DRIVER/hive_log.gz",
        "TEZ_TASK/7/system_logs.gz",
    }


def test_seed_attempts_and_scripts_refuse_logs_of_another_engine(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    run = emrs_attempts.seed_job_run(["FAILED"])
    hive_log = [mea.Attempt("SUCCESS", logs={"HIVE_DRIVER/stderr": "x"})]
    problem = (
        "'HIVE_DRIVER/stderr' is not a log a SPARK application writes "
        "(SPARK_DRIVER: stdout, stderr; SPARK_EXECUTOR: stdout, stderr)"
    )

    with pytest.raises(mea.HistoryError) as appended:
        emrs_attempts.seed_attempts(run.application_id, run.job_run_id, hive_log)
    with pytest.raises(mea.HistoryError) as scripted:
        emrs_attempts.script_outcomes(hive_log, application_id=run.application_id)

    assert str(appended.value) == f"attempts[0].logs: {problem}"
    assert str(scripted.value) == f"outcomes[0].logs: {problem}"
    assert (
        emrs_attempts.seed_attempts(run.application_id, run.job_run_id, ["SUCCESS"]).attempts == 2
    )


def test_a_script_for_any_application_writes_only_the_logs_of_the_engine_that_plays_it(
    emrs_attempts: mea.EmrsAttempts,
) -> None:
    client = emrs_attempts.client()
    make_bucket()
    app = application(client, S3_LOGS, kind="HIVE")
    logs = {"HIVE_DRIVER/hive_log": "q\n", "SPARK_EXECUTOR/1/stdout": "s\n"}
    emrs_attempts.script_outcomes([mea.Attempt("SUCCESS", logs=logs)])

    run = start(client, app)

    base = f"emr/{folder(app, run)}"
    assert keys() == [f"{base}HIVE_DRIVER/{name}.gz" for name in ("hive_log", "stderr", "stdout")]
    [exported] = emrs_attempts.export_history()["jobRuns"]
    assert exported["attempts"][0]["logs"] == {"HIVE_DRIVER/hive_log": "q\n"}


def test_a_scripted_attempt_with_times_is_refused(emrs_attempts: mea.EmrsAttempts) -> None:
    with pytest.raises(mea.HistoryError) as caught:
        emrs_attempts.script_outcomes([mea.Attempt("SUCCESS", created_at=datetime(2026, 1, 1))])

    assert str(caught.value) == (
        "outcomes[0]: a scripted attempt takes no times: a started job run's come from the clock"
    )


# -- accounts, regions, partitions ----------------------------------------------------------


@pytest.mark.parametrize("region", ["eu-west-1", "cn-north-1", "us-gov-west-1"])
def test_logs_are_written_in_the_job_runs_region_and_partition(
    emrs_attempts: mea.EmrsAttempts, region: str
) -> None:
    client = emrs_attempts.client(region)
    make_bucket(region=region)
    app = application(client)
    run = start(client, app, {**S3_LOGS, **CLOUDWATCH})

    assert f"emr/{folder(app, run)}SPARK_DRIVER/stdout.gz" in keys(region=region)
    assert f"/{folder(app, run)}SPARK_DRIVER/stdout" in streams(region=region)
    assert (
        logs_client("us-east-1").describe_log_groups()["logGroups"] == [] or region == "us-east-1"
    )


def test_logs_are_written_in_the_job_runs_account(
    emrs_attempts: mea.EmrsAttempts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MOTO_ACCOUNT_ID", "111122223333")
    client = emrs_attempts.client()
    app = application(client)
    client.start_job_run(
        applicationId=app,
        executionRoleArn="arn:aws:iam::111122223333:role/job-role",
        clientToken="run",
        configurationOverrides={"monitoringConfiguration": CLOUDWATCH},
    )

    assert len(streams()) == 2
    monkeypatch.delenv("MOTO_ACCOUNT_ID")
    assert logs_client().describe_log_groups()["logGroups"] == []
