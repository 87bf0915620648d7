"""Concurrency of an application's job runs: its scheduler configuration, the slots its
running job runs hold, and the queue of job runs waiting for one.

Counting is O(1) a step: a set of the job runs holding a slot and an ordered dict of the
ones queued (first in, first out), never a scan of the application's job runs; the set is
made when a run first takes a slot. A queued run that a freed slot goes to holds it at once
(so that no later run overtakes it) and moves to PENDING at its next step.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from ..contract.policies import scheduler_limits
from . import lifecycle

#: As in AWS, applications on this release or later get the default scheduler configuration.
DEFAULT_SCHEDULER_RELEASE = (7, 3, 0)
_RELEASE = re.compile(r"emr-([0-9]+)\.([0-9]+)\.([0-9]+)")


def resolve(given: Mapping[str, Any]) -> dict[str, int]:
    """A scheduler configuration with every member not given at its documented default."""
    limits = scheduler_limits() or {}
    return {
        name: given[name] if given.get(name) is not None else default
        for name, (_, _, default) in limits.items()
    }


def default_for(release_label: str) -> dict[str, int] | None:
    """The configuration an application gets when none is given: the default from
    emr-7.3.0 on, none before."""
    return resolve({}) if _has_default(release_label) else None


def _has_default(release_label: str) -> bool:
    return scheduler_limits() is not None and release_at_least(
        release_label, DEFAULT_SCHEDULER_RELEASE
    )


@functools.lru_cache(maxsize=256)  # applications share a few release labels
def release_at_least(release_label: str, version: tuple[int, int, int]) -> bool:
    """Whether an `emr-X.Y.Z` release label names `version` or a later one (False for a label
    of another form)."""
    found = _RELEASE.match(release_label or "")
    return found is not None and tuple(int(part) for part in found.groups()) >= version


#: Who holds a slot of an application where nobody does: each application gets a set of its
#: own when a job run first takes one (an application of many is mostly an ended history).
_NOBODY: frozenset[str] = frozenset()


class Slots:
    """The scheduler of one application: its configuration, who holds a slot, who waits."""

    __slots__ = ("config", "holders", "queue")

    def __init__(self, config: dict[str, int] | None) -> None:
        self.config = config
        self.holders: AbstractSet[str] = _NOBODY
        #: Job run id -> its history, in the order the runs were queued.
        self.queue: dict[str, Any] = {}

    @property
    def timeout_minutes(self) -> int | None:
        config = self.config
        return None if config is None else config.get("queueTimeoutMinutes")

    def free(self) -> bool:
        """Whether a new attempt may take a slot now (always, without a configuration)."""
        config = self.config
        return config is None or len(self.holders) < config["maxConcurrentRuns"]

    def take(self, job_run_id: str) -> None:
        holders = self.holders
        if isinstance(holders, set):
            holders.add(job_run_id)
        else:
            self.holders = {job_run_id}

    def wait(self, job_run_id: str, history: Any) -> None:
        self.queue[job_run_id] = history

    def release(self, job_run_id: str) -> None:
        """Give back a run's slot, or its place in the queue."""
        holders = self.holders
        if isinstance(holders, set):
            holders.discard(job_run_id)
        self.queue.pop(job_run_id, None)

    def promote(self, now: float) -> list[Any]:
        """Hand free slots to the runs queued first; return their histories.

        A run that has already waited longer than the queue timeout gets none: it leaves the
        queue, and the next poll of it finds it timed out.
        """
        admitted = []
        queue = self.queue
        while queue and self.free():
            job_run_id = next(iter(queue))
            history = queue.pop(job_run_id)
            if lifecycle.overdue(history.progress, now, self.timeout_minutes):
                continue
            self.take(job_run_id)
            admitted.append(history)
        return admitted
