"""The main window: welcome page, then the editor (preview over timeline, docks around)."""

from __future__ import annotations

from collections.abc import Callable

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

from kling_studio.domain.edits import new_storyboard
from kling_studio.qt.analysis import LiveAnalysis
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.qt.services import Services
from kling_studio.widgets import action_ids as ids
from kling_studio.widgets.cost_panel import CostPanel, FindingsList, SubmitButton
from kling_studio.widgets.inspector import Inspector
from kling_studio.widgets.preview import PreviewPanel
from kling_studio.widgets.timeline.actions import TimelineActions, TotalDurationControl
from kling_studio.widgets.timeline.widget import TimelineWidget
from kling_studio.widgets.welcome import WelcomePage

APP_NAME = "Kling Studio"


class MainWindow(QMainWindow):
    """The application window. File handling lives in ``FileController``, jobs in ``JobsPanel``.

    Attributes:
        doc: the document being edited (always present; the welcome page hides it at first).
        action_map: every QAction by its id from :mod:`action_ids`.
        close_guard: asked before the window closes; False keeps it open (set by the app).
    """

    close_guard: Callable[[], bool] | None = None

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.setObjectName("MainWindow")
        self.resize(QSize(1440, 900))
        self.doc = StoryboardDocument(new_storyboard(total=10, shots=3), self)
        self.selection = ShotSelection(self.doc, self)
        self.analysis = LiveAnalysis(
            self.doc, services.catalog, services.providers, services.rate_card_override, self
        )
        self.action_map: dict[str, QAction] = {}
        self._build_editor()
        self._build_docks()
        self._build_actions()
        self._build_menus_and_toolbar()
        self.welcome = WelcomePage(services.examples)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.welcome)
        self.stack.addWidget(self.editor)
        self.setCentralWidget(self.stack)
        self.status = self.statusBar()
        self.backend_label = QLabel(services.backend_label)
        self.status.addPermanentWidget(self.backend_label)
        self.doc.edit_failed.connect(self._on_doc_edit_failed)
        self.doc.dirty_changed.connect(self._on_doc_dirty_changed)
        self.doc.path_changed.connect(lambda _p: self._update_title())
        self.findings.focus_requested.connect(self.inspector.focus_field)
        self.show_welcome()

    # ----- construction -----

    def _build_editor(self) -> None:
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
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        edit = bar.addMenu("&Edit")
        edit.addAction(self.action_map[ids.UNDO])
        edit.addAction(self.action_map[ids.REDO])
        shot = bar.addMenu("&Shot")
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
        view = bar.addMenu("&View")
        if ids.ZOOM_FIT in self.action_map:
            view.addAction(self.action_map[ids.ZOOM_FIT])
        self.view_menu = view
        self.generate_menu = bar.addMenu("&Generate")
        self.help_menu = bar.addMenu("&Help")

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
        for dock in (self.inspector_dock, self.cost_dock, self.findings_dock, *self.extra_docks()):
            dock.setVisible(on)
        self.toolbar.setVisible(on)

    def extra_docks(self) -> list[QDockWidget]:
        return [d for d in self.findChildren(QDockWidget) if d.property("editorDock")]

    @property
    def editing(self) -> bool:
        return self.stack.currentWidget() is self.editor

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
