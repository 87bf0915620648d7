#!/usr/bin/env bash
# Seed a FAILED -> FAILED -> SUCCESS history on a running server, then list it with the AWS CLI.
#
#   moto-emrs-attempts serve &             # or: moto-emrs-attempts-server, python -m moto_emrs_attempts
#   bash examples/server_demo.sh [http://127.0.0.1:5000]
set -euo pipefail
endpoint="${1:-http://127.0.0.1:5000}"
export AWS_ACCESS_KEY_ID="${AWS_ACCESS_KEY_ID:-testing}" AWS_SECRET_ACCESS_KEY="${AWS_SECRET_ACCESS_KEY:-testing}"

seeded=$(curl -sS --fail-with-body -X POST "$endpoint/moto-api/emrs-attempts/history" \
  -H 'Content-Type: application/json' \
  -d '{"version": 1, "jobRuns": [{"name": "nightly-etl", "retryPolicy": {"maxAttempts": 3},
       "attempts": [{"state": "FAILED", "stateDetails": "Driver OOM"}, {"state": "FAILED"},
                    {"state": "SUCCESS"}]}]}')
read -r application_id job_run_id < <(python3 -c '
import json, sys
run = json.load(sys.stdin)["jobRuns"][0]
print(run["applicationId"], run["jobRunId"])' <<<"$seeded")

aws emr-serverless list-job-run-attempts --endpoint-url "$endpoint" --region us-east-1 \
  --application-id "$application_id" --job-run-id "$job_run_id" \
  --query 'jobRunAttempts[].[attempt, state, stateDetails]' --output text
