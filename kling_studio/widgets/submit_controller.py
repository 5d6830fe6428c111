"""Submit (confirm the price, build the exact request off the GUI thread, journal, send) and
turn downloaded jobs into takes of the open project."""

from __future__ import annotations

import asyncio
import base64
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.requests import KlingRequest, RequestBuildError, build_request
from kling_studio.domain.storyboard import Asset, Storyboard
from kling_studio.jobs.paths import default_takes_dir
from kling_studio.project import Project, ProjectError
from kling_studio.qt.analysis import LiveAnalysis
from kling_studio.qt.jobs import JobController
from kling_studio.qt.services import Services
from kling_studio.widgets import dialogs

if TYPE_CHECKING:
    from kling_studio.jobs.ledger import JobRow

log = logging.getLogger(__name__)

SUBMITTABLE = {"kling", "simulator"}


def media_resolver(project: Project) -> Callable[[Asset], str | None]:
    """URL when the asset has one, else the project's file as raw base64 (no ``data:`` prefix)."""

    def resolve(asset: Asset) -> str | None:
        if asset.url:
            return asset.url
        path = project.asset_path(asset)
        if path is None:
            return None
        return base64.b64encode(path.read_bytes()).decode("ascii")

    return resolve


def build_for(sb: Storyboard, catalog: Catalog, project: Project) -> KlingRequest:
    return build_request(sb, catalog, media=media_resolver(project))


class SubmitController(QObject):
    """Signals:
    submitted(str): a job was journalled and sent (status message).
    take_added(object, object): (Take, Path of its video) for the open project.
    message(str): anything to tell the user.
    """

    submitted = Signal(str)
    take_added = Signal(object, object)
    message = Signal(str)

    def __init__(
        self,
        services: Services,
        analysis: LiveAnalysis,
        jobs: JobController,
        project: Callable[[], Project],
        parent_widget: Callable[[], Any],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._analysis = analysis
        self._jobs = jobs
        self._project = project
        self._parent = parent_widget
        jobs.job_downloaded.connect(self._on_jobs_job_downloaded)
        # Jobs finished while the app was closed are adopted once the ledger is open.
        jobs.ready.connect(self.adopt_all)

    # ----- submit -----

    def submit(self) -> None:
        analysis = self._analysis.current
        if analysis.blocked:
            self.message.emit("Resolve the errors in the Findings list first.")
            return
        sb = analysis.storyboard
        if sb.settings.provider not in SUBMITTABLE:
            dialogs.show_error(
                self._parent(),
                "Cannot submit to this provider",
                f"Kling Studio checks and prices storyboards for {sb.settings.provider}, but "
                "sends jobs only to the official Kling API or the offline simulator. Switch the "
                "storyboard's provider to Kling to generate it.",
            )
            return
        est = analysis.estimate
        price = est.money_display if est.known and est.money_display else "an unknown price"
        backend = self._services.settings.provider
        where = (
            "the offline simulator (nothing is charged)"
            if backend == "simulator"
            else ("the Kling API — your resource pack is charged")
        )
        summary = (
            f"{sb.settings.model} · {sb.settings.mode} · {sb.total} s · {len(sb.shots)} shot(s)\n"
            f"Sent to {where}. The result downloads into the project as a new take."
        )
        if not dialogs.confirm_submit(self._parent(), summary, price):
            return
        self._spawn(self._build_and_send(sb))

    async def _build_and_send(self, sb: Storyboard) -> None:
        project = self._project()
        loop = asyncio.get_running_loop()
        try:
            # Reading and base64-encoding local media is I/O: keep it off the GUI thread.
            request = await loop.run_in_executor(
                None, build_for, sb, self._services.catalog, project
            )
        except (RequestBuildError, OSError) as exc:
            dialogs.show_error(self._parent(), "Cannot build the request", str(exc))
            return
        settings = self._services.settings
        self._jobs.submit(
            request,
            provider=settings.provider,
            base_url=self._jobs.base_url_for(
                settings.provider, settings.region, settings.custom_base_url
            ),
            takes_dir=default_takes_dir(),
            estimate=self._analysis.current.estimate,
            project_ref=project.recovery_key,
            total_seconds=sb.total,
        )
        self.submitted.emit("Submitted: journalled first, then sent. Watch it in Jobs.")

    def _spawn(self, coro: Any) -> None:
        task = asyncio.ensure_future(coro)
        task.add_done_callback(self._on_task_done)

    def _on_task_done(self, task: asyncio.Task[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            exc = task.exception()
            log.warning("submit failed: %s", exc)
            self.message.emit(f"Submit failed: {exc}")

    # ----- takes -----

    def _on_jobs_job_downloaded(self, row: JobRow) -> None:
        self.adopt(row)

    def adopt(self, row: JobRow) -> bool:
        """Make a downloaded job a take of the open project (once); True when added."""
        project = self._project()
        if row.project_ref not in project.recovery_keys or not row.download_path:
            return False
        if any(t.job_id == str(row.id) for t in project.takes):
            return False
        video = Path(row.download_path)
        if not video.is_file():
            return False
        charged = float(row.final_unit_deduction) if row.final_unit_deduction else None
        try:
            take = project.add_take(
                video,
                job_id=str(row.id),
                model=row.model,
                request=row.request,
                response={
                    "task_id": row.task_id,
                    "external_task_id": row.external_task_id,
                    "final_unit_deduction": row.final_unit_deduction,
                    "result_urls": row.result_urls,
                    "sha256": row.sha256,
                },
                provider=row.provider,
                endpoint=row.endpoint,
                task_id=row.task_id,
                estimate_units=row.estimate_units,
                charged_units=charged,
            )
        except ProjectError as exc:
            self.message.emit(f"The result of job #{row.id} is safe at {video}, but: {exc}")
            return False
        path = project.take_path(take)
        self.take_added.emit(take, path)
        self.message.emit(f"Job #{row.id} finished: new take {take.id}.")
        return True

    def adopt_all(self) -> int:
        """Adopt every downloaded job of the open project that has no take yet (after a crash)."""
        project = self._project()
        rows = [
            r
            for r in self._jobs.rows()
            if r.state == "downloaded" and r.project_ref in project.recovery_keys
        ]
        return sum(self.adopt(r) for r in rows)
