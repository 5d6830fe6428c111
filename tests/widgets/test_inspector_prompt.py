"""Inspector, prompt editor: the length counter, the reference menu and tag chips."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QPalette, QTextCharFormat, QTextCursor
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Storyboard
from kling_studio.project.storage import read_storyboard
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.resources import examples_dir, load_catalog
from kling_studio.widgets.inspector import Inspector
from kling_studio.widgets.inspector.chips import ChipTextEdit
from kling_studio.widgets.inspector.common import ERROR_COLOR, WARNING_COLOR

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def make(qtbot: QtBot, sb: Storyboard) -> tuple[StoryboardDocument, Inspector]:
    doc = StoryboardDocument(sb)
    inspector = Inspector(doc, ShotSelection(doc), load_catalog())
    qtbot.addWidget(inspector)
    inspector.resize(420, 640)
    inspector.show()
    qtbot.waitExposed(inspector)
    return doc, inspector


def set_prompt(doc: StoryboardDocument, text: str) -> None:
    doc.apply(lambda sb: edits.set_shot_text(sb, 0, prompt=text), "Set prompt")


def omni() -> Storyboard:
    return read_storyboard(examples_dir() / "omni-references.json")


def counter_color(inspector: Inspector) -> str:
    counter = inspector.prompt_editor.counter
    return counter.palette().color(QPalette.ColorRole.WindowText).name()


def test_counter_limit_follows_the_storyboard_shape(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, edits.new_storyboard(total=10, shots=1))
    counter = inspector.prompt_editor.counter
    set_prompt(doc, "x" * 412)
    assert counter.text() == "412 / 2500"  # a single prompt (kling-v3 prompt.max_chars)

    doc.apply(edits.add_shot, "Add shot")
    assert inspector.shot.heading.text() == "Shot 2 of 2"  # the new shot became current
    assert counter.text() == "0 / 512"  # one multi_prompt item (multi_prompt.max_chars)


def test_counter_turns_warning_then_error_coloured(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, edits.new_storyboard(total=10, shots=2))
    editor = inspector.prompt_editor
    set_prompt(doc, "x" * 100)
    assert editor.counter_state == "ok"
    normal = counter_color(inspector)

    set_prompt(doc, "x" * 470)
    assert editor.counter.text() == "470 / 512"
    assert editor.counter_state == "warning"
    assert counter_color(inspector) == WARNING_COLOR.name()

    set_prompt(doc, "x" * 513)
    assert editor.counter.text() == "513 / 512"
    assert editor.counter_state == "error"
    assert editor.counter.property("state") == "error"
    assert counter_color(inspector) == ERROR_COLOR.name()
    assert "1 characters over" in editor.counter.toolTip()

    doc.undo_stack.undo()
    assert editor.counter_state == "warning"
    doc.undo_stack.undo()
    assert counter_color(inspector) == normal


def test_typing_past_the_limit_turns_the_counter_red(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, edits.new_storyboard(total=10, shots=2))
    set_prompt(doc, "x" * 510)
    editor = inspector.prompt_editor
    editor.editor.setFocus()
    editor.move_cursor_to_end()
    qtbot.keyClicks(editor.editor, "abc")
    assert editor.counter.text() == "513 / 512"
    assert editor.counter_state == "error"


def test_insert_reference_menu_inserts_the_tag_at_the_cursor(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, omni())
    set_prompt(doc, "The woman walks in.")
    editor = inspector.prompt_editor
    labels = [a.text() for a in editor.insert_menu.actions() if not a.isSeparator()]
    assert labels == [
        "Image 1 · anna-front.jpg",
        "Image 2 · cafe.png",
        "Video · ref_handheld.mp4",
    ]
    cursor = editor.editor.textCursor()
    cursor.setPosition(len("The woman"))
    editor.editor.setTextCursor(cursor)

    action = next(a for a in editor.insert_menu.actions() if a.text() == "Image 2 · cafe.png")
    action.trigger()

    expected = "The woman<<<image_2>>> walks in."
    assert editor.text() == expected
    assert doc.storyboard.shots[0].prompt == expected
    assert editor.editor.textCursor().position() == len("The woman<<<image_2>>>")
    assert editor.unknown_tags() == []


def test_menu_lists_elements_and_voices_and_says_when_empty(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, edits.new_storyboard(total=5))
    menu = inspector.prompt_editor.insert_menu
    only = [a for a in menu.actions() if not a.isSeparator()]
    assert [(a.text(), a.isEnabled()) for a in only] == [("No references attached", False)]

    doc.apply(lambda sb: edits.add_element(sb, "42", "Hero"), "Add element")
    doc.apply(lambda sb: edits.add_voice(sb, "v-777", "Narrator"), "Add voice")

    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Element 1 · Hero", "Voice 1 · Narrator"]


def _format_at(editor: ChipTextEdit, pos: int) -> QTextCharFormat:
    block = editor.document().findBlock(pos)
    offset = pos - block.position()
    for rng in block.layout().formats():
        if rng.start <= offset < rng.start + rng.length:
            return QTextCharFormat(rng.format)  # a copy: the range is a temporary
    return QTextCharFormat()


def test_unknown_tags_are_underlined_in_red_with_a_tooltip(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, omni())
    text = "See <<<image_2>>> and <<<image_3>>> and <<<voice_1>>>."
    set_prompt(doc, text)
    prompt = inspector.prompt_editor
    assert prompt.unknown_tags() == ["<<<image_3>>>", "<<<voice_1>>>"]

    wave = QTextCharFormat.UnderlineStyle.WaveUnderline
    known_at = text.index("image_2")
    unknown_at = text.index("image_3")
    assert _format_at(prompt.editor, known_at).underlineStyle() != wave
    bad = _format_at(prompt.editor, unknown_at)
    assert bad.underlineStyle() == wave
    assert bad.underlineColor().name() == ERROR_COLOR.name()

    cursor = QTextCursor(prompt.editor.document())
    cursor.setPosition(unknown_at + 2)
    point = prompt.editor.cursorRect(cursor).center()
    span = prompt.editor.span_at(point)
    assert span is not None and span.number == 3
    assert prompt.editor.tooltip_for(span) == (
        "<<<image_3>>> points at nothing: the storyboard has 2 reference images."
    )
    cursor.setPosition(known_at + 2)
    known = prompt.editor.span_at(prompt.editor.cursorRect(cursor).center())
    assert known is not None and prompt.editor.tooltip_for(known) == "Image 2 · cafe.png"

    # Adding the voice resolves its tag: the red underline goes away.
    doc.apply(lambda sb: edits.add_voice(sb, "v1", "Narrator"), "Add voice")
    assert prompt.unknown_tags() == ["<<<image_3>>>"]
    assert _format_at(prompt.editor, text.index("voice_1")).underlineStyle() != wave
