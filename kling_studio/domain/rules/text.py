"""Wording helpers, so every message names values and limits the same way."""

from __future__ import annotations

from collections.abc import Sequence

_MB = 1024 * 1024


def join(items: Sequence[str], last: str = "or") -> str:
    """``a, b or c``."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``1 shot``, ``3 shots``."""
    return f"{n} {singular if n == 1 else (plural or singular + 's')}"


def seconds(values: Sequence[int]) -> str:
    """Allowed whole-second values, with runs collapsed: ``3–15 s``, ``5 or 10 s``."""
    runs: list[str] = []
    ordered = sorted(set(values))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        runs.append(f"{ordered[i]}–{ordered[j]}" if j - i >= 2 else str(ordered[i]))
        if j - i == 1:
            runs.append(str(ordered[j]))
        i = j + 1
    return f"{join(runs)} s"


def number(x: float) -> str:
    """``2.5``, ``10``, ``23.98`` (no trailing zeros)."""
    return f"{x:.2f}".rstrip("0").rstrip(".")


def megabytes(n: int) -> str:
    return f"{number(n / _MB)} MB"


def ratio(width: int, height: int) -> str:
    """Picture shape as ``3:1`` or ``1:2.7``."""
    r = width / height
    return f"{number(r)}:1" if r >= 1 else f"1:{number(1 / r)}"


def ratio_range(lo: float | None, hi: float | None) -> str:
    """``1:2.5 to 2.5:1`` for width/height bounds 0.4 and 2.5."""
    low = f"1:{number(1 / lo)}" if lo and lo < 1 else f"{number(lo or 0)}:1"
    high = f"{number(hi)}:1" if hi else "any"
    return f"{low} to {high}"


def shot(index: int) -> str:
    """``Shot 3`` for index 2."""
    return f"Shot {index + 1}"


def slot(path: str) -> str:
    """The user's name for a slot path: ``Start frame``, ``Reference image 3``."""
    if path.startswith("reference_images["):
        return f"Reference image {int(path[17:-1]) + 1}"
    return _SLOT_NAMES.get(path, path)


_SLOT_NAMES = {
    "start_frame": "Start frame",
    "end_frame": "End frame",
    "static_mask": "Static mask",
    "reference_video": "Reference video",
    "reference_images": "Reference images",
    "elements": "Elements",
    "voices": "Voices",
}
