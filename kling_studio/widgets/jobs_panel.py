"""The jobs panel: every job's state, time, estimate vs charged, progress and actions."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kling_studio.qt.jobs import JobController

if TYPE_CHECKING:
    from kling_studio.jobs.events import JobEvent
    from kling_studio.jobs.ledger import JobRow

STATE_LABELS = {
    "queued": "Queued",
    "submitting": "Sending…",
    "unknown": "Checking with Kling…",
    "submitted": "Submitted",
    "processing": "Generating",
    "succeeded": "Downloading",
    "downloaded": "Done",
    "failed": "Failed",
    "cancelled_locally": "Stopped watching",
}
COLUMNS = (
    "Job",
    "State",
    "Model",
    "Length",
    "Elapsed",
    "Estimate",
    "Charged",
    "Progress",
    "Message",
)
ACTIVE = {"queued", "submitting", "unknown", "submitted", "processing", "succeeded"}


def _units(value: float | None) -> str:
    return "—" if value is None else f"{value:g} u"


def _elapsed(row: JobRow, now: float) -> str:
    end = now if row.state in ACTIVE else row.updated
    seconds = max(0, int(end - row.created))
    return f"{seconds // 60}:{seconds % 60:02d}"


class JobsPanel(QWidget):
    """Signals:
    preview_requested(object): a finished job's row, to show its take.
    compare_requested(object, object): two finished jobs' rows, to compare side by side.
    """

    preview_requested = Signal(object)
    compare_requested = Signal(object, object)

    def __init__(self, controller: JobController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._rows: dict[int, JobRow] = {}
        self._progress: dict[int, float] = {}
        self._messages: dict[int, str] = {}
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Jobs")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda r, _c: self._preview_row(r))
        self.cancel_button = QPushButton("Stop watching")
        self.cancel_button.setToolTip(
            "Kling has no cancel: the server may still finish and charge the job. "
            "Resume can fetch the result later."
        )
        self.retry_button = QPushButton("Retry as new take")
        self.resume_button = QPushButton("Resume")
        self.preview_button = QPushButton("Preview")
        self.folder_button = QPushButton("Open folder")
        self.compare_button = QPushButton("Compare")
        self.compare_button.setToolTip("Select two finished jobs (Ctrl+click) to compare them")
        self.compare_button.clicked.connect(self._compare)
        self.cancel_button.clicked.connect(lambda: self._act(self._controller.cancel))
        self.retry_button.clicked.connect(lambda: self._act(self._controller.retry_as_new))
        self.resume_button.clicked.connect(lambda: self._act(self._controller.resume))
        self.preview_button.clicked.connect(lambda: self._preview_row(self.table.currentRow()))
        self.folder_button.clicked.connect(self._open_folder)
        self.summary = QLabel("No jobs yet. Submit a storyboard to generate it.")
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for b in (
            self.preview_button,
            self.compare_button,
            self.folder_button,
            self.resume_button,
            self.retry_button,
            self.cancel_button,
        ):
            buttons.addWidget(b)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addLayout(buttons)
        lay.addWidget(self.table)
        controller.job_updated.connect(self._on_controller_job_updated)
        controller.job_event.connect(self._on_controller_job_event)
        # The app makes its job engine after the window is shown: empty until then.
        controller.ready.connect(self.reload)
        self._ticker = QTimer(self)
        self._ticker.setInterval(1000)
        self._ticker.timeout.connect(self._refresh_elapsed)
        self._ticker.start()
        self.reload()

    # ----- data -----

    def reload(self) -> None:
        self._rows = {r.id: r for r in self._controller.rows()}
        self._render()

    def row_for(self, job_id: int) -> JobRow | None:
        return self._rows.get(job_id)

    def _on_controller_job_updated(self, row: JobRow) -> None:
        self._rows[row.id] = row
        self._render()

    def _on_controller_job_event(self, event: JobEvent) -> None:
        if event.progress is not None:
            self._progress[event.job_id] = event.progress
        if event.message:
            self._messages[event.job_id] = event.message

    # ----- rendering -----

    def _ordered(self) -> list[JobRow]:
        return sorted(self._rows.values(), key=lambda r: r.id, reverse=True)

    def _render(self) -> None:
        selected = self.selected_job()
        rows = self._ordered()
        self.table.setRowCount(len(rows))
        now = time.time()
        for i, row in enumerate(rows):
            charged = row.final_unit_deduction
            values = (
                f"#{row.id}",
                STATE_LABELS.get(row.state, row.state),
                row.model or "—",
                f"{row.total_seconds} s" if row.total_seconds else "—",
                _elapsed(row, now),
                _units(row.estimate_units),
                _units(float(charged)) if charged not in (None, "") else "—",
            )
            for col, text in enumerate(values):
                item = QTableWidgetItem(text)
                if col == 0:
                    item.setData(0x0100, row.id)
                self.table.setItem(i, col, item)
            bar = QProgressBar()
            bar.setRange(0, 100)
            done = row.state == "downloaded"
            bar.setValue(100 if done else int(self._progress.get(row.id, 0.0) * 100))
            bar.setTextVisible(True)
            self.table.setCellWidget(i, 7, bar)
            message = self._messages.get(row.id) or (row.state_msg or "")
            if row.last_error and row.state == "failed":
                message = row.last_error
            self.table.setItem(i, 8, QTableWidgetItem(message))
            if row.id == selected:
                self.table.selectRow(i)
        active = sum(r.state in ACTIVE for r in rows)
        if rows:
            self.summary.setText(f"{len(rows)} job(s), {active} in progress.")
        self._update_buttons()

    def _refresh_elapsed(self) -> None:
        now = time.time()
        for i, row in enumerate(self._ordered()):
            cell = self.table.item(i, 4)
            if row.state in ACTIVE and cell is not None:
                cell.setText(_elapsed(row, now))

    # ----- selection and actions -----

    def selected_job(self) -> int | None:
        r = self.table.currentRow()
        item = self.table.item(r, 0) if r >= 0 else None
        return int(item.data(0x0100)) if item is not None else None

    def select_job(self, job_id: int) -> None:
        for i, row in enumerate(self._ordered()):
            if row.id == job_id:
                self.table.selectRow(i)
                return

    def _update_buttons(self) -> None:
        job = self.selected_job()
        row = self._rows.get(job) if job is not None else None
        state = row.state if row is not None else None
        self.cancel_button.setEnabled(state in ACTIVE)
        self.retry_button.setEnabled(state in {"failed", "downloaded", "cancelled_locally"})
        self.resume_button.setEnabled(state == "cancelled_locally")
        has_file = bool(row and row.download_path and Path(row.download_path).is_file())
        self.preview_button.setEnabled(has_file)
        self.folder_button.setEnabled(bool(row and row.takes_dir))
        self.compare_button.setEnabled(len(self._finished_selection()) == 2)

    def selected_jobs(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        ids = []
        for r in rows:
            item = self.table.item(r, 0)
            if item is not None:
                ids.append(int(item.data(0x0100)))
        return ids

    def _finished_selection(self) -> list[JobRow]:
        out = []
        for job in self.selected_jobs():
            row = self._rows.get(job)
            if row is not None and row.download_path and Path(row.download_path).is_file():
                out.append(row)
        return out

    def _compare(self) -> None:
        pair = self._finished_selection()
        if len(pair) == 2:
            self.compare_requested.emit(pair[0], pair[1])

    def _act(self, command: object) -> None:
        job = self.selected_job()
        if job is not None and callable(command):
            command(job)

    def _preview_row(self, r: int) -> None:
        job = self.selected_job() if r == self.table.currentRow() else None
        row = self._rows.get(job) if job is not None else None
        if row is not None and row.download_path:
            self.preview_requested.emit(row)

    def _open_folder(self) -> None:
        job = self.selected_job()
        row = self._rows.get(job) if job is not None else None
        if row is not None:
            folder = Path(row.download_path).parent if row.download_path else Path(row.takes_dir)
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
