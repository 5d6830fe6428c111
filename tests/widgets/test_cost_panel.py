"""Cost panel, findings list and Submit button follow every edit; fixes and what-ifs apply."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.project.storage import read_storyboard
from kling_studio.qt.analysis import LiveAnalysis
from kling_studio.qt.document import StoryboardDocument
from kling_studio.resources import examples_dir, load_catalog, load_providers
from kling_studio.widgets.cost_panel import CostPanel, FindingsList, SubmitButton


def setup(
    qtbot: QtBot, name: str = "v3-ad-3-shots.json"
) -> tuple[StoryboardDocument, LiveAnalysis, CostPanel, FindingsList, SubmitButton]:
    doc = StoryboardDocument(read_storyboard(Path(examples_dir() / name)))
    analysis = LiveAnalysis(doc, load_catalog(), load_providers())
    cost, findings, submit = (
        CostPanel(doc, analysis),
        FindingsList(doc, analysis),
        SubmitButton(analysis),
    )
    for w in (cost, findings, submit):
        qtbot.addWidget(w)
    return doc, analysis, cost, findings, submit


def test_price_and_breakdown_follow_edits_synchronously(qtbot: QtBot) -> None:
    doc, _a, cost, _f, submit = setup(qtbot)
    assert cost.price.text() == "$1.68" and "12 units" in cost.units.text()
    assert "10 s × 1.2 u/s" in cost.breakdown.text()
    doc.apply(lambda sb: edits.set_total(sb, 15), "Total")
    assert cost.price.text() == "$2.52" and submit.text() == "Submit — $2.52…"


def test_what_if_button_applies_its_fix_as_one_undo_step(qtbot: QtBot) -> None:
    doc, _a, cost, _f, _s = setup(qtbot)
    labels = [cost.what_ifs.itemAt(i).widget().text() for i in range(cost.what_ifs.count())]
    assert "Sound off: −$0.56" in labels
    button = cost.what_ifs.itemAt(labels.index("Sound off: −$0.56")).widget()
    button.click()
    assert not doc.storyboard.settings.sound and cost.price.text() == "$1.12"
    doc.undo_stack.undo()
    assert doc.storyboard.settings.sound and cost.price.text() == "$1.68"


def test_findings_block_submit_and_their_fix_unblocks_it(qtbot: QtBot) -> None:
    doc, _a, _c, findings, submit = setup(qtbot, "omni-references.json")
    doc.apply(lambda sb: edits.set_settings(sb, sound=True), "Sound on")
    assert not submit.isEnabled() and submit.text() == "Fix 1 error to submit"
    assert findings.list.count() == 1 and "sound" in findings.list.item(0).text().lower()
    with qtbot.waitSignal(findings.focus_requested) as blocker:
        findings.list.itemClicked.emit(findings.list.item(0))
    assert blocker.args[0] == "settings.sound"
    findings.list.setCurrentRow(0)
    assert findings.fix_button.isEnabled()
    findings.fix_button.click()
    assert not doc.storyboard.settings.sound and submit.isEnabled()
    assert findings.summary.text().startswith("✔")


def test_unknown_price_is_said_not_zero(qtbot: QtBot) -> None:
    doc, _a, cost, _f, submit = setup(qtbot)
    doc.apply(lambda sb: edits.set_settings(sb, provider="picsart"), "Picsart")
    assert cost.price.text() == "No price known"
    assert "$0" not in submit.text()
