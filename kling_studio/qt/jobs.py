"""JobController: the engine's async job stream turned into Qt signals for the GUI.

Commands (submit, cancel, retry, resume) schedule coroutines on the running qasync loop and
return at once; results arrive as signals. No widget code ever runs inside an I/O coroutine.

The controller can be given a factory instead of an engine: the engine (ledger, runner, and the
imports behind them) is then made by :meth:`JobController.start` or the first command, after the
window is shown, and ``ready`` tells the job list to fill.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from kling_studio.domain.pricing import Estimate as PriceEstimate
    from kling_studio.domain.requests import KlingRequest
    from kling_studio.jobs.engine import Engine
    from kling_studio.jobs.events import JobEvent, Subscription
    from kling_studio.jobs.ledger import JobRow

log = logging.getLogger(__name__)

REGIONS = {
    "global": "https://api-singapore.klingai.com",
    "beijing": "https://api-beijing.klingai.com",
}


class JobController(QObject):
    """Owns the engine on the GUI's event loop.

    Signals:
        job_event(JobEvent): every event of every job, in order.
        job_updated(object): the job's fresh ledger row (JobRow) after an event.
        job_downloaded(object): a job's video is on disk (JobRow with download_path, sha256).
        resumed(int): how many unfinished jobs were picked up at start.
        failed(str): a command could not be carried out (message for the user).
        ready(): the engine exists (made from the factory): :meth:`rows` shows the ledger now.
    """

    job_event = Signal(object)
    job_updated = Signal(object)
    job_downloaded = Signal(object)
    resumed = Signal(int)
    failed = Signal(str)
    ready = Signal()

    def __init__(
        self, engine: Engine | Callable[[], Engine], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._engine: Engine | None = None if callable(engine) else engine
        self._factory: Callable[[], Engine] | None = engine if callable(engine) else None
        self._tasks: set[asyncio.Task[Any]] = set()
        self._subscription: Subscription | None = None

    @property
    def engine(self) -> Engine:
        """The engine; made from the factory on first use (then ``ready`` is emitted)."""
        if self._engine is None:
            assert self._factory is not None
            self._engine = self._factory()
            self.ready.emit()
        return self._engine

    @property
    def has_engine(self) -> bool:
        """Whether the engine exists yet (False only before the first use of a factory)."""
        return self._engine is not None

    # ----- lifecycle -----

    def start(self) -> None:
        """Subscribe to job events and resume every unfinished job (call once the loop runs)."""
        self._subscription = self.engine.runner.events()
        self._spawn(self._pump(self._subscription))
        self._spawn(self._resume_all())

    async def aclose(self) -> None:
        if self._subscription is not None:
            self._subscription.close()
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._engine is not None:
            await self._engine.aclose()

    # ----- queries (SQLite on local disk: sub-millisecond) -----

    def rows(self) -> list[JobRow]:
        """Every job in the ledger; empty while the engine is not made yet (see ``ready``)."""
        return self._engine.ledger.jobs() if self._engine is not None else []

    def row(self, job_id: int) -> JobRow:
        return self.engine.ledger.get(job_id)

    # ----- commands -----

    def base_url_for(self, provider: str, region: str = "global", custom: str | None = None) -> str:
        if provider == "simulator":
            from kling_studio.jobs.engine import SIMULATOR_IN_PROCESS

            return SIMULATOR_IN_PROCESS
        if region == "custom" and custom:
            return custom
        return REGIONS.get(region, REGIONS["global"])

    def submit(
        self,
        request: KlingRequest,
        *,
        provider: str,
        base_url: str,
        takes_dir: Path,
        estimate: PriceEstimate,
        project_ref: str | None,
        total_seconds: int,
    ) -> None:
        from kling_studio.jobs.runner import Estimate

        est = Estimate(units=estimate.units, money=estimate.money, currency=estimate.currency)

        async def go() -> None:
            row = await self.engine.runner.submit(
                request,
                provider=provider,
                base_url=base_url,
                takes_dir=takes_dir,
                project_ref=project_ref,
                estimate=est,
                total_seconds=total_seconds,
                model_name=request.model_name,
            )
            self.job_updated.emit(row)

        self._spawn(go())

    def cancel(self, job_id: int) -> None:
        self._spawn(self._emit_row(self.engine.runner.cancel(job_id)))

    def retry_as_new(self, job_id: int) -> None:
        self._spawn(self._emit_row(self.engine.runner.retry_as_new(job_id)))

    def resume(self, job_id: int) -> None:
        self._spawn(self._resume([job_id]))

    # ----- internals -----

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._on_task_done)

    def _on_task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            log.warning("job command failed: %s", exc)
            self.failed.emit(str(exc) or type(exc).__name__)

    async def _emit_row(self, coro: Coroutine[Any, Any, JobRow]) -> None:
        self.job_updated.emit(await coro)

    async def _resume(self, ids: list[int] | None) -> int:
        started = await self.engine.runner.resume(ids)
        return len(started)

    async def _resume_all(self) -> None:
        from kling_studio.jobs.states import ACTIVE

        pending = [r for r in self.engine.ledger.jobs(ACTIVE)]
        if not pending:
            return
        count = await self._resume(None)
        self.resumed.emit(count)

    async def _pump(self, subscription: Subscription) -> None:
        async for event in subscription:
            self._deliver(event)

    def _deliver(self, event: JobEvent) -> None:
        self.job_event.emit(event)
        try:
            row = self.engine.ledger.get(event.job_id)
        except Exception:  # the ledger row must exist; never let a GUI update kill the pump
            log.exception("no ledger row for job %s", event.job_id)
            return
        self.job_updated.emit(row)
        if event.kind == "downloaded":
            self.job_downloaded.emit(row)
