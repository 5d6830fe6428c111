"""Engine load: the event loop stays responsive and memory stays flat while jobs run.

Figures at full size (50 jobs polling + 4 x 50 MB downloads; one 200 MB download) come from
``python -m tests.benchmarks.engine_load``. Here the same scenarios run smaller, so they also
pass as plain tests on a busy 2-core machine; the bounds are loose on purpose (they catch
blocking work on the loop, e.g. hashing or fsyncing a whole file there, not jitter).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.benchmarks.engine_load import MB, big_download_memory, poll_and_download

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for RSS"),
]


def test_loop_stays_responsive_with_50_jobs_polling_and_4_downloads(
    benchmark: Any, tmp_path: Path
) -> None:
    result = benchmark.pedantic(
        lambda: asyncio.run(poll_and_download(tmp_path / "run", size=8 * MB)),
        rounds=1,
        iterations=1,
    )
    benchmark.extra_info["max_stall_ms"] = round(result.max_stall_ms, 2)
    benchmark.extra_info["download_mb_per_s"] = round(result.download_mb / result.seconds, 1)
    assert result.ticks > 5
    assert result.max_stall_ms < 50.0


def test_memory_stays_flat_while_downloading_a_big_file(benchmark: Any, tmp_path: Path) -> None:
    result = benchmark.pedantic(
        lambda: asyncio.run(big_download_memory(tmp_path / "run", size=64 * MB)),
        rounds=1,
        iterations=1,
    )
    benchmark.extra_info["rss_above_baseline_mb"] = round(result.rss_above_baseline_mb, 2)
    assert result.rss_above_baseline_mb < 30.0  # a buffered 64 MB file would show here
