"""Attempt logs: what an attempt leaves behind (its names and contents, made up or seeded), written
into moto's own S3 and CloudWatch Logs.

May import: engine, contract.
"""
