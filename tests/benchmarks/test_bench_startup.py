"""Cold start of ``kling-studio`` against a bare PySide6 QMainWindow, one fresh process each.

Target (issue): the app interactive within 1.5× the bare window's time, measured in the same run,
and no GUI-thread stall over 50 ms in the first 3 s after the window is shown. Nothing timed is
asserted (the machine may be busy); the numbers go to ``benchmark.extra_info`` and are printed.
The five-run comparison with medians is ``python -m tests.benchmarks.startup``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.benchmarks import startup

pytestmark = pytest.mark.slow


def test_bench_cold_start_against_a_bare_qmainwindow(
    benchmark: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    report = benchmark.pedantic(
        lambda: startup.measure(1, watch=3.0), rounds=1, iterations=1, warmup_rounds=0
    )
    (app,) = report.app
    assert app.line.startswith("interactive after"), app.line
    assert report.stall is not None and report.stall_ms is not None, report.stall
    numbers = report.summary()
    benchmark.extra_info.update(numbers)
    with capsys.disabled():
        print(
            f"\ncold start: bare QMainWindow {report.bare_ms:.0f} ms, kling-studio "
            f"{report.app_ms:.0f} ms, ratio {report.ratio:.2f} (target ≤ {startup.TARGET_RATIO}); "
            f"longest GUI stall in the 3 s after show {report.stall_ms:.0f} ms "
            f"(target ≤ {startup.TARGET_STALL_MS:.0f})"
        )
