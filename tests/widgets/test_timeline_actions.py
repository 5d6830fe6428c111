"""TimelineActions (enabled state, reasons, edits) and TotalDurationControl."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.widgets import action_ids as ids
from kling_studio.widgets.timeline import TimelineActions, TimelineWidget, TotalDurationControl
from tests.widgets.timeline_support import durations, make_timeline, storyboard

GROWERS = (ids.SHOT_ADD, ids.SHOT_INSERT, ids.SHOT_DUPLICATE, ids.SHOT_SPLIT)


def make(durs: Sequence[int]) -> tuple[StoryboardDocument, ShotSelection, TimelineActions]:
    doc = StoryboardDocument(storyboard(durs))
    sel = ShotSelection(doc)
    return doc, sel, TimelineActions(doc, sel, doc)


def test_every_action_id_is_there_with_its_shortcut(qtbot: QtBot) -> None:
    _, _, actions = make((5, 5))
    expected = {
        ids.SHOT_ADD,
        ids.SHOT_INSERT,
        ids.SHOT_DUPLICATE,
        ids.SHOT_SPLIT,
        ids.SHOT_DELETE,
        ids.SHOT_MOVE_LEFT,
        ids.SHOT_MOVE_RIGHT,
        ids.SHOT_LONGER,
        ids.SHOT_SHORTER,
        ids.SHOTS_DISTRIBUTE,
        ids.ZOOM_FIT,
    }
    assert {a.objectName() for a in actions.actions()} == expected
    assert actions.action(ids.SHOT_DUPLICATE).shortcut().toString() == "Ctrl+D"
    assert actions.action(ids.SHOT_SPLIT).shortcut().toString() == "S"


def test_at_six_shots_growing_actions_are_disabled_and_say_why(qtbot: QtBot) -> None:
    doc, _, actions = make((3, 2, 2, 2, 2, 2))
    for action_id in GROWERS:
        action = actions.action(action_id)
        assert not action.isEnabled(), action_id
        assert "A storyboard holds at most 6 shots" in action.toolTip()
    assert actions.action(ids.SHOT_DELETE).isEnabled()
    actions.action(ids.SHOT_DELETE).trigger()
    assert len(doc.storyboard.shots) == 5
    assert all(actions.action(a).isEnabled() for a in GROWERS)  # follows the document
    doc.undo_stack.undo()
    assert not actions.action(ids.SHOT_ADD).isEnabled()  # and undo


def test_with_one_shot_delete_is_disabled_and_says_why(qtbot: QtBot) -> None:
    _, _, actions = make((10,))
    delete = actions.action(ids.SHOT_DELETE)
    assert not delete.isEnabled()
    assert "A storyboard needs at least one shot" in delete.toolTip()
    for action_id in (ids.SHOT_MOVE_LEFT, ids.SHOT_MOVE_RIGHT, ids.SHOT_LONGER, ids.SHOT_SHORTER):
        assert not actions.action(action_id).isEnabled(), action_id
    assert actions.action(ids.SHOT_ADD).isEnabled()
    assert actions.action(ids.SHOT_SPLIT).isEnabled()


def test_split_follows_the_current_shots_length(qtbot: QtBot) -> None:
    _, sel, actions = make((1, 4, 5))
    split = actions.action(ids.SHOT_SPLIT)
    assert not split.isEnabled()
    assert "needs 2 s" in split.toolTip()
    sel.select_index(1)
    assert split.isEnabled()
    assert split.toolTip() == "Split the current shot in two halves"


def test_move_actions_are_disabled_at_the_ends(qtbot: QtBot) -> None:
    _, sel, actions = make((3, 3, 3))
    assert not actions.action(ids.SHOT_MOVE_LEFT).isEnabled()
    assert actions.action(ids.SHOT_MOVE_RIGHT).isEnabled()
    sel.select_index(2)
    assert actions.action(ids.SHOT_MOVE_LEFT).isEnabled()
    assert not actions.action(ids.SHOT_MOVE_RIGHT).isEnabled()


def test_triggering_an_action_is_one_undo_step_on_the_current_shot(qtbot: QtBot) -> None:
    doc, sel, actions = make((4, 4, 4))
    sel.select_index(1)
    actions.action(ids.SHOT_LONGER).trigger()
    assert durations(doc) == [4, 5, 3]
    actions.action(ids.SHOT_MOVE_LEFT).trigger()
    assert [s.id for s in doc.storyboard.shots] == ["s2", "s1", "s3"]
    actions.action(ids.SHOTS_DISTRIBUTE).trigger()
    assert durations(doc) == [4, 4, 4]
    assert not actions.action(ids.SHOTS_DISTRIBUTE).isEnabled()  # already even
    actions.action(ids.SHOT_INSERT).trigger()
    assert sel.current_index == 0 and len(doc.storyboard.shots) == 4  # before the current
    assert doc.undo_stack.count() == 4
    assert doc.undo_stack.undoText() == "Insert shot before shot 1"


def test_the_minimum_shot_length_disables_what_would_break_it(qtbot: QtBot) -> None:
    doc, sel, actions = make((3, 4, 8))
    actions.min_shot_seconds = 3
    shorter = actions.action(ids.SHOT_SHORTER)
    assert not shorter.isEnabled()
    assert shorter.toolTip() == "Shot 1 is already at the 3 s minimum."
    sel.select_index(1)
    assert shorter.isEnabled()
    assert not actions.action(ids.SHOT_SPLIT).isEnabled()  # 4 s cannot make two 3 s shots
    actions.action(ids.SHOT_ADD).trigger()
    assert durations(doc) == [3, 4, 5, 3]  # the new shot gets the minimum, from the longest
    actions.action(ids.SHOT_ADD).trigger()
    assert durations(doc) == [3, 3, 3, 3, 3]
    assert not actions.action(ids.SHOT_ADD).isEnabled()
    assert "No room for another 3 s shot" in actions.action(ids.SHOT_ADD).toolTip()


def test_zoom_to_fit_needs_and_drives_a_timeline(qtbot: QtBot) -> None:
    _, _, lonely = make((5, 5))
    assert not lonely.action(ids.ZOOM_FIT).isEnabled()
    doc, sel, w = make_timeline(qtbot, (5, 5, 5))
    actions = TimelineActions(doc, sel, w, timeline=w)
    w.zoom_by(4.0)
    actions.action(ids.ZOOM_FIT).trigger()
    assert w.zoom() == 1.0
    actions.min_shot_seconds = 3
    assert w.min_shot_seconds == 3


def test_total_control_rescales_as_one_undo_step_and_follows_undo(qtbot: QtBot) -> None:
    doc = StoryboardDocument(storyboard((2, 4, 4)))
    control = TotalDurationControl(doc)
    qtbot.addWidget(control)
    assert (control.spin.minimum(), control.spin.maximum(), control.value()) == (3, 15, 10)
    control.spin.setValue(15)
    assert doc.storyboard.total == 15 and sum(durations(doc)) == 15
    assert durations(doc) == [3, 6, 6]
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Set total to 15 s"
    doc.undo_stack.undo()
    assert control.value() == 10 and durations(doc) == [2, 4, 4]
    doc.undo_stack.redo()
    assert control.value() == 15
    assert doc.undo_stack.count() == 1  # reflecting undo/redo pushed nothing


def test_total_control_commits_typed_values_once(qtbot: QtBot) -> None:
    doc = StoryboardDocument(storyboard((5, 5)))
    control = TotalDurationControl(doc)
    qtbot.addWidget(control)
    control.spin.selectAll()
    qtbot.keyClicks(control.spin, "12")
    assert doc.storyboard.total == 10  # typing alone does not edit
    qtbot.keyClick(control.spin, Qt.Key.Key_Return)
    assert doc.storyboard.total == 12 and doc.undo_stack.count() == 1
    qtbot.keyClick(control.spin, Qt.Key.Key_Up)
    assert doc.storyboard.total == 13 and doc.undo_stack.count() == 2


def test_total_control_range_keeps_every_shot_its_minimum(qtbot: QtBot) -> None:
    doc = StoryboardDocument(storyboard((3, 3, 3, 3)))
    control = TotalDurationControl(doc)
    qtbot.addWidget(control)
    assert control.spin.minimum() == 4  # four shots of 1 s
    control.min_shot_seconds = 3
    assert control.spin.minimum() == 12
    doc.apply(lambda sb: edits.delete_shot(sb, 0), "Delete shot 1")
    assert control.spin.minimum() == 9 and control.value() == 12


def test_timeline_widget_and_actions_share_the_document(qtbot: QtBot) -> None:
    doc, sel, w = make_timeline(qtbot, (5, 5, 5))
    actions = TimelineActions(doc, sel, w, timeline=w)
    assert isinstance(w, TimelineWidget)
    w.addActions(actions.actions())  # as a main window would, for the context menu
    qtbot.keyClick(w, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert len(doc.storyboard.shots) == 4  # handled once, not by the widget and the action
    assert doc.undo_stack.count() == 1
    assert actions.action(ids.SHOT_DELETE).isEnabled()
