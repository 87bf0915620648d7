"""The application operations' requests, validated against the botocore model before moto sees
them, in AWS's wording: every member of a CreateApplication or UpdateApplication body (with the
documented ranges of `schedulerConfiguration`), UpdateApplication's path label, and
ListApplications' query. A refused request creates and changes nothing: moto never sees it.
"""

from __future__ import annotations

from typing import Any

from .policies import scheduler_configuration_clauses
from .validation import body_clauses, fail, validator

_SCHEDULER = "schedulerConfiguration"


def check_body(operation: str, body: Any) -> None:
    """Raise one ValidationException listing every problem of a CreateApplication or
    UpdateApplication body."""
    given = body.get(_SCHEDULER) if isinstance(body, dict) else None
    if given is None:
        clauses = body_clauses(operation, body)
    else:  # the model's checks of the scheduler configuration, with its documented ranges
        others = {key: value for key, value in body.items() if key != _SCHEDULER}
        clauses = body_clauses(operation, others) + scheduler_configuration_clauses(given)
    if clauses:
        raise fail(clauses)


def check_labels(operation: str, labels: dict[str, str]) -> None:
    """Raise a ValidationException for path labels the model refuses."""
    validator(operation)(labels, {})


def check_list_query(query: dict[str, str], states: list[str]) -> None:
    """Raise a ValidationException for a ListApplications query the model refuses
    (`maxResults=abc`, an empty `maxResults`, an unknown state, ...)."""
    validator("ListApplications")({}, query, {"states": states})
