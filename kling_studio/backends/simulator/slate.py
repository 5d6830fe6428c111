"""Shot slates for the simulator's renderer: drawn once with Pillow, then patched per frame.

A slate is a full frame in ``yuv420p`` (a ``(h * 3 // 2, w)`` uint8 array, the layout
``av.VideoFrame.from_ndarray`` takes). Everything that changes from frame to frame (the two
timecodes and the progress bar) sits inside a neutral grey box, so its chroma is constant and a
frame is updated by writing only luma (Y) slices: no per-frame colour conversion, no Pillow call.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import av
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont
Luma = npt.NDArray[np.uint8]

# Dark, saturated and far apart in hue, so consecutive shots never look alike.
PALETTE: tuple[tuple[int, int, int], ...] = (
    (32, 70, 150),
    (150, 44, 44),
    (34, 120, 64),
    (150, 100, 20),
    (104, 46, 140),
    (18, 112, 122),
)
BOX_GREY = 22
TRACK_GREY = 70
TIMECODE_CHARS = "0123456789:"


@dataclass(frozen=True)
class Region:
    """A rectangle of the frame, in pixels."""

    x: int
    y: int
    w: int
    h: int


@dataclass(frozen=True)
class Layout:
    """Where the moving parts of a slate live (identical for every shot of a video)."""

    shot_tc: Region
    total_tc: Region
    bar: Region
    cell_w: int
    glyphs: dict[str, Luma]
    track_y: int
    fill_y: int


def shot_colour(index: int) -> tuple[int, int, int]:
    return PALETTE[index % len(PALETTE)]


@lru_cache(maxsize=32)
def _font(size: int, *, bold: bool = False, mono: bool = False) -> Font:
    first = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    names = ["DejaVuSansMono-Bold.ttf" if mono else first]
    names += ["DejaVuSans.ttf", "Arial.ttf", "arial.ttf", "LiberationSans-Regular.ttf"]
    for name in names:
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    # Pillow's bundled font: always present, so the simulator runs on any machine.
    return ImageFont.load_default(size=size)


def _luma(grey: float) -> int:
    """BT.601 limited-range luma of a neutral grey (what swscale produces for R=G=B)."""
    return round(16 + 219 * grey / 255)


def timecode(frame: int, fps: int) -> str:
    """``HH:MM:SS:FF`` for a frame number."""
    seconds, ff = divmod(frame, fps)
    minutes, ss = divmod(seconds, 60)
    hh, mm = divmod(minutes, 60)
    return f"{hh:02d}:{mm:02d}:{ss:02d}:{ff:02d}"


def make_layout(width: int, height: int) -> Layout:
    """Place the timecodes and the progress bar, and pre-render the timecode glyphs as luma."""
    unit = min(width, height)
    box_h = max(16, int(unit * 0.17))
    box_y = height - box_h
    margin = max(2, unit // 30)
    tc_size = max(6, int(box_h * 0.22))
    font = _font(tc_size, mono=True)
    cell_w = max(int(font.getlength(c)) for c in TIMECODE_CHARS) + 1
    cell_h = tc_size + max(2, tc_size // 4)
    label_w = int(font.getlength("TOTAL ")) + 1
    tc_x = margin + label_w
    tc_w = cell_w * 11
    bar_h = max(2, box_h // 8)
    bar = Region(margin, height - max(1, margin // 2) - bar_h, width - 2 * margin, bar_h)
    shot_tc = Region(tc_x, box_y + margin // 2, tc_w, cell_h)
    total_tc = Region(tc_x, shot_tc.y + cell_h, tc_w, cell_h)
    bg, fg = _luma(BOX_GREY), _luma(240)
    glyphs: dict[str, Luma] = {}
    for ch in TIMECODE_CHARS:
        tile = Image.new("L", (cell_w, cell_h), 0)
        ImageDraw.Draw(tile).text((0, 0), ch, fill=255, font=font)
        alpha = np.asarray(tile, dtype=np.float32) / 255.0
        glyphs[ch] = np.round(bg + (fg - bg) * alpha).astype(np.uint8)
    return Layout(shot_tc, total_tc, bar, cell_w, glyphs, _luma(TRACK_GREY), fg)


def _split_word(word: str, font: Font, width: int) -> list[str]:
    """Cut a word wider than ``width`` into pieces that fit (long URLs, unspaced scripts)."""
    pieces: list[str] = []
    while word:
        n = len(word)
        while n > 1 and font.getlength(word[:n]) > width:
            n -= 1
        pieces.append(word[:n])
        word = word[n:]
    return pieces


def _wrap(text: str, font: Font, width: int, max_lines: int) -> list[str]:
    """Greedy word wrap measured in pixels; an overflowing last line ends with an ellipsis."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in _split_word(word, font, width):
            candidate = f"{line} {piece}" if line else piece
            if font.getlength(candidate) <= width:
                line = candidate
            else:
                lines.append(line)
                line = piece
        if len(lines) > max_lines:
            break
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and font.getlength(last + " …") > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + " …"
    return lines


@dataclass(frozen=True)
class SlateText:
    """What a slate says besides its timecodes."""

    index: int
    count: int
    prompt: str
    seconds: int
    caption: str
    watermark: str | None = None


def draw_slate(width: int, height: int, text: SlateText, layout: Layout) -> Luma:
    """Draw one shot's static slate and return it as a ``yuv420p`` array."""
    img = Image.new("RGB", (width, height), shot_colour(text.index))
    draw = ImageDraw.Draw(img)
    unit = min(width, height)
    margin = max(2, unit // 30)
    title = _font(max(8, int(unit * 0.11)), bold=True)
    small = _font(max(6, int(unit * 0.032)))
    body = _font(max(6, int(unit * 0.045)))
    grey = (225, 225, 225)
    draw.text((margin, margin), "KLING STUDIO · OFFLINE SIMULATOR", fill=grey, font=small)
    y = margin + int(unit * 0.045)
    draw.text((margin, y), f"SHOT {text.index + 1} / {text.count}", fill="white", font=title)
    y += int(unit * 0.13)
    draw.text((margin, y), f"{text.seconds} s  ·  {text.caption}", fill=grey, font=small)
    box_y = layout.shot_tc.y - margin // 2
    line_h = int(unit * 0.058) + 1
    top = y + int(unit * 0.07)
    max_lines = max(1, (box_y - margin - top) // line_h)
    prompt = text.prompt.strip() or "(no prompt)"
    for i, line in enumerate(_wrap(prompt, body, width - 2 * margin, max_lines)):
        draw.text((margin, top + i * line_h), line, fill="white", font=body)
    if text.watermark:
        mark = _font(max(8, int(unit * 0.08)), bold=True)
        w = int(mark.getlength(text.watermark))
        draw.text(((width - w) // 2, height // 2), text.watermark, fill=(255, 255, 255), font=mark)
    draw.rectangle((0, box_y, width, height), fill=(BOX_GREY,) * 3)
    tc_font = _font(max(6, int((height - box_y) * 0.22)), mono=True)
    grey = (160, 160, 160)
    draw.text((margin, layout.shot_tc.y), "SHOT", fill=grey, font=tc_font)
    draw.text((margin, layout.total_tc.y), "TOTAL", fill=grey, font=tc_font)
    rgb = av.VideoFrame.from_ndarray(np.asarray(img), format="rgb24")
    frame = rgb.reformat(format="yuv420p")
    return np.ascontiguousarray(frame.to_ndarray())


def stamp(yuv: Luma, layout: Layout, shot_tc: str, total_tc: str, progress: float) -> None:
    """Write the moving parts of one frame into the slate's luma plane, in place."""
    for region, code in ((layout.shot_tc, shot_tc), (layout.total_tc, total_tc)):
        x = region.x
        for ch in code:
            yuv[region.y : region.y + region.h, x : x + layout.cell_w] = layout.glyphs[ch]
            x += layout.cell_w
    bar = layout.bar
    fill = round(bar.w * min(1.0, max(0.0, progress)))
    yuv[bar.y : bar.y + bar.h, bar.x : bar.x + fill] = layout.fill_y
    yuv[bar.y : bar.y + bar.h, bar.x + fill : bar.x + bar.w] = layout.track_y
