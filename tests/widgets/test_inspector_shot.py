"""Inspector, Shot tab: typing edits the document in one undo step per burst; undo shows up."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Storyboard
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.resources import load_catalog
from kling_studio.widgets.inspector import Inspector

# The offscreen platform lacks window features (size hints, raise, grabs) and says so.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def make(qtbot: QtBot, sb: Storyboard) -> tuple[StoryboardDocument, ShotSelection, Inspector]:
    doc = StoryboardDocument(sb)
    sel = ShotSelection(doc)
    inspector = Inspector(doc, sel, load_catalog())
    qtbot.addWidget(inspector)
    inspector.resize(420, 640)
    inspector.show()
    qtbot.waitExposed(inspector)
    inspector.activateWindow()
    return doc, sel, inspector


def three_shots() -> Storyboard:
    return edits.new_storyboard(total=10, shots=3)


def test_typing_a_prompt_is_one_undo_step_and_undo_restores_the_widget(qtbot: QtBot) -> None:
    doc, sel, inspector = make(qtbot, three_shots())
    sel.select_index(1)
    editor = inspector.shot.prompt.editor
    editor.setFocus()
    edits_seen: list[None] = []
    editor.textChanged.connect(lambda: edits_seen.append(None))

    qtbot.keyClicks(editor, "a red fox")

    assert doc.storyboard.shots[1].prompt == "a red fox"
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Edit shot 2 prompt"
    # The widget did not reload itself under the cursor: one change per key, cursor at the end.
    assert len(edits_seen) == len("a red fox")
    assert editor.textCursor().position() == len("a red fox")

    doc.undo_stack.undo()
    assert doc.storyboard.shots[1].prompt == ""
    assert editor.toPlainText() == ""
    doc.undo_stack.redo()
    assert editor.toPlainText() == "a red fox"


def test_typing_in_the_middle_keeps_the_cursor(qtbot: QtBot) -> None:
    sb = edits.set_shot_text(three_shots(), 0, prompt="hello world")
    doc, _sel, inspector = make(qtbot, sb)
    editor = inspector.shot.prompt.editor
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.setPosition(5)
    editor.setTextCursor(cursor)

    qtbot.keyClicks(editor, ", big")

    assert doc.storyboard.shots[0].prompt == "hello, big world"
    assert editor.textCursor().position() == len("hello, big")


def test_ctrl_z_in_the_prompt_undoes_the_document(qtbot: QtBot) -> None:
    doc, _sel, inspector = make(qtbot, three_shots())
    editor = inspector.shot.prompt.editor
    editor.setFocus()
    qtbot.keyClicks(editor, "abc")

    qtbot.keyClick(editor, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert doc.storyboard.shots[0].prompt == ""
    assert editor.toPlainText() == ""
    assert doc.undo_stack.index() == 0  # undone, not a new "edit" back to ""


def test_a_new_burst_starts_when_focus_leaves_the_field(qtbot: QtBot) -> None:
    doc, _sel, inspector = make(qtbot, three_shots())
    shot = inspector.shot
    shot.prompt.editor.setFocus()
    qtbot.keyClicks(shot.prompt.editor, "fox")
    shot.title_edit.setFocus()
    qtbot.keyClicks(shot.title_edit, "Intro")
    shot.prompt.editor.setFocus()
    shot.prompt.editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(shot.prompt.editor, " runs")

    assert doc.storyboard.shots[0].prompt == "fox runs"
    assert doc.storyboard.shots[0].title == "Intro"
    assert doc.undo_stack.count() == 3

    doc.undo_stack.undo()
    assert shot.prompt.text() == "fox"
    doc.undo_stack.undo()
    assert shot.title_edit.text() == ""
    assert shot.prompt.text() == "fox"


def test_notes_and_title_edit_the_current_shot(qtbot: QtBot) -> None:
    doc, sel, inspector = make(qtbot, three_shots())
    sel.select_index(2)
    shot = inspector.shot
    shot.notes_edit.setFocus()
    qtbot.keyClicks(shot.notes_edit, "ask for rights")
    shot.title_edit.setFocus()
    qtbot.keyClicks(shot.title_edit, "Outro")

    assert doc.storyboard.shots[2].notes == "ask for rights"
    assert doc.storyboard.shots[2].title == "Outro"
    assert doc.storyboard.shots[0].notes == "" and doc.storyboard.shots[0].title == ""
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert shot.notes_edit.toPlainText() == ""


def test_selecting_another_shot_shows_its_fields(qtbot: QtBot) -> None:
    sb = edits.set_shot_text(three_shots(), 2, prompt="third", title="Three")
    _doc, sel, inspector = make(qtbot, sb)
    shot = inspector.shot
    assert shot.heading.text() == "Shot 1 of 3"

    sel.select_index(2)

    assert shot.heading.text() == "Shot 3 of 3"
    assert shot.prompt.text() == "third"
    assert shot.title_edit.text() == "Three"
    assert shot.duration_label.text().startswith("3 s")  # 10 s shared 4/3/3


def test_ai_planned_storyboard_edits_the_storyboard_prompt(qtbot: QtBot) -> None:
    sb = edits.set_settings(three_shots(), shot_type="intelligence")
    sb = edits.set_shot_text(sb, 0, prompt="shot one")
    doc, _sel, inspector = make(qtbot, sb)
    shot = inspector.shot

    assert shot.heading.text() == "AI-planned storyboard prompt"
    assert shot.shot_heading.isVisible() and shot.shot_heading.text() == "Shot 1 of 3"
    assert shot.prompt.text() == ""  # the storyboard prompt, not shot 1's
    assert shot.prompt.limit == 2500
    shot.prompt.editor.setFocus()
    qtbot.keyClicks(shot.prompt.editor, "a day at sea")

    assert doc.storyboard.prompt == "a day at sea"
    assert doc.storyboard.shots[0].prompt == "shot one"
    assert doc.undo_stack.count() == 1

    # Switching back to custom shots shows the shot's own prompt again.
    doc.apply(lambda s: edits.set_settings(s, shot_type="customize"), "Shot type")
    assert shot.heading.text() == "Shot 1 of 3"
    assert not shot.shot_heading.isVisible()
    assert shot.prompt.text() == "shot one"
    assert shot.prompt.limit == 512


def test_loading_another_storyboard_shows_its_first_shot(qtbot: QtBot) -> None:
    doc, sel, inspector = make(qtbot, three_shots())
    sel.select_index(2)
    other = edits.set_shot_text(edits.new_storyboard(total=5, shots=1), 0, prompt="solo")
    doc.replace(other)
    assert inspector.shot.heading.text() == "Shot 1 of 1"
    assert inspector.shot.prompt.text() == "solo"
    assert inspector.shot.prompt.counter.text() == "4 / 2500"
