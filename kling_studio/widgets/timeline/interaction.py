"""Timeline gestures: one object per mouse drag, holding its own preview.

A gesture never touches the document. While it runs, the widget paints ``gesture.preview`` (a
gesture-local storyboard override, as OpenShot's pending clip overrides); on release the widget
asks :meth:`Gesture.finish` for at most one :class:`Commit` and pushes it as one undo step; Esc
calls :meth:`Gesture.cancel` and nothing is pushed. Gestures are plain Python objects working in
widget pixels through a :class:`~kling_studio.widgets.timeline.geometry.Layout`, so they can be
driven without events.
"""

from __future__ import annotations

from dataclasses import dataclass

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Storyboard
from kling_studio.widgets.timeline import commands
from kling_studio.widgets.timeline.geometry import FPS, Layout, border_limits, snap

SNAP_TOLERANCE_PX = 8.0


@dataclass(frozen=True)
class Commit:
    """What a finished gesture asks the document to do: one edit, one undo step."""

    edit: commands.Edit
    text: str


class Gesture:
    """Base gesture: no preview, nothing to commit."""

    preview: Storyboard | None = None
    snap_seconds: int | None = None  # where to draw the snap guide, if anywhere

    def move(self, x: float, y: float) -> None:
        """The pointer moved (button held)."""

    def finish(self) -> Commit | None:
        """The button was released: the one edit to push, or None."""
        return None

    def cancel(self) -> None:
        """Esc: forget the preview."""
        self.preview = None
        self.snap_seconds = None


class BorderDrag(Gesture):
    """Drag the border after shot ``border``: the two shots trade whole seconds.

    The total stays fixed; each side keeps at least ``min_seconds`` (or its current length if it
    is already shorter). The preview is ``edits.move_boundary`` applied to the original.
    """

    def __init__(
        self, sb: Storyboard, layout: Layout, border: int, press_x: float, min_seconds: int = 1
    ) -> None:
        self.original = sb
        self.border = border
        self._pps = layout.px_per_second
        self._press_x = press_x
        self.start_seconds = layout.border_seconds(border)
        self._limits = border_limits(layout.durations, border, min_seconds)
        others = [layout.border_seconds(b) for b in range(len(layout.durations) - 1)]
        self._candidates = [s for s in others if s != self.start_seconds] + [self.start_seconds]
        self.delta = 0
        self.preview = sb
        self.snap_seconds = self.start_seconds

    @property
    def preview_durations(self) -> tuple[int, ...]:
        sb = self.preview or self.original
        return tuple(s.duration for s in sb.shots)

    def move(self, x: float, y: float) -> None:
        pointer = self.start_seconds + (x - self._press_x) / self._pps
        snapped = snap(pointer, self._candidates, self._pps, SNAP_TOLERANCE_PX, self.snap_seconds)
        low, high = self._limits
        seconds = min(max(snapped, low), high)
        self.snap_seconds = seconds
        self.delta = seconds - self.start_seconds
        self.preview = (
            edits.move_boundary(self.original, self.border, self.delta)
            if self.delta
            else self.original
        )

    def finish(self) -> Commit | None:
        if not self.delta:
            return None
        left, right = self.border + 1, self.border + 2
        return Commit(
            commands.move_boundary(self.border, self.delta), f"Resize shots {left} and {right}"
        )

    def cancel(self) -> None:
        super().cancel()
        self.delta = 0


class ReorderDrag(Gesture):
    """Drag shot ``index`` to another position (``edits.move_shot``).

    It starts only after the pointer travelled ``threshold`` pixels, so a click stays a click.
    ``target`` is the position the shot will take: the shot under the pointer in the layout at
    press time (fixed, so the drop position cannot oscillate as the preview reorders).
    """

    def __init__(
        self, sb: Storyboard, layout: Layout, index: int, press_x: float, threshold: float
    ) -> None:
        self.original = sb
        self.index = index
        self.target = index
        self.active = False
        self.offset = 0.0  # how far the pointer moved since the press, for the ghost block
        self._layout = layout
        self._press_x = press_x
        self._threshold = threshold

    def move(self, x: float, y: float) -> None:
        self.offset = x - self._press_x
        if not self.active and abs(self.offset) < self._threshold:
            return
        self.active = True
        self.target = self._layout.shot_at_x(x)
        self.preview = (
            edits.move_shot(self.original, self.index, self.target)
            if self.target != self.index
            else self.original
        )

    @property
    def drop_x(self) -> float | None:
        """Where the drop indicator goes (a gap between blocks), or None for no move."""
        if not self.active or self.target == self.index:
            return None
        block = self._layout.blocks[self.target]
        return block.right if self.target > self.index else block.x

    def finish(self) -> Commit | None:
        if not self.active or self.target == self.index:
            return None
        return Commit(
            commands.move_shot(self.index, self.target),
            f"Move shot {self.index + 1} to position {self.target + 1}",
        )

    def cancel(self) -> None:
        super().cancel()
        self.active = False
        self.target = self.index


class RulerScrub(Gesture):
    """Press or drag on the ruler: the playhead follows the pointer (no document change)."""

    def __init__(self, layout: Layout, start_playhead: float, x: float) -> None:
        self.start_playhead = start_playhead
        self._layout = layout
        self.seconds = start_playhead
        self.move(x, 0.0)

    def move(self, x: float, y: float) -> None:
        frames = round(self._layout.seconds_at(x) * FPS)  # the playhead sits on whole frames
        self.seconds = min(max(frames / FPS, 0.0), float(self._layout.total))

    def cancel(self) -> None:
        super().cancel()
        self.seconds = self.start_playhead
