"""Inspector, References tab: elements and voices by id, detaching, reference video options."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Storyboard
from kling_studio.project.storage import read_storyboard
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.resources import examples_dir, load_catalog
from kling_studio.widgets.inspector import Inspector

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

LEFT = Qt.MouseButton.LeftButton


def make(qtbot: QtBot, sb: Storyboard) -> tuple[StoryboardDocument, Inspector]:
    doc = StoryboardDocument(sb)
    inspector = Inspector(doc, ShotSelection(doc), load_catalog())
    qtbot.addWidget(inspector)
    inspector.resize(420, 640)
    inspector.show()
    qtbot.waitExposed(inspector)
    inspector.tabs.setCurrentIndex(2)
    return doc, inspector


def omni() -> Storyboard:
    return read_storyboard(examples_dir() / "omni-references.json")


def test_add_an_element_by_decimal_id(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, edits.new_storyboard(model="kling-v3-omni"))
    refs = inspector.references
    assert not refs.element_add.isEnabled()  # nothing typed yet

    qtbot.keyClicks(refs.element_id_edit, "12a34")  # letters are refused as they are typed
    assert refs.element_id_edit.text() == "1234"
    qtbot.keyClicks(refs.element_name_edit, "Hero")
    qtbot.mouseClick(refs.element_add, LEFT)

    assert [(e.element_id, e.name) for e in doc.storyboard.elements] == [("1234", "Hero")]
    assert refs.element_id_edit.text() == "" and refs.element_name_edit.text() == ""
    assert doc.undo_stack.count() == 1
    assert inspector.tabs.tabText(2) == "References (1)"
    menu = inspector.prompt_editor.insert_menu
    assert "Element 1 · Hero" in [a.text() for a in menu.actions()]


def test_element_ids_are_at_most_20_digits_and_at_most_3_elements(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, edits.new_storyboard(model="kling-v3-omni"))
    refs = inspector.references
    qtbot.keyClicks(refs.element_id_edit, "1" * 25)
    assert refs.element_id_edit.text() == "1" * 20

    for n in ("1", "2", "3"):
        refs.element_id_edit.setText(n)
        qtbot.keyClick(refs.element_id_edit, Qt.Key.Key_Return)
    assert [e.element_id for e in doc.storyboard.elements] == ["1", "2", "3"]
    assert not refs.element_id_edit.isEnabled() and not refs.element_add.isEnabled()


def test_remove_an_element_and_undo(qtbot: QtBot) -> None:
    sb = edits.add_element(edits.add_element(omni(), "11", "Anna"), "22", "Dog")
    doc, inspector = make(qtbot, sb)
    qtbot.mouseClick(inspector.references.remove_buttons["elements[0]"], LEFT)
    assert [e.name for e in doc.storyboard.elements] == ["Dog"]
    assert set(inspector.references.remove_buttons) == {"elements[0]"}
    doc.undo_stack.undo()
    assert [e.name for e in doc.storyboard.elements] == ["Anna", "Dog"]
    assert set(inspector.references.remove_buttons) == {"elements[0]", "elements[1]"}


def test_add_and_remove_voices(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, edits.new_storyboard(model="kling-v3"))
    refs = inspector.references
    qtbot.keyClicks(refs.voice_id_edit, "829826")
    qtbot.keyClicks(refs.voice_name_edit, "Narrator")
    qtbot.mouseClick(refs.voice_add, LEFT)
    assert [(v.voice_id, v.name) for v in doc.storyboard.voices] == [("829826", "Narrator")]

    qtbot.mouseClick(refs.remove_buttons["voices[0]"], LEFT)
    assert doc.storyboard.voices == ()
    assert doc.undo_stack.count() == 2


def test_detach_a_reference_image(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, omni())
    refs = inspector.references
    assert set(refs.detach_buttons) == {
        "reference_images[0]",
        "reference_images[1]",
        "reference_video",
    }
    qtbot.mouseClick(refs.detach_buttons["reference_images[0]"], LEFT)
    sb = doc.storyboard
    assert len(sb.reference_images) == 1
    assert [a.name for a in sb.assets if a.kind == "image"] == ["cafe.png"]  # unused asset dropped
    # The prompt's <<<image_2>>> now points at nothing and is flagged; the text is untouched.
    prompt = inspector.prompt_editor
    assert "<<<image_2>>>" in prompt.unknown_tags()
    assert prompt.text() == sb.shots[0].prompt == omni().shots[0].prompt
    assert doc.undo_stack.count() == 1  # re-checking the tags is not an edit


def test_reference_video_options(qtbot: QtBot) -> None:
    doc, inspector = make(qtbot, omni())
    refs = inspector.references
    assert refs.video_box.isVisible()
    combo = refs.refer_type_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Feature (style / camera)",
        "Base (video to edit)",
    ]
    assert combo.currentText() == "Feature (style / camera)"

    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert doc.storyboard.reference_video is not None
    assert doc.storyboard.reference_video.refer_type == "base"
    qtbot.mouseClick(refs.keep_sound_check, LEFT)
    assert doc.storyboard.reference_video.keep_original_sound is True
    assert doc.undo_stack.count() == 2

    qtbot.mouseClick(refs.detach_buttons["reference_video"], LEFT)
    assert doc.storyboard.reference_video is None
    assert not refs.video_box.isVisible()
    doc.undo_stack.undo()
    assert refs.video_box.isVisible()
    assert refs.keep_sound_check.isChecked()
    assert combo.currentText() == "Base (video to edit)"
