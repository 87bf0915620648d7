"""The wire (moto's `responses`): the HTTP handlers of the EMR Serverless operations the plugin
serves or wraps, the control plane under `/moto-api/emrs-attempts`, the output shapes they
render, and the compiled route ahead of moto's dispatch.

May import: history, models, logs, engine, contract.
"""
