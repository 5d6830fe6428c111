#!/usr/bin/env python3
"""Build the one-folder Kling Studio bundle with PyInstaller, then check that it works.

    python3 packaging/build.py             # .venv, PyInstaller -> dist/kling-studio/, checks
    python3 packaging/build.py --archive   # also dist/kling-studio-<version>-linux-x86_64.tar.gz
    python3 packaging/build.py --check-only   # re-run the checks on an existing dist/kling-studio

Steps: set up ``.venv`` with ``pip install -e .[package]`` (again when pyproject.toml changes);
run PyInstaller with ``packaging/kling-studio.spec`` (work files in ``build/pyinstaller/``);
copy the .desktop file, the AppStream metainfo and the icons to ``dist/kling-studio/share/``;
then start the bundle from a scratch folder with throwaway data/config dirs and check the
window opens (offscreen), the CLI answers, a storyboard renders on the built-in simulator, and
QtMultimedia decodes the result. Prints sizes and timings; exits non-zero on any failure.

Only the standard library is used, so it runs on a fresh machine with plain Python >= 3.11.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import venv
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / "python"
STAMP = VENV / ".kling-studio-package-installed"
SPEC = ROOT / "packaging" / "kling-studio.spec"
NAME = "kling-studio"
DIST = ROOT / "dist"
BUNDLE = DIST / NAME
WORK = ROOT / "build" / "pyinstaller"
APP_ID = "io.github.kling_studio.KlingStudio"
# Inside the bundle: PyInstaller 6 puts everything but the executable in _internal/.
BUNDLED_RESOURCES = Path("_internal") / "kling_studio" / "_resources"
EXAMPLE_ESTIMATE = "examples/v3-ad-3-shots.json"
EXAMPLE_SUBMIT = "examples/single-shot-i2v.json"
STARTUP_RUNS = 3
TIMEOUT_S = 180


class BuildError(Exception):
    """A step or check failed; the message says which and why."""


@dataclass
class Result:
    """One finished step: what it was, how long it took, and what it showed."""

    name: str
    seconds: float
    detail: str = ""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    results: list[Result] = []
    try:
        if not args.check_only:
            results.append(_timed("venv", ensure_venv))
            results.append(_timed("pyinstaller", lambda: build(clean=args.clean)))
            install_share(BUNDLE)
        if not (BUNDLE / NAME).is_file():
            raise BuildError(f"{BUNDLE / NAME} does not exist; run without --check-only")
        check_bundle(BUNDLE, results)
        if args.archive:
            results.append(_timed("archive", lambda: _archive_note(make_archive(BUNDLE))))
    except BuildError as exc:
        _report(results)
        print(f"\nBUILD FAILED: {exc}", file=sys.stderr, flush=True)
        return 1
    _report(results)
    print(f"\nOK: {BUNDLE.relative_to(ROOT)}/{NAME}", flush=True)
    return 0


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--archive", action="store_true", help="also write a .tar.gz of the folder")
    p.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    p.add_argument("--check-only", action="store_true", help="only check an existing bundle")
    return p


# ----- build -----


def run(*cmd: str | Path) -> None:
    print(f"\n$ {' '.join(str(c) for c in cmd)}", flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, check=False)
    if result.returncode != 0:
        raise BuildError(f"exit {result.returncode}: {' '.join(str(c) for c in cmd)}")


def ensure_venv() -> str:
    """Create ``.venv`` and install the project with PyInstaller (again when pyproject changes)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this script may run on an old python3
        raise BuildError(f"Kling Studio needs Python >= 3.11 (this is {sys.version.split()[0]}).")
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.is_file() and STAMP.read_text().strip() == wanted and PY.exists():
        return "up to date"
    if not PY.exists():
        print(f"Creating {VENV} …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", ".[package]")
    STAMP.write_text(wanted + "\n")
    return "installed .[package]"


def build(*, clean: bool) -> str:
    """Run PyInstaller with the spec; it replaces ``dist/kling-studio`` as a whole."""
    extra = ["--clean"] if clean else []
    run(
        PY, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN", *extra,
        "--distpath", DIST, "--workpath", WORK, SPEC,
    )  # fmt: skip
    return f"warnings: {(WORK / NAME / f'warn-{NAME}.txt').relative_to(ROOT)}"


def install_share(bundle: Path) -> None:
    """The files a distribution package puts under /usr/share, laid out the same way."""
    linux = ROOT / "packaging" / "linux"
    icons = ROOT / "resources" / "icons"
    share = bundle / "share"
    copies = {
        linux / f"{APP_ID}.desktop": share / "applications" / f"{APP_ID}.desktop",
        linux / f"{APP_ID}.metainfo.xml": share / "metainfo" / f"{APP_ID}.metainfo.xml",
        icons / "kling-studio-256.png": share / "icons/hicolor/256x256/apps/kling-studio.png",
        icons / "kling-studio-64.png": share / "icons/hicolor/64x64/apps/kling-studio.png",
        icons / "kling-studio.svg": share / "icons/hicolor/scalable/apps/kling-studio.svg",
    }
    for src, dest in copies.items():
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dest)


def make_archive(bundle: Path) -> Path:
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    system = f"{platform.system().lower()}-{platform.machine()}"
    target = bundle.parent / f"{NAME}-{version}-{system}.tar.gz"
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=NAME)
    return target


def _archive_note(archive: Path) -> str:
    return f"{archive.relative_to(ROOT)} ({archive.stat().st_size / 2**20:.0f} MiB)"


# ----- checks -----


def check_bundle(bundle: Path, results: list[Result]) -> None:
    """Start the bundle the ways a user would, from a scratch folder with scratch user dirs.

    The working directory is outside the repository, so the bundle cannot fall back to the
    source tree's ``resources/``; the data dir receives the simulator's job ledger and takes.
    Each finished check is appended to ``results`` at once, so a failure still shows the rest.
    """
    res = bundle / BUNDLED_RESOURCES
    for example in (EXAMPLE_ESTIMATE, EXAMPLE_SUBMIT):
        if not (res / example).is_file():
            raise BuildError(f"{BUNDLED_RESOURCES / example} is missing from the bundle")
    results.append(_timed("size", lambda: _size(bundle)))
    with tempfile.TemporaryDirectory(prefix="kling-studio-check-") as tmp:
        app = Bundle(bundle / NAME, Path(tmp))
        for i in range(STARTUP_RUNS):
            results.append(_startup(app, i + 1))
        results.append(_timed("models --json", lambda: _models(app)))
        results.append(_timed("estimate", lambda: _estimate(app, res / EXAMPLE_ESTIMATE)))
        video: list[Path] = []
        results.append(_timed("submit (simulator)", lambda: _submit(app, res, video)))
        results.append(_timed("bundle check", lambda: _bundle_check(app, video[0])))


class Bundle:
    """The built executable, run with scratch user dirs from a scratch working directory."""

    def __init__(self, exe: Path, tmp: Path) -> None:
        self.exe = exe
        self.cwd = tmp / "cwd"
        self.data = tmp / "data"
        for folder in (self.cwd, self.data, tmp / "config", tmp / "cache"):
            folder.mkdir()
        # Nothing of the caller's Python, Qt or Kling Studio settings leaks into the bundle.
        self.env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("PYTHON", "VIRTUAL_ENV", "KLING", "QT_", "XDG_"))
        } | {
            "QT_QPA_PLATFORM": "offscreen",
            "KLING_STUDIO_DATA_DIR": str(self.data),
            "KLING_STUDIO_CONFIG_DIR": str(tmp / "config"),
            "XDG_DATA_HOME": str(self.data),
            "XDG_CONFIG_HOME": str(tmp / "config"),
            "XDG_CACHE_HOME": str(tmp / "cache"),
        }

    def run(self, *args: str, **env: str) -> tuple[int, str, str]:
        """(exit status, stdout, stderr) of ``kling-studio ARGS`` with extra ``env``."""
        try:
            proc = subprocess.run(
                [str(self.exe), *args],
                cwd=self.cwd,
                env=self.env | env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            what = " ".join((NAME, *args))
            raise BuildError(f"`{what}` did not finish in {TIMEOUT_S} s") from None
        return proc.returncode, proc.stdout, proc.stderr


def _expect(ok: bool, what: str, out: str, err: str) -> None:
    if not ok:
        tail = "\n".join((out + "\n" + err).strip().splitlines()[-40:])
        raise BuildError(f"{what}\n--- output (last lines) ---\n{tail}")


def _startup(app: Bundle, run_no: int) -> Result:
    started = time.perf_counter()
    code, out, err = app.run(KLING_STUDIO_SMOKE_TEST="1")
    seconds = time.perf_counter() - started
    found = re.search(r"interactive after (\d+) ms", out)
    _expect(code == 0 and found is not None, f"the app did not start (exit {code})", out, err)
    assert found is not None
    return Result(f"start app #{run_no}", seconds, f"interactive after {found.group(1)} ms")


def _models(app: Bundle) -> str:
    code, out, err = app.run("models", "--json")
    _expect(code == 0, f"`models --json` failed (exit {code})", out, err)
    models = json.loads(out)
    _expect(any(m.get("id") == "kling-v3" for m in models), "no kling-v3 in `models`", out, err)
    return f"{len(models)} catalog entries"


def _estimate(app: Bundle, example: Path) -> str:
    code, out, err = app.run("estimate", str(example), "--json")
    _expect(code == 0, f"`estimate {example.name}` failed (exit {code})", out, err)
    est = json.loads(out)
    _expect(est.get("known") and est.get("money", 0) > 0, "the estimate has no price", out, err)
    return f"{example.name}: {est['money']} {est['currency']} ({est['units']} units)"


def _submit(app: Bundle, res: Path, video: list[Path]) -> str:
    """Render an example on the in-process simulator: httpx, av, PIL, numpy and SQLite at work."""
    takes = app.data / "check-takes"
    args = ["submit", str(res / EXAMPLE_SUBMIT), "--wait", "--json", "--takes", str(takes)]
    code, out, err = app.run(*args)
    _expect(code == 0, f"`submit --wait` on the simulator failed (exit {code})", out, err)
    job = json.loads(out[out.index("{") :])
    path = Path(job.get("download_path") or "")
    _expect(path.is_file() and path.stat().st_size > 0, "submit saved no video", out, err)
    video.append(path)
    return f"{job['state']}: {path.name} ({path.stat().st_size / 1e6:.1f} MB)"


def _bundle_check(app: Bundle, video: Path) -> str:
    """QtMultimedia playback, keyring entry points, CA file, metadata (packaging/entry.py)."""
    code, out, err = app.run(KLING_STUDIO_BUNDLE_CHECK=str(video))
    _expect(code == 0 and out.lstrip().startswith("{"), f"bundle check failed ({code})", out, err)
    rep = json.loads(out)
    play = rep["playback"]
    return (
        f"{play['frames']} frames {play['size'][0]}x{play['size'][1]} decoded by QtMultimedia; "
        f"keyring backends {','.join(rep['keyring_backends']['entry_points'])}; "
        f"version {rep['version']}"
    )


def _size(bundle: Path) -> str:
    total = files = 0
    for path in bundle.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    biggest = _largest_dirs(bundle / "_internal")
    return f"{total / 2**20:.0f} MiB in {files} files; largest: {biggest}"


def _largest_dirs(internal: Path, top: int = 5) -> str:
    sizes: dict[str, int] = {}
    for path in internal.rglob("*"):
        if path.is_file() and not path.is_symlink():
            rel = path.relative_to(internal).parts
            key = "/".join(rel[:3] if rel[0] == "PySide6" else rel[:1])
            sizes[key] = sizes.get(key, 0) + path.stat().st_size
    ranked = sorted(sizes.items(), key=lambda kv: -kv[1])[:top]
    return ", ".join(f"{k} {v / 2**20:.0f}" for k, v in ranked)


# ----- report -----


def _timed(name: str, step: Callable[[], object]) -> Result:
    started = time.perf_counter()
    detail = step()
    return Result(name, time.perf_counter() - started, str(detail or ""))


def _report(results: list[Result]) -> None:
    if not results:
        return
    print("\nKling Studio bundle", flush=True)
    for r in results:
        print(f"  {r.name:<20} {r.seconds:7.2f} s  {r.detail}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
