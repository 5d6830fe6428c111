"""Helpers of the job-engine tests: fast policies and a runner wired to a simulator."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kling_studio.backends.kling import Credentials, KlingClient
from kling_studio.backends.simulator import SimulatorServer
from kling_studio.jobs import DownloadPolicy, Ledger, PollPolicy, Runner
from tests.backends.kling_support import FAST_RETRY, api_key_of

FAST_POLL = PollPolicy(
    initial=0.05, factor=1.5, maximum=0.2, max_errors=5, requeue_delay=0.05, max_requeues=5
)
FAST_DOWNLOAD = DownloadPolicy(retry_delay=0.01, progress_interval=0.0)


def make_runner(
    ledger: Ledger, sim: SimulatorServer, creds: Credentials | None = None, **kwargs: Any
) -> Runner:
    """A runner whose clients talk to ``sim`` (whatever base URL the job recorded)."""
    credentials = creds or api_key_of(sim)
    kwargs.setdefault("poll", FAST_POLL)
    kwargs.setdefault("download", FAST_DOWNLOAD)
    return Runner(
        ledger,
        lambda provider, base_url: KlingClient(sim.base_url, credentials, retry=FAST_RETRY),
        **kwargs,
    )


async def submit(runner: Runner, sim: SimulatorServer, request: Any, takes: Path) -> Any:
    return await runner.submit(
        request, provider="simulator", base_url=sim.base_url, takes_dir=takes
    )
