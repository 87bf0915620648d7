"""Injected faults: the next N calls of an operation answer with an AWS error."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from ..contract.errors import ERROR_STATUS, EmrServerlessError, HistoryError, injected, shown

#: The operations whose answers a fault can replace: those the plugin serves (`responses.job_run_handlers.serve`
#: refuses any other, so that this list and the handlers cannot part).
SERVED_OPERATIONS = frozenset(
    (
        "CancelJobRun",
        "GetDashboardForJobRun",
        "GetJobRun",
        "ListJobRunAttempts",
        "ListJobRuns",
        "StartApplication",
        "StartJobRun",
        "StopApplication",
    )
)


@dataclass
class Fault:
    operation: str
    error: str
    remaining: int
    message: str
    region_name: str | None
    account_id: str | None

    def applies(self, operation: str, account_id: str, region_name: str) -> bool:
        return (
            self.operation == operation
            and self.account_id in (None, account_id)
            and self.region_name in (None, region_name)
        )


def make(
    operation: str,
    error: str,
    times: int,
    message: str | None,
    region_name: str | None,
    account_id: str | None,
) -> Fault:
    """A fault, checked: HistoryError names the argument that is wrong."""
    if operation not in SERVED_OPERATIONS:
        raise HistoryError(
            "operation",
            f"{shown(operation)} is not an operation the plugin serves; use one of "
            f"{', '.join(sorted(SERVED_OPERATIONS))}",
        )
    if error not in ERROR_STATUS:
        raise HistoryError(
            "error",
            f"{shown(error)} is not an error code; use one of {', '.join(sorted(ERROR_STATUS))}",
        )
    if isinstance(times, bool) or not isinstance(times, int) or times < 1:
        raise HistoryError("times", f"must be a positive integer, not {shown(times)}")
    if message is not None:
        if not isinstance(message, str):
            raise HistoryError("message", f"must be a string or None, not {shown(message)}")
        from ..contract.shape_checks import check_text  # the model's checks load when first needed

        check_text(message, "message")
    message = message or f"Injected {error} for {operation}."
    return Fault(operation, error, times, message, region_name, account_id)


class FaultRegistry:
    """Pending faults of the whole process; moto's reset clears them with the backends."""

    def __init__(self) -> None:
        self.pending: list[Fault] = []
        self._lock = threading.Lock()

    def extend(self, faults: list[Fault]) -> None:
        """Add faults made (and so checked) by `make`, after those pending."""
        with self._lock:
            self.pending.extend(faults)

    def take(self, operation: str, account_id: str, region_name: str) -> EmrServerlessError | None:
        """Consume one matching fault and return its error, or None."""
        with self._lock:
            for fault in self.pending:
                if fault.applies(operation, account_id, region_name):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self.pending.remove(fault)
                    return injected(fault.error, fault.message)
        return None

    def snapshot(self) -> list[Fault]:
        """The faults pending now, for `keep_only` to restore."""
        with self._lock:
            return list(self.pending)

    def keep_only(self, kept: list[Fault]) -> None:
        """Drop every pending fault that is not in `kept` (the faults added since a snapshot)."""
        ids = {id(fault) for fault in kept}  # `kept` holds them, so no id is reused meanwhile
        with self._lock:
            self.pending[:] = [fault for fault in self.pending if id(fault) in ids]

    def clear(self) -> None:
        with self._lock:
            self.pending.clear()


FAULTS = FaultRegistry()
