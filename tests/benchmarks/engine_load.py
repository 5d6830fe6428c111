"""Load figures of the job engine: event-loop stalls and memory while polling and downloading.

The simulator runs in a child process (so its threads do not compete for this process's GIL, as
the real Kling servers would not); the runner, its clients, the ledger and the downloads run on
this process's single event loop, with a 10 ms ticking callback measuring how late it fires.

Run the full-size figures once with::

    .venv/bin/python -m tests.benchmarks.engine_load

(50 jobs polling + 4 downloads of 50 MB; then one 200 MB download for memory). The benchmark
tests call the same functions with smaller sizes.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kling_studio.backends.kling import Credentials, KlingClient, RetryPolicy
from kling_studio.jobs import DownloadPolicy, Ledger, PollPolicy, Runner

MB = 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_bytes() -> int:
    """Current resident set size of this process (Linux)."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * _PAGE


class Ticker:
    """A callback every 10 ms recording how late it runs (the loop's longest stall)."""

    def __init__(self, interval: float = 0.010) -> None:
        self.interval = interval
        self.max_late = 0.0
        self.ticks = 0
        self.peak_rss = 0
        self._loop = asyncio.get_running_loop()
        self._due = self._loop.time() + interval
        self._handle = self._loop.call_at(self._due, self._tick)

    def _tick(self) -> None:
        now = self._loop.time()
        self.max_late = max(self.max_late, now - self._due)
        self.ticks += 1
        self.peak_rss = max(self.peak_rss, rss_bytes())
        self._due = now + self.interval
        self._handle = self._loop.call_at(self._due, self._tick)

    def stop(self) -> None:
        self._handle.cancel()


# ----- the simulator in a child process -----


def _serve(conn: Any) -> None:
    from kling_studio.backends.simulator import SimulatorConfig, SimulatorServer

    slow = SimulatorServer(
        SimulatorConfig(render=False, require_auth=False, timeline=(3600.0, 1.0))
    ).start()
    fast = SimulatorServer(
        SimulatorConfig(render=False, require_auth=False, timeline=(0.05, 0.1))
    ).start()
    conn.send((slow.base_url, fast.base_url, str(fast.data_dir)))
    conn.recv()  # block until the parent is done
    slow.stop()
    fast.stop()


class ChildSimulators:
    """Two simulators in a child process: one whose tasks never finish, one that is fast."""

    def __enter__(self) -> ChildSimulators:
        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child,), daemon=True)
        self._proc.start()
        self.slow_url, self.fast_url, data = self._conn.recv()
        self.fast_data = Path(data)
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.send("stop")
        self._proc.join(10)


def _runner(ledger: Ledger, concurrency: int) -> Runner:
    creds = Credentials(api_key="bench-not-checked")
    retry = RetryPolicy(base_delay=0.05)
    return Runner(
        ledger,
        lambda provider, base_url: KlingClient(base_url, creds, retry=retry),
        concurrency=concurrency,
        poll=PollPolicy(initial=0.25, factor=1.0, maximum=0.25),
        download=DownloadPolicy(max_bytes=4 * 1024 * MB),
    )


@dataclass
class _Req:
    endpoint: str
    path: str
    body: dict[str, Any]


def _request(i: int) -> _Req:
    body = {
        "model_name": "kling-v3",
        "prompt": f"Bench clip {i}.",
        "mode": "std",
        "aspect_ratio": "16:9",
        "duration": "5",
    }
    return _Req("text2video", "/v1/videos/text2video", body)


def _grow(path: Path, size: int) -> None:
    """Replace a result on the simulator's disk by a ``size``-byte file."""
    block = os.urandom(MB)
    with path.open("wb") as fh:
        for _ in range(size // MB):
            fh.write(block)


async def _downloaded(runner: Runner, sims: ChildSimulators, n: int, takes: Path) -> list[int]:
    rows = [
        await runner.submit(_request(i), provider="sim", base_url=sims.fast_url, takes_dir=takes)
        for i in range(n)
    ]
    done = await runner.wait([r.id for r in rows])
    assert all(r.state == "downloaded" for r in done), [r.last_error for r in done]
    return [r.id for r in done]


def _prepare_big(ledger: Ledger, sims: ChildSimulators, ids: list[int], size: int) -> None:
    for i in ids:
        row = ledger.get(i)
        _grow(sims.fast_data / f"{row.task_id}.mp4", size)
        Path(row.download_path or "").unlink()


@dataclass
class StallResult:
    pollers: int
    downloads: int
    download_mb: float
    seconds: float
    max_stall_ms: float
    ticks: int


async def poll_and_download(
    folder: Path, *, pollers: int = 50, downloads: int = 4, size: int = 50 * MB
) -> StallResult:
    """``pollers`` jobs polling while ``downloads`` results of ``size`` bytes download."""
    with ChildSimulators() as sims, Ledger(folder / "ledger.sqlite3") as ledger:
        runner = _runner(ledger, pollers + downloads)
        takes = folder / "takes"
        big = await _downloaded(runner, sims, downloads, takes)
        _prepare_big(ledger, sims, big, size)
        polling = [
            await runner.submit(
                _request(i), provider="sim", base_url=sims.slow_url, takes_dir=takes
            )
            for i in range(pollers)
        ]
        while any(ledger.get(r.id).state != "submitted" for r in polling):
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.3)  # every job is polling now
        ticker = Ticker()
        started = time.perf_counter()
        await runner.resume(big)
        done = await runner.wait(big)
        seconds = time.perf_counter() - started
        ticker.stop()
        assert all(r.state == "downloaded" and r.size == size for r in done)
        assert all(ledger.get(r.id).state == "submitted" for r in polling)
        await runner.aclose()
    return StallResult(
        pollers, downloads, downloads * size / MB, seconds, ticker.max_late * 1000, ticker.ticks
    )


@dataclass
class MemoryResult:
    size_mb: float
    seconds: float
    rss_above_baseline_mb: float
    max_stall_ms: float


async def big_download_memory(folder: Path, *, size: int = 200 * MB) -> MemoryResult:
    """RSS growth (above the level just before) while one ``size``-byte result downloads."""
    with ChildSimulators() as sims, Ledger(folder / "ledger.sqlite3") as ledger:
        runner = _runner(ledger, 2)
        (job,) = await _downloaded(runner, sims, 1, folder / "takes")
        _prepare_big(ledger, sims, [job], size)
        await asyncio.sleep(0.1)
        baseline = rss_bytes()
        ticker = Ticker()
        started = time.perf_counter()
        await runner.resume([job])
        (row,) = await runner.wait([job])
        seconds = time.perf_counter() - started
        ticker.stop()
        assert row.state == "downloaded" and row.size == size
        await runner.aclose()
    return MemoryResult(
        size / MB, seconds, (ticker.peak_rss - baseline) / MB, ticker.max_late * 1000
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stall = asyncio.run(poll_and_download(Path(tmp) / "a"))
        print(
            f"{stall.pollers} jobs polling + {stall.downloads} x "
            f"{stall.download_mb / stall.downloads:.0f} MB downloads: "
            f"{stall.download_mb:.0f} MB in {stall.seconds:.2f} s "
            f"({stall.download_mb / stall.seconds:.0f} MB/s); longest loop stall "
            f"{stall.max_stall_ms:.1f} ms over {stall.ticks} ticks"
        )
        mem = asyncio.run(big_download_memory(Path(tmp) / "b"))
        print(
            f"{mem.size_mb:.0f} MB download in {mem.seconds:.2f} s: RSS +"
            f"{mem.rss_above_baseline_mb:.2f} MB above baseline; longest loop stall "
            f"{mem.max_stall_ms:.1f} ms"
        )


if __name__ == "__main__":
    main()
