"""Reading moto's state-manager transition for job runs: the three forms this model takes,
and the error for any other (moto's state manager accepts any dict).

Pure: the caller reads the state manager and hands the transition over.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

#: The model name of job runs in moto's state manager.
MODEL_NAME = "emrserverless::job_run"
#: The model name of applications in moto's state manager (SPEC 2).
APPLICATION_MODEL_NAME = "emrserverless::application"
#: Every model of the plugin in moto's state manager: a transition of one of them set under a
#: mock ends with that mock (`models.backend.mock_scope`), and `EmrsAttempts.progression` sets them. A model the
#: plugin registers joins this tuple.
MODEL_NAMES = (MODEL_NAME, APPLICATION_MODEL_NAME)
#: The transition registered as the model's default: every run is born with its history.
DEFAULT_TRANSITION: dict[str, Any] = {"progression": "immediate"}


class Transition(NamedTuple):
    """A state-manager transition this model can use."""

    progression: str  # "immediate", "manual" or "time"
    times: int = 1
    seconds: float = 0.0


IMMEDIATE = Transition("immediate")

#: The transitions this model takes, as the error for any other one lists them.
TRANSITION_FORMS = (
    '{"progression": "immediate"}, {"progression": "manual", "times": N} with N >= 1, '
    'or {"progression": "time", "seconds": S} with S >= 0'
)


class UnusableTransition(ValueError):
    """A state-manager transition this model cannot use; the message shows it and the forms
    this model takes."""

    def __init__(self, raw: Any, model: str = MODEL_NAME) -> None:
        super().__init__(
            f"The state manager's transition for {model}, {raw!r}, is not one this model "
            f"can use: use {TRANSITION_FORMS}."
        )
        self.raw = raw


def transition_of(raw: Any, model: str = MODEL_NAME) -> Transition:
    """Read a state-manager transition, or raise UnusableTransition.

    moto's state manager accepts any dict: an unknown progression, `times` that is not an
    integer of 1 or more, `seconds` that is not a number of 0 or more, or a missing one is a
    mistake to report, not a reason to guess. Other keys are left alone.

        >>> transition_of({"progression": "manual", "times": 2})
        Transition(progression='manual', times=2, seconds=0.0)
    """
    if isinstance(raw, Mapping):
        progression = raw.get("progression")
        if progression == "immediate":
            return IMMEDIATE
        if progression == "manual":
            times = raw.get("times")
            if isinstance(times, int) and not isinstance(times, bool) and times >= 1:
                return Transition("manual", times=times)
        elif progression == "time":
            seconds = raw.get("seconds")
            if isinstance(seconds, (int, float)) and not isinstance(seconds, bool) and seconds >= 0:
                return Transition("time", seconds=float(seconds))
    raise UnusableTransition(raw, model)


def requested(
    progression: Any,
    *,
    times: Any = None,
    seconds: Any = None,
    model: str = MODEL_NAME,
) -> dict[str, Any]:
    """The state-manager transition that `EmrsAttempts.progression` sets, or UnusableTransition:
    one this model can use, with `times` only for `manual` and `seconds` only for `time`.

        >>> requested("manual", times=2)
        {'progression': 'manual', 'times': 2}
    """
    raw: dict[str, Any] = {"progression": progression}
    if times is not None:
        raw["times"] = times
    if seconds is not None:
        raw["seconds"] = seconds
    progression_of = transition_of(raw, model).progression
    if (times is not None and progression_of != "manual") or (
        seconds is not None and progression_of != "time"
    ):
        raise UnusableTransition(raw, model)
    return raw
