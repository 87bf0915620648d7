"""The benchmark (`tests/benchmarks/bench_attempts.py`) still runs: tiny sizes, no targets.

The figures themselves are measured by running the benchmark at full size; this only checks
that every figure is printed as the documented JSON line, so the benchmark cannot rot.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).parent / "benchmarks" / "bench_attempts.py"
FIGURES = [
    "P1",
    "P2",
    "P3",
    "P4",
    "Seeding",
    "P5",
    "P6",
    "P7",
    "P11",
    "P9",
    "Recording",
    "Logs",
    "Export",
    "Load",
    "P8",
    "P10",
    "Import",
]
TARGETS = {
    "P1": "<= 1.15",
    "P2": "<= 0.55",
    "P3": "<= 1.2",
    "P4": "<= 200",
    "P5": ">= 1.0",
    "Seeding": None,
    "P6": "<= 0.6",
    "P7": "<= 1.2",
    "P11": "<= 0.6",
    "P9": "<= 0.25",
    "Recording": None,
    "Logs": "<= 1.05",
    "Export": None,
    "Load": None,
    "P8": "<= 11",
    "P10": "<= 1.2",
    "Import": "<= 60",
}

pytestmark = pytest.mark.slow  # starts moto's server for P5


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(BENCH), "--quick", *args],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


@pytest.fixture(scope="module")
def quick_run() -> subprocess.CompletedProcess[str]:
    return _run()


@pytest.fixture(scope="module")
def lines(quick_run: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    parsed = [json.loads(line) for line in quick_run.stdout.splitlines() if line.startswith("{")]
    return {line["figure"]: line for line in parsed}


def test_quick_run_exits_0_without_check(quick_run: subprocess.CompletedProcess[str]) -> None:
    assert quick_run.returncode == 0, quick_run.stderr


def test_every_figure_is_printed_once_as_a_json_line(
    quick_run: subprocess.CompletedProcess[str],
) -> None:
    printed = [
        json.loads(line)["figure"] for line in quick_run.stdout.splitlines() if line[:1] == "{"
    ]
    assert sorted(printed) == sorted(FIGURES)


@pytest.mark.parametrize("name", FIGURES)
def test_each_figure_states_its_target(name: str, lines: dict[str, dict[str, Any]]) -> None:
    assert lines[name]["target"] == TARGETS[name]


@pytest.mark.parametrize("name", FIGURES)
def test_each_figure_is_measured_as_a_positive_finite_ratio(
    name: str, lines: dict[str, dict[str, Any]]
) -> None:
    line = lines[name]
    assert "skipped" not in line, line["skipped"]
    assert isinstance(line["ratio"], float)
    assert math.isfinite(line["ratio"])
    assert line["ratio"] > 0


@pytest.mark.parametrize(
    "name", ["P1", "P2", "P3", "P4", "P5", "P6", "P7", "P11", "P9", "P8", "P10", "Import"]
)
def test_ok_is_the_ratio_checked_against_the_target(
    name: str, lines: dict[str, dict[str, Any]]
) -> None:
    line = lines[name]
    op, limit = line["target"].split()
    within = line["ratio"] <= float(limit) if op == "<=" else line["ratio"] >= float(limit)
    assert line["ok"] is (within and line.get("errors", 0) == 0)


@pytest.mark.parametrize("name", ["Seeding", "Export", "Load", "Recording"])
def test_reported_figures_have_no_verdict(name: str, lines: dict[str, dict[str, Any]]) -> None:
    assert lines[name]["ok"] is None


def test_export_and_load_report_both_sides_in_milliseconds(
    lines: dict[str, dict[str, Any]],
) -> None:
    assert lines["Export"]["export_ms"] > 0 and lines["Export"]["dicts_ms"] > 0
    assert lines["Load"]["load_ms"] > 0 and lines["Load"]["dicts_ms"] > 0


def test_p8_compares_ten_times_the_attempts(lines: dict[str, dict[str, Any]]) -> None:
    small, large = lines["P8"]["attempts"]
    assert large == 10 * small
    assert lines["P8"]["dicts_ratio"] > 0


@pytest.mark.parametrize(
    "name",
    [
        "P1",
        "P2",
        "P3",
        "P5",
        "Seeding",
        "P6",
        "P7",
        "P11",
        "P9",
        "Export",
        "Load",
        "P8",
        "P10",
        "Import",
    ],
)
def test_timed_figures_give_both_sides_in_microseconds(
    name: str, lines: dict[str, dict[str, Any]]
) -> None:
    assert lines[name]["a_us"] > 0
    assert lines[name]["b_us"] > 0


def test_p10_loads_ten_times_the_job_runs(lines: dict[str, dict[str, Any]]) -> None:
    small, large = lines["P10"]["runs"]
    assert large == 10 * small


def test_p10_reports_the_large_loads_seconds_memory_and_baseline(
    lines: dict[str, dict[str, Any]],
) -> None:
    line = lines["P10"]
    assert line["seconds"] > 0 and line["cpu_seconds"] > 0 and line["plan_seconds"] > 0
    assert line["traced_b_per_run"] > 0 and line["traced_peak_b_per_run"] > 0
    assert line["dicts_ratio"] > 0 and line["small_dicts_ratio"] > 0
    assert len(line["rss_b_per_run"]) == 2


def test_server_figure_reports_zero_errors(lines: dict[str, dict[str, Any]]) -> None:
    assert lines["P5"]["errors"] == 0


def test_summary_table_follows_with_a_row_per_figure(
    quick_run: subprocess.CompletedProcess[str],
) -> None:
    table = quick_run.stdout.split("\n\n", 1)[1].splitlines()
    assert table[0].split()[:4] == ["figure", "measured", "target", "ok"]
    assert [row.split()[0] for row in table[1:]] == [
        line["figure"]
        for line in map(json.loads, quick_run.stdout.split("\n\n", 1)[0].splitlines())
    ]


def test_p7_reports_the_job_run_counts_it_compares(lines: dict[str, dict[str, Any]]) -> None:
    assert lines["P7"]["job_runs"] == [200, 10]


def test_import_is_measured_in_milliseconds_over_moto_and_boto3(
    lines: dict[str, dict[str, Any]],
) -> None:
    line = lines["Import"]
    assert "skipped" not in line, line["skipped"]
    assert line["unit"] == "ms over import moto, boto3"
    assert math.isfinite(line["ratio"]) and line["ratio"] > 0
    assert math.isfinite(line["difference_ms"])  # of two processes' totals: it may be negative


def test_only_runs_the_named_figures() -> None:
    run = _run("--only", "P4")
    figures = [json.loads(line)["figure"] for line in run.stdout.splitlines() if line[:1] == "{"]
    assert (run.returncode, figures) == (0, ["P4"])
