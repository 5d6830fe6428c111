"""The runner end to end against the simulator: submit -> poll -> download, and what goes wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from kling_studio.backends.simulator import SimulatorServer
from kling_studio.jobs import CANCEL_MESSAGE, JobEvent, Ledger
from tests.backends.kling_support import (
    Req,
    arun,
    image2video,
    omni_video,
    sha256_file,
    sim_file,
    text2video,
)
from tests.jobs.jobs_support import make_runner, submit


@pytest.mark.parametrize("make", [text2video, image2video, omni_video])
def test_submit_poll_download_puts_the_servers_video_on_disk(
    make: type[Req], sim: SimulatorServer, ledger: Ledger, takes: Path
) -> None:
    async def scenario() -> tuple[list[JobEvent], int]:
        runner = make_runner(ledger, sim)
        events = runner.events()
        row = await submit(runner, sim, make(), takes)
        await runner.wait([row.id])
        await runner.aclose()
        return [e async for e in events], row.id

    events, job = arun(scenario())
    row = ledger.get(job)
    assert row.state == "downloaded", row.last_error
    path = Path(row.download_path or "")
    assert path.parent == takes and path.is_file()
    assert row.sha256 == sha256_file(path) == sha256_file(sim_file(sim, row.task_id or ""))
    assert row.size == path.stat().st_size
    assert not list(takes.glob(".*.part"))
    # Exactly one task on the server, created with the journalled id, charged as shown.
    assert sim.count_tasks(row.external_task_id) == 1
    assert sim.count_tasks() == 1
    assert row.final_unit_deduction == sim.tasks()[0]["units"]
    assert [h.state for h in ledger.history(job)] == [
        "queued",
        "submitting",
        "submitted",
        "processing",
        "succeeded",
        "downloaded",
    ]
    kinds = [e.kind for e in events]
    assert kinds[0] == "queued" and kinds[-1] == "downloaded"
    assert "submitted" in kinds and "progress" in kinds
    assert events[-2].progress == 1.0


def test_the_row_is_committed_before_the_post(
    sim: SimulatorServer, ledger: Ledger, takes: Path
) -> None:
    async def scenario() -> None:
        runner = make_runner(ledger, sim)
        seen: list[str] = []
        original = ledger.transition

        def spy(job_id: int, state: str, **kw):  # type: ignore[no-untyped-def]
            if state == "submitting":
                # What the server has when the row says "submitting" is being committed.
                seen.append(f"server has {sim.count_tasks()} task(s)")
            return original(job_id, state, **kw)

        ledger.transition = spy  # type: ignore[method-assign]
        row = await submit(runner, sim, text2video(), takes)
        await runner.wait([row.id])
        await runner.aclose()
        assert seen == ["server has 0 task(s)"]
        assert ledger.get(row.id).body["external_task_id"] == row.external_task_id

    arun(scenario())


def test_a_failed_task_is_failed_with_klings_reason(
    sim: SimulatorServer, ledger: Ledger, takes: Path
) -> None:
    sim.faults.fail_tasks(count=1, message="Failure to pass the risk control system")

    async def scenario() -> int:
        runner = make_runner(ledger, sim)
        row = await submit(runner, sim, text2video(), takes)
        await runner.wait([row.id])
        await runner.aclose()
        return row.id

    row = ledger.get(arun(scenario()))
    assert row.state == "failed"
    assert "risk control" in row.state_msg
    assert row.download_path is None and not takes.exists()


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (1102, "buy units, then resubmit — nothing was charged"),
        (1301, "Content policy: edit the prompt or images"),
    ],
)
def test_refused_creates_fail_at_once_with_the_actionable_message(
    code: int, words: str, sim: SimulatorServer, ledger: Ledger, takes: Path
) -> None:
    sim.faults.http_error(code=code, count=1, endpoint="create")

    async def scenario() -> int:
        runner = make_runner(ledger, sim)
        row = await submit(runner, sim, text2video(), takes)
        await runner.wait([row.id])
        await runner.aclose()
        return row.id

    row = ledger.get(arun(scenario()))
    assert row.state == "failed"
    assert words in row.state_msg
    assert row.attempts == 1  # sent once, never retried
    assert sim.count_tasks() == 0


def test_concurrency_limit_1303_waits_in_the_queue_then_goes_through(
    sim: SimulatorServer, ledger: Ledger, takes: Path
) -> None:
    # More 1303s than the client's own retries: the job goes back to the queue and comes back.
    sim.faults.http_error(code=1303, count=6, endpoint="create")

    async def scenario() -> int:
        runner = make_runner(ledger, sim)
        row = await submit(runner, sim, text2video(), takes)
        await runner.wait([row.id])
        await runner.aclose()
        return row.id

    job = arun(scenario())
    row = ledger.get(job)
    assert row.state == "downloaded"
    assert sim.count_tasks(row.external_task_id) == 1
    states = [h.state for h in ledger.history(job)]
    assert states[:4] == ["queued", "submitting", "queued", "submitting"]
    requeued = [h for h in ledger.history(job) if h.state == "queued"][1]
    assert "concurrency limit is reached: the job waits and retries" in requeued.detail


@pytest.mark.parametrize("fault", ["lose_create_response", "malformed_json"])
def test_unknown_create_outcome_is_resolved_by_asking_not_by_resending(
    fault: str, sim: SimulatorServer, ledger: Ledger, takes: Path
) -> None:
    getattr(sim.faults, fault)(
        count=1, **({"endpoint": "create"} if fault != "lose_create_response" else {})
    )

    async def scenario() -> int:
        runner = make_runner(ledger, sim)
        row = await submit(runner, sim, text2video(), takes)
        await runner.wait([row.id])
        await runner.aclose()
        return row.id

    job = arun(scenario())
    row = ledger.get(job)
    assert row.state == "downloaded"
    assert row.attempts == 1
    assert sim.count_tasks(row.external_task_id) == 1
    assert "unknown" in [h.state for h in ledger.history(job)]


def test_unknown_outcome_of_a_create_that_never_arrived_is_sent_again_with_the_same_id(
    sim: SimulatorServer, ledger: Ledger, takes: Path
) -> None:
    sim.faults.html_error(count=1, endpoint="create", status=504)  # nothing was created

    async def scenario() -> int:
        runner = make_runner(ledger, sim)
        row = await submit(runner, sim, text2video(), takes)
        await runner.wait([row.id])
        await runner.aclose()
        return row.id

    row = ledger.get(arun(scenario()))
    assert row.state == "downloaded"
    assert row.attempts == 2
    tasks = sim.tasks()
    assert len(tasks) == 1 and tasks[0]["external_task_id"] == row.external_task_id


def test_cancel_stops_watching_with_the_honest_message_and_resume_fetches(
    sim: SimulatorServer, ledger: Ledger, takes: Path
) -> None:
    async def scenario() -> int:
        runner = make_runner(ledger, sim)
        events = runner.events()
        row = await submit(runner, sim, text2video(), takes)
        async for ev in events:
            if ev.state == "submitted":
                break
        cancelled = await runner.cancel(row.id)
        assert cancelled.state == "cancelled_locally"
        assert cancelled.state_msg == CANCEL_MESSAGE
        assert row.id not in runner.running()
        assert await runner.resume() == []  # cancelled jobs are not resumed automatically
        assert await runner.resume([row.id]) == [row.id]  # ...only when asked
        await runner.wait([row.id])
        await runner.aclose()
        return row.id

    row = ledger.get(arun(scenario()))
    assert row.state == "downloaded"
    assert sim.count_tasks() == 1


def test_cancelling_a_queued_job_says_nothing_was_sent(
    sim: SimulatorServer, ledger: Ledger, takes: Path
) -> None:
    async def scenario() -> None:
        runner = make_runner(ledger, sim, concurrency=1)
        first = await submit(runner, sim, text2video(), takes)
        second = await submit(runner, sim, text2video(), takes)
        row = await runner.cancel(second.id)
        assert row.state == "cancelled_locally"
        assert "nothing will be charged" in row.state_msg
        await runner.wait([first.id])
        await runner.aclose()

    arun(scenario())
    assert sim.count_tasks() == 1


def test_retry_as_new_sends_the_same_request_under_a_new_id(
    sim: SimulatorServer, ledger: Ledger, takes: Path
) -> None:
    sim.faults.fail_tasks(count=1)

    async def scenario() -> tuple[int, int]:
        runner = make_runner(ledger, sim)
        old = await submit(runner, sim, image2video(), takes)
        await runner.wait([old.id])
        new = await runner.retry_as_new(old.id)
        await runner.wait([new.id])
        await runner.aclose()
        return old.id, new.id

    old_id, new_id = arun(scenario())
    old, new = ledger.get(old_id), ledger.get(new_id)
    assert (old.state, new.state) == ("failed", "downloaded")
    assert new.external_task_id != old.external_task_id
    strip = lambda b: {k: v for k, v in b.items() if k != "external_task_id"}  # noqa: E731
    assert strip(new.body) == strip(old.body)
    bodies = [t["body"] for t in sim.tasks()]
    assert [b["external_task_id"] for b in bodies] == [old.external_task_id, new.external_task_id]
