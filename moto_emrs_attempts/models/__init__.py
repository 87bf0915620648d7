"""The backend (moto's `models`): attempt histories per account, region, application and job run;
the listing operations; a job run as of one attempt and its dashboard; the progression that
applies the engine's steps to moto's job runs; injected faults; the guard every public function
passes; moto's own applications and job runs made in bulk.

May import: logs, engine, contract.
"""
