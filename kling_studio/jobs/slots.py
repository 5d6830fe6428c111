"""A FIFO concurrency cap for jobs that occupy a slot on Kling's side.

Kling counts a video task against the resource pack's concurrency from ``submitted`` until it
finishes (kling-api.md §4), so a job holds a slot from just before its create call until it
reaches a final server state. Queued jobs wait in submission order. A job found already running
on Kling when the app restarts *claims* a slot without waiting: it occupies one whether we like
it or not, and new submissions must wait for it.
"""

from __future__ import annotations

import asyncio
from collections import deque


class Slots:
    """At most ``cap`` holders at a time (claims may exceed it temporarily)."""

    def __init__(self, cap: int) -> None:
        if cap < 1:
            raise ValueError("the concurrency cap must be at least 1")
        self.cap = cap
        self.used = 0
        self._waiters: deque[asyncio.Future[None]] = deque()

    async def acquire(self) -> None:
        """Wait for a free slot (first come, first served)."""
        if self.used < self.cap and not self._waiters:
            self.used += 1
            return
        fut: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():
                self.release()  # the slot was handed over just as we were cancelled
            elif fut in self._waiters:
                self._waiters.remove(fut)
            raise

    def claim(self) -> None:
        """Take a slot now, even beyond the cap (a task already running on Kling)."""
        self.used += 1

    def release(self) -> None:
        self.used -= 1
        self._wake()

    @property
    def waiting(self) -> int:
        return sum(1 for f in self._waiters if not f.done())

    def _wake(self) -> None:
        while self._waiters and self.used < self.cap:
            fut = self._waiters.popleft()
            if not fut.done():
                self.used += 1
                fut.set_result(None)
