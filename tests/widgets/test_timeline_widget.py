"""TimelineWidget with real events: drags, keys, playhead, accessibility, tooltips, painting."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import (
    QAccessible,
    QAction,
    QColor,
    QHelpEvent,
    QKeySequence,
    QPixmap,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QToolTip, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Asset
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.widgets.timeline import TimelineWidget
from kling_studio.widgets.timeline.interaction import BorderDrag, ReorderDrag
from tests.widgets.timeline_support import (
    band_y,
    drag,
    durations,
    make_timeline,
    move,
    press,
    release,
    storyboard,
)

K = Qt.Key
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


# ----- border drag -----


def test_border_drag_trades_whole_seconds_as_one_undo_step(qtbot: QtBot) -> None:
    doc, _, w = make_timeline(qtbot, (5, 5, 5))
    lay, y = w.geometry_layout(), band_y(w)
    x0 = lay.border_x(0)
    drag(w, x0, x0 + 1.8 * lay.px_per_second, y)
    # While dragging the document is untouched; the gesture's override is what is painted.
    assert durations(doc) == [5, 5, 5] and doc.undo_stack.count() == 0
    assert isinstance(w.gesture, BorderDrag)
    assert w.gesture.preview_durations == (7, 3, 5)
    assert [s.duration for s in w.displayed_storyboard.shots] == [7, 3, 5]
    painted = w.geometry_layout()
    assert painted.blocks[0].w == 7 * painted.px_per_second  # blocks drawn at preview size
    release(w, x0 + 1.8 * lay.px_per_second, y)
    assert durations(doc) == [7, 3, 5]
    assert doc.storyboard.total == 15
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Resize shots 1 and 2"
    doc.undo_stack.undo()
    assert durations(doc) == [5, 5, 5]


def test_border_drag_clamps_at_the_neighbours_minimum(qtbot: QtBot) -> None:
    doc, _, w = make_timeline(qtbot, (5, 5, 5))
    lay, y = w.geometry_layout(), band_y(w)
    x0 = lay.border_x(1)
    drag(w, x0, x0 + 8 * lay.px_per_second, y)  # far past the last shot
    release(w, x0 + 8 * lay.px_per_second, y)
    assert durations(doc) == [5, 9, 1]
    doc.undo_stack.undo()
    w.min_shot_seconds = 3  # e.g. fal
    drag(w, x0, x0 - 8 * lay.px_per_second, y)
    assert w.gesture is not None and w.gesture.preview_durations == (5, 3, 7)
    release(w, x0 - 8 * lay.px_per_second, y)
    assert durations(doc) == [5, 3, 7] and doc.undo_stack.count() == 1


def test_border_drag_snaps_to_whole_seconds_and_shows_a_guide(qtbot: QtBot) -> None:
    doc, _, w = make_timeline(qtbot, (5, 5, 5))
    lay, y = w.geometry_layout(), band_y(w)
    x0 = lay.border_x(0)
    drag(w, x0, x0 + 0.4 * lay.px_per_second, y)
    assert w.paint_state().snap_seconds == 5  # not yet past the middle: stays
    move(w, x0 + 1.3 * lay.px_per_second, y)
    assert w.paint_state().snap_seconds == 6
    release(w, x0 + 1.3 * lay.px_per_second, y)
    assert durations(doc) == [6, 4, 5]
    assert w.paint_state().snap_seconds is None  # guide gone after release


def test_escape_mid_drag_changes_nothing_and_pushes_no_undo_step(qtbot: QtBot) -> None:
    doc, _, w = make_timeline(qtbot, (5, 5, 5))
    lay, y = w.geometry_layout(), band_y(w)
    x0 = lay.border_x(0)
    drag(w, x0, x0 + 3 * lay.px_per_second, y)
    qtbot.keyClick(w, K.Key_Escape)
    assert w.gesture is None
    move(w, x0 + 4 * lay.px_per_second, y)
    release(w, x0 + 4 * lay.px_per_second, y)
    assert durations(doc) == [5, 5, 5] and doc.undo_stack.count() == 0


def test_drag_back_to_the_start_pushes_nothing(qtbot: QtBot) -> None:
    doc, _, w = make_timeline(qtbot, (5, 5, 5))
    lay, y = w.geometry_layout(), band_y(w)
    x0 = lay.border_x(0)
    drag(w, x0, x0 + 2 * lay.px_per_second, y)
    move(w, x0, y)
    release(w, x0, y)
    assert doc.undo_stack.count() == 0


def test_an_edit_from_elsewhere_during_a_drag_drops_the_stale_preview(qtbot: QtBot) -> None:
    doc, _, w = make_timeline(qtbot, (5, 5, 5))
    lay, y = w.geometry_layout(), band_y(w)
    x0 = lay.border_x(0)
    drag(w, x0, x0 + 2 * lay.px_per_second, y)
    doc.apply(lambda sb: edits.move_boundary(sb, 1, 1), "Elsewhere")
    assert w.gesture is None
    release(w, x0 + 2 * lay.px_per_second, y)
    assert durations(doc) == [5, 6, 4] and doc.undo_stack.count() == 1


# ----- reorder drag -----


def test_dragging_shot_1_onto_shot_3_moves_it_there_in_one_undo_step(qtbot: QtBot) -> None:
    doc, sel, w = make_timeline(qtbot, (4, 3, 5, 3))
    lay, y = w.geometry_layout(), band_y(w)
    start = lay.blocks[0].x + 40
    target = lay.blocks[2].x + lay.blocks[2].w / 2
    drag(w, start, target, y)
    gesture = w.gesture
    assert isinstance(gesture, ReorderDrag) and gesture.active and gesture.target == 2
    assert gesture.drop_x == lay.blocks[2].right  # indicator after shot 3
    assert [s.id for s in doc.storyboard.shots] == ["s1", "s2", "s3", "s4"]  # not yet
    release(w, target, y)
    assert [s.id for s in doc.storyboard.shots] == ["s2", "s3", "s1", "s4"]
    assert durations(doc) == [3, 5, 4, 3]
    assert doc.undo_stack.count() == 1
    assert sel.current_id == "s1" and sel.current_index == 2  # the moved shot stays selected


def test_a_click_selects_a_shot_without_moving_it(qtbot: QtBot) -> None:
    doc, sel, w = make_timeline(qtbot, (4, 3, 5, 3))
    lay, y = w.geometry_layout(), band_y(w)
    x = lay.blocks[1].x + 20
    press(w, x, y)
    move(w, x + 2, y)  # a tremor below the drag distance
    release(w, x + 2, y)
    assert sel.current_index == 1
    assert doc.undo_stack.count() == 0
    assert w.hasFocus()


def test_escape_cancels_a_reorder(qtbot: QtBot) -> None:
    doc, _, w = make_timeline(qtbot, (4, 3, 5, 3))
    lay, y = w.geometry_layout(), band_y(w)
    drag(w, lay.blocks[0].x + 20, lay.blocks[3].x + 20, y)
    qtbot.keyClick(w, K.Key_Escape)
    release(w, lay.blocks[3].x + 20, y)
    assert doc.undo_stack.count() == 0


# ----- playhead -----


def test_ruler_click_and_drag_move_the_playhead_and_report_it(qtbot: QtBot) -> None:
    _, _, w = make_timeline(qtbot, (5, 5, 5))
    lay = w.geometry_layout()
    seen: list[float] = []
    w.playhead_moved.connect(seen.append)
    press(w, lay.x_at(4.0), 8)
    assert w.playhead() == 4.0
    move(w, lay.x_at(6.5), 8)
    move(w, lay.x_at(99), 8)  # past the end: clamped
    release(w, lay.x_at(99), 8)
    assert seen == [4.0, 6.5, 15.0]
    w.set_playhead(2.0)  # programmatic moves are not user scrubs
    assert seen[-1] == 15.0 and w.playhead() == 2.0


def test_escape_during_a_scrub_puts_the_playhead_back(qtbot: QtBot) -> None:
    _, _, w = make_timeline(qtbot, (5, 5, 5))
    w.set_playhead(1.0)
    lay = w.geometry_layout()
    press(w, lay.x_at(9.0), 8)
    qtbot.keyClick(w, K.Key_Escape)
    assert w.playhead() == 1.0


def test_comma_and_period_step_the_playhead_by_a_frame(qtbot: QtBot) -> None:
    _, _, w = make_timeline(qtbot, (5, 5, 5))
    w.set_playhead(1.0)
    with qtbot.waitSignal(w.playhead_moved) as blocker:
        qtbot.keyClick(w, K.Key_Period)
    assert blocker.args == [1.0 + 1 / 24]
    qtbot.keyClick(w, K.Key_Comma)
    qtbot.keyClick(w, K.Key_Less)
    assert w.playhead() == 0.0


# ----- keyboard -----


def test_arrows_home_and_end_select_shots(qtbot: QtBot) -> None:
    _, sel, w = make_timeline(qtbot, (3, 3, 3, 3))
    qtbot.keyClick(w, K.Key_Right)
    qtbot.keyClick(w, K.Key_Right)
    assert sel.current_index == 2
    qtbot.keyClick(w, K.Key_Left)
    assert sel.current_index == 1
    qtbot.keyClick(w, K.Key_End)
    assert sel.current_index == 3
    qtbot.keyClick(w, K.Key_Right)  # stays on the last
    assert sel.current_index == 3
    qtbot.keyClick(w, K.Key_Home)
    assert sel.current_index == 0


def test_alt_arrows_reorder_the_current_shot(qtbot: QtBot) -> None:
    doc, sel, w = make_timeline(qtbot, (3, 3, 3, 3))
    qtbot.keyClick(w, K.Key_Right, ALT)
    assert [s.id for s in doc.storyboard.shots] == ["s2", "s1", "s3", "s4"]
    assert sel.current_id == "s1" and sel.current_index == 1
    qtbot.keyClick(w, K.Key_Right, ALT)
    qtbot.keyClick(w, K.Key_Left, ALT)
    assert [s.id for s in doc.storyboard.shots] == ["s2", "s1", "s3", "s4"]
    assert doc.undo_stack.count() == 3
    assert w.hasFocus()


def test_plus_and_minus_trade_a_second_with_the_neighbour(qtbot: QtBot) -> None:
    doc, sel, w = make_timeline(qtbot, (4, 4, 4))
    sel.select_index(1)
    qtbot.keyClick(w, K.Key_Plus)
    assert durations(doc) == [4, 5, 3]
    qtbot.keyClick(w, K.Key_Equal)  # '+' without Shift
    assert durations(doc) == [4, 6, 2]
    qtbot.keyClick(w, K.Key_Minus)
    assert durations(doc) == [4, 5, 3]
    assert doc.storyboard.total == 12 and doc.undo_stack.count() == 3


def test_keys_respect_the_minimum_shot_length(qtbot: QtBot) -> None:
    doc, sel, w = make_timeline(qtbot, (4, 4, 4))
    w.min_shot_seconds = 3
    sel.select_index(1)
    qtbot.keyClick(w, K.Key_Plus)
    with qtbot.waitSignal(doc.edit_failed) as blocker:
        qtbot.keyClick(w, K.Key_Plus)  # shot 3 would drop below 3 s
    assert "3 s minimum" in blocker.args[0]
    assert durations(doc) == [4, 5, 3]


def test_delete_duplicate_split_and_insert_keys(qtbot: QtBot) -> None:
    doc, sel, w = make_timeline(qtbot, (4, 4, 4))
    sel.select_index(1)
    qtbot.keyClick(w, K.Key_D, CTRL)
    assert [s.id for s in doc.storyboard.shots] == ["s1", "s2", "s4", "s3"]
    assert sel.current_id == "s4"  # the copy is current
    assert durations(doc) == [3, 4, 1, 4]  # its second came from the longest shot
    qtbot.keyClick(w, K.Key_S)  # a 1 s shot cannot be split
    assert len(doc.storyboard.shots) == 4
    qtbot.keyClick(w, K.Key_Left)
    qtbot.keyClick(w, K.Key_S)
    assert durations(doc) == [3, 2, 2, 1, 4]
    qtbot.keyClick(w, K.Key_Delete)
    assert len(doc.storyboard.shots) == 4
    assert sel.current_id in {s.id for s in doc.storyboard.shots}
    qtbot.keyClick(w, K.Key_Insert)
    assert len(doc.storyboard.shots) == 5
    assert doc.storyboard.total == 12 and doc.undo_stack.count() == 4
    assert w.hasFocus()


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # offscreen plugin noise
def test_timeline_keys_win_over_window_shortcuts_while_it_has_focus(qtbot: QtBot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    doc = StoryboardDocument(storyboard((4, 4, 4)))
    w = TimelineWidget(doc, ShotSelection(doc), parent=window)
    QVBoxLayout(window).addWidget(w)
    fired: list[bool] = []
    other = QAction("Window delete", window)
    other.setShortcut(QKeySequence(K.Key_Delete))
    other.triggered.connect(lambda: fired.append(True))
    window.addAction(other)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    w.setFocus()
    qtbot.keyClick(w, K.Key_Delete)
    assert len(doc.storyboard.shots) == 2 and not fired
    qtbot.keyClick(window, K.Key_Delete)  # the shortcut still works elsewhere in the window
    w.clearFocus()
    qtbot.keyClick(window, K.Key_Delete)
    assert fired


def test_enter_and_double_click_activate_the_shot(qtbot: QtBot) -> None:
    _, sel, w = make_timeline(qtbot, (4, 4, 4))
    sel.select_index(2)
    with qtbot.waitSignal(w.shot_activated) as blocker:
        qtbot.keyClick(w, K.Key_Return)
    assert blocker.args == ["s3"]
    block = w.geometry_layout().blocks[1]
    with qtbot.waitSignal(w.shot_activated) as blocker:
        qtbot.mouseDClick(
            w, Qt.MouseButton.LeftButton, pos=QPoint(int(block.x + 30), int(band_y(w)))
        )
    assert blocker.args == ["s2"]


# ----- zoom -----


def wheel(w: TimelineWidget, x: float, notches: int, mods: Qt.KeyboardModifier) -> None:
    pos = QPointF(x, 80)
    event = QWheelEvent(
        pos,
        w.mapToGlobal(pos),
        QPoint(),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        mods,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(w, event)


def test_ctrl_wheel_zooms_about_the_pointer_and_ctrl_0_fits(qtbot: QtBot) -> None:
    _, _, w = make_timeline(qtbot, (5, 5, 5))
    fit = w.geometry_layout()
    anchor = fit.x_at(10.0)
    wheel(w, anchor, 3, CTRL)
    zoomed = w.geometry_layout()
    assert w.zoom() > 1.9
    assert zoomed.px_per_second > fit.px_per_second * 1.9
    assert abs(zoomed.x_at(10.0) - anchor) < 1  # the instant under the pointer stays put
    wheel(w, anchor, -1, Qt.KeyboardModifier.NoModifier)  # plain wheel scrolls
    assert w.geometry_layout().x_at(10.0) != zoomed.x_at(10.0)
    qtbot.keyClick(w, K.Key_0, CTRL)
    assert w.zoom() == 1.0 and w.geometry_layout().blocks[0].x == fit.blocks[0].x


# ----- accessibility and tooltips -----


def test_every_shot_has_an_accessible_name(qtbot: QtBot) -> None:
    doc, sel, w = make_timeline(qtbot, (5, 3, 2, 1))
    doc.apply(lambda sb: edits.set_shot_text(sb, 1, title="Night market"), "Title")
    assert w.shot_accessible_name(1) == "Shot 2 of 4, 3 seconds, Night market"
    assert w.shot_accessible_name(3).startswith("Shot 4 of 4, 1 second, Prompt of shot 4")
    sel.select_index(1)
    assert w.accessibleName() == "Shot 2 of 4, 3 seconds, Night market"
    assert "00:00:05:00" in w.accessibleDescription()
    qtbot.keyClick(w, K.Key_Plus)  # the name follows the length
    assert w.accessibleName() == "Shot 2 of 4, 4 seconds, Night market"


def test_shots_are_children_in_the_accessibility_tree(qtbot: QtBot) -> None:
    _, sel, w = make_timeline(qtbot, (5, 3, 1, 6))
    sel.select_index(3)
    iface = QAccessible.queryAccessibleInterface(w)
    assert iface.role() == QAccessible.Role.List
    assert iface.childCount() == 4
    kid = iface.child(3)
    assert kid.role() == QAccessible.Role.ListItem
    assert kid.text(QAccessible.Text.Name) == w.shot_accessible_name(3)
    assert kid.state().selected and kid.state().focused
    assert not iface.child(0).state().selected
    assert iface.indexOfChild(kid) == 3
    assert kid.rect().width() == w.shot_rect(3).width()
    center = kid.rect().center()
    assert iface.childAt(center.x(), center.y()).text(QAccessible.Text.Name) == (
        kid.text(QAccessible.Text.Name)
    )
    qtbot.keyClick(w, K.Key_Delete)
    assert iface.childCount() == 3 and iface.child(3) is None


@pytest.mark.qt_log_ignore("does not support raise")  # the offscreen plugin cannot raise tips
def test_tooltips_describe_the_shot_under_the_pointer(qtbot: QtBot) -> None:
    doc, _, w = make_timeline(qtbot, (5, 3, 7))
    doc.apply(lambda sb: edits.set_shot_text(sb, 1, title="Night market"), "Title")
    block = w.geometry_layout().blocks[1]
    pos = QPoint(int(block.x + 20), int(band_y(w)))
    text = w.tooltip_at(pos)
    assert text.splitlines()[0] == "Shot 2: Night market"
    assert "3 s (00:00:05:00 – 00:00:08:00)" in text
    assert "Prompt of shot 2" in text
    QApplication.sendEvent(w, QHelpEvent(QEvent.Type.ToolTip, pos, w.mapToGlobal(pos)))
    assert QToolTip.text() == text
    QToolTip.hideText()
    border = QPoint(int(w.geometry_layout().border_x(0)), int(band_y(w)))
    assert "trade seconds between shot 1 and shot 2" in w.tooltip_at(border)


# ----- painting -----


class PaintCounter(QObject):
    def __init__(self, target: QWidget) -> None:
        super().__init__()
        self.count = 0
        target.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_repaints_only_for_changes_it_shows(qtbot: QtBot) -> None:
    doc, _, w = make_timeline(qtbot, (5, 5, 5))
    counter = PaintCounter(w)
    doc.apply(lambda sb: edits.set_settings(sb, sound=True), "Sound")
    QApplication.processEvents()
    assert counter.count == 0
    doc.apply(lambda sb: edits.set_shot_text(sb, 0, title="New"), "Title")
    qtbot.waitUntil(lambda: counter.count > 0)


def test_shot_1_shows_the_start_frame_thumbnail(qtbot: QtBot) -> None:
    red = QPixmap(160, 90)
    red.fill(QColor("#ff0000"))
    asked: list[str] = []

    def provider(ref: str) -> QPixmap:
        asked.append(ref)
        return red

    doc, _, w = make_timeline(qtbot, (5, 5, 5), thumbnail_provider=provider)
    block = w.geometry_layout().blocks[0]
    probe = QPoint(int(block.x + 20), int(band_y(w)))
    assert w.grab().toImage().pixelColor(probe) != QColor("#ff0000")  # no start frame yet
    asset = Asset(hash="ab" * 16, kind="image", format="png", bytes=10, width=160, height=90)
    doc.apply(lambda sb: edits.attach(sb, "start_frame", asset), "Start frame")
    assert w.grab().toImage().pixelColor(probe) == QColor("#ff0000")
    assert asked[-1] == asset.hash
    other = w.geometry_layout().blocks[1]
    far = QPoint(int(other.x + 20), int(band_y(w)))
    assert w.grab().toImage().pixelColor(far) != QColor("#ff0000")  # only shot 1


def test_focus_ring_and_selection_are_painted_on_the_current_shot(qtbot: QtBot) -> None:
    _, sel, w = make_timeline(qtbot, (5, 5, 5))
    sel.select_index(1)
    block = w.geometry_layout().blocks[1]
    highlight = w.palette().color(w.palette().ColorRole.Highlight)
    edge = QPoint(int(block.x + block.w / 2), int(block.bottom))
    assert w.grab().toImage().pixelColor(edge) == highlight
    other = w.geometry_layout().blocks[0]
    assert (
        w.grab().toImage().pixelColor(QPoint(int(other.x + other.w / 2), int(other.bottom)))
        != highlight
    )
