"""The job runner: submit, poll, download and resume Kling jobs on one asyncio loop.

::

    ledger = Ledger(ledger_path())
    runner = Runner(ledger, lambda provider, base_url: KlingClient(base_url, creds))
    events = runner.events()
    row = await runner.submit(request, provider="kling", base_url=REGIONS["global"],
                              takes_dir=default_takes_dir())
    await runner.wait([row.id])

At most ``concurrency`` jobs occupy a slot on Kling at once; the rest wait as ``queued`` rows in
the ledger, which survive restarts. :meth:`Runner.resume` picks every unfinished job back up.
Kling has no cancel call: :meth:`Runner.cancel` only stops watching.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kling_studio.backends.kling.credentials import CredentialsError
from kling_studio.jobs.download import DownloadPolicy
from kling_studio.jobs.events import EventHub, Subscription
from kling_studio.jobs.flow import JobFlow
from kling_studio.jobs.ids import new_external_task_id
from kling_studio.jobs.ledger import JobRow, Ledger, LedgerError
from kling_studio.jobs.messages import CANCEL_MESSAGE, CANCEL_QUEUED_MESSAGE
from kling_studio.jobs.policy import PollPolicy
from kling_studio.jobs.slots import Slots
from kling_studio.jobs.states import ACTIVE, InvalidTransitionError

if TYPE_CHECKING:
    # The client module (httpx) loads with the first job, not with the app (see _warm_up).
    from kling_studio.backends.kling.client import CreateRequest, KlingClient

log = logging.getLogger(__name__)

ClientFactory = Callable[[str, str], "KlingClient"]
"""``(provider, base_url) -> KlingClient``; called once per pair, the runner closes them."""


@dataclass(frozen=True)
class Estimate:
    """The price shown before submitting, kept to compare with what Kling charged."""

    units: float | None = None
    money: float | None = None
    currency: str | None = None


class Runner:
    """Runs jobs concurrently on the current event loop; every step is journalled first.

    Args:
        ledger: the job ledger (the single source of truth).
        client_factory: builds the client for a job's provider and base URL.
        concurrency: jobs allowed on Kling at once (the resource pack's concurrency).
        poll: polling and retry timing.
        download: download limits.
    """

    def __init__(
        self,
        ledger: Ledger,
        client_factory: ClientFactory,
        *,
        concurrency: int = 5,
        poll: PollPolicy | None = None,
        download: DownloadPolicy | None = None,
    ) -> None:
        self.ledger = ledger
        self._factory = client_factory
        self._clients: dict[tuple[str, str], KlingClient] = {}
        self._hub = EventHub()
        self._slots = Slots(concurrency)
        self._tasks: dict[int, asyncio.Task[JobRow]] = {}
        self._warm = False
        self._flow = JobFlow(
            ledger,
            self._client_for,
            self._hub,
            self._slots,
            poll or PollPolicy(),
            download or DownloadPolicy(),
        )

    @property
    def concurrency(self) -> int:
        return self._slots.cap

    def events(self) -> Subscription:
        """Subscribe to every event from now on (``async for ev in runner.events()``)."""
        return self._hub.subscribe()

    def running(self) -> set[int]:
        """Ids of the jobs this runner is driving right now."""
        return {i for i, t in self._tasks.items() if not t.done()}

    # ----- commands -----

    async def submit(
        self,
        request: CreateRequest,
        *,
        provider: str,
        base_url: str,
        takes_dir: Path,
        project_ref: str | None = None,
        estimate: Estimate | None = None,
        total_seconds: int | None = None,
        model_name: str | None = None,
    ) -> JobRow:
        """Journal a new job with a fresh external_task_id, then start it.

        The row (full request, endpoint, provider, estimate, external_task_id) is committed
        before this returns, and before any byte goes to Kling.
        """
        await self._warm_up()
        external_id = new_external_task_id()
        body = {k: v for k, v in request.body.items() if k != "external_task_id"}
        body["external_task_id"] = external_id
        model = model_name or str(getattr(request, "model_name", "") or body.get("model_name", ""))
        est = estimate or Estimate()
        row = self.ledger.insert_job(
            provider=provider,
            base_url=base_url,
            request={
                "endpoint": request.endpoint,
                "path": request.path,
                "model_name": model,
                "body": body,
            },
            external_task_id=external_id,
            takes_dir=str(takes_dir),
            estimate_units=est.units,
            estimate_money=est.money,
            currency=est.currency,
            project_ref=project_ref,
            total_seconds=total_seconds if total_seconds is not None else _seconds(body),
        )
        ahead = self._slots.used + self._slots.waiting
        wait = f" ({ahead} ahead)" if ahead >= self._slots.cap else ""
        self._flow.emit(row, "queued", f"Queued{wait}.")
        self._start(row.id)
        return row

    async def resume(self, job_ids: Iterable[int] | None = None) -> list[int]:
        """Pick jobs back up: every unfinished one, or the given ones (cancelled ones too).

        A job whose create outcome is unknown is first looked up by external_task_id; a
        succeeded job that is not on disk yet is downloaded (with a fresh link).
        """
        await self._warm_up()
        if job_ids is None:
            rows = self.ledger.jobs(ACTIVE)
        else:
            rows = [self.ledger.get(i) for i in job_ids]
        started: list[int] = []
        for found in rows:
            if found.id in self.running():
                continue
            row = self._revive(found)
            if row is None:
                continue
            if row.state == "succeeded":
                self._flow.refresh_first.add(row.id)
            self._flow.emit(row, "resumed", f"Resumed ({row.state}).")
            self._start(row.id)
            started.append(row.id)
        return started

    def _revive(self, row: JobRow) -> JobRow | None:
        """The row to drive on resume, or None when there is nothing to do."""
        if row.state == "cancelled_locally":
            # Never sent: back to the queue; otherwise ask Kling what became of it.
            revived = "queued" if row.attempts == 0 else "unknown"
            return self._flow.move(row, revived, "Resumed by the user.")
        if row.state == "downloaded":
            if row.download_path and Path(row.download_path).is_file():
                return None
            return self._flow.move(
                row, "succeeded", "The video file is missing; fetching it again."
            )
        return row if row.state in ACTIVE else None

    async def download(self, job_id: int) -> JobRow:
        """Fetch a finished job's video (again) and wait for it."""
        row = self.ledger.get(job_id)
        if row.state == "downloaded" and row.download_path and Path(row.download_path).is_file():
            return row
        await self.resume([job_id])
        return (await self.wait([job_id]))[0]

    async def cancel(self, job_id: int) -> JobRow:
        """Stop watching a job (Kling has no cancel; the server may still charge it)."""
        task = self._tasks.get(job_id)
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        row = self.ledger.get(job_id)
        if row.state in ("downloaded", "failed", "cancelled_locally"):
            return row
        never_sent = row.state == "queued" and row.attempts == 0
        message = CANCEL_QUEUED_MESSAGE if never_sent else CANCEL_MESSAGE
        return self._flow.move(row, "cancelled_locally", message)

    async def retry_as_new(self, job_id: int) -> JobRow:
        """A new job (new external_task_id) with the same request as ``job_id``."""
        old = self.ledger.get(job_id)
        request = _Request(old.endpoint, str(old.request.get("path", "")), old.body)
        return await self.submit(
            request,
            provider=old.provider,
            base_url=old.base_url,
            takes_dir=Path(old.takes_dir),
            project_ref=old.project_ref,
            estimate=Estimate(old.estimate_units, old.estimate_money, old.currency),
            total_seconds=old.total_seconds,
            model_name=old.model,
        )

    async def wait(self, job_ids: Iterable[int] | None = None) -> list[JobRow]:
        """Wait until the given jobs (default: all running ones) stop; their final rows."""
        ids = list(self._tasks) if job_ids is None else list(job_ids)
        for i in ids:
            task = self._tasks.get(i)
            if task is not None:
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.shield(task)
        return [self.ledger.get(i) for i in ids]

    async def aclose(self) -> None:
        """Stop driving every job (they stay in the ledger as they are) and close clients."""
        tasks = [t for t in self._tasks.values() if not t.done()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for client in self._clients.values():
            await client.aclose()
        self._clients.clear()
        self._hub.close()

    # ----- internals -----

    async def _warm_up(self) -> None:
        # Build the shared TLS context in a thread: clients made later cost ~1 ms, not ~20 ms.
        # The thread also imports the client module (httpx, ~100 ms) off the event loop.
        if not self._warm:
            await asyncio.to_thread(_load_client_and_tls)
            self._warm = True

    def _start(self, job_id: int) -> None:
        task = asyncio.create_task(self._drive(job_id), name=f"kling-job-{job_id}")
        self._tasks[job_id] = task

    async def _drive(self, job_id: int) -> JobRow:
        try:
            return await self._flow.run(job_id)
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # No credentials, a full disk, a broken ledger, or a bug: stop this job, keep it
            # resumable, and say why (the traceback goes to the log only).
            bug = isinstance(exc, InvalidTransitionError) or not isinstance(exc, _EXPECTED)
            log.error("job %d stopped", job_id, exc_info=bug)
            row = self.ledger.get(job_id)
            message = str(exc) or type(exc).__name__
            self.ledger.update(job_id, last_error=message)
            self._flow.emit(row, "failed", f"Stopped: {message}")
            return self.ledger.get(job_id)

    def _client_for(self, row: JobRow) -> KlingClient:
        key = (row.provider, row.base_url)
        client = self._clients.get(key)
        if client is None:
            client = self._clients[key] = self._factory(*key)
        return client

    async def __aenter__(self) -> Runner:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()


def _load_client_and_tls() -> None:
    from kling_studio.backends.kling.client import tls_context

    tls_context()


_EXPECTED = (CredentialsError, LedgerError, OSError, ValueError)


@dataclass(frozen=True)
class _Request:
    endpoint: str
    path: str
    body: dict[str, Any]


def _seconds(body: dict[str, Any]) -> int | None:
    value = body.get("duration")
    try:
        return int(float(value)) if value is not None else None
    except (TypeError, ValueError):
        return None
