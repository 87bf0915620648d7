"""The AWS contract: the botocore service model (the one source of EMR Serverless constraints) and
the botocore it needs, request validation in AWS's wording, the bounds AWS documents beyond the
model (retry policies, scheduler configurations), the checks compiled from the model's shapes,
pagination tokens, the errors, accounts.

May import: nothing of the plugin.
"""
