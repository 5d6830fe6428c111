"""Builders and real-event helpers shared by the timeline widget tests."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Storyboard
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.widgets.timeline import TimelineWidget

LEFT = Qt.MouseButton.LeftButton
NONE = Qt.MouseButton.NoButton


def storyboard(durations: Sequence[int], titles: Sequence[str] = ()) -> Storyboard:
    sb = edits.new_storyboard(total=sum(durations), shots=len(durations))
    shots = [s.model_dump() for s in sb.shots]
    for i, d in enumerate(durations):
        shots[i]["duration"] = d
        shots[i]["prompt"] = f"Prompt of shot {i + 1}: a slow dolly across the harbour"
        if i < len(titles):
            shots[i]["title"] = titles[i]
    return Storyboard.model_validate({**sb.model_dump(), "shots": shots})


def durations(doc: StoryboardDocument) -> list[int]:
    return [s.duration for s in doc.storyboard.shots]


def make_timeline(
    qtbot: QtBot, durs: Sequence[int] = (5, 5, 5), **kw: object
) -> tuple[StoryboardDocument, ShotSelection, TimelineWidget]:
    doc = StoryboardDocument(storyboard(durs))
    sel = ShotSelection(doc)
    widget = TimelineWidget(doc, sel, **kw)  # type: ignore[arg-type]
    qtbot.addWidget(widget)
    widget.resize(1280, 160)
    with qtbot.waitActive(widget):  # focus (and the focus ring) needs an active window
        widget.show()
        widget.activateWindow()
    widget.setFocus()
    return doc, sel, widget


def mouse(widget: TimelineWidget, kind: QEvent.Type, x: float, y: float, button, buttons) -> None:  # type: ignore[no-untyped-def]
    """Send a hand-built mouse event (pytest-qt has no drag helper)."""
    pos = QPointF(x, y)
    event = QMouseEvent(
        kind, pos, widget.mapToGlobal(pos), button, buttons, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(widget, event)


def press(widget: TimelineWidget, x: float, y: float) -> None:
    mouse(widget, QEvent.Type.MouseButtonPress, x, y, LEFT, LEFT)


def move(widget: TimelineWidget, x: float, y: float) -> None:
    """Move with the left button held."""
    mouse(widget, QEvent.Type.MouseMove, x, y, NONE, LEFT)


def release(widget: TimelineWidget, x: float, y: float) -> None:
    mouse(widget, QEvent.Type.MouseButtonRelease, x, y, LEFT, NONE)


def drag(widget: TimelineWidget, x0: float, x1: float, y: float, steps: int = 5) -> None:
    """Press at x0, move in steps to x1 with the button held (no release)."""
    press(widget, x0, y)
    for i in range(1, steps + 1):
        move(widget, x0 + (x1 - x0) * i / steps, y)


def band_y(widget: TimelineWidget) -> float:
    """A y inside the shot blocks."""
    block = widget.geometry_layout().blocks[0]
    return block.y + block.h / 2
