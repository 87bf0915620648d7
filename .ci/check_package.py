"""The distribution as users get it: build, check, install the wheel into a fresh venv, run it.

    python .ci/check_package.py WORKDIR      (what `tox -e package` runs)

1. `python -m build` makes an sdist and a wheel of the checkout;
2. `twine check --strict` passes on both (the README renders as the long description);
3. the wheel holds every data file of the package (py.typed, *.json, ...), and the sdist every file
   of the package;
4. a fresh venv installs the wheel (not editable), and `examples/quickstart.py`, copied to a
   directory where the checkout is not importable, prints three attempts; the package, its console
   script and its pytest plugin come from that venv.

Exits non-zero with a one-line reason on the first failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "moto_emrs_attempts"


def fail(reason: str) -> None:
    print(f"check_package: {reason}", file=sys.stderr)
    raise SystemExit(1)


def run(*command: str | Path, cwd: Path | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
    result = subprocess.run(
        [str(c) for c in command], cwd=cwd, env=env, capture_output=True, text=True
    )
    if result.returncode:
        fail(
            f"{' '.join(map(str, command))} exited {result.returncode}:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def package_files() -> set[str]:
    """Every file of the package in the checkout, as a path relative to the checkout."""
    return {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / PACKAGE).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def main(workdir: Path) -> None:
    shutil.rmtree(workdir, ignore_errors=True)
    dist = workdir / "dist"
    run(sys.executable, "-m", "build", "--outdir", dist, ROOT)
    wheels, sdists = sorted(dist.glob("*.whl")), sorted(dist.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        fail(f"expected one wheel and one sdist in {dist}, found {sorted(os.listdir(dist))}")
    wheel, sdist = wheels[0], sdists[0]
    run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)

    expected = package_files()
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    if missing := sorted(expected - in_wheel):
        fail(f"the wheel lacks package files: {missing}")
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    if missing := sorted(expected - in_sdist):
        fail(f"the sdist lacks package files: {missing}")

    env_dir = workdir / "fresh-venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", wheel)

    elsewhere = workdir / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(ROOT / "examples" / "quickstart.py", elsewhere / "quickstart.py")
    output = run(python, "quickstart.py", cwd=elsewhere)
    states = [line.split()[1] for line in output.splitlines()[2:]]
    if states != ["FAILED", "FAILED", "SUCCESS"]:
        fail(f"quickstart printed an unexpected table:\n{output}")

    where = run(
        python,
        "-c",
        "import importlib.metadata as m, pathlib, moto_emrs_attempts as p;"
        "print(pathlib.Path(p.__file__).resolve());"
        "print(sorted(e.value for e in m.entry_points(group='pytest11')));"
        "print(m.version('moto-emrs-attempts'))",
        cwd=elsewhere,
    ).splitlines()
    installed = Path(where[0])
    if env_dir.resolve() not in installed.parents:
        fail(f"the package was imported from {installed}, not from the fresh venv")
    if "'moto_emrs_attempts.pytest_plugin'" not in where[1]:
        fail(f"the pytest11 entry point is missing: {where[1]}")
    if not (installed.parent / "py.typed").is_file():
        fail("py.typed is not installed")
    if not (env_dir / "bin" / "moto-emrs-attempts-server").is_file():
        fail("the console script moto-emrs-attempts-server is not installed")
    print(f"check_package: {wheel.name} and {sdist.name} built, checked and installed")
    print(f"check_package: version {where[2]}, quickstart printed {len(states)} attempts")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        fail("usage: python .ci/check_package.py WORKDIR")
    main(Path(sys.argv[1]).resolve())
