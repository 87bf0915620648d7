"""What a mock's end takes back: the faults, scripts and state-manager transitions of the
plugin's models set while it was active.

moto resets its backends only when the outermost mock stops, and never touches its state
manager, which is global to the process. A fault, a script or a transition set under a mock
must not outlive it, even when it is nested in another, or a test that forgets to undo one
changes the next test's runs. So every in-process moto mock (`mock_aws`, `mock_emrs_attempts`,
the `emrs_attempts` fixture, each nesting level) notes when it starts what is pending and which
transitions of the plugin's models are in force, and its stop puts those back. moto's decorators
and context managers all start and stop a mock through `MockAWS.start` and `MockAWS.stop`,
which `install()` wraps.
"""

from __future__ import annotations

import copy
import functools
import sys
from typing import TYPE_CHECKING, Any, Callable

from moto.core.models import MockAWS
from moto.moto_api import state_manager

from ..engine.transitions import MODEL_NAMES

if TYPE_CHECKING:
    from .backend import AttemptsBackend
    from .faults import Fault

_MARKER = "_emrs_attempts_scoped"
#: The attribute of a mock that holds what each of its starts found (one entry a nesting level).
_STACK = "_emrs_attempts_pending"


def _loaded(name: str) -> Any:
    """The plugin's module `name` if something loaded it, else None. No fault, script or
    backend exists before its module is first loaded, and importing it here would cost every
    mock (and `import moto_emrs_attempts`) what loading it when first needed saves."""
    return sys.modules.get(f"{__package__}.{name}")


def _pending_faults() -> list[Fault]:
    faults = _loaded("faults")
    return [] if faults is None else list(faults.FAULTS.snapshot())


def _live_backends() -> list[AttemptsBackend]:
    models = _loaded("backend")
    if models is None:
        return []
    backends = models.attempts_backends
    return [backend for account in list(backends.values()) for backend in account.values()]


def _restore_transition(model: str, before: dict[str, Any]) -> None:
    """Put back the transition that was in force: unset when that gives it (the default
    registered for the model, or moto's), else set it again."""
    state_manager.unset_transition(model)
    if state_manager.get_transition(model) != before:
        state_manager.set_transition(model, before)


class Pending:
    """What was pending when a mock started. When it stops, whatever was added since is
    dropped and the transitions of the plugin's models in force then come back."""

    def __init__(self) -> None:
        self.faults = _pending_faults()
        self.scripts = {id(b): (b, list(b.scripts)) for b in _live_backends()}
        self.transitions = {
            model: copy.deepcopy(state_manager.get_transition(model)) for model in MODEL_NAMES
        }

    def restore(self) -> None:
        faults = _loaded("faults")
        if faults is not None:
            faults.FAULTS.keep_only(self.faults)
        for backend in _live_backends():
            _, before = self.scripts.get(id(backend), (backend, []))
            kept = {id(script) for script in before}
            with backend.lock:
                backend.scripts[:] = [s for s in backend.scripts if id(s) in kept]
        for model, transition in self.transitions.items():
            _restore_transition(model, transition)


def install() -> None:
    """Wrap moto's `MockAWS.start` and `MockAWS.stop` (idempotent)."""
    if MockAWS.__dict__.get(_MARKER, False):
        return
    moto_start: Callable[..., None] = MockAWS.start
    moto_stop: Callable[..., None] = MockAWS.stop

    @functools.wraps(moto_start)
    def start(self: MockAWS, *args: Any, **kwargs: Any) -> None:
        moto_start(self, *args, **kwargs)
        self.__dict__.setdefault(_STACK, []).append(Pending())

    @functools.wraps(moto_stop)
    def stop(self: MockAWS, *args: Any, **kwargs: Any) -> None:
        stack: list[Pending] = self.__dict__.get(_STACK, [])
        try:
            if stack:
                stack.pop().restore()
        finally:
            moto_stop(self, *args, **kwargs)

    setattr(MockAWS, "start", start)  # noqa: B010 - mypy forbids assigning a method
    setattr(MockAWS, "stop", stop)  # noqa: B010
    setattr(MockAWS, _MARKER, True)
