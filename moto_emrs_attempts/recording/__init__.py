"""`moto-emrs-attempts record`: one application's job runs and attempts read from any endpoint into
a history document, and with `--with-logs` their logs from S3 and CloudWatch Logs.

May import: history, logs, engine, contract.
"""
