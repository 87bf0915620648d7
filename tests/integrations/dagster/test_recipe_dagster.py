import json
import time

import boto3
import dagster as dg
from dagster_aws.pipes import PipesCloudWatchMessageReader, PipesEMRServerlessClient

import moto_emrs_attempts as mea

LOG_GROUP = "/aws/emr-serverless"


def spark_driver_logs(parsed, **_):
    """Stands in for the job: attempt 3's driver reports a materialization on its stdout."""
    logs = boto3.client("logs", region_name="us-east-1")
    stream = f"/applications/{parsed['applicationId']}/jobs/{parsed['jobRunId']}"
    stream += "/attempts/3/SPARK_DRIVER"
    for name in ("stdout", "stderr"):
        logs.create_log_stream(logGroupName=LOG_GROUP, logStreamName=f"{stream}/{name}")
    report = {
        "asset_key": "etl",
        "metadata": {"attempt": {"raw_value": 3, "type": "int"}},
        "data_version": None,
    }
    messages = [("opened", {}), ("report_asset_materialization", report), ("closed", {})]
    now = int(time.time() * 1000)
    events = [
        {
            "timestamp": now,
            "message": json.dumps({"__dagster_pipes_version": "0.1", "method": m, "params": p}),
        }
        for m, p in messages
    ]
    logs.put_log_events(logGroupName=LOG_GROUP, logStreamName=f"{stream}/stdout", logEvents=events)


def aws_latency(**_):
    time.sleep(0.01)


def test_pipes_reads_the_logs_of_the_attempt_that_succeeded(emrs_client):
    app = emrs_client.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    app = app["applicationId"]
    boto3.client("logs", region_name="us-east-1").create_log_group(logGroupName=LOG_GROUP)
    emrs_client.meta.events.register("after-call.emr-serverless.StartJobRun", spark_driver_logs)
    mea.script_outcomes(["FAILED", "FAILED", "SUCCESS"])
    logs = boto3.client("logs", region_name="us-east-1")
    # dagster-aws tails CloudWatch without pausing; moto answers at once, so give the reader's
    # client the latency AWS has, or its threads starve the run of the GIL.
    logs.meta.events.register("before-call.cloudwatch-logs.GetLogEvents", aws_latency)
    reader = PipesCloudWatchMessageReader(client=logs)
    pipes = PipesEMRServerlessClient(client=emrs_client, message_reader=reader, poll_interval=0.01)

    @dg.asset
    def etl(context: dg.AssetExecutionContext):
        params = {
            "applicationId": app,
            "executionRoleArn": "arn:aws:iam::123456789012:role/job-role",
            "clientToken": "etl-1",
            "jobDriver": {"sparkSubmit": {"entryPoint": "s3://bucket/etl.py"}},
            "retryPolicy": {"maxAttempts": 3},
            "configurationOverrides": {
                "monitoringConfiguration": {"cloudWatchLoggingConfiguration": {"enabled": True}}
            },
        }
        return pipes.run(context=context, start_job_run_params=params).get_materialize_result()

    result = dg.materialize([etl])

    assert result.success
    [materialization] = result.asset_materializations_for_node("etl")
    assert materialization.metadata["attempt"].value == 3
    [run] = emrs_client.list_job_runs(applicationId=app)["jobRuns"]
    driver = f"/applications/{app}/jobs/{run['id']}/attempts/3/SPARK_DRIVER"
    streams = sorted(r.log_stream for r in reader.log_readers.values())
    assert streams == [f"{driver}/stderr", f"{driver}/stdout"]
