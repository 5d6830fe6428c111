"""Cold start of Kling Studio against a bare PySide6 QMainWindow, measured in the same run.

Run ``.venv/bin/python -m tests.benchmarks.startup [-n 5] [--watch 3] [--bytecode cached]``.

Each start is a fresh process with ``QT_QPA_PLATFORM=offscreen`` and its own throwaway
``KLING_STUDIO_DATA_DIR``/``KLING_STUDIO_CONFIG_DIR`` (a first start: no settings, no ledger).
Both programs are measured the same way: the time from spawning the process to the moment it
reports its first event-loop turn after ``show()`` ("interactive"), read by this process, plus
the CPU time the child had used by then (robust when other work shares the machine). Bare and app
runs alternate so that a change in the machine's load hits both. Target (issue): the app's median
≤ 1.5× the bare window's.

``--watch S`` also starts the app once more and keeps it running S seconds as a normal start would
(recovery offer, job engine, resume) while a 10 ms timer watches the GUI thread; the longest gap
between two ticks is the longest freeze (target ≤ 50 ms), see :mod:`kling_studio.app.smoke`.

Bytecode: an installed app has its ``.pyc`` files (pip compiles them), but a development checkout
with ``PYTHONDONTWRITEBYTECODE=1`` recompiles every module of the package on every start. The
default ``--bytecode cached`` points ``PYTHONPYCACHEPREFIX`` at a scratch folder and warms it with
one unmeasured start of each program; ``--bytecode as-is`` keeps the caller's environment.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

TARGET_RATIO = 1.5
TARGET_STALL_MS = 50.0
TIMEOUT_S = 120.0

# The bare window is measured exactly as kling_studio.app.main measures the app (same size, same
# "first event-loop turn after show()" moment, same line).
BARE = textwrap.dedent(
    """
    import time
    _T0 = time.perf_counter() - time.process_time()
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow
    app = QApplication([sys.argv[0]])
    window = QMainWindow()
    window.resize(1440, 900)
    window.show()
    def report():
        wall = (time.perf_counter() - _T0) * 1000
        cpu = time.process_time() * 1000
        print(f"interactive after {wall:.0f} ms (cpu {cpu:.0f} ms)", flush=True)
        window.close()
        app.quit()
    QTimer.singleShot(0, report)
    sys.exit(app.exec())
    """
)
_LINE = re.compile(r"interactive after (\d+) ms(?: \(cpu (\d+) ms\))?")
_STALL = re.compile(r"longest stall (\d+) ms at \+(\d+) ms")


@dataclass
class Start:
    """One cold start: wall time from spawn to "interactive" (as seen by us), the child's CPU
    time by then, and the number the child printed itself."""

    wall_ms: float
    cpu_ms: float | None
    reported_ms: float
    line: str
    extra: list[str] = field(default_factory=list)


@dataclass
class Report:
    bare: list[Start]
    app: list[Start]
    bytecode: str
    stall: Start | None = None

    @property
    def bare_ms(self) -> float:
        return statistics.median(s.wall_ms for s in self.bare)

    @property
    def app_ms(self) -> float:
        return statistics.median(s.wall_ms for s in self.app)

    @property
    def ratio(self) -> float:
        return self.app_ms / self.bare_ms

    @property
    def cpu_ratio(self) -> float | None:
        bare = [s.cpu_ms for s in self.bare if s.cpu_ms is not None]
        app = [s.cpu_ms for s in self.app if s.cpu_ms is not None]
        if not bare or not app:
            return None
        return statistics.median(app) / statistics.median(bare)

    @property
    def stall_ms(self) -> float | None:
        if self.stall is None:
            return None
        found = next((m for m in map(_STALL.search, self.stall.extra) if m), None)
        return float(found.group(1)) if found else None

    def summary(self) -> dict[str, object]:
        """Flat numbers for ``benchmark.extra_info`` and ``--json``."""

        def med(xs: Sequence[float | None]) -> float | None:
            vals = [x for x in xs if x is not None]
            return round(statistics.median(vals), 1) if vals else None

        cpu_ratio = self.cpu_ratio
        return {
            "runs": len(self.app),
            "bytecode": self.bytecode,
            "bare_median_ms": round(self.bare_ms, 1),
            "app_median_ms": round(self.app_ms, 1),
            "ratio": round(self.ratio, 2),
            "target_ratio": TARGET_RATIO,
            "bare_cpu_median_ms": med([s.cpu_ms for s in self.bare]),
            "app_cpu_median_ms": med([s.cpu_ms for s in self.app]),
            "cpu_ratio": None if cpu_ratio is None else round(cpu_ratio, 2),
            "bare_runs_ms": [round(s.wall_ms) for s in self.bare],
            "app_runs_ms": [round(s.wall_ms) for s in self.app],
            "app_reported_ms": [round(s.reported_ms) for s in self.app],
            "longest_stall_ms": self.stall_ms,
            "target_stall_ms": TARGET_STALL_MS,
        }


def app_command() -> list[str]:
    """``kling-studio`` (the installed console script next to this interpreter, if any)."""
    script = Path(sys.executable).with_name("kling-studio")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "kling_studio.cli.main"]


def bare_command() -> list[str]:
    return [sys.executable, "-c", BARE]


def base_env(pycache: Path | None) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    # Never read a developer's OS keyring, never inherit a smoke/watch switch.
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    for name in ("KLING_STUDIO_SMOKE_TEST", "KLING_STUDIO_SMOKE_WATCH"):
        env.pop(name, None)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def run_once(cmd: list[str], env: dict[str, str], scratch: Path, **extra: str) -> Start:
    """Start ``cmd`` in a fresh user-data folder and time it until it says it is interactive."""
    home = Path(tempfile.mkdtemp(prefix="start-", dir=scratch))
    env = env | {
        "KLING_STUDIO_DATA_DIR": str(home / "data"),
        "KLING_STUDIO_CONFIG_DIR": str(home / "config"),
        "KLING_STUDIO_SMOKE_TEST": "1",
        **extra,
    }
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, cwd=home, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    seen: float | None = None
    line = ""
    for raw in proc.stdout:
        if _LINE.search(raw):
            seen, line = time.perf_counter(), raw.strip()
            break
    try:
        rest, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        rest, err = proc.communicate()
    if seen is None or proc.returncode != 0:
        tail = "\n".join(err.strip().splitlines()[-20:])
        raise RuntimeError(f"{cmd[-1]!r} did not start (exit {proc.returncode}):\n{tail}")
    found = _LINE.search(line)
    assert found is not None
    return Start(
        wall_ms=(seen - started) * 1000,
        cpu_ms=float(found.group(2)) if found.group(2) else None,
        reported_ms=float(found.group(1)),
        line=line,
        extra=[x.strip() for x in rest.splitlines() if x.strip()],
    )


def measure(runs: int = 5, *, watch: float = 0.0, bytecode: str = "cached") -> Report:
    """``runs`` alternating cold starts of the bare window and of the app (and a watched one)."""
    with tempfile.TemporaryDirectory(prefix="kling-startup-") as tmp:
        scratch = Path(tmp)
        env = base_env(scratch / "pyc" if bytecode == "cached" else None)
        app, bare = app_command(), bare_command()
        if bytecode == "cached":
            run_once(bare, env, scratch)
            run_once(app, env, scratch)
        report = Report(bare=[], app=[], bytecode=bytecode)
        for _ in range(runs):
            report.bare.append(run_once(bare, env, scratch))
            report.app.append(run_once(app, env, scratch))
        if watch > 0:
            report.stall = run_once(app, env, scratch, KLING_STUDIO_SMOKE_WATCH=f"{watch:g}")
        return report


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("-n", "--runs", type=int, default=5, help="starts of each (default 5)")
    parser.add_argument(
        "--watch", type=float, default=3.0, help="seconds to watch for GUI stalls (0: skip)"
    )
    parser.add_argument("--bytecode", choices=("cached", "as-is"), default="cached")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args(argv)
    report = measure(args.runs, watch=args.watch, bytecode=args.bytecode)
    numbers = report.summary()
    if args.json:
        print(json.dumps({**numbers, "starts": asdict(report)}, indent=2))
        return 0
    print(f"cold starts, offscreen, bytecode {args.bytecode}, {args.runs} runs each (ms):")
    print(f"  bare QMainWindow  {numbers['bare_runs_ms']}  median {report.bare_ms:.0f}")
    print(f"  kling-studio      {numbers['app_runs_ms']}  median {report.app_ms:.0f}")
    print(f"  ratio {report.ratio:.2f} (target ≤ {TARGET_RATIO}), CPU ratio {numbers['cpu_ratio']}")
    print(f"  CPU ms: bare {numbers['bare_cpu_median_ms']}, app {numbers['app_cpu_median_ms']}")
    if report.stall is not None:
        print(f"  after show: {' '.join(report.stall.extra)} (target ≤ {TARGET_STALL_MS:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
