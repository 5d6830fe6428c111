"""StoryboardDocument: one undo step per edit, merged bursts, initiator, dirty state."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.qt.document import SHOTS, TEXT, TIMING, DocumentChange, StoryboardDocument
from kling_studio.qt.selection import ShotSelection


def make() -> StoryboardDocument:
    return StoryboardDocument(edits.new_storyboard(total=10, shots=3))


def test_edit_undo_redo_round_trip(qtbot: QtBot) -> None:
    doc = make()
    original = doc.storyboard
    seen: list[DocumentChange] = []
    doc.changed.connect(seen.append)
    me = object()
    assert doc.apply(lambda sb: edits.move_boundary(sb, 0, 2), "Resize", initiator=me)
    assert [s.duration for s in doc.storyboard.shots] == [6, 1, 3]
    assert seen[-1].kinds == {TIMING} and seen[-1].initiator is me
    assert doc.dirty
    doc.undo_stack.undo()
    assert doc.storyboard == original and not doc.dirty
    assert seen[-1].initiator is None  # undo comes from nobody: everyone refreshes
    doc.undo_stack.redo()
    assert [s.duration for s in doc.storyboard.shots] == [6, 1, 3]


def test_typing_burst_is_one_undo_step(qtbot: QtBot) -> None:
    doc = make()
    for text in ("h", "he", "hel", "hello"):
        doc.apply(
            lambda sb, t=text: edits.set_shot_text(sb, 0, prompt=t), "Type", merge_key="prompt:s1"
        )
    assert doc.undo_stack.count() == 1
    doc.undo_stack.undo()
    assert doc.storyboard.shots[0].prompt == ""


def test_refused_edit_reports_and_changes_nothing(qtbot: QtBot) -> None:
    doc = StoryboardDocument(edits.new_storyboard(total=12, shots=6))
    with qtbot.waitSignal(doc.edit_failed) as blocker:
        assert not doc.apply(edits.add_shot, "Add shot")
    assert "at most 6 shots" in blocker.args[0]
    assert doc.undo_stack.count() == 0 and not doc.dirty


def test_selection_follows_inserts_moves_and_deletes(qtbot: QtBot) -> None:
    doc = make()
    sel = ShotSelection(doc)
    sel.select_index(2)
    assert sel.current_id == "s3"
    doc.apply(lambda sb: edits.move_shot(sb, 2, 0), "Move")
    assert sel.current_id == "s3" and sel.current_index == 0
    doc.apply(lambda sb: edits.insert_shot(sb, 1), "Insert")
    assert sel.current_id == "s4"
    doc.apply(lambda sb: edits.delete_shot(sb, 1), "Delete")
    assert sel.current_id in {s.id for s in doc.storyboard.shots}


def test_change_kinds_are_specific(qtbot: QtBot) -> None:
    doc = make()
    seen: list[DocumentChange] = []
    doc.changed.connect(seen.append)
    doc.apply(lambda sb: edits.set_shot_text(sb, 1, title="x"), "Title")
    doc.apply(lambda sb: edits.move_shot(sb, 0, 1), "Move")
    assert seen[0].kinds == {TEXT}
    assert SHOTS in seen[1].kinds
