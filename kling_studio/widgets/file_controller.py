"""New / open / save / save as / recent, autosave to the recovery place, and crash recovery."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from kling_studio.domain.edits import new_storyboard
from kling_studio.domain.storyboard import Storyboard
from kling_studio.project import (
    AppSettings,
    MediaError,
    Project,
    ProjectError,
    autosave,
    clear_for,
    discard,
    pending_recoveries,
    save_settings,
)
from kling_studio.qt.document import StoryboardDocument
from kling_studio.widgets import dialogs

log = logging.getLogger(__name__)

AUTOSAVE_MS = 30_000


def _replace_with(storyboard: Storyboard, _current: Storyboard) -> Storyboard:
    return storyboard


def adopt_sibling_assets(project: Project, storyboard: Storyboard) -> list[str]:
    """A plain storyboard file keeps its media in ``assets/<hash>.<ext>`` beside it (the
    examples do): copy those into the unsaved project so they preview, price and submit."""
    source = project.source
    problems: list[str] = []
    if source is None or project.path is not None:
        return problems
    folder = source.parent / "assets"
    for asset in storyboard.assets:
        if asset.url is not None or project.asset_path(asset) is not None:
            continue
        matches = sorted(folder.glob(f"{asset.hash}.*")) if folder.is_dir() else []
        if not matches:
            problems.append(
                f"{asset.name or asset.hash[:12]}: file not found beside the storyboard"
            )
            continue
        try:
            project.import_asset(matches[0])
        except (MediaError, ProjectError) as exc:
            problems.append(str(exc))
    return problems


class FileController(QObject):
    """Owns the current :class:`Project` and everything about saving it.

    Signals:
        project_changed(object): a different project is now open (Project).
        message(str): a status-bar message.
    """

    project_changed = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        doc: StoryboardDocument,
        settings: AppSettings,
        parent_widget: Callable[[], object],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.doc = doc
        self.settings = settings
        self._parent_widget = parent_widget
        self.project = Project.untitled(doc.storyboard)
        self._autosave = QTimer(self)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.autosave_now)
        self._autosave.start()
        self._autosave_task: asyncio.Future[Path] | None = None

    @property
    def _parent(self):  # type: ignore[no-untyped-def]
        return self._parent_widget()

    @property
    def display_name(self) -> str:
        if self.project.path is not None:
            return self.project.path.stem
        return self.doc.storyboard.title

    # ----- switching documents -----

    def _switch(self, project: Project, storyboard: Storyboard) -> None:
        self.project = project
        self.doc.replace(storyboard, project.path)
        self.project_changed.emit(project)
        if project.path is not None:
            self._remember(project.path)

    def new(self) -> bool:
        if not self.close_guard():
            return False
        sb = new_storyboard(total=10, shots=3)
        self._switch(Project.untitled(sb), sb)
        return True

    def open_path(self, path: Path) -> bool:
        if not self.close_guard():
            return False
        try:
            project = Project.open(path)
        except ProjectError as exc:
            dialogs.show_error(self._parent, "Cannot open", str(exc))
            return False
        storyboard = project.storyboard
        problems = adopt_sibling_assets(project, storyboard)
        self._switch(project, storyboard)
        for warning in [*project.warnings, *problems]:
            self.message.emit(warning)
        return True

    def open_dialog(self) -> bool:
        path = dialogs.choose_open_path(self._parent)
        return self.open_path(path) if path is not None else False

    # ----- saving -----

    def save(self) -> bool:
        if self.project.path is None:
            return self.save_as()
        try:
            self.project.save(self.doc.storyboard)
        except ProjectError as exc:
            dialogs.show_error(self._parent, "Could not save", str(exc))
            return False
        self._saved()
        return True

    def save_as(self) -> bool:
        start = self.project.path.parent if self.project.path is not None else None
        path = dialogs.choose_save_path(self._parent, self.display_name, start)
        if path is None:
            return False
        try:
            self.project.save_as(path, self.doc.storyboard)
        except ProjectError as exc:
            dialogs.show_error(self._parent, "Could not save", str(exc))
            return False
        self.doc.set_path(self.project.path)
        self._saved()
        if self.project.path is not None:
            self._remember(self.project.path)
        return True

    def _saved(self) -> None:
        self.doc.mark_saved()
        clear_for(self.project)
        self.message.emit(f"Saved {self.display_name}.")

    def _remember(self, path: Path) -> None:
        self.settings = self.settings.with_recent(path)
        try:
            save_settings(self.settings)
        except OSError as exc:
            log.warning("could not save settings: %s", exc)

    # ----- closing, autosave, recovery -----

    def close_guard(self) -> bool:
        """True when it is fine to drop the current document (asks if it has changes)."""
        if not self.doc.dirty:
            return True
        answer = dialogs.ask_save_changes(self._parent, self.display_name)
        if answer == dialogs.SAVE:
            return self.save()
        if answer == dialogs.DISCARD:
            clear_for(self.project)
            return True
        return False

    def autosave_now(self) -> None:
        """Snapshot to the recovery folder (never the user's file), off the GUI thread."""
        if not self.doc.dirty or (self._autosave_task and not self._autosave_task.done()):
            return
        project, storyboard = self.project, self.doc.storyboard
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            autosave(project, storyboard)
            return
        self._autosave_task = loop.run_in_executor(None, autosave, project, storyboard)

    def clean_exit(self) -> None:
        """A normal quit: nothing to recover next time for this document."""
        if not self.doc.dirty:
            clear_for(self.project)

    def offer_recovery(self) -> bool:
        """After a crash, offer the newest autosave; True when one was recovered."""
        try:
            found = pending_recoveries()
        except OSError as exc:
            log.warning("could not look for recoveries: %s", exc)
            return False
        for rec in found:
            where = str(rec.original) if rec.original else "an unsaved storyboard"
            stamp = rec.time.strftime("%Y-%m-%d %H:%M")
            answer = dialogs.ask_recover(
                self._parent, f"“{rec.title}” ({where}) has an autosave from {stamp}."
            )
            if answer == "recover":
                try:
                    project, storyboard = rec.open_project()
                except ProjectError as exc:
                    dialogs.show_error(self._parent, "Cannot recover", str(exc))
                    continue
                self.project = project
                self.doc.replace(project.storyboard, project.path)
                # The saved state first, then the recovered edits as one undoable step on top.
                self.doc.apply(partial(_replace_with, storyboard), "Recovered changes")
                self.project_changed.emit(project)
                self.message.emit("Recovered your unsaved changes — save to keep them.")
                return True
            if answer == "discard":
                discard(rec)
        return False
