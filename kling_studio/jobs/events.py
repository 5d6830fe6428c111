"""Job events and an in-process publish/subscribe hub.

Every subscriber (the CLI's progress printer, later the Qt job controller) gets every event
published after it subscribed, in order, through ``async for``::

    async with runner.events() as events:   # or: events = runner.events(); ...; events.close()
        async for ev in events:
            ...

Publishing never blocks and never fails because of a slow or closed subscriber.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

EventKind = Literal[
    "queued", "submitted", "status", "progress", "downloaded", "failed", "cancelled", "resumed"
]


class JobEvent(BaseModel):
    """Something that happened to one job.

    Attributes:
        job_id: the ledger id.
        kind: what happened.
        state: the job's state after it happened.
        progress: download progress 0..1 (None when unknown or not downloading).
        message: a sentence for the user.
        at: Unix time.
    """

    model_config = ConfigDict(frozen=True)

    job_id: int
    kind: EventKind
    state: str
    progress: float | None = Field(default=None, ge=0.0, le=1.0)
    message: str = ""
    at: float = Field(default_factory=time.time)


class Subscription(AsyncIterator[JobEvent]):
    """One subscriber's ordered stream of events; ends when closed or when the hub closes."""

    def __init__(self, hub: EventHub) -> None:
        self._hub = hub
        self._queue: asyncio.Queue[JobEvent | None] = asyncio.Queue()
        self._closed = False

    def _put(self, event: JobEvent | None) -> None:
        if not self._closed:
            self._queue.put_nowait(event)

    def __aiter__(self) -> Subscription:
        return self

    async def __anext__(self) -> JobEvent:
        if self._closed and self._queue.empty():
            raise StopAsyncIteration
        event = await self._queue.get()
        if event is None:
            self._closed = True
            raise StopAsyncIteration
        return event

    def pending(self) -> list[JobEvent]:
        """Events received but not yet iterated (drains them)."""
        out: list[JobEvent] = []
        while not self._queue.empty():
            event = self._queue.get_nowait()
            if event is not None:
                out.append(event)
        return out

    def close(self) -> None:
        """Stop receiving; a running ``async for`` ends after the events already queued."""
        self._hub._unsubscribe(self)
        self._put(None)

    async def __aenter__(self) -> Subscription:
        return self

    async def __aexit__(self, *exc: object) -> None:
        self.close()


class EventHub:
    """Fan-out of :class:`JobEvent` s to any number of subscribers."""

    def __init__(self) -> None:
        self._subscribers: list[Subscription] = []
        self._closed = False

    def subscribe(self) -> Subscription:
        """A new subscription receiving every event published from now on."""
        sub = Subscription(self)
        if self._closed:
            sub._put(None)
        else:
            self._subscribers.append(sub)
        return sub

    def publish(self, event: JobEvent) -> None:
        for sub in tuple(self._subscribers):
            sub._put(event)

    def close(self) -> None:
        """End every subscription (after the events already queued)."""
        self._closed = True
        for sub in tuple(self._subscribers):
            sub._put(None)
        self._subscribers.clear()

    def _unsubscribe(self, sub: Subscription) -> None:
        if sub in self._subscribers:
            self._subscribers.remove(sub)
