"""moto's own EMR Serverless tests, from the sdist of the installed moto, with the plugin installed.

    python run_moto_suite.py WORKDIR [pytest arguments]      (what `tox -e moto-suite` runs)

1. `pip download` fetches the sdist of the installed moto release (moto ships its tests in it)
   into WORKDIR, once;
2. its `tests/__init__.py`, `tests/conftest.py` and `tests/test_emrserverless/` are unpacked there
   (moto's code is never copied into this repository);
3. pytest runs them twice, in-process and in moto's server mode (`TEST_SERVER_MODE=true`, against
   `python -m moto_emrs_attempts`), with `differences.py` (beside this file) as a plugin: every
   test whose result differs with the plugin is an expected failure that must fail (strict), and
   a listed test that moto no longer has is an error, so the README's list of differences cannot
   drift. The plugin itself is loaded by its `pytest11` entry point, as in any environment it is
   installed in.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
WANTED = ("tests/__init__.py", "tests/conftest.py", "tests/test_emrserverless/")


def unpacked_tests(workdir: Path) -> Path:
    release = version("moto")
    root = workdir / f"moto-{release}"
    if not (root / "tests" / "test_emrserverless").is_dir():
        sdist = workdir / f"moto-{release}.tar.gz"
        if not sdist.exists():
            pip = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
            sdist_only = ["--no-binary", ":all:", f"moto=={release}", "--dest", str(workdir)]
            subprocess.run([*pip, *sdist_only], check=True)
        with tarfile.open(sdist) as archive:
            members = [
                m
                for m in archive.getmembers()
                if m.name.removeprefix(f"moto-{release}/").startswith(WANTED)
            ]
            archive.extractall(workdir, members=members, filter="data")
    return root


def pytest(root: Path, arguments: list[str], **env: str) -> int:
    path = os.pathsep.join(p for p in (str(HERE), os.environ.get("PYTHONPATH")) if p)
    command = [sys.executable, "-m", "pytest", "-p", "differences", "-p", "no:cacheprovider"]
    command += ["--rootdir", str(root), *arguments, "tests/test_emrserverless"]
    env = {**os.environ, "PYTHONPATH": path, **env}
    return subprocess.run(command, cwd=root, env=env).returncode


def against_the_server(root: Path, arguments: list[str]) -> int:
    server = subprocess.Popen(
        [sys.executable, "-m", "moto_emrs_attempts", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,  # its request log
        text=True,
    )
    try:
        assert server.stdout is not None
        found = re.search(r"http://\S+", server.stdout.readline())
        assert found is not None, "the server printed no address"
        endpoint = found.group(0)
        return pytest(root, arguments, TEST_SERVER_MODE="true", TEST_SERVER_MODE_ENDPOINT=endpoint)
    finally:
        server.terminate()
        server.wait()


def main() -> int:
    workdir = Path(sys.argv[1]).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    root = unpacked_tests(workdir)
    arguments = sys.argv[2:]
    print("moto's suite, in-process:", flush=True)
    in_process = pytest(root, arguments)
    print("moto's suite, against the server (TEST_SERVER_MODE=true):", flush=True)
    server = against_the_server(root, arguments)
    return in_process or server


if __name__ == "__main__":
    raise SystemExit(main())
