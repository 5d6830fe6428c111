"""StoryboardDocument: the one owner of the current storyboard and its undo stack.

Every change goes through :meth:`StoryboardDocument.apply` with a pure edit function; the document
pushes one :class:`EditCommand` onto its ``QUndoStack`` and emits :attr:`changed` with a
:class:`DocumentChange` saying *what* changed and *who* changed it, so the initiating widget can
skip reloading itself (Anki's OpChanges + initiator pattern).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from kling_studio.domain.edits import EditError
from kling_studio.domain.storyboard import Storyboard

Edit = Callable[[Storyboard], Storyboard]

# What a change touched; widgets refresh only what concerns them.
SHOTS = "shots"  # shots added, removed or reordered
TIMING = "timing"  # durations or total
TEXT = "text"  # prompts, titles, notes, storyboard prompt/title
SETTINGS = "settings"
ASSETS = "assets"  # assets, slots, elements, voices, references
ALL = frozenset({SHOTS, TIMING, TEXT, SETTINGS, ASSETS})


def diff_kinds(before: Storyboard, after: Storyboard) -> frozenset[str]:
    """Which parts differ between two storyboards (cheap field comparisons)."""
    kinds: set[str] = set()
    if [s.id for s in before.shots] != [s.id for s in after.shots]:
        kinds.add(SHOTS)
    if before.total != after.total or [s.duration for s in before.shots] != [
        s.duration for s in after.shots
    ]:
        kinds.add(TIMING)
    if (
        before.title != after.title
        or before.prompt != after.prompt
        or [(s.prompt, s.title, s.notes) for s in before.shots]
        != [(s.prompt, s.title, s.notes) for s in after.shots]
    ):
        kinds.add(TEXT)
    if before.settings != after.settings:
        kinds.add(SETTINGS)
    if (
        before.assets != after.assets
        or before.slot_refs() != after.slot_refs()
        or before.elements != after.elements
        or before.voices != after.voices
        or before.reference_video != after.reference_video
    ):
        kinds.add(ASSETS)
    return frozenset(kinds)


@dataclass(frozen=True)
class DocumentChange:
    """Payload of :attr:`StoryboardDocument.changed`.

    Attributes:
        kinds: what changed (``SHOTS``, ``TIMING``, ``TEXT``, ``SETTINGS``, ``ASSETS``).
        initiator: the object that asked for the change (None for undo/redo/load).
        before: the storyboard before the change.
        after: the storyboard now current.
    """

    kinds: frozenset[str]
    initiator: object | None
    before: Storyboard
    after: Storyboard = field(repr=False)


class EditCommand(QUndoCommand):
    """Swap between two immutable storyboards; consecutive edits with one merge key fold."""

    _ids: dict[str, int] = {}  # noqa: RUF012 - process-wide registry of merge keys

    def __init__(
        self,
        doc: StoryboardDocument,
        before: Storyboard,
        after: Storyboard,
        text: str,
        merge_key: str | None,
        initiator: object | None,
    ) -> None:
        super().__init__(text)
        self._doc = doc
        self.before = before
        self.after = after
        self._merge_key = merge_key
        self._initiator = initiator
        self._first = True

    def id(self) -> int:
        if self._merge_key is None:
            return -1
        return self._ids.setdefault(self._merge_key, len(self._ids) + 1)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt override
        if not isinstance(other, EditCommand) or other._merge_key != self._merge_key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        initiator = self._initiator if self._first else None
        self._first = False
        self._doc._set(self.after, initiator)

    def undo(self) -> None:
        self._doc._set(self.before, None)


class StoryboardDocument(QObject):
    """Owns the current storyboard, its undo stack, its file path and dirty state.

    Signals:
        changed(DocumentChange): after every change (edit, undo, redo, load).
        edit_failed(str): an edit was refused; the message is for the user.
        dirty_changed(bool): unsaved changes appeared or were saved.
        path_changed(object): the document's file path (Path or None) changed.
    """

    changed = Signal(object)
    edit_failed = Signal(str)
    dirty_changed = Signal(bool)
    path_changed = Signal(object)

    def __init__(self, storyboard: Storyboard, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._sb = storyboard
        self._path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_undo_stack_clean_changed)

    @property
    def storyboard(self) -> Storyboard:
        return self._sb

    @property
    def path(self) -> Path | None:
        return self._path

    def set_path(self, path: Path | None) -> None:
        if path != self._path:
            self._path = path
            self.path_changed.emit(path)

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def mark_saved(self) -> None:
        self.undo_stack.setClean()

    def apply(
        self,
        edit: Edit,
        text: str,
        *,
        initiator: object | None = None,
        merge_key: str | None = None,
    ) -> bool:
        """Run a pure edit and push it as one undo step. Returns False if it was refused."""
        try:
            after = edit(self._sb)
        except EditError as exc:
            self.edit_failed.emit(str(exc))
            return False
        if after == self._sb:
            return True
        cmd = EditCommand(self, self._sb, after, text, merge_key, initiator)
        self.undo_stack.push(cmd)
        return True

    def replace(self, storyboard: Storyboard, path: Path | None = None) -> None:
        """Load a different storyboard: clears the undo history and the dirty flag."""
        self.undo_stack.clear()
        self.set_path(path)
        self._set(storyboard, None, force=True)
        self.undo_stack.setClean()

    def _set(self, sb: Storyboard, initiator: object | None, *, force: bool = False) -> None:
        before = self._sb
        self._sb = sb
        kinds = ALL if force else diff_kinds(before, sb)
        self.changed.emit(DocumentChange(kinds, initiator, before, sb))

    def _on_undo_stack_clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(not clean)
