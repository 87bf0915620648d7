"""moto's applications and job runs, made in bulk for one seed (a history document).

moto's constructors draw a random id one `mock_random.choice` at a time (and moto 5.0's
`start_job_run` renders the application through `inspect.stack()`): most of what a document
of many job runs costs to load. Here the first application and job run of a kind are moto's
own, made by moto's backend; the next ones are built like them, attribute for attribute in
moto's order, with their own ids, names and ARNs and their own copy of every mutable
attribute. Their ids are drawn from `mock_random` exactly as moto draws them (the same
characters from the same draws), so a seeded `mock_random` gives the same ids as before, and
the same ids afterwards. Anything out of the ordinary (a network configuration, an application
moto would refuse, an ARN of another form) goes through moto's backend as before.
"""

from __future__ import annotations

import copy
import random
from datetime import date, datetime
from typing import Any, Callable

from moto.emrserverless import utils as moto_utils
from moto.moto_api._internal import mock_random

from .job_run_progression import Progression, clock

#: What moto's `random_id` draws a character from: `str(choice(list(range(10)) + a..z))`.
_ALPHABET = b"0123456789abcdefghijklmnopqrstuvwxyz"
#: `choice` over 36 items takes `getrandbits(6)`, the top 6 bits of one 32-bit word of the
#: generator, and draws again while it is 36 or more: a word's top byte, shifted, is the index.
_CHARACTER = bytes(_ALPHABET[byte >> 2] if byte >> 2 < len(_ALPHABET) else 0 for byte in range(256))
_REDRAWN = bytes(range(len(_ALPHABET) << 2, 256))
ID_LENGTH = 16


def _drawn(generator: random.Random, size: int = ID_LENGTH) -> str:
    """The id moto's `random_id(size)` draws from `generator`, leaving it as moto leaves it.

    Each character takes at least one word, so asking for as many words as characters are
    still missing never takes a word that moto would not have taken.
    """
    getrandbits = generator.getrandbits
    found = b""
    missing = size
    while missing:
        words = getrandbits(32 * missing).to_bytes(4 * missing, "little")
        kept = words[3::4].translate(_CHARACTER, _REDRAWN)
        found += kept
        missing -= len(kept)
    return found.decode("ascii")


def _draws_like_choice() -> bool:
    """Whether `_drawn` draws what `Random.choice` draws on this Python (checked once)."""
    characters = list(range(10)) + [chr(c) for c in range(ord("a"), ord("z") + 1)]
    for seed in range(16):
        theirs, ours = random.Random(seed), random.Random(seed)
        expected = "".join(str(theirs.choice(characters)) for _ in range(ID_LENGTH))
        if _drawn(ours) != expected or ours.getstate() != theirs.getstate():
            return False
    return True


#: False on a Python whose `choice` draws otherwise: then moto's own function draws every id.
_LIKE_CHOICE = _draws_like_choice()


def draw_id() -> str:
    """A new application or job run id, as moto's constructors draw one."""
    if _LIKE_CHOICE:
        return _drawn(mock_random)
    return str(moto_utils.random_id(size=ID_LENGTH))


_SHARED = (str, int, float, bool, type(None), datetime, date)


def _own(value: Any) -> Any:
    """An attribute's value for a new object: immutable values are shared, others copied."""
    kind = type(value)
    if kind in _SHARED:
        return value
    if kind is dict:
        return {key: _own(item) for key, item in value.items()}
    if kind is list:
        return [_own(item) for item in value]
    return copy.deepcopy(value)


def _copier(value: Any) -> Callable[[Any], Any] | None:
    """How each new object gets its own copy of an attribute's value: None to share it (it
    cannot change), a shallow copy for a dict or list of immutable values, else `_own`."""
    kind = type(value)
    if kind in _SHARED:
        return None
    items = value.values() if kind is dict else value if kind is list else None
    if items is not None and all(type(item) in _SHARED for item in items):
        return dict.copy if kind is dict else list.copy
    return _own


class _Prototype:
    """A snapshot of one of moto's objects, as moto's constructor left it: its class, and its
    attributes in the order the constructor set them, mutable ones copied."""

    __slots__ = ("arn_head", "attributes", "kind")

    def __init__(self, made: Any, arn_tail: str) -> None:
        self.kind: Any = type(made)
        self.attributes = [
            (name, _own(value), _copier(value)) for name, value in vars(made).items()
        ]
        arn: str = made.arn
        self.arn_head: str | None = arn[: -len(arn_tail)] if arn.endswith(arn_tail) else None

    def build(self, **changed: Any) -> Any:
        """A new object like the prototype, with the `changed` attributes."""
        made = self.kind.__new__(self.kind)  # moto's own __new__: it tracks its instances
        for name, value, copier in self.attributes:
            if name in changed:
                setattr(made, name, changed[name])
            else:
                setattr(made, name, value if copier is None else copier(value))
        return made


def engine_of(application: Any) -> Any:
    """An application's type (SPARK or HIVE, as moto keeps it)."""
    # moto 5.1 and later keep the engine in `type`, 5.0 in `application_type`
    return getattr(application, "type", None) or getattr(application, "application_type", None)


class MotoResources:
    """Makes moto's applications and job runs for one seed, in one account and region.

    Call it under the attempts backend's lock, like everything that changes moto's state.
    """

    def __init__(self, emr: Any) -> None:
        self.emr = emr
        self._applications: dict[tuple[str, str], _Prototype] = {}
        self._job_runs: dict[tuple[Any, ...], _Prototype] = {}
        self._now: float | None = None  # one seed is one moment: its applications share it

    def application(
        self,
        *,
        name: str | None,
        release_label: str,
        application_type: str = "SPARK",
        application_id: str | None = None,
    ) -> Any:
        """Create moto's application (validated beforehand), with a given id if one is named;
        return it. It last changed state now (moto stamps midnight): its idle time counts from
        then (SPEC 12)."""
        application = self._application(
            name=name,
            release_label=release_label,
            application_type=application_type,
            application_id=application_id,
        )
        if self._now is None:
            self._now = clock()
        Progression.set_moto_time(application, "updated_at", self._now)
        return application

    def _application(
        self,
        *,
        name: str | None,
        release_label: str,
        application_type: str,
        application_id: str | None,
    ) -> Any:
        emr = self.emr
        key = (release_label, application_type)
        prototype = self._applications.get(key)
        if prototype is None or prototype.arn_head is None:
            created = emr.create_application(
                name=name,
                release_label=release_label,
                application_type=application_type,
                client_token=None,
                initial_capacity=None,
                maximum_capacity=None,
                tags=None,
                auto_start_configuration=None,
                auto_stop_configuration=None,
                network_configuration=None,
            )
            # moto returns the application object; some 5.0 releases returned a dict.
            drawn = str(created["applicationId"] if isinstance(created, dict) else created.id)
            application = emr.applications[drawn]
            if prototype is None:
                self._applications[key] = _Prototype(application, f"/applications/{drawn}")
            if application_id is None or application_id == drawn:
                return application
            # re-key the new (last) entry, so that order is kept
            del emr.applications[drawn]
            application.id = application_id
            application.arn = application.arn[: -len(drawn)] + application_id
            emr.applications[application_id] = application
            return application
        drawn = draw_id()  # drawn even when replaced: the ids drawn after it stay moto's
        new_id = drawn if application_id is None else application_id
        arn = f"{prototype.arn_head}/applications/{new_id}"
        application = prototype.build(id=new_id, name=name, arn=arn)
        emr.applications[new_id] = application
        return application

    def job_run(
        self,
        *,
        application_id: str,
        execution_role_arn: str,
        job_driver: dict[str, Any],
        name: str | None,
        job_run_id: str | None = None,
    ) -> Any:
        """Start moto's job run in an existing application (validated beforehand), with a
        given id if one is named; return it."""
        emr = self.emr
        application = emr.applications[application_id]
        ordinary = (
            getattr(application, "network_configuration", None) is None
            and getattr(application, "state", None) != "TERMINATED"
        )
        key = (application.release_label, engine_of(application))
        prototype = self._job_runs.get(key) if ordinary else None
        if prototype is None or prototype.arn_head is None:
            job_run = emr.start_job_run(
                application_id=application_id,
                client_token=None,
                execution_role_arn=execution_role_arn,
                job_driver=job_driver,
                configuration_overrides=None,
                tags=None,
                execution_timeout_minutes=None,
                name=name,
            )
            drawn = job_run.id
            if ordinary and prototype is None:
                tail = f"/applications/{application_id}/jobruns/{drawn}"
                self._job_runs[key] = _Prototype(job_run, tail)
            if job_run_id is not None:  # the new job run is its list's last: re-key it
                job_run.id = job_run_id
                job_run.arn = job_run.arn[: -len(drawn)] + job_run_id
            return job_run
        drawn = draw_id()  # drawn even when replaced: the ids drawn after it stay moto's
        new_id = drawn if job_run_id is None else job_run_id
        job_run = prototype.build(
            id=new_id,
            arn=f"{prototype.arn_head}/applications/{application_id}/jobruns/{new_id}",
            application_id=application_id,
            execution_role_arn=execution_role_arn,
            job_driver=job_driver,
            name=name,
        )
        runs = emr.job_runs.get(application_id)
        if runs is None:
            runs = emr.job_runs[application_id] = []
        runs.append(job_run)
        return job_run
