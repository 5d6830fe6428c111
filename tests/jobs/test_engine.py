"""The process-level engine: ledger + runner + an in-process simulator started on demand."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kling_studio.jobs.engine import SIMULATOR_IN_PROCESS, Engine
from tests.backends.kling_support import arun, sha256_file, text2video
from tests.jobs.jobs_support import FAST_DOWNLOAD, FAST_POLL

SIM = {"render": False, "timeline": (0.05, 0.15)}


def _engine(folder: Path, **sim: object) -> Engine:
    return Engine(
        data_dir=folder, poll=FAST_POLL, download=FAST_DOWNLOAD, simulator_options={**SIM, **sim}
    )


def test_in_process_simulator_starts_only_when_a_job_needs_it(tmp_path: Path) -> None:
    async def scenario() -> None:
        async with _engine(tmp_path) as engine:
            assert not engine.simulator_running
            row = await engine.runner.submit(
                text2video(),
                provider="simulator",
                base_url=SIMULATOR_IN_PROCESS,
                takes_dir=tmp_path / "takes",
            )
            (done,) = await engine.runner.wait([row.id])
            assert engine.simulator_running
            assert done.state == "downloaded"
            assert done.base_url == SIMULATOR_IN_PROCESS  # the port of this run is not recorded
            kept = tmp_path / "simulator" / f"{done.task_id}.mp4"  # results persist in the data dir
            assert sha256_file(kept) == done.sha256

    arun(scenario())


def test_jobs_the_previous_simulator_forgot_fail_with_an_explanation(tmp_path: Path) -> None:
    async def first_run() -> tuple[int, int]:
        async with _engine(tmp_path, timeline=(30.0, 1.0)) as engine:
            never_sent = await engine.runner.submit(
                text2video(),
                provider="simulator",
                base_url=SIMULATOR_IN_PROCESS,
                takes_dir=tmp_path / "takes",
            )
            await engine.runner.cancel(never_sent.id)
            running = await engine.runner.submit(
                text2video(),
                provider="simulator",
                base_url=SIMULATOR_IN_PROCESS,
                takes_dir=tmp_path / "takes",
            )
            while engine.ledger.get(running.id).state != "submitted":
                await asyncio.sleep(0.01)
        return never_sent.id, running.id  # the process ends: its simulator forgets the task

    never_sent, running = arun(first_run())

    async def second_run() -> None:
        async with _engine(tmp_path) as engine:
            await engine.runner.resume([never_sent, running])
            gone, fresh = await engine.runner.wait([running, never_sent])
            assert gone.state == "failed"
            assert "a simulator forgets its tasks when it stops" in gone.state_msg
            assert fresh.state == "downloaded"  # it was never sent, so it simply goes now

    arun(second_run())
