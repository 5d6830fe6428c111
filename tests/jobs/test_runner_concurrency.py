"""The concurrency cap: never more jobs on Kling than allowed; the queue survives a restart."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from kling_studio.backends.simulator import SimulatorServer
from kling_studio.jobs import Ledger
from tests.backends.kling_support import arun, fast_sim, text2video
from tests.jobs.jobs_support import make_runner, submit


class InFlightProbe:
    """Samples, from another thread, how many of the simulator's tasks are not finished yet."""

    def __init__(self, sim: SimulatorServer) -> None:
        self.sim = sim
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            busy = sum(t["status"] in ("submitted", "processing") for t in self.sim.tasks())
            self.peak = max(self.peak, busy)
            time.sleep(0.002)

    def __enter__(self) -> InFlightProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def test_cap_two_keeps_at_most_two_tasks_running_on_the_server(ledger: Ledger, takes: Path) -> None:
    with fast_sim(timeline=(0.1, 0.3)) as sim, InFlightProbe(sim) as probe:

        async def scenario() -> list[str]:
            runner = make_runner(ledger, sim, concurrency=2)
            rows = [await submit(runner, sim, text2video(), takes) for _ in range(5)]
            done = await runner.wait([r.id for r in rows])
            await runner.aclose()
            return [r.state for r in done]

        states = arun(scenario())
    assert states == ["downloaded"] * 5
    assert sim.count_tasks() == 5
    assert probe.peak == 2  # the cap was reached, and never exceeded


def test_queued_jobs_survive_a_restart(ledger: Ledger, takes: Path, sim: SimulatorServer) -> None:
    async def first_process() -> list[int]:
        runner = make_runner(ledger, sim, concurrency=1)
        rows = [await submit(runner, sim, text2video(), takes) for _ in range(3)]
        while ledger.get(rows[0].id).state != "submitted":
            await asyncio.sleep(0.01)
        await runner.aclose()  # the process "ends": two jobs never left the queue
        return [r.id for r in rows]

    ids = arun(first_process())
    assert [ledger.get(i).state for i in ids] == ["submitted", "queued", "queued"]
    assert sim.count_tasks() == 1

    async def second_process() -> list[str]:
        runner = make_runner(ledger, sim, concurrency=1)
        assert sorted(await runner.resume()) == ids
        done = await runner.wait(ids)
        await runner.aclose()
        return [r.state for r in done]

    assert arun(second_process()) == ["downloaded"] * 3
    assert sim.count_tasks() == 3
    assert all(sim.count_tasks(ledger.get(i).external_task_id) == 1 for i in ids)
