#!/usr/bin/env python3
"""The whole test suite in one command: set up ``.venv`` if needed, then lint, type-check,
check the layering, and run pytest.

    python3 tests/check.py            # everything (what CI runs)
    python3 tests/check.py -k rules   # extra arguments go to pytest

Only the standard library is used here, so it runs on a fresh machine with plain Python >= 3.11.
"""

from __future__ import annotations

import ctypes.util
import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".kling-studio-installed"


def run(*cmd: str | Path, env: dict[str, str] | None = None) -> None:
    print(f"\n$ {' '.join(str(c) for c in cmd)}", flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        print(f"\nFAILED ({result.returncode}): {' '.join(str(c) for c in cmd)}", flush=True)
        sys.exit(result.returncode)


def ensure_venv() -> None:
    """Create the venv and install the project with its dev tools (again when pyproject changes)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run on an old python3
        sys.exit(f"Kling Studio needs Python >= 3.11 (this is {sys.version.split()[0]}).")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text().strip() == wanted and PY.exists():
        return
    if not PY.exists():
        print(f"Creating {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
    STAMP.write_text(wanted + "\n")


def ensure_system_libraries() -> None:
    """QtMultimedia (the result player) needs the PulseAudio client library at import time.

    A plain Debian image lacks it; as root (CI) we install it, otherwise we say what to run.
    """
    if ctypes.util.find_library("pulse") is not None:
        return
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        quiet = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-qq", env=quiet)
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", "libpulse0", env=quiet)
    else:
        print(
            "note: libpulse0 is missing; video playback tests will fail. Install it with "
            "`sudo apt-get install libpulse0`.",
            flush=True,
        )


def main() -> None:
    ensure_system_libraries()
    ensure_venv()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    run(BIN / "ruff", "check", "kling_studio", "tests")
    run(BIN / "ruff", "format", "--check", "kling_studio", "tests")
    run(BIN / "mypy")
    run(BIN / "lint-imports")
    run(PY, "-m", "pytest", "-p", "no:cacheprovider", *sys.argv[1:], env=env)


if __name__ == "__main__":
    main()
