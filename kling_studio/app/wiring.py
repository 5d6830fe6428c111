"""Builds the studio: services, engine, controllers and the main window, and wires them."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget

from kling_studio.project import Project, load_settings, save_settings
from kling_studio.qt.assets import AssetLibrary
from kling_studio.qt.jobs import JobController
from kling_studio.qt.services import Services
from kling_studio.widgets import action_ids as ids
from kling_studio.widgets import dialogs
from kling_studio.widgets.assets import AssetsPanel
from kling_studio.widgets.file_controller import FileController
from kling_studio.widgets.jobs_panel import JobsPanel
from kling_studio.widgets.main_window import MainWindow
from kling_studio.widgets.submit_controller import SubmitController
from kling_studio.widgets.theme import apply_theme

if TYPE_CHECKING:
    from kling_studio.jobs.engine import Engine

log = logging.getLogger(__name__)

VERSION = "0.1.0"


def make_services(app: QApplication) -> Services:
    """Settings (theme applied), catalog, provider profiles and examples."""
    loaded = load_settings()
    settings = loaded.settings.without_missing_recent()
    apply_theme(app, settings.theme)
    return Services.create(settings, loaded.message)


class Studio(QObject):
    """The running application: one window, its controllers and the job engine.

    Without an ``engine`` argument the job engine (SQLite ledger, runner, ~20 ms of imports)
    is made by :meth:`start`, on the first event-loop turn after the window is shown, or by the
    first use of ``jobs``/``engine`` before that; the jobs panel fills when it is ready.
    """

    def __init__(
        self,
        app: QApplication,
        engine: Engine | None = None,
        *,
        window: MainWindow | None = None,
        services: Services | None = None,
    ) -> None:
        super().__init__()
        self.app = app
        self.services = services if services is not None else make_services(app)
        settings = self.services.settings
        self.library = AssetLibrary()
        self.services.library = self.library
        self.window = window if window is not None else MainWindow(self.services)
        if not self.window.installed:
            self.window.install(self.services)
        w = self.window
        self.files = FileController(w.doc, settings, lambda: self.window, self)
        self.jobs = JobController(engine if engine is not None else self._make_engine, self)
        self.submitter = SubmitController(
            self.services, w.analysis, self.jobs, lambda: self.files.project, lambda: self.window
        )
        self.assets = AssetsPanel(
            w.doc, self.library, self.services.catalog, providers=self.services.providers
        )
        self.timeline_drop = self.assets.install_on_timeline(w.timeline)
        self.assets_dock = self._dock("Assets", self.assets, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.jobs_panel = JobsPanel(self.jobs)
        self.jobs_dock = self._dock("Jobs", self.jobs_panel, Qt.DockWidgetArea.BottomDockWidgetArea)
        w.close_guard = self._close_guard
        w.resizeDocks([self.jobs_dock], [170], Qt.Orientation.Vertical)
        w.resizeDocks([self.assets_dock, w.inspector_dock], [380, 380], Qt.Orientation.Horizontal)
        self._wire()
        self._on_files_project_changed(self.files.project)

    # ----- construction -----

    def _make_engine(self) -> Engine:
        from kling_studio.jobs.engine import Engine
        from kling_studio.jobs.policy import PollPolicy

        return Engine(
            concurrency=self.services.settings.concurrency,
            credentials=self.services.session_credentials,
            poll=PollPolicy(),
        )

    @property
    def engine(self) -> Engine:
        """The job engine (made now if :meth:`start` has not run yet)."""
        return self.jobs.engine

    def _dock(self, title: str, widget: object, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self.window)
        dock.setObjectName(f"{title}Dock")
        dock.setWidget(widget)  # type: ignore[arg-type]
        dock.setProperty("editorDock", True)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.window.addDockWidget(area, dock)
        dock.setVisible(self.window.editing)
        return dock

    def _action(
        self,
        ident: str,
        text: str,
        slot: Callable[[], object],
        key: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(ident)
        if key is not None:
            action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        self.window.action_map[ident] = action
        return action

    def _wire(self) -> None:
        w, files = self.window, self.files
        menu = w.file_menu
        menu.addAction(
            self._action(ids.NEW, "&New storyboard", self.new, QKeySequence.StandardKey.New)
        )
        menu.addAction(
            self._action(ids.OPEN, "&Open…", self.open_dialog, QKeySequence.StandardKey.Open)
        )
        self.examples_menu = menu.addMenu("Open &example")
        for label, _detail, path in self.services.examples:
            self.examples_menu.addAction(label, partial(self.open_path, path))
        self.recent_menu = menu.addMenu("Open &recent")
        menu.addSeparator()
        menu.addAction(self._action(ids.SAVE, "&Save", files.save, QKeySequence.StandardKey.Save))
        menu.addAction(
            self._action(ids.SAVE_AS, "Save &as…", files.save_as, QKeySequence.StandardKey.SaveAs)
        )
        menu.addSeparator()
        menu.addAction(
            self._action(ids.SETTINGS, "Se&ttings…", self.open_settings, QKeySequence("Ctrl+,"))
        )
        menu.addAction(self._action(ids.QUIT, "&Quit", w.close, QKeySequence.StandardKey.Quit))
        submit = self._action(
            ids.SUBMIT, "&Submit…", self.submitter.submit, QKeySequence("Ctrl+Return")
        )
        w.generate_menu.addAction(submit)
        w.submit_button.clicked.connect(self.submitter.submit)
        play = self._action(
            ids.PLAY_ANIMATIC, "&Play animatic", w.preview.animatic.toggle, QKeySequence("Ctrl+P")
        )
        w.view_menu.addAction(play)
        w.view_menu.addSeparator()
        for dock in (
            self.assets_dock,
            self.jobs_dock,
            w.inspector_dock,
            w.cost_dock,
            w.findings_dock,
        ):
            w.view_menu.addAction(dock.toggleViewAction())
        w.help_menu.addAction(
            "&Keyboard shortcuts", lambda: dialogs.show_shortcuts(self.window), QKeySequence("F1")
        )
        w.help_menu.addAction(
            "&About Kling Studio", lambda: dialogs.show_about(self.window, VERSION)
        )
        w.welcome.new_requested.connect(self.new)
        w.welcome.open_requested.connect(self.open_dialog)
        w.welcome.example_chosen.connect(self.open_path)
        w.welcome.recent_chosen.connect(self.open_path)
        files.project_changed.connect(self._on_files_project_changed)
        files.message.connect(lambda m: w.statusBar().showMessage(m, 8000))
        self.assets.message.connect(lambda m: w.statusBar().showMessage(m, 8000))
        self.submitter.message.connect(lambda m: w.statusBar().showMessage(m, 8000))
        self.submitter.submitted.connect(lambda m: w.statusBar().showMessage(m, 8000))
        self.submitter.take_added.connect(self._on_submitter_take_added)
        self.jobs.resumed.connect(self._on_jobs_resumed)
        self.jobs.failed.connect(lambda m: w.statusBar().showMessage(m, 10000))
        self.jobs_panel.preview_requested.connect(self._on_jobs_panel_preview_requested)
        self.jobs_panel.compare_requested.connect(self._on_jobs_panel_compare_requested)
        # Bound to the widgets themselves, so that a picture arriving from a worker after the
        # window is gone (pictures load later now that the media stack loads on first use) is
        # dropped by Qt instead of reaching a deleted widget.
        for ready in (self.library.image_ready, self.library.thumbnail_ready):
            ready.connect(w.timeline.refresh_thumbnails)
            ready.connect(w.preview.animatic.refresh_images)
        self._refresh_recent()

    # ----- commands -----

    def new(self) -> None:
        if self.files.new():
            self.window.show_editor()

    def open_path(self, path: Path) -> None:
        if self.files.open_path(Path(path)):
            self.window.show_editor()

    def open_dialog(self) -> None:
        if self.files.open_dialog():
            self.window.show_editor()

    def open_settings(self) -> None:
        from kling_studio.widgets.settings_dialog import SettingsDialog

        dialog = SettingsDialog(
            self.services.settings, self.services.session_credentials, self.window
        )
        if not dialog.exec():
            return
        settings = dialog.result_settings()
        self.services.settings = settings
        self.files.settings = settings
        try:
            save_settings(settings)
        except OSError as exc:
            self.window.statusBar().showMessage(f"Settings not saved: {exc}", 8000)
        apply_theme(self.app, settings.theme)
        self.window.analysis.set_rate_card_override(settings.rate_card_override)
        self.window.backend_label.setText(self.services.backend_label)
        if settings.concurrency != self.engine.runner.concurrency:
            self.window.statusBar().showMessage(
                f"Concurrent jobs: {settings.concurrency} from the next start.", 8000
            )

    # ----- reactions -----

    def _on_files_project_changed(self, project: Project) -> None:
        self.window.preview.show_animatic()
        self.library.set_project(project)
        self.library.prime(self.window.doc.storyboard)
        self.submitter.adopt_all()
        self._refresh_recent()

    def _on_submitter_take_added(self, take: object, path: object) -> None:
        if path is not None:
            self.window.preview.show_take(Path(str(path)), None, getattr(take, "id", ""))

    def _on_jobs_panel_compare_requested(self, a: object, b: object) -> None:
        from kling_studio.qt.playback import shot_boundaries
        from kling_studio.widgets.preview.result_player import Take

        bounds = shot_boundaries(self.window.doc.storyboard)
        takes = [
            Take(Path(str(getattr(r, "download_path", ""))), bounds, f"Job #{getattr(r, 'id', '')}")
            for r in (a, b)
        ]
        self.window.preview.compare(takes[0], takes[1])
        self.window.show_editor()

    def _on_jobs_panel_preview_requested(self, row: object) -> None:
        path = getattr(row, "download_path", None)
        if path:
            self.window.preview.show_take(Path(path), None, f"Job #{getattr(row, 'id', '')}")
            self.window.show_editor()

    def _on_jobs_resumed(self, count: int) -> None:
        if count:
            self.window.statusBar().showMessage(
                f"Resumed {count} unfinished job(s) from last time; results download "
                "automatically.",
                15000,
            )

    def _refresh_recent(self) -> None:
        recent = list(self.files.settings.recent_projects)
        self.recent_menu.clear()
        for path in recent:
            self.recent_menu.addAction(str(path), partial(self.open_path, path))
        self.recent_menu.setEnabled(bool(recent))
        self.window.welcome.set_recent(recent)

    # ----- lifecycle -----

    def _close_guard(self) -> bool:
        return self.files.close_guard()

    def start(self, open_path: Path | None = None) -> None:
        """After the window is shown: recovery, resume unfinished jobs, adopt finished ones,
        then open ``open_path`` (a file given on the command line) if there is one."""
        if self.services.settings_message:
            self.window.statusBar().showMessage(self.services.settings_message, 10000)
        intent = self.window.take_early_intent()
        if self.files.offer_recovery():
            self.window.show_editor()
        elif open_path is not None:
            self.open_path(open_path)
        elif intent is not None:
            self.window.statusBar().clearMessage()
            kind, arg = intent
            if kind == "open" and arg is not None:
                self.open_path(Path(str(arg)))
            elif kind == "new":
                self.new()
            elif kind == "open_dialog":
                self.open_dialog()
        self.jobs.start()

    async def aclose(self) -> None:
        self.files.clean_exit()
        await self.jobs.aclose()
        self.library.close()
        # Nothing of a closed studio may run later: its QObjects (and their timers, such as the
        # 30 s autosave) go with it, even if a lambda connected to a signal keeps it referenced.
        self.deleteLater()
