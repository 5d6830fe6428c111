"""The main window: welcome page, then the editor (preview over timeline, docks around)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from kling_studio.widgets import action_ids as ids
from kling_studio.widgets.welcome import WelcomePage

if TYPE_CHECKING:
    from kling_studio.qt.services import Services

APP_NAME = "Kling Studio"


class MainWindow(QMainWindow):
    """The application window. File handling lives in ``FileController``, jobs in ``JobsPanel``.

    Attributes:
        doc: the document being edited (always present; the welcome page hides it at first).
        action_map: every QAction by its id from :mod:`action_ids`.
        close_guard: asked before the window closes; False keeps it open (set by the app).
    """

    close_guard: Callable[[], bool] | None = None

    def __init__(
        self,
        services: Services | None = None,
        parent: QWidget | None = None,
        *,
        examples: list[tuple[str, str, Path]] | None = None,
    ) -> None:
        """The window with its welcome page; :meth:`install` adds the editor.

        The first frame needs only Qt: the app shows this before pydantic, asyncio and the
        domain are imported (on a worker thread), then installs the editor. With ``services``
        the editor is installed at once (tests, embedding).
        """
        super().__init__(parent)
        self.setObjectName("MainWindow")
        self.setWindowTitle(APP_NAME)
        self.resize(QSize(1440, 900))
        self.action_map: dict[str, QAction] = {}
        self.installed = False
        self._early_intent: tuple[str, object] | None = None
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.shot_menu = bar.addMenu("&Shot")
        self.view_menu = bar.addMenu("&View")
        self.generate_menu = bar.addMenu("&Generate")
        self.help_menu = bar.addMenu("&Help")
        listed = examples if examples is not None else (services.examples if services else [])
        self.welcome = WelcomePage(listed)
        for signal, kind in (
            (self.welcome.example_chosen, "open"),
            (self.welcome.recent_chosen, "open"),
            (self.welcome.new_requested, "new"),
            (self.welcome.open_requested, "open_dialog"),
        ):
            signal.connect(lambda *args, k=kind: self._remember_intent(k, args))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.setCentralWidget(self.stack)
        self.status = self.statusBar()
        self.backend_label = QLabel("")
        self.status.addPermanentWidget(self.backend_label)
        if services is not None:
            self.install(services)

    def _remember_intent(self, kind: str, args: tuple[object, ...]) -> None:
        # A click on the welcome page before the editor exists is kept and replayed.
        if not self.installed:
            self._early_intent = (kind, args[0] if args else None)
            self.statusBar().showMessage("Loading…")

    def take_early_intent(self) -> tuple[str, object] | None:
        intent, self._early_intent = self._early_intent, None
        return intent

    def install(self, services: Services) -> None:
        """Build the editor (document, timeline, inspector, preview, docks, actions)."""
        for _ in self.install_steps(services):
            pass

    def install_steps(self, services: Services) -> Iterator[None]:
        """:meth:`install` in steps of about 20 ms; the app runs one per event-loop turn so the
        window keeps painting and answering while the editor is built."""
        from kling_studio.domain.edits import new_storyboard
        from kling_studio.qt.analysis import LiveAnalysis
        from kling_studio.qt.document import StoryboardDocument
        from kling_studio.qt.selection import ShotSelection

        self.services = services
        self.doc = StoryboardDocument(new_storyboard(total=10, shots=3), self)
        self.selection = ShotSelection(self.doc, self)
        self.analysis = LiveAnalysis(
            self.doc, services.catalog, services.providers, services.rate_card_override, self
        )
        yield
        self._build_editor()
        yield
        self._build_docks()
        yield
        self._build_actions()
        self._build_menus_and_toolbar()
        self.stack.addWidget(self.editor)
        self.backend_label.setText(services.backend_label)
        self.doc.edit_failed.connect(self._on_doc_edit_failed)
        self.doc.dirty_changed.connect(self._on_doc_dirty_changed)
        self.doc.path_changed.connect(lambda _p: self._update_title())
        self.findings.focus_requested.connect(self.inspector.focus_field)
        self.installed = True
        self.show_welcome()

    # ----- construction -----

    def _build_editor(self) -> None:
        from kling_studio.widgets.preview import PreviewPanel
        from kling_studio.widgets.timeline.actions import TimelineActions, TotalDurationControl
        from kling_studio.widgets.timeline.widget import TimelineWidget

        self.preview = PreviewPanel(self.doc, self.selection, self.services.image_for)
        self.timeline = TimelineWidget(self.doc, self.selection, self.services.thumbnail_for)
        self.timeline.setAccessibleName("Timeline")
        self.timeline_actions = TimelineActions(
            self.doc, self.selection, self, timeline=self.timeline
        )
        self.total_control = TotalDurationControl(self.doc)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.preview)
        split.addWidget(self.timeline)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([560, 200])
        self.editor = QWidget()
        lay = QVBoxLayout(self.editor)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(split)
        self.preview.animatic.position_changed.connect(self.timeline.set_playhead)
        self.timeline.playhead_moved.connect(self.preview.animatic.seek)

    def _dock(self, title: str, widget: QWidget, area: Qt.DockWidgetArea, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        from kling_studio.widgets.cost_panel import CostPanel, FindingsList
        from kling_studio.widgets.inspector import Inspector

        self.inspector = Inspector(self.doc, self.selection, self.services.catalog)
        self.cost = CostPanel(self.doc, self.analysis)
        self.cost.what_if_applied.connect(
            lambda label: self.statusBar().showMessage(f"Applied: {label} (Ctrl+Z to undo)", 5000)
        )
        self.findings = FindingsList(self.doc, self.analysis)
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.inspector_dock = self._dock("Inspector", self.inspector, right, "InspectorDock")
        self.cost_dock = self._dock("Cost", self.cost, right, "CostDock")
        self.findings_dock = self._dock("Findings", self.findings, right, "FindingsDock")
        self.setCorner(Qt.Corner.BottomRightCorner, right)

    def _add_action(
        self, ident: str, text: str, slot: object, shortcut: QKeySequence | str | None = None
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(ident)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.action_map[ident] = action
        return action

    def _build_actions(self) -> None:
        from kling_studio.widgets.cost_panel import SubmitButton

        undo = self.doc.undo_stack.createUndoAction(self, "&Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.doc.undo_stack.createRedoAction(self, "&Redo")
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        self.action_map[ids.UNDO] = undo
        self.action_map[ids.REDO] = redo
        for action in self.timeline_actions.actions():
            self.action_map[action.objectName()] = action
            # WidgetWithChildren shortcuts fire while the preview or timeline has focus, never
            # while the user types in the inspector.
            self.editor.addAction(action)
        self.submit_button = SubmitButton(self.analysis)

    def _build_menus_and_toolbar(self) -> None:
        edit, shot, view = self.edit_menu, self.shot_menu, self.view_menu
        edit.addAction(self.action_map[ids.UNDO])
        edit.addAction(self.action_map[ids.REDO])
        for ident in (
            ids.SHOT_ADD,
            ids.SHOT_INSERT,
            ids.SHOT_DUPLICATE,
            ids.SHOT_SPLIT,
            ids.SHOT_DELETE,
            None,
            ids.SHOT_MOVE_LEFT,
            ids.SHOT_MOVE_RIGHT,
            ids.SHOT_LONGER,
            ids.SHOT_SHORTER,
            ids.SHOTS_DISTRIBUTE,
        ):
            if ident is None:
                shot.addSeparator()
            elif ident in self.action_map:
                shot.addAction(self.action_map[ident])
        if ids.ZOOM_FIT in self.action_map:
            view.addAction(self.action_map[ids.ZOOM_FIT])

        tb = QToolBar("Main")
        tb.setObjectName("MainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        tb.addAction(self.action_map[ids.UNDO])
        tb.addAction(self.action_map[ids.REDO])
        tb.addSeparator()
        for ident in (ids.SHOT_ADD, ids.SHOT_DUPLICATE, ids.SHOT_SPLIT, ids.SHOT_DELETE):
            if ident in self.action_map:
                tb.addAction(self.action_map[ident])
        tb.addSeparator()
        tb.addWidget(self.total_control)
        spacer = QWidget()
        spacer.setSizePolicy(
            spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy()
        )
        tb.addWidget(spacer)
        tb.addWidget(self.submit_button)
        self.toolbar = tb
        self.addToolBar(tb)

    # ----- pages -----

    def show_welcome(self) -> None:
        self.stack.setCurrentWidget(self.welcome)
        self._set_editor_chrome(False)

    def show_editor(self) -> None:
        self.stack.setCurrentWidget(self.editor)
        self._set_editor_chrome(True)
        self._update_title()
        self.timeline.setFocus()

    def _set_editor_chrome(self, on: bool) -> None:
        if not self.installed:
            return
        for dock in (self.inspector_dock, self.cost_dock, self.findings_dock, *self.extra_docks()):
            dock.setVisible(on)
        self.toolbar.setVisible(on)

    def extra_docks(self) -> list[QDockWidget]:
        return [d for d in self.findChildren(QDockWidget) if d.property("editorDock")]

    @property
    def editing(self) -> bool:
        return self.installed and self.stack.currentWidget() is self.editor

    # ----- title and status -----

    def _update_title(self) -> None:
        path = self.doc.path
        name = path.stem if path is not None else self.doc.storyboard.title
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(self.doc.dirty)

    def _on_doc_dirty_changed(self, dirty: bool) -> None:
        self.setWindowModified(dirty)

    def _on_doc_edit_failed(self, message: str) -> None:
        self.statusBar().showMessage(message, 6000)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.close_guard is not None and not self.close_guard():
            event.ignore()
            return
        event.accept()
