"""The history document (SPEC sections 6 and 9) and seeding from Python: what documents and seeds
accept for attempts, a job run's plan and its creation, what is still to happen (pending scripts
and faults), a job run in flight, the export of a backend, parsing a document, loading.

May import: models, logs, engine, contract.
"""
