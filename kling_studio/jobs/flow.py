"""What happens to one job: send, recover an unknown outcome, poll, download.

:class:`JobFlow` drives one job from whatever state the ledger holds to a resting state. Each step
reads the ledger row, talks to Kling, and records the outcome in one committed transition before
anything else happens, so the process may die between any two lines and :meth:`Runner.resume`
picks up from the ledger alone.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kling_studio.backends.kling.crash import crashpoint
from kling_studio.backends.kling.errors import (
    CreateOutcomeUnknownError,
    KlingApiError,
    KlingDownloadError,
    KlingError,
)
from kling_studio.backends.kling.models import TaskInfo
from kling_studio.jobs.download import DownloadPolicy, fetch
from kling_studio.jobs.events import EventHub, EventKind, JobEvent
from kling_studio.jobs.ledger import JobRow, Ledger
from kling_studio.jobs.messages import KIND, lost_message, status_message
from kling_studio.jobs.policy import PollPolicy
from kling_studio.jobs.slots import Slots
from kling_studio.jobs.states import TERMINAL, TRANSITIONS, state_for_status

if TYPE_CHECKING:
    from kling_studio.backends.kling.client import KlingClient

__all__ = ["JobFlow", "PollPolicy", "StoredRequest"]  # PollPolicy moved to .policy; kept here

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StoredRequest:
    """A create request rebuilt from the ledger (satisfies ``CreateRequest``)."""

    endpoint: str
    path: str
    body: dict[str, Any]

    @classmethod
    def from_row(cls, row: JobRow) -> StoredRequest:
        return cls(row.endpoint, str(row.request.get("path", "")), row.body)


class _RequeueError(Exception):
    """The create was refused for now (nothing created): wait, then send again."""


class JobFlow:
    """Drives jobs through the state machine; shared by all jobs of one runner."""

    def __init__(
        self,
        ledger: Ledger,
        client_for: Callable[[JobRow], KlingClient],
        hub: EventHub,
        slots: Slots,
        poll: PollPolicy,
        download: DownloadPolicy,
    ) -> None:
        self.ledger = ledger
        self.client_for = client_for
        self.hub = hub
        self.slots = slots
        self.poll = poll
        self.download_policy = download
        self.refresh_first: set[int] = set()

    # ----- events + transitions -----

    def emit(
        self, row: JobRow, kind: EventKind, message: str, progress: float | None = None
    ) -> None:
        self.hub.publish(
            JobEvent(job_id=row.id, kind=kind, state=row.state, progress=progress, message=message)
        )

    def move(self, row: JobRow, state: str, message: str, **fields: Any) -> JobRow:
        row = self.ledger.transition(row.id, state, detail=message, **fields)
        self.emit(row, KIND.get(state, "status"), message)
        log.debug("job %d -> %s", row.id, state)
        return row

    def note(self, row: JobRow, message: str, *, stopped: bool = False) -> JobRow:
        """Record an error that leaves the state as it is."""
        row = self.ledger.update(row.id, last_error=message)
        self.emit(row, "failed" if stopped else "status", message)
        return row

    # ----- the whole journey -----

    async def run(self, job_id: int) -> JobRow:
        """Drive one job until it rests (done, failed, cancelled) or cannot progress now."""
        row = self.ledger.get(job_id)
        holding = False
        requeues = 0
        try:
            while row.state not in TERMINAL:
                state = row.state
                try:
                    if state == "queued":
                        if requeues:
                            await asyncio.sleep(self.poll.requeue_delay)
                        await self.slots.acquire()
                        holding = True
                        new = await self.send(row)
                    elif state == "succeeded":
                        if holding:
                            self.slots.release()
                            holding = False
                        new = await self.fetch(row)
                    else:
                        if not holding:
                            self.slots.claim()  # it occupies a slot on Kling already
                            holding = True
                        unsure = state in ("submitting", "unknown")
                        new = await (self.resolve(row) if unsure else self.watch(row))
                except _RequeueError:
                    requeues += 1
                    self.slots.release()
                    holding = False
                    row = self.ledger.get(job_id)
                    if requeues > self.poll.max_requeues:
                        return self.move(
                            row,
                            "failed",
                            f"Gave up after {requeues} tries; "
                            "nothing was created or charged. "
                            f"Last error: {row.last_error}",
                        )
                    continue
                if new.state == state:
                    return new  # gave up for this session; the job stays resumable
                row = new
            return row
        finally:
            if holding:
                self.slots.release()

    # ----- steps -----

    async def send(self, row: JobRow) -> JobRow:
        """Journal ``submitting``, POST, and record what Kling said."""
        row = self.move(row, "submitting", "Sending to Kling…", attempts=row.attempts + 1)
        crashpoint("after_journal")
        try:
            info = await self.client_for(row).create(StoredRequest.from_row(row))
        except CreateOutcomeUnknownError as exc:
            return self.move(row, "unknown", exc.message, last_error=exc.message)
        except KlingApiError as exc:
            duplicate = exc.code == 1201 and (
                "external_task_id" in exc.server_message.lower() or row.attempts > 1
            )
            if duplicate:
                msg = "Kling already has a job with this id; asking Kling for it."
                return self.move(row, "unknown", msg, last_error=exc.message)
            if exc.retryable:
                self.move(row, "queued", exc.message, last_error=exc.message)
                raise _RequeueError from None
            return self.move(row, "failed", exc.message, last_error=exc.message)
        except KlingError as exc:  # never reached Kling (refused connection, gateway 429/503)
            msg = f"{exc.message} Nothing was sent; the job waits and retries."
            self.move(row, "queued", msg, last_error=exc.message)
            raise _RequeueError from None
        return self.apply(row, info)

    async def resolve(self, row: JobRow) -> JobRow:
        """Find out whether a create whose outcome is unknown reached Kling."""
        if row.state == "submitting":
            row = self.move(
                row,
                "unknown",
                "Stopped while sending; asking Kling whether the "
                "job arrived before sending anything again.",
            )
        client = self.client_for(row)
        errors, delay = 0, self.poll.initial
        while True:
            try:
                info = await client.find(row.endpoint, row.external_task_id)
            except KlingError as exc:
                errors += 1
                stop = errors >= self.poll.max_errors
                row = self.note(
                    row,
                    f"Could not ask Kling about this job: {exc.message}"
                    + (" Resume will ask again." if stop else ""),
                    stopped=stop,
                )
                if stop:
                    return row
                await asyncio.sleep(delay)
                delay = min(delay * self.poll.factor, self.poll.maximum)
                continue
            if info is not None:
                return self.apply(row, info)
            if row.task_id is None:
                return await self.send(row)  # same external_task_id: Kling rejects duplicates
            return self.move(row, "failed", lost_message(row))

    async def watch(self, row: JobRow) -> JobRow:
        """Poll until Kling says succeeded or failed (adaptive interval)."""
        client = self.client_for(row)
        errors, delay = 0, self.poll.initial
        while True:
            await asyncio.sleep(self.poll.wait(delay))
            delay = min(delay * self.poll.factor, self.poll.maximum)
            try:
                info = await client.get(row.endpoint, row.task_id or row.external_task_id)
            except KlingApiError as exc:
                if exc.http_status == 404 or exc.code == 1203:
                    return self.move(row, "failed", lost_message(row), last_error=exc.message)
                if not exc.retryable:
                    return self.note(
                        row, f"Stopped watching: {exc.message} Resume will try again.", stopped=True
                    )
                errors += 1
                error: KlingError | None = exc
            except KlingError as exc:
                errors += 1
                error = exc
            else:
                errors, error = 0, None
                row = self.apply(row, info)
                crashpoint("polling")
                if row.state in ("succeeded", "failed"):
                    return row
            if error is not None:
                stop = errors >= self.poll.max_errors
                row = self.note(
                    row,
                    f"Could not ask Kling about this job: {error.message}"
                    + (" Resume will try again." if stop else ""),
                    stopped=stop,
                )
                if stop:
                    return row

    def apply(self, row: JobRow, info: TaskInfo) -> JobRow:
        """Record what Kling says about the task (one transition at most)."""
        fields: dict[str, Any] = {}
        if info.task_id and info.task_id != row.task_id:
            fields["task_id"] = info.task_id
        if info.final_unit_deduction and info.final_unit_deduction != row.final_unit_deduction:
            fields["final_unit_deduction"] = info.final_unit_deduction
        urls = [v.url for v in info.videos]
        if urls and urls != row.result_urls:
            fields["result_urls"] = urls
        new = state_for_status(info.status)
        if new == row.state or new not in TRANSITIONS[row.state]:
            return self.ledger.update(row.id, **fields) if fields else row
        return self.move(row, new, status_message(new, info), **fields)

    async def fetch(self, row: JobRow) -> JobRow:
        """Download the result of a succeeded job."""
        client = self.client_for(row)

        async def fresh_url() -> str | None:
            info = await client.get(row.endpoint, row.task_id or row.external_task_id)
            urls = [v.url for v in info.videos]
            if urls:
                self.ledger.update(row.id, result_urls=urls)
            return urls[0] if urls else None

        def progress(fraction: float | None, done: int, total: int | None) -> None:
            size = f"{done / 1e6:.1f} of {total / 1e6:.1f} MB" if total else f"{done / 1e6:.1f} MB"
            self.emit(row, "progress", f"Downloading: {size}", fraction)

        try:
            url = row.result_urls[0] if row.result_urls else None
            if url is None or row.id in self.refresh_first:
                url = await _first_of(fresh_url, url)
            if url is None:
                return self.note(
                    row, "Kling reported success but sent no video link.", stopped=True
                )
            path, result = await fetch(
                client,
                row,
                url,
                policy=self.download_policy,
                on_progress=progress,
                refresh_url=fresh_url,
            )
        except KlingApiError as exc:
            if exc.http_status == 404 or exc.code == 1203:  # the task and its result are gone
                return self.move(row, "failed", lost_message(row), last_error=exc.message)
            return self.note(row, f"Could not fetch the video: {exc.message}", stopped=True)
        except KlingError as exc:  # KlingDownloadError messages already say what happened
            message = (
                exc.message
                if isinstance(exc, KlingDownloadError)
                else (f"Could not fetch the video: {exc.message}")
            )
            return self.note(row, message, stopped=True)
        self.refresh_first.discard(row.id)
        msg = f"Saved {path} ({result.size / 1e6:.1f} MB)."
        return self.move(
            row,
            "downloaded",
            msg,
            download_path=str(path),
            size=result.size,
            sha256=result.sha256,
            last_error=None,
        )


async def _first_of(fresh: Callable[[], Any], fallback: str | None) -> str | None:
    """A fresh link from Kling, or the stored one when Kling cannot be asked right now.

    Raises:
        KlingApiError: Kling answered that it has no such task (the stored link is dead too).
    """
    try:
        url: str | None = await fresh()
    except KlingApiError as exc:
        if exc.http_status == 404 or exc.code == 1203:
            raise
        return fallback
    except KlingError:
        return fallback
    return url or fallback
