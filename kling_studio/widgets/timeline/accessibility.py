"""Accessible names for shots, and a QAccessible tree exposing each shot as a list item.

A screen reader sees the timeline as a list whose children are the shots ("Shot 2 of 4,
3 seconds, Night market"). The widget's own name/description always describe the current shot,
so even a client that does not walk children hears the focused shot. PySide6 can subclass
``QAccessibleInterface`` and install a factory; child interfaces are owned by Qt's accessibility
cache once registered, so they are deleted explicitly when the widget goes away.
"""

# Qt virtual overrides keep their camelCase names.
# ruff: noqa: N802

from __future__ import annotations

import re
from typing import Protocol

import shiboken6
from PySide6.QtCore import QObject, QPoint, QRect
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAccessibleInterface
from PySide6.QtWidgets import QAccessibleWidget, QWidget

from kling_studio.domain.storyboard import Storyboard
from kling_studio.widgets.timeline.geometry import timecode

_SPACE = re.compile(r"\s+")


def shot_summary(sb: Storyboard, index: int, limit: int = 60) -> str:
    """The shot's title, else the start of its prompt (cut at a word), else a placeholder."""
    shot = sb.shots[index]
    text = _SPACE.sub(" ", shot.title or shot.prompt).strip()
    if not text:
        return "no prompt yet"
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut + "…"


def shot_name(sb: Storyboard, index: int) -> str:
    """``Shot 2 of 4, 3 seconds, Night market``."""
    d = sb.shots[index].duration
    seconds = "1 second" if d == 1 else f"{d} seconds"
    return f"Shot {index + 1} of {len(sb.shots)}, {seconds}, {shot_summary(sb, index)}"


def shot_description(sb: Storyboard, index: int) -> str:
    """Where the shot sits in time, and its whole prompt."""
    start = sb.shot_start(index)
    end = start + sb.shots[index].duration
    prompt = _SPACE.sub(" ", sb.shots[index].prompt).strip() or "No prompt yet."
    return f"From {timecode(start)} to {timecode(end)} of {sb.total} seconds. Prompt: {prompt}"


class ShotView(Protocol):
    """What the accessibility tree needs from the timeline widget."""

    def shot_count(self) -> int: ...
    def shot_accessible_name(self, index: int) -> str: ...
    def shot_accessible_description(self, index: int) -> str: ...
    def shot_rect(self, index: int) -> QRect: ...
    def shot_index_at(self, pos: QPoint) -> int: ...
    def current_shot_index(self) -> int: ...


class ShotAccessible(QAccessibleInterface):
    """One shot as a list item (no QObject of its own: the widget paints all shots)."""

    def __init__(self, owner: TimelineAccessible, index: int) -> None:
        super().__init__()
        self._owner = owner
        self._index = index

    def _view(self) -> ShotView:
        return self._owner.view()

    def isValid(self) -> bool:
        return self._owner.isValid() and self._index < self._view().shot_count()

    def object(self) -> QObject | None:  # type: ignore[override]
        return None

    def window(self):  # type: ignore[no-untyped-def]
        return self._owner.window()

    def relations(self, match=None):  # type: ignore[no-untyped-def]
        return []

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def parent(self) -> QAccessibleInterface:
        return self._owner

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        return None

    def childCount(self) -> int:
        return 0

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return -1

    def text(self, t: QAccessible.Text) -> str:
        if not self.isValid():
            return ""
        if t == QAccessible.Text.Name:
            return self._view().shot_accessible_name(self._index)
        if t == QAccessible.Text.Description:
            return self._view().shot_accessible_description(self._index)
        return ""

    def setText(self, t: QAccessible.Text, text: str) -> None:
        pass  # shots are renamed in the inspector, not through the timeline

    def rect(self) -> QRect:
        if not self.isValid():
            return QRect()
        widget = self._owner.widget()
        local = self._view().shot_rect(self._index)
        return QRect(widget.mapToGlobal(local.topLeft()), local.size())

    def role(self) -> QAccessible.Role:
        return QAccessible.Role.ListItem

    def state(self) -> QAccessible.State:
        state = QAccessible.State()
        state.selectable = True
        state.focusable = True
        if self.isValid():
            current = self._view().current_shot_index() == self._index
            state.selected = current
            state.focused = current and self._owner.widget().hasFocus()
        return state


class TimelineAccessible(QAccessibleWidget):
    """The timeline as an accessible list of shots."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget, QAccessible.Role.List)
        self._kids: dict[int, ShotAccessible] = {}
        kids = self._kids  # the slot must not keep the interface itself alive
        widget.destroyed.connect(lambda *_: _release(kids))

    def view(self) -> ShotView:
        return self.widget()  # type: ignore[return-value]

    def childCount(self) -> int:
        return self.view().shot_count()

    def child(self, index: int) -> QAccessibleInterface | None:  # type: ignore[override]
        if not 0 <= index < self.childCount():
            return None
        kid = self._kids.get(index)
        if kid is None:
            kid = self._kids[index] = ShotAccessible(self, index)
            QAccessible.registerAccessibleInterface(kid)
        return kid

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        for index, kid in self._kids.items():
            if kid is child:
                return index if index < self.childCount() else -1
        return -1

    def childAt(self, x: int, y: int) -> QAccessibleInterface | None:  # type: ignore[override]
        pos = self.widget().mapFromGlobal(QPoint(x, y))
        index = self.view().shot_index_at(pos)
        return self.child(index) if index >= 0 else None

    def focusChild(self) -> QAccessibleInterface | None:  # type: ignore[override]
        if not self.widget().hasFocus():
            return None
        return self.child(self.view().current_shot_index())


def _release(kids: dict[int, ShotAccessible]) -> None:
    for kid in kids.values():
        if shiboken6.isValid(kid):  # Qt may have dropped its cache first (application exit)
            QAccessible.deleteAccessibleInterface(QAccessible.uniqueId(kid))
    kids.clear()


_installed: set[type] = set()


def install(widget_class: type[QWidget]) -> None:
    """Make Qt build a :class:`TimelineAccessible` for every ``widget_class`` (once)."""
    if widget_class in _installed:
        return
    _installed.add(widget_class)

    def factory(key: str, obj: QObject) -> QAccessibleInterface | None:
        if isinstance(obj, widget_class) and key == type(obj).__name__:
            return TimelineAccessible(obj)
        return None

    QAccessible.installFactory(factory)


def notify_current(widget: QWidget, index: int) -> None:
    """Tell assistive technology which shot is now current (cheap no-op when none listens)."""
    if not QAccessible.isActive():
        return
    for kind in (QAccessible.Event.Selection, QAccessible.Event.Focus):
        if kind == QAccessible.Event.Focus and not widget.hasFocus():
            continue
        event = QAccessibleEvent(widget, kind)
        event.setChild(index)
        QAccessible.updateAccessibility(event)
