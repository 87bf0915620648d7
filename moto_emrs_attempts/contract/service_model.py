"""The botocore service model: the single source of EMR Serverless constraints."""

from __future__ import annotations

import re
from typing import Any

import botocore
import botocore.session

from .botocore_version import MIN_BOTOCORE as MIN_BOTOCORE
from .botocore_version import needed

SERVICE_NAME = "emr-serverless"


def _load() -> Any:
    model = botocore.session.get_session().get_service_model(SERVICE_NAME)
    if "ListJobRunAttempts" not in model.operation_names:
        raise needed(botocore.__version__)
    return model


MODEL: Any = _load()


def shape(name: str) -> Any:
    """Return the named shape of the EMR Serverless model."""
    return MODEL.shape_for(name)


def enum(name: str) -> tuple[str, ...]:
    """Return the enum values of the named string shape, in the model's order."""
    return tuple(shape(name).enum)


def error_status(code: str) -> int | None:
    """Return the HTTP status the model documents for an error code, if it models it."""
    for error in MODEL.error_shapes:
        if error.name == code:
            status: int = error.metadata["error"]["httpStatusCode"]
            return status
    return None


_RANGE = re.compile(r"valid range is (?:from )?([0-9]+) to ([0-9]+)")
_DEFAULT = re.compile(r"default value is ([0-9]+)")


def documented_range(shape_name: str, member: str) -> tuple[int, int, int]:
    """Return `(minimum, maximum, default)` of an integer member whose constraints the model
    gives only in its documentation ("The valid range is 1 to 1000", "the default value is 15").

    Raises LookupError when the model lacks the member or does not document them.
    """
    try:
        doc = MODEL.shape_for(shape_name).members[member].documentation
    except Exception as error:  # botocore's NoShapeFoundError, or a missing member
        raise LookupError(f"the model has no {shape_name}.{member}") from error
    bounds, default = _RANGE.search(doc), _DEFAULT.search(doc)
    if bounds is None or default is None:
        raise LookupError(f"the model does not document the range of {shape_name}.{member}")
    return int(bounds.group(1)), int(bounds.group(2)), int(default.group(1))


#: The output shape each operation renders a job run in.
JOB_RUN_SHAPES = {
    "GetJobRun": "JobRun",
    "ListJobRuns": "JobRunSummary",
    "ListJobRunAttempts": "JobRunAttemptSummary",
}

_START_JOB_RUN = MODEL.operation_model("StartJobRun").input_shape

#: StartJobRun body members (path labels excluded) that some job-run output shape also has.
ECHOED: tuple[str, ...] = tuple(
    name
    for name, member in _START_JOB_RUN.members.items()
    if "location" not in member.serialization
    and any(name in shape(output).members for output in JOB_RUN_SHAPES.values())
)


def echoed_in(shape_name: str) -> tuple[str, ...]:
    """The echoed StartJobRun members that an output shape has, in the request's order."""
    members = shape(shape_name).members
    return tuple(name for name in ECHOED if name in members)
