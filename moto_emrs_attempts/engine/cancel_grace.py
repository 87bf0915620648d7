"""Graceful cancels: `CancelJobRun`'s `shutdownGracePeriodInSeconds`, as the EMR Serverless
user guide's "Job run cancellation with grace period" page describes it (releases emr-7.9.0 and
later; 0, or 15 to 1800 seconds; by default none for BATCH job runs and 120 seconds for
STREAMING ones; only a RUNNING attempt gets one). The botocore model gives the member no range,
so the guide's numbers are here."""

from __future__ import annotations

from typing import Any

from ..contract.validation import DOCUMENTED, clause
from .scheduler import release_at_least

#: The member, as CancelJobRun's query string and the validation message name it.
MEMBER = "shutdownGracePeriodInSeconds"
#: The first release with graceful cancels; earlier ones terminate at once, whatever is asked.
RELEASE = (7, 9, 0)
#: The periods the guide allows besides 0 (immediate termination).
LOWEST, HIGHEST = 15, 1800
#: The period a STREAMING job run gets when none is given; BATCH job runs get none.
STREAMING_DEFAULT = 120


def clauses(value: Any) -> list[str]:
    """The clause, in AWS's wording, of a period the guide does not allow (none for one it
    does); CancelJobRun's validator lists it with the model's clauses."""
    if not isinstance(value, int) or value == 0 or LOWEST <= value <= HIGHEST:
        return []
    if value > HIGHEST:
        return [clause(value, MEMBER, f"Member must have value less than or equal to {HIGHEST}")]
    return [
        clause(value, MEMBER, f"Member must be 0 or have value greater than or equal to {LOWEST}")
    ]


DOCUMENTED.setdefault("CancelJobRun", {})[MEMBER] = clauses


def period(history: Any, given: int | None) -> int | None:
    """The grace period a cancel of this job run gets, in seconds (None: none): the one given,
    else the mode's default, on emr-7.9.0 and later; never on earlier releases."""
    if not release_at_least(history.release_label, RELEASE):
        return None
    if given is not None:
        return given or None
    return STREAMING_DEFAULT if history.mode == "STREAMING" else None


__all__ = ["MEMBER", "clauses", "period"]
