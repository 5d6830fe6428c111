"""Shot operations shared by the timeline's keys and :class:`TimelineActions`.

Each operation is a pure edit (no Qt) that also respects the provider's shortest shot
(``min_seconds``), which :mod:`kling_studio.domain.edits` does not know about. Running an
operation on the current storyboard is also how the actions decide whether they are enabled: an
:class:`EditError`'s message becomes the disabled action's tooltip, so the reason a user sees is
exactly the reason the edit would be refused.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from kling_studio.domain import edits
from kling_studio.domain.edits import EditError
from kling_studio.domain.storyboard import MAX_SHOTS, Storyboard
from kling_studio.widgets import action_ids as ids

Edit = Callable[[Storyboard], Storyboard]


@dataclass(frozen=True)
class ShotOp:
    """A named operation on the current shot: ``build(sb, index, min_seconds) -> sb``."""

    id: str
    label: str
    undo_text: str  # may use {n} for the 1-based shot number
    build: Callable[[Storyboard, int, int], Storyboard]

    def edit(self, index: int, min_seconds: int) -> Edit:
        return lambda sb: self.build(sb, index, min_seconds)

    def describe(self, index: int) -> str:
        return self.undo_text.format(n=index + 1)


def _new_shot_seconds(sb: Storyboard, minimum: int) -> int:
    """Length of a new shot: the minimum, taken from shots that can spare it."""
    n = len(sb.shots)
    if n >= MAX_SHOTS:
        raise EditError(f"A storyboard holds at most {MAX_SHOTS} shots.")
    if minimum > 1 and sb.total - n * minimum < minimum:
        raise EditError(
            f"No room for another {minimum} s shot: {n} shots of at least {minimum} s fill "
            f"{sb.total} s. Lengthen the total first."
        )
    return minimum


def add(sb: Storyboard, index: int, minimum: int) -> Storyboard:
    return edits.insert_shot(sb, len(sb.shots), seconds=_new_shot_seconds(sb, minimum))


def insert(sb: Storyboard, index: int, minimum: int) -> Storyboard:
    return edits.insert_shot(sb, index, seconds=_new_shot_seconds(sb, minimum))


def duplicate(sb: Storyboard, index: int, minimum: int) -> Storyboard:
    src = sb.shots[index]
    seconds = _new_shot_seconds(sb, minimum)
    out = edits.insert_shot(sb, index + 1, prompt=src.prompt, seconds=seconds)
    return edits.set_shot_text(out, index + 1, title=src.title, notes=src.notes)


def split(sb: Storyboard, index: int, minimum: int) -> Storyboard:
    shot = sb.shots[index]
    if minimum > 1 and len(sb.shots) < MAX_SHOTS and shot.duration < 2 * minimum:
        raise EditError(
            f"Shot {index + 1} is {shot.duration} s; splitting it needs {2 * minimum} s "
            f"({minimum} s per shot)."
        )
    return edits.split_shot(sb, index)


def delete(sb: Storyboard, index: int, minimum: int) -> Storyboard:
    return edits.delete_shot(sb, index)


def move_left(sb: Storyboard, index: int, minimum: int) -> Storyboard:
    if index <= 0:
        raise EditError("This is already the first shot.")
    return edits.move_shot(sb, index, index - 1)


def move_right(sb: Storyboard, index: int, minimum: int) -> Storyboard:
    if index >= len(sb.shots) - 1:
        raise EditError("This is already the last shot.")
    return edits.move_shot(sb, index, index + 1)


def _neighbour(sb: Storyboard, index: int) -> int:
    """The shot that compensates a length change (``edits.set_shot_duration``'s choice)."""
    if len(sb.shots) == 1:
        raise EditError("A single shot always lasts the whole total; change the total instead.")
    return index + 1 if index + 1 < len(sb.shots) else index - 1


def longer(sb: Storyboard, index: int, minimum: int) -> Storyboard:
    other = _neighbour(sb, index)
    if sb.shots[other].duration - 1 < minimum:
        raise EditError(
            f"Shot {other + 1} has no second to give: it is at the {minimum} s minimum."
        )
    return edits.set_shot_duration(sb, index, sb.shots[index].duration + 1)


def shorter(sb: Storyboard, index: int, minimum: int) -> Storyboard:
    _neighbour(sb, index)
    if sb.shots[index].duration - 1 < minimum:
        raise EditError(f"Shot {index + 1} is already at the {minimum} s minimum.")
    return edits.set_shot_duration(sb, index, sb.shots[index].duration - 1)


def distribute(sb: Storyboard, index: int, minimum: int) -> Storyboard:
    out = edits.distribute_evenly(sb, minimum)
    if out == sb:
        raise EditError("The shots already share the total evenly.")
    return out


OPS: dict[str, ShotOp] = {
    op.id: op
    for op in (
        ShotOp(ids.SHOT_ADD, "&Add Shot", "Add shot", add),
        ShotOp(ids.SHOT_INSERT, "&Insert Shot Before", "Insert shot before shot {n}", insert),
        ShotOp(ids.SHOT_DUPLICATE, "D&uplicate Shot", "Duplicate shot {n}", duplicate),
        ShotOp(ids.SHOT_SPLIT, "&Split Shot", "Split shot {n}", split),
        ShotOp(ids.SHOT_DELETE, "&Delete Shot", "Delete shot {n}", delete),
        ShotOp(ids.SHOT_MOVE_LEFT, "Move Shot &Left", "Move shot {n} left", move_left),
        ShotOp(ids.SHOT_MOVE_RIGHT, "Move Shot &Right", "Move shot {n} right", move_right),
        ShotOp(ids.SHOT_LONGER, "&Lengthen Shot by 1 s", "Lengthen shot {n}", longer),
        ShotOp(ids.SHOT_SHORTER, "S&horten Shot by 1 s", "Shorten shot {n}", shorter),
        ShotOp(ids.SHOTS_DISTRIBUTE, "Distribute &Evenly", "Distribute shots evenly", distribute),
    )
}


def refusal(op_id: str, sb: Storyboard, index: int, minimum: int) -> str | None:
    """Why ``op_id`` cannot run now (a sentence for a tooltip), or None when it can."""
    try:
        OPS[op_id].build(sb, index, minimum)
    except EditError as exc:
        return str(exc)
    return None


def move_boundary(border: int, delta: int) -> Edit:
    return lambda sb: edits.move_boundary(sb, border, delta)


def move_shot(index: int, to: int) -> Edit:
    return lambda sb: edits.move_shot(sb, index, to)
