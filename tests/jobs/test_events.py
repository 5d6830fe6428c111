"""Job events: every subscriber gets every event, in order, and iteration ends on close."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import ValidationError

from kling_studio.jobs import EventHub, JobEvent
from tests.backends.kling_support import arun


def _ev(i: int) -> JobEvent:
    return JobEvent(job_id=i, kind="status", state="processing", message=f"m{i}")


def test_each_subscriber_gets_every_event_in_order() -> None:
    async def scenario() -> None:
        hub = EventHub()
        a, b = hub.subscribe(), hub.subscribe()

        async def collect(sub):  # type: ignore[no-untyped-def]
            return [ev.job_id async for ev in sub]

        tasks = [asyncio.create_task(collect(a)), asyncio.create_task(collect(b))]
        for i in range(5):
            hub.publish(_ev(i))
            await asyncio.sleep(0)
        late = hub.subscribe()  # sees only what comes after it subscribed
        hub.publish(_ev(5))
        hub.close()
        assert await asyncio.gather(*tasks) == [list(range(6)), list(range(6))]
        assert [ev.job_id async for ev in late] == [5]

    arun(scenario())


def test_a_closed_subscription_stops_receiving_and_others_continue() -> None:
    async def scenario() -> None:
        hub = EventHub()
        a, b = hub.subscribe(), hub.subscribe()
        hub.publish(_ev(1))
        a.close()
        hub.publish(_ev(2))
        assert [ev.job_id async for ev in a] == [1]
        assert [e.job_id for e in b.pending()] == [1, 2]

    arun(scenario())


def test_progress_is_bounded() -> None:
    with pytest.raises(ValidationError):
        JobEvent(job_id=1, kind="progress", state="succeeded", progress=1.5)
