"""Inspector.focus_field: a finding's path takes the user to the widget that fixes it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Storyboard
from kling_studio.project.storage import read_storyboard
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.resources import examples_dir, load_catalog
from kling_studio.widgets.inspector import Inspector
from kling_studio.widgets.inspector.settings_fields import CfgEditor

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


def make(qtbot: QtBot, sb: Storyboard) -> tuple[ShotSelection, Inspector]:
    doc = StoryboardDocument(sb)
    sel = ShotSelection(doc)
    inspector = Inspector(doc, sel, load_catalog())
    qtbot.addWidget(inspector)
    inspector.resize(420, 640)
    inspector.show()
    qtbot.waitExposed(inspector)
    inspector.activateWindow()
    qtbot.waitUntil(inspector.isActiveWindow)
    return sel, inspector


def focused(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


def v3() -> Storyboard:
    sb = read_storyboard(examples_dir() / "v3-ad-3-shots.json")
    return edits.add_element(edits.add_voice(sb, "v1", "Narrator"), "42", "Hero")


def test_shot_paths_select_the_shot_and_focus_its_field(qtbot: QtBot) -> None:
    sel, inspector = make(qtbot, v3())
    inspector.tabs.setCurrentIndex(1)

    assert inspector.focus_field("shots[2].prompt")

    assert sel.current_index == 2
    assert inspector.tabs.currentIndex() == 0
    assert inspector.shot.heading.text() == "Shot 3 of 3"
    focused(qtbot, inspector.shot.prompt.editor)

    assert inspector.focus_field("shots[1].title")
    assert sel.current_index == 1
    focused(qtbot, inspector.shot.title_edit)


def test_settings_paths_focus_the_settings_editors(qtbot: QtBot) -> None:
    _sel, inspector = make(qtbot, v3())
    settings = inspector.settings

    assert inspector.focus_field("settings.mode")
    assert inspector.tabs.currentIndex() == 1
    focused(qtbot, settings.fields["mode"])

    assert inspector.focus_field("negative_prompt")
    focused(qtbot, settings.fields["negative_prompt"])
    assert inspector.focus_field("settings.negative_prompt")
    focused(qtbot, settings.fields["negative_prompt"])

    # Kling V3 takes no CFG: the finding is fixed by choosing another model.
    assert inspector.focus_field("settings.cfg_scale")
    focused(qtbot, settings.model_combo)
    assert inspector.focus_field("title")
    focused(qtbot, settings.title_edit)


def test_cfg_path_focuses_the_spin_box_where_the_model_takes_it(qtbot: QtBot) -> None:
    _sel, inspector = make(qtbot, edits.new_storyboard(model="kling-v1-6"))
    cfg = inspector.settings.field("cfg_scale")
    assert isinstance(cfg, CfgEditor)
    assert inspector.focus_field("settings.cfg_scale")
    focused(qtbot, cfg.spin)


def test_reference_paths_focus_the_references_tab(qtbot: QtBot) -> None:
    _sel, inspector = make(qtbot, v3())
    refs = inspector.references

    assert inspector.focus_field("elements[0]")
    assert inspector.tabs.currentIndex() == 2
    focused(qtbot, refs.remove_buttons["elements[0]"])
    assert inspector.focus_field("voices")
    focused(qtbot, refs.voice_id_edit)
    assert inspector.focus_field("start_frame")
    focused(qtbot, refs.detach_buttons["start_frame"])


def test_omni_reference_paths(qtbot: QtBot) -> None:
    _sel, inspector = make(qtbot, read_storyboard(examples_dir() / "omni-references.json"))
    refs = inspector.references
    assert inspector.focus_field("reference_images[1]")
    focused(qtbot, refs.detach_buttons["reference_images[1]"])
    assert inspector.focus_field("reference_video")
    focused(qtbot, refs.detach_buttons["reference_video"])
    assert inspector.focus_field("reference_video.refer_type")
    focused(qtbot, refs.refer_type_combo)


def test_paths_without_a_field_here_return_false(qtbot: QtBot) -> None:
    _sel, inspector = make(qtbot, v3())
    assert not inspector.focus_field("total")  # the timeline's job
    assert not inspector.focus_field("nonsense.path")
