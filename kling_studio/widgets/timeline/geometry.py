"""Timeline geometry: durations + view -> rects, ruler ticks, hit testing, snapping.

Pure Python (no Qt), so everything a user can click on is unit-tested without a display. All
coordinates are widget pixels as floats; time is in seconds. ``zoom == 1`` shows the whole
storyboard; a larger zoom widens it and ``scroll`` says how many pixels are scrolled off the left.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import NamedTuple

FPS = 24
MARGIN_X = 10.0  # keeps the first/last border and the playhead label off the widget edge
RULER_H = 24.0
BLOCKS_TOP_GAP = 6.0
BOTTOM_MARGIN = 8.0
HANDLE_HALF_PX = 5.0  # half-width of the grab zone around a border
ZOOM_MAX = 24.0
MIN_MAJOR_PX = 56.0  # ruler labels closer than this would overlap

# (major step, minor step) in frames, finest first; the first whose major fits is used.
_TICK_STEPS = ((6, 1), (12, 3), (24, 6), (48, 24), (120, 24), (240, 120))


class Rect(NamedTuple):
    """An axis-aligned rectangle in widget pixels."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px < self.right and self.y <= py < self.bottom


@dataclass(frozen=True, slots=True)
class View:
    """What part of the timeline is visible: widget size, zoom factor and horizontal scroll."""

    width: float
    height: float
    zoom: float = 1.0
    scroll: float = 0.0


class Tick(NamedTuple):
    """A ruler tick; ``major`` ticks carry a label."""

    x: float
    seconds: float
    major: bool
    label: str


class HitKind(Enum):
    EMPTY = "empty"
    RULER = "ruler"
    SHOT = "shot"
    BORDER = "border"  # index = the shot left of the border


@dataclass(frozen=True, slots=True)
class Hit:
    kind: HitKind
    index: int = -1
    seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Layout:
    """Everything the painter and the gestures need to know about where things are."""

    view: View
    durations: tuple[int, ...]
    px_per_second: float
    origin: float  # x of second 0
    ruler: Rect
    blocks: tuple[Rect, ...]
    ticks: tuple[Tick, ...]

    @property
    def total(self) -> int:
        return sum(self.durations)

    @property
    def starts(self) -> tuple[int, ...]:
        """Second at which each shot starts."""
        out, t = [], 0
        for d in self.durations:
            out.append(t)
            t += d
        return tuple(out)

    def x_at(self, seconds: float) -> float:
        return self.origin + seconds * self.px_per_second

    def seconds_at(self, x: float) -> float:
        return (x - self.origin) / self.px_per_second

    def border_seconds(self, border: int) -> int:
        """Second of the border after shot ``border``."""
        return sum(self.durations[: border + 1])

    def border_x(self, border: int) -> float:
        return self.x_at(self.border_seconds(border))

    def border_half_width(self, border: int) -> float:
        """Grab half-width; tiny blocks keep most of their width for reordering."""
        narrow = min(self.blocks[border].w, self.blocks[border + 1].w)
        return max(2.0, min(HANDLE_HALF_PX, narrow / 4))

    def border_zone(self, border: int) -> Rect:
        x, half = self.border_x(border), self.border_half_width(border)
        band = self.blocks[0]
        return Rect(x - half, band.y, 2 * half, band.h)

    def shot_at_x(self, x: float) -> int:
        """Shot index under ``x``, clamped to the first/last shot."""
        for i, block in enumerate(self.blocks):
            if x < block.right:
                return i
        return len(self.blocks) - 1

    def hit(self, x: float, y: float) -> Hit:
        """What is under a point: a border (wins near edges), a shot, the ruler or nothing."""
        seconds = self.seconds_at(x)
        if y < self.ruler.bottom + BLOCKS_TOP_GAP / 2:
            return Hit(HitKind.RULER, -1, seconds)
        band = self.blocks[0]
        if not band.y <= y < band.bottom:
            return Hit(HitKind.EMPTY, -1, seconds)
        best = None
        for b in range(len(self.blocks) - 1):
            dist = abs(x - self.border_x(b))
            if dist <= self.border_half_width(b) and (best is None or dist < best[0]):
                best = (dist, b)
        if best is not None:
            return Hit(HitKind.BORDER, best[1], seconds)
        for i, block in enumerate(self.blocks):
            if block.x <= x < block.right:
                return Hit(HitKind.SHOT, i, seconds)
        return Hit(HitKind.EMPTY, -1, seconds)


def fit_px_per_second(width: float, total: int) -> float:
    return max(1.0, width - 2 * MARGIN_X) / max(1, total)


def clamp_view(view: View, total: int) -> View:
    """Keep zoom within [1, ZOOM_MAX] and the scroll inside the content."""
    zoom = min(max(view.zoom, 1.0), ZOOM_MAX)
    content = fit_px_per_second(view.width, total) * zoom * total
    max_scroll = max(0.0, content - max(1.0, view.width - 2 * MARGIN_X))
    scroll = min(max(view.scroll, 0.0), max_scroll)
    return View(view.width, view.height, zoom, scroll)


def zoom_about(view: View, total: int, factor: float, anchor_x: float) -> View:
    """Zoom by ``factor`` keeping the instant under ``anchor_x`` where it is (Ctrl+wheel)."""
    view = clamp_view(view, total)
    fit = fit_px_per_second(view.width, total)
    seconds = (anchor_x - MARGIN_X + view.scroll) / (fit * view.zoom)
    zoom = clamp_view(View(view.width, view.height, view.zoom * factor), total).zoom
    scroll = MARGIN_X + seconds * fit * zoom - anchor_x
    return clamp_view(View(view.width, view.height, zoom, scroll), total)


def compute_layout(durations: Sequence[int], view: View) -> Layout:
    """Lay out blocks proportional to their durations under a ruler."""
    durs = tuple(int(d) for d in durations)
    total = max(1, sum(durs))
    view = clamp_view(view, total)
    pps = fit_px_per_second(view.width, total) * view.zoom
    origin = MARGIN_X - view.scroll
    ruler = Rect(0.0, 0.0, view.width, RULER_H)
    top = RULER_H + BLOCKS_TOP_GAP
    height = max(8.0, view.height - top - BOTTOM_MARGIN)
    blocks, t = [], 0
    for d in durs:
        blocks.append(Rect(origin + t * pps, top, d * pps, height))
        t += d
    return Layout(view, durs, pps, origin, ruler, tuple(blocks), _ticks(total, pps, origin, view))


def _ticks(total: int, pps: float, origin: float, view: View) -> tuple[Tick, ...]:
    px_per_frame = pps / FPS
    major, minor = _TICK_STEPS[-1]
    for major_f, minor_f in _TICK_STEPS:
        if major_f * px_per_frame >= MIN_MAJOR_PX:
            major, minor = major_f, minor_f
            break
    if minor * px_per_frame < 5:  # minor ticks denser than 5 px are noise
        minor = major
    first = max(0, math.floor(-origin / px_per_frame / minor) * minor)
    last = min(total * FPS, math.floor((view.width - origin) / px_per_frame))
    ticks = []
    for frame in range(first, last + 1, minor):
        is_major = frame % major == 0
        label = ruler_label(frame) if is_major else ""
        ticks.append(Tick(origin + frame * px_per_frame, frame / FPS, is_major, label))
    return tuple(ticks)


def ruler_label(frame: int) -> str:
    """``3s`` on whole seconds, ``3s+12f`` between them (when zoomed in far enough)."""
    seconds, frames = divmod(frame, FPS)
    return f"{seconds}s" if frames == 0 else f"{seconds}s+{frames}f"


def timecode(seconds: float, fps: int = FPS) -> str:
    """``HH:MM:SS:FF`` for a time in seconds (frames rounded to the nearest)."""
    frames = max(0, round(seconds * fps))
    ss, ff = divmod(frames, fps)
    mm, ss = divmod(ss, 60)
    hh, mm = divmod(mm, 60)
    return f"{hh:02d}:{mm:02d}:{ss:02d}:{ff:02d}"


def snap(
    seconds: float,
    candidates: Iterable[int],
    px_per_second: float,
    tolerance_px: float,
    previous: int | None = None,
) -> int:
    """Snap a pointer time to whole seconds, preferring nearby candidates, without jitter.

    Args:
        seconds: where the pointer is, in seconds.
        candidates: whole seconds that attract the pointer (other borders, the start position).
        px_per_second: current scale; the tolerance is in pixels so it feels the same at any zoom.
        tolerance_px: a candidate within this many pixels wins over plain rounding.
        previous: the value returned for the last pointer position of this gesture, if any.

    Returns:
        A whole second. Once a value is returned it is held until the pointer is more than
        ``1.5 × tolerance_px`` away from it, or (for plain rounding) half a tolerance past the
        midpoint to the next second, so a pointer hovering on a threshold does not flicker.
    """
    pps = max(px_per_second, 1e-9)
    if previous is not None:
        hold_px = max(1.5 * tolerance_px, 0.5 * pps + 0.5 * tolerance_px)
        if abs(seconds - previous) * pps <= hold_px:
            return previous
    near = [(abs(seconds - c) * pps, c) for c in candidates]
    near = [n for n in near if n[0] <= tolerance_px]
    if near:
        return min(near)[1]
    return math.floor(seconds + 0.5)  # round half up: Python's round() is banker's rounding


def border_limits(durations: Sequence[int], border: int, min_seconds: int) -> tuple[int, int]:
    """Where the border after shot ``border`` may go (in seconds) without breaking a minimum.

    A shot already shorter than the minimum (the rules flag it) is not made worse but need not
    grow either: its own length is its floor.
    """
    start = sum(durations[:border])
    end = start + durations[border] + durations[border + 1]
    low = start + min(min_seconds, durations[border])
    high = end - min(min_seconds, durations[border + 1])
    return low, high
