"""Builds the studio: services, engine, controllers and the main window, and wires them."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QDockWidget

from kling_studio.jobs import PollPolicy
from kling_studio.jobs.engine import Engine
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
from kling_studio.widgets.settings_dialog import SettingsDialog
from kling_studio.widgets.submit_controller import SubmitController
from kling_studio.widgets.theme import apply_theme

log = logging.getLogger(__name__)

VERSION = "0.1.0"


class Studio(QObject):
    """The running application: one window, its controllers and the job engine."""

    def __init__(self, app: QApplication, engine: Engine | None = None) -> None:
        super().__init__()
        self.app = app
        loaded = load_settings()
        settings = loaded.settings.without_missing_recent()
        apply_theme(app, settings.theme)
        self.services = Services.create(settings, loaded.message)
        self.library = AssetLibrary()
        self.services.library = self.library
        self.window = MainWindow(self.services)
        w = self.window
        self.files = FileController(w.doc, settings, lambda: self.window, self)
        self.engine = engine or Engine(
            concurrency=settings.concurrency,
            credentials=self.services.session_credentials,
            poll=PollPolicy(),
        )
        self.jobs = JobController(self.engine, self)
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

    def _action(self, ident: str, text: str, slot: object, key: object = None) -> QAction:
        action = QAction(text, self.window)
        action.setObjectName(ident)
        if key is not None:
            action.setShortcut(QKeySequence(key))  # type: ignore[arg-type]
        action.triggered.connect(slot)
        self.window.actions[ident] = action
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
            self.examples_menu.addAction(label, lambda p=path: self.open_path(p))
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
        self.library.image_ready.connect(lambda _h: self._refresh_images())
        self.library.thumbnail_ready.connect(lambda _h: self._refresh_images())
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

    def _refresh_images(self) -> None:
        self.window.timeline.refresh_thumbnails()
        self.window.preview.animatic.refresh_images()

    def _refresh_recent(self) -> None:
        recent = list(self.files.settings.recent_projects)
        self.recent_menu.clear()
        for path in recent:
            self.recent_menu.addAction(str(path), lambda p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(recent))
        self.window.welcome.set_recent(recent)

    # ----- lifecycle -----

    def _close_guard(self) -> bool:
        return self.files.close_guard()

    def start(self) -> None:
        """After the window is shown: recovery, resume unfinished jobs, adopt finished ones."""
        if self.services.settings_message:
            self.window.statusBar().showMessage(self.services.settings_message, 10000)
        if self.files.offer_recovery():
            self.window.show_editor()
        self.jobs.start()

    async def aclose(self) -> None:
        self.files.clean_exit()
        await self.jobs.aclose()
        self.library.close()
