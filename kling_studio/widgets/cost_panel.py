"""The cost panel, the findings list and the Submit button: all driven by LiveAnalysis."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kling_studio.domain.findings import Finding, Fix
from kling_studio.domain.fixes import apply_fix
from kling_studio.qt.analysis import Analysis, LiveAnalysis
from kling_studio.qt.document import StoryboardDocument

ERROR_COLOUR = QColor("#d9534f")
WARNING_COLOUR = QColor("#e0a030")


def price_text(analysis: Analysis) -> str:
    est = analysis.estimate
    if not est.known:
        return "No price known"
    return est.money_display or "—"


def submit_label(analysis: Analysis) -> str:
    """What the Submit button says: the price, or why it is disabled."""
    if analysis.blocked:
        n = analysis.errors
        return f"Fix {n} error{'s' if n != 1 else ''} to submit"
    est = analysis.estimate
    if not est.known:
        return "Submit (price unknown)…"
    return f"Submit — {est.money_display}…"


class CostPanel(QFrame):
    """Big price, units, breakdown and one-click what-ifs.

    Signals:
        what_if_applied(str): a what-if was applied (its label), for status messages.
    """

    what_if_applied = Signal(str)

    def __init__(
        self, doc: StoryboardDocument, analysis: LiveAnalysis, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self.setObjectName("CostPanel")
        self.price = QLabel()
        font = QFont(self.price.font())
        font.setPointSizeF(font.pointSizeF() * 2.0)
        font.setBold(True)
        self.price.setFont(font)
        self.price.setAccessibleName("Estimated price")
        self.units = QLabel()
        self.units.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.breakdown = QLabel()
        self.breakdown.setWordWrap(True)
        self.breakdown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.what_ifs = QVBoxLayout()
        self.what_ifs.setSpacing(2)
        head = QHBoxLayout()
        head.addWidget(self.price)
        head.addWidget(self.units, 1, Qt.AlignmentFlag.AlignBottom)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        title = QLabel("Estimated cost")
        title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        lay.addWidget(title)
        lay.addLayout(head)
        lay.addWidget(self.breakdown)
        self.what_if_title = QLabel("What if…")
        self.what_if_title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        lay.addWidget(self.what_if_title)
        lay.addLayout(self.what_ifs)
        lay.addStretch(1)
        analysis.updated.connect(self._on_analysis_updated)
        self._on_analysis_updated(analysis.current)

    def _on_analysis_updated(self, analysis: Analysis) -> None:
        est = analysis.estimate
        self.price.setText(price_text(analysis))
        if est.known and est.units is not None and est.unit_name:
            self.units.setText(f"{est.units:g} {est.unit_name}s · {est.provider_label}")
        else:
            self.units.setText(est.provider_label)
        lines = [line.label + (f"  ({line.note})" if line.note else "") for line in est.lines]
        if not est.known:
            lines = [est.reason or "No rate card for this provider."]
        if est.dated is not None:
            lines.append(f"Rates dated {est.dated.isoformat()}.")
        self.breakdown.setText("\n".join(lines))
        while self.what_ifs.count():
            item = self.what_ifs.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.deleteLater()
        for w in est.what_ifs:
            sign = "−" if w.delta_money < 0 else "+"
            money = f"{sign}${abs(w.delta_money):.2f}" if est.currency == "USD" else ""
            button = QToolButton()
            button.setText(f"{w.label}: {money}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setAutoRaise(True)
            button.setToolTip(f"Apply: {w.fix.label} (undoable)")
            button.clicked.connect(lambda _=False, f=w.fix: self._apply(f))
            self.what_ifs.addWidget(button)
        self.what_if_title.setVisible(bool(est.what_ifs))

    def _apply(self, fix: Fix) -> None:
        if self._doc.apply(lambda sb: apply_fix(sb, fix), fix.label):
            self.what_if_applied.emit(fix.label)


class FindingsList(QWidget):
    """Errors and warnings; click one to focus its field, or apply its one-click fix.

    Signals:
        focus_requested(str): the field path of the clicked finding.
    """

    focus_requested = Signal(str)

    def __init__(
        self, doc: StoryboardDocument, analysis: LiveAnalysis, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._doc = doc
        self.summary = QLabel()
        self.list = QListWidget()
        self.list.setAccessibleName("Findings")
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._on_list_item_activated)
        self.list.itemClicked.connect(self._on_list_item_activated)
        self.list.currentRowChanged.connect(self._on_list_current_row_changed)
        self.fix_button = QPushButton("Apply fix")
        self.fix_button.setEnabled(False)
        self.fix_button.clicked.connect(self._on_fix_button_clicked)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.fix_button)
        lay.addLayout(top)
        lay.addWidget(self.list)
        self._findings: tuple[Finding, ...] = ()
        analysis.updated.connect(self._on_analysis_updated)
        self._on_analysis_updated(analysis.current)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self._findings

    def _on_analysis_updated(self, analysis: Analysis) -> None:
        self._findings = tuple(
            sorted(analysis.findings, key=lambda f: (f.severity != "error", f.path))
        )
        self.list.clear()
        for f in self._findings:
            mark = "✖" if f.severity == "error" else "▲"
            item = QListWidgetItem(f"{mark} {f.message}")
            item.setForeground(ERROR_COLOUR if f.severity == "error" else WARNING_COLOUR)
            fix = f"\nFix: {f.fix.label}" if f.fix else ""
            item.setToolTip(f"{f.code} · {f.path}{fix}")
            self.list.addItem(item)
        if not self._findings:
            self.summary.setText("✔ Nothing the API would reject.")
        else:
            e, w = analysis.errors, analysis.warnings
            self.summary.setText(f"{e} error{'s' * (e != 1)}, {w} warning{'s' * (w != 1)}")
        self.fix_button.setEnabled(False)

    def _on_list_item_activated(self, item: QListWidgetItem) -> None:
        row = self.list.row(item)
        if 0 <= row < len(self._findings):
            self.focus_requested.emit(self._findings[row].path)

    def _on_list_current_row_changed(self, row: int) -> None:
        fix = self._findings[row].fix if 0 <= row < len(self._findings) else None
        self.fix_button.setEnabled(fix is not None)
        self.fix_button.setText(fix.label if fix is not None else "Apply fix")

    def apply_fix_at(self, row: int) -> bool:
        fix = self._findings[row].fix
        if fix is None:
            return False
        return self._doc.apply(lambda sb: apply_fix(sb, fix), fix.label)

    def _on_fix_button_clicked(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._findings):
            self.apply_fix_at(row)


class SubmitButton(QPushButton):
    """Shows the price; disabled (with the reason) while there are errors."""

    def __init__(self, analysis: LiveAnalysis, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("SubmitButton")
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(180)
        analysis.updated.connect(self._on_analysis_updated)
        self._on_analysis_updated(analysis.current)

    def _on_analysis_updated(self, analysis: Analysis) -> None:
        self.setText(submit_label(analysis))
        self.setEnabled(not analysis.blocked)
        self.setToolTip(
            "Resolve the errors in the Findings list first."
            if analysis.blocked
            else "Generate this storyboard (you confirm the price first)."
        )
