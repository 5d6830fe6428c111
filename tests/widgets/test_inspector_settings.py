"""Inspector, Storyboard tab: a form generated from the catalog for the chosen model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Storyboard
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.resources import load_catalog
from kling_studio.widgets.inspector import Inspector, StoryboardSettings
from kling_studio.widgets.inspector.settings_fields import CfgEditor

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")


_keep: list[Inspector] = []  # the panel's test holds the panel only; keep its window alive


def make(qtbot: QtBot, sb: Storyboard) -> tuple[StoryboardDocument, StoryboardSettings]:
    doc = StoryboardDocument(sb)
    inspector = Inspector(doc, ShotSelection(doc), load_catalog())
    _keep[:] = [inspector]
    qtbot.addWidget(inspector)
    inspector.resize(420, 640)
    inspector.show()
    qtbot.waitExposed(inspector)
    inspector.tabs.setCurrentIndex(1)
    return doc, inspector.settings


def board(model: str, **settings: object) -> Storyboard:
    sb = edits.new_storyboard(model=model, total=10, shots=3)
    return edits.set_settings(sb, **settings) if settings else sb


def label_of(panel: StoryboardSettings, widget: QWidget) -> str:
    label = panel.form.labelForField(widget)
    assert isinstance(label, QLabel)
    return label.text()


def items(combo: QWidget) -> list[str]:
    assert isinstance(combo, QComboBox)
    return [combo.itemText(i) for i in range(combo.count())]


def choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    """Pick an item the way a mouse user does: open the popup, click the item."""
    target = combo.findText(text)
    assert target >= 0, f"{text!r} not in {items(combo)}"
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    rect = view.visualRect(view.model().index(target, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not view.isVisible())


def test_kling_v3_form_has_audio_negative_prompt_and_shot_type_but_no_cfg(qtbot: QtBot) -> None:
    _doc, panel = make(qtbot, board("kling-v3"))
    assert set(panel.fields) == {
        "aspect_ratio",
        "mode",
        "sound",
        "negative_prompt",
        "shot_type",
        "watermark",
    }
    assert isinstance(panel.field("sound"), QCheckBox)
    assert label_of(panel, panel.fields["sound"]) == "Native audio"
    assert isinstance(panel.field("negative_prompt"), QLineEdit)
    assert label_of(panel, panel.fields["negative_prompt"]) == "Negative prompt"
    assert items(panel.fields["mode"]) == ["Standard (720p)", "Pro (1080p)", "4K"]
    assert items(panel.fields["shot_type"]) == ["Customize", "AI planned"]
    assert items(panel.fields["aspect_ratio"]) == ["16:9", "9:16", "1:1"]
    assert panel.model_combo.currentText() == "Kling V3"
    assert "Default for Kling V3: Standard (720p)" in panel.fields["mode"].toolTip()


def test_omni_form_has_no_negative_prompt(qtbot: QtBot) -> None:
    _doc, panel = make(qtbot, board("kling-v3-omni"))
    assert "negative_prompt" not in panel.fields
    assert {"sound", "shot_type", "mode"} <= set(panel.fields)
    assert "Default for Kling V3 Omni: Pro (1080p)" in panel.fields["mode"].toolTip()


def test_v1_6_form_has_a_cfg_control_with_the_catalog_range(qtbot: QtBot) -> None:
    doc, panel = make(qtbot, board("kling-v1-6"))
    assert "sound" not in panel.fields and "shot_type" not in panel.fields
    cfg = panel.field("cfg_scale")
    assert isinstance(cfg, CfgEditor)
    assert label_of(panel, cfg) == "Prompt adherence (CFG)"
    assert (cfg.spin.minimum(), cfg.spin.maximum(), cfg.spin.singleStep()) == (0.0, 1.0, 0.05)
    assert cfg.spin.value() == 0.5 and "default" in cfg.spin.suffix()  # unset: catalog default

    cfg.spin.setFocus()
    qtbot.keyClick(cfg.spin, Qt.Key.Key_Up)
    assert doc.storyboard.settings.cfg_scale == 0.55
    assert cfg.spin.suffix() == ""
    qtbot.mouseClick(cfg.reset, Qt.MouseButton.LeftButton)
    assert doc.storyboard.settings.cfg_scale is None
    assert cfg.spin.value() == 0.5


def test_changing_the_mode_is_one_undo_step(qtbot: QtBot) -> None:
    doc, panel = make(qtbot, board("kling-v3"))
    mode = panel.fields["mode"]
    assert isinstance(mode, QComboBox)

    choose(qtbot, mode, "Pro (1080p)")

    assert doc.storyboard.settings.mode == "pro"
    assert doc.undo_stack.count() == 1
    assert doc.undo_stack.undoText() == "Set Mode to Pro (1080p)"
    doc.undo_stack.undo()
    assert doc.storyboard.settings.mode == "std"
    assert mode.currentText() == "Standard (720p)"


def test_checkboxes_and_negative_prompt_edit_the_settings(qtbot: QtBot) -> None:
    doc, panel = make(qtbot, board("kling-v3"))
    sound = panel.fields["sound"]
    assert isinstance(sound, QCheckBox)
    qtbot.mouseClick(sound, Qt.MouseButton.LeftButton)
    assert doc.storyboard.settings.sound is True

    negative = panel.fields["negative_prompt"]
    negative.setFocus()
    qtbot.keyClicks(negative, "blurry")
    assert doc.storyboard.settings.negative_prompt == "blurry"
    assert doc.undo_stack.count() == 2  # one click + one typing burst

    doc.undo_stack.undo()
    assert isinstance(negative, QLineEdit) and negative.text() == ""
    doc.undo_stack.undo()
    assert not sound.isChecked()


def test_switching_models_rebuilds_the_form_and_keeps_hidden_values(qtbot: QtBot) -> None:
    doc, panel = make(qtbot, board("kling-v3", sound=True, mode="4k", negative_prompt="text"))

    choose(qtbot, panel.model_combo, "Kling V1.6")

    assert doc.storyboard.settings.model == "kling-v1-6"
    assert doc.undo_stack.count() == 1
    assert "cfg_scale" in panel.fields and "sound" not in panel.fields
    # Sound is kept in the storyboard (the rules warn); 4K is shown as not available.
    assert doc.storyboard.settings.sound is True
    assert items(panel.fields["mode"]) == [
        "Standard (720p)",
        "Pro (1080p)",
        "4k — not available for Kling V1.6",
    ]
    assert panel.fields["mode"].currentIndex() == 2  # type: ignore[attr-defined]
    assert panel.fields["negative_prompt"].text() == "text"  # type: ignore[attr-defined]

    doc.undo_stack.undo()
    assert panel.model_combo.currentText() == "Kling V3"
    assert "sound" in panel.fields and "cfg_scale" not in panel.fields
    assert panel.fields["sound"].isChecked()  # type: ignore[attr-defined]
    assert panel.fields["mode"].currentText() == "4K"  # type: ignore[attr-defined]


def test_storyboard_title_is_one_undo_step_per_burst(qtbot: QtBot) -> None:
    doc, panel = make(qtbot, board("kling-v3"))
    panel.title_edit.selectAll()
    panel.title_edit.setFocus()
    qtbot.keyClicks(panel.title_edit, "Launch")
    assert doc.storyboard.title == "Launch"
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert panel.title_edit.text() == "Untitled storyboard"


def test_ctrl_z_in_a_field_that_the_undo_removes(qtbot: QtBot) -> None:
    doc, panel = make(qtbot, board("kling-v3"))
    choose(qtbot, panel.model_combo, "Kling V1.6")
    negative = panel.fields["negative_prompt"]
    negative.setFocus()
    qtbot.keyClicks(negative, "text")

    # Undo twice from inside the field: the second undo switches back to V3 and rebuilds the
    # form while the key event is still being handled by the old field.
    qtbot.keyClick(negative, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(negative, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)

    assert doc.storyboard.settings.model == "kling-v3"
    assert doc.storyboard.settings.negative_prompt == ""
    assert panel.model_combo.currentText() == "Kling V3"
    assert "cfg_scale" not in panel.fields


def test_loading_another_storyboard_refreshes_the_form(qtbot: QtBot) -> None:
    doc, panel = make(qtbot, board("kling-v1-6"))
    doc.replace(board("kling-v3-omni", mode="4k"))
    assert panel.model_combo.currentText() == "Kling V3 Omni"
    assert panel.fields["mode"].currentText() == "4K"  # type: ignore[attr-defined]
    assert doc.undo_stack.count() == 0
