import json
import os
import re
import subprocess
import sys
import urllib.request

import boto3
import pytest

# emr-cli requires click<8, moto's server (flask) click>=8: install emr-cli apart (pipx, or a venv)
EMR = os.environ.get("EMR_CLI", "emr")
ROLE = "arn:aws:iam::123456789012:role/job-role"


@pytest.fixture(scope="module")
def server_url():
    """moto's server with the plugin, on a free port (its first line names the port)."""
    server = subprocess.Popen(
        [sys.executable, "-m", "moto_emrs_attempts", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    yield re.search(r"http://\S+", server.stdout.readline()).group(0)
    server.terminate()
    server.wait()


def script(url, outcomes):
    """The next StartJobRun on the server plays `outcomes`, as `mea.script_outcomes` does."""
    request = urllib.request.Request(
        f"{url}/moto-api/emrs-attempts/scripts",
        data=json.dumps({"outcomes": outcomes}).encode(),
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request).close()


def test_emr_run_shows_the_stdout_of_the_job(server_url, tmp_path):
    s3 = boto3.client("s3", region_name="us-east-1", endpoint_url=server_url)
    s3.create_bucket(Bucket="etl-logs")  # the logUri's bucket must exist, as on AWS
    emr = boto3.client("emr-serverless", region_name="us-east-1", endpoint_url=server_url)
    app = emr.create_application(name="etl", releaseLabel="emr-7.1.0", type="SPARK")
    stdout = "Pi is roughly 3.14\n"
    script(server_url, [{"state": "SUCCESS", "logs": {"SPARK_DRIVER/stdout": stdout}}])
    (tmp_path / "main.py").write_text("print('Pi is roughly 3.14')\n")

    command = (
        f"run --application-id {app['applicationId']} --job-role {ROLE} --entry-point main.py"
        " --s3-code-uri s3://etl-code/code/ --s3-logs-uri s3://etl-logs/logs/ --wait --show-stdout"
    )

    done = subprocess.run(
        [EMR, *command.split()],
        cwd=tmp_path,  # emr-cli packages the .py files it finds there
        env={**os.environ, "AWS_ENDPOINT_URL": server_url, "AWS_DEFAULT_REGION": "us-east-1"},
        capture_output=True,
        text=True,
        check=True,
    )

    assert f"{'-' * 38}\n{stdout}\n" in done.stdout
    assert done.stdout.endswith("[emr-cli]: Job completed successfully!\n")
