#!/usr/bin/env node
// Print every attempt of an EMR Serverless job run, one JSON object per line, paging with the
// AWS SDK for JavaScript v3 against moto-emrs-attempts-server (or any endpoint).
//
//   node list_attempts.mjs <applicationId> <jobRunId> [--endpoint URL] [--page-size N]
//
// The endpoint defaults to $EMRS_ENDPOINT, then $AWS_ENDPOINT_URL, then http://127.0.0.1:5000;
// the region to $AWS_REGION or us-east-1. Credentials come from the usual AWS environment
// variables, with dummy ones when none are set (moto accepts any).
import { EMRServerlessClient, paginateListJobRunAttempts } from "@aws-sdk/client-emr-serverless";

function parseArguments(argv) {
  const positional = [];
  const options = { endpoint: undefined, pageSize: undefined };
  for (let i = 0; i < argv.length; i += 1) {
    const argument = argv[i];
    if (argument === "--endpoint") {
      options.endpoint = argv[++i];
    } else if (argument === "--page-size") {
      options.pageSize = Number.parseInt(argv[++i], 10);
    } else {
      positional.push(argument);
    }
  }
  if (positional.length !== 2 || Number.isNaN(options.pageSize)) {
    console.error("usage: node list_attempts.mjs <applicationId> <jobRunId> [--endpoint URL] [--page-size N]");
    process.exit(2);
  }
  return { applicationId: positional[0], jobRunId: positional[1], ...options };
}

const { applicationId, jobRunId, endpoint, pageSize } = parseArguments(process.argv.slice(2));

const client = new EMRServerlessClient({
  endpoint: endpoint ?? process.env.EMRS_ENDPOINT ?? process.env.AWS_ENDPOINT_URL ?? "http://127.0.0.1:5000",
  region: process.env.AWS_REGION ?? "us-east-1",
  credentials: {
    accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "testing",
    secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "testing",
  },
});

try {
  const pages = paginateListJobRunAttempts({ client, pageSize }, { applicationId, jobRunId });
  for await (const page of pages) {
    for (const attempt of page.jobRunAttempts ?? []) {
      console.log(JSON.stringify(attempt));
    }
  }
} catch (error) {
  console.error(`${error.name}: ${error.message}`);
  process.exitCode = 1;
}
