"""Inspector: renders tidily at dock width (and leaves screenshots to look at).

Set ``KLING_STUDIO_SCREENSHOTS=/some/dir`` to keep the PNGs (``inspector_v3.png``,
``inspector_omni.png``: the three tabs side by side); otherwise they go to the test's tmp dir.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import QFormLayout, QLabel, QScrollArea
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Storyboard
from kling_studio.project.storage import read_storyboard
from kling_studio.qt.document import StoryboardDocument
from kling_studio.qt.selection import ShotSelection
from kling_studio.resources import examples_dir, load_catalog
from kling_studio.widgets.inspector import Inspector

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support")

WIDTH, HEIGHT = 420, 640


def v3() -> Storyboard:
    return read_storyboard(examples_dir() / "v3-ad-3-shots.json")


def omni() -> Storyboard:
    sb = read_storyboard(examples_dir() / "omni-references.json")
    sb = edits.add_element(sb, "7293846510293847561", "Anna")
    text = sb.shots[1].prompt + " <<<element_1>>> waves; <<<image_3>>> is not attached."
    return edits.set_shot_text(sb, 1, prompt=text)


def render(qtbot: QtBot, sb: Storyboard, shot: int) -> tuple[Inspector, QPixmap]:
    doc = StoryboardDocument(sb)
    sel = ShotSelection(doc)
    inspector = Inspector(doc, sel, load_catalog())
    qtbot.addWidget(inspector)
    inspector.resize(WIDTH, HEIGHT)
    inspector.show()
    qtbot.waitExposed(inspector)
    sel.select_index(shot)
    sheet = QPixmap(WIDTH * 3 + 2 * 8, HEIGHT)
    sheet.fill(inspector.palette().color(inspector.backgroundRole()).darker(130))
    painter = QPainter(sheet)
    for tab in range(3):
        inspector.tabs.setCurrentIndex(tab)
        painter.drawPixmap(tab * (WIDTH + 8), 0, inspector.grab())
    painter.end()
    return inspector, sheet


def shots_dir(tmp_path: Path) -> Path:
    return Path(os.environ.get("KLING_STUDIO_SCREENSHOTS", tmp_path))


def label_edges(form: QFormLayout) -> set[int]:
    """Right edges of a form's visible, non-empty labels."""
    edges: set[int] = set()
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        label = item.widget() if item is not None else None
        if isinstance(label, QLabel) and label.isVisible() and label.text():
            edges.add(label.geometry().right())
    return edges


def assert_tidy(inspector: Inspector) -> None:
    for tab in range(inspector.tabs.count()):
        inspector.tabs.setCurrentIndex(tab)
        area = inspector.tabs.widget(tab)
        assert isinstance(area, QScrollArea)
        panel = area.widget()
        assert panel is not None
        name = inspector.tabs.tabText(tab)
        # Nothing forces the dock wider than its default width.
        assert panel.minimumSizeHint().width() <= WIDTH, name
        for form in panel.findChildren(QFormLayout):
            assert len(label_edges(form)) <= 1, f"labels not right-aligned in {name}"


def test_v3_three_shot_inspector_looks_tidy(qtbot: QtBot, tmp_path: Path) -> None:
    inspector, sheet = render(qtbot, v3(), shot=1)
    assert_tidy(inspector)
    out = shots_dir(tmp_path) / "inspector_v3.png"
    assert sheet.save(str(out))
    assert out.stat().st_size > 10_000


def test_omni_inspector_with_references_looks_tidy(qtbot: QtBot, tmp_path: Path) -> None:
    inspector, sheet = render(qtbot, omni(), shot=1)
    assert_tidy(inspector)
    assert inspector.prompt_editor.unknown_tags() == ["<<<image_3>>>"]
    out = shots_dir(tmp_path) / "inspector_omni.png"
    assert sheet.save(str(out))
    assert out.stat().st_size > 10_000
