import json

import boto3
import dagster as dg
from dagster_aws.pipes import PipesCloudWatchMessageReader, PipesEMRServerlessClient

import moto_emrs_attempts as mea


def pipes_messages(*messages):
    """What a job's driver prints with dagster-pipes: one JSON message a line."""
    lines = [{"__dagster_pipes_version": "0.1", "method": m, "params": p} for m, p in messages]
    return "".join(json.dumps(line) + "\n" for line in lines)


def test_pipes_reads_the_messages_of_the_attempt_that_succeeded(emrs_client):
    app = emrs_client.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    app = app["applicationId"]
    report = {
        "asset_key": "etl",
        "metadata": {"attempt": {"raw_value": 3, "type": "int"}},
        "data_version": None,
    }
    stdout = pipes_messages(
        ("opened", {}), ("report_asset_materialization", report), ("closed", {})
    )
    # attempt 3's driver prints them; the plugin writes each attempt's stdout to CloudWatch
    success = mea.Attempt("SUCCESS", logs={"SPARK_DRIVER/stdout": stdout})
    mea.script_outcomes(["FAILED", "FAILED", success])
    logs = boto3.client("logs", region_name="us-east-1")
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
