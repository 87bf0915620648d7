"""Hypothesis profiles for the property-based tests; import this module before using `@given`.

| profile   | examples per test | state-machine runs x steps | order                            |
|-----------|-------------------|----------------------------|----------------------------------|
| `quick`   | 25                | 4 x 30                     | derandomized: the same every run |
| `default` | 300               | 40 x 30                    | derandomized: the same every run |
| `deep`    | 10,000            | 1,000 x 50                 | random: new inputs every run     |

Choose one with `HYPOTHESIS_PROFILE=deep pytest tests/test_fuzz.py tests/test_state_machine.py`;
the README's fast subset takes `quick`.
No profile writes an example database: the suite leaves no `.hypothesis/` directory behind.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

#: The examples a property runs under the default profile.
DEFAULT_EXAMPLES = 300
#: The examples a property runs under the deep profile.
DEEP_EXAMPLES = 10_000

_COMMON = {
    "deadline": None,  # a request is milliseconds, but a busy CI box must not turn that into a failure
    "database": None,
    "print_blob": True,
    # The tests share one seeded mock between examples on purpose (seeding is the slow part).
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
}

settings.register_profile(
    "quick", max_examples=25, stateful_step_count=30, derandomize=True, **_COMMON
)
settings.register_profile(
    "default", max_examples=DEFAULT_EXAMPLES, stateful_step_count=30, derandomize=True, **_COMMON
)
settings.register_profile(
    "deep", max_examples=DEEP_EXAMPLES, stateful_step_count=50, derandomize=False, **_COMMON
)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "default")
settings.load_profile(PROFILE)

#: Runs of a state machine (each of up to `stateful_step_count` steps) per profile.
STATEFUL_EXAMPLES = {"quick": 4, "default": 40, "deep": 1_000}


def stateful_settings() -> settings:
    """The current profile, with the number of state-machine runs it asks for."""
    return settings(max_examples=STATEFUL_EXAMPLES.get(PROFILE, settings.default.max_examples))
