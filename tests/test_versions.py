"""The supported versions (issue 6, item 5): a botocore whose EMR Serverless model lacks
ListJobRunAttempts is refused at import time with an error that names the version needed,
and the version matrix in tox.ini stays in step with that version.

The old model is simulated by hiding the operation from botocore's loaded model; installing
an old botocore is the job of `tox -e moto-min`.
"""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import botocore
import botocore.model
import pytest

from moto_emrs_attempts.contract import service_model

ROOT = Path(__file__).resolve().parent.parent
NEEDED = (
    "moto-emrs-attempts needs botocore>=1.34.116, whose EMR Serverless model has "
    "ListJobRunAttempts; this environment has botocore 1.34.115. "
    "Upgrade with: pip install 'botocore>=1.34.116' 'boto3'"
)


@pytest.fixture
def old_botocore(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore 1.34.115: its EMR Serverless model has every operation but ListJobRunAttempts."""
    names = botocore.model.ServiceModel.operation_names

    def without_attempts(self: botocore.model.ServiceModel) -> list[str]:
        found: list[str] = names.__get__(self, type(self))
        return [name for name in found if name != "ListJobRunAttempts"]

    monkeypatch.setattr(botocore.model.ServiceModel, "operation_names", property(without_attempts))
    monkeypatch.setattr(botocore, "__version__", "1.34.115")


def test_a_model_without_list_job_run_attempts_is_refused_naming_the_version_needed(
    old_botocore: None,
) -> None:
    with pytest.raises(ImportError) as caught:
        service_model._load()

    assert str(caught.value) == NEEDED


def test_the_current_model_is_accepted() -> None:
    assert "ListJobRunAttempts" in service_model._load().operation_names


def test_importing_the_plugin_with_an_old_botocore_fails_with_that_error() -> None:
    script = textwrap.dedent(
        """
        import botocore, botocore.model
        names = botocore.model.ServiceModel.operation_names
        botocore.model.ServiceModel.operation_names = property(
            lambda self: [n for n in names.__get__(self, type(self)) if n != "ListJobRunAttempts"]
        )
        botocore.__version__ = "1.34.115"
        try:
            import moto_emrs_attempts
        except ImportError as error:
            print(error)
        else:
            print("imported")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=True
    )

    assert result.stdout.strip() == NEEDED


def test_the_oldest_botocore_of_the_version_matrix_is_the_one_the_plugin_asks_for() -> None:
    tox = configparser.ConfigParser(interpolation=None)
    tox.read(ROOT / "tox.ini")
    deps = tox["testenv:moto-min"]["deps"]

    pins = dict(re.findall(r"^\s*([\w.\[\]-]+)==(\S+)\s*$", deps, re.MULTILINE))

    assert pins["botocore"] == service_model.MIN_BOTOCORE
    assert pins["boto3"] == service_model.MIN_BOTOCORE  # boto3 1.34.x pairs with botocore 1.34.x
