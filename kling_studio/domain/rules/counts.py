"""Count rules: elements, voices, reference images and the shared reference pool (``KS5xx``).

Omni models count reference images, elements and frames against one pool (7, or 4 with a
reference video); a provider may shrink the pool (Freepik: 4).
"""

from __future__ import annotations

from collections.abc import Iterator

from kling_studio.domain.findings import Finding, Fix
from kling_studio.domain.rules import text
from kling_studio.domain.rules.codes import finding
from kling_studio.domain.rules.context import Ctx

# list key -> (code, singular noun)
_LISTS = {
    "elements": ("KS501", "element"),
    "voices": ("KS502", "voice"),
    "reference_images": ("KS503", "reference image"),
}


def check_counts(ctx: Ctx) -> Iterator[Finding]:
    pool = list(_pool(ctx))
    for key in _LISTS:
        if key == "reference_images" and pool:
            continue  # the pool finding names the stricter limit for the same list
        yield from _list_limit(ctx, key)
    yield from pool


def _drop_last(key: str, n: int) -> Fix | None:
    if key == "reference_images":
        return Fix(label=f"Remove image {n}", action="drop_reference_image", index=n - 1)
    if key == "elements":
        return Fix(label=f"Remove element {n}", action="drop_element", index=n - 1)
    return None


def _list_limit(ctx: Ctx, key: str) -> Iterator[Finding]:
    param = ctx.param(key)
    items: tuple[object, ...] = getattr(ctx.sb, key)
    n = len(items)
    if param is None or param.max_items is None or n <= param.max_items:
        return
    code, noun = _LISTS[key]
    yield finding(
        code,
        key,
        f"{text.count(n, noun)} {'is' if n == 1 else 'are'} attached; "
        f"{ctx.model} takes at most {param.max_items}.",
        _drop_last(key, n),
    )


def _pool(ctx: Ctx) -> Iterator[Finding]:
    if ctx.param("reference_images") is None:
        return  # only models with reference images share a pool
    sb, c, p = ctx.sb, ctx.c, ctx.profile
    images = len(sb.reference_images)
    elements = len(sb.elements) if ctx.param("elements") is not None else 0
    frames = sum(
        1
        for key in ("start_frame", "end_frame")
        if getattr(sb, key) is not None and ctx.param(key) is not None
    )
    used = images + elements + frames
    limit, who = ctx.upper(c.max_refs_total, p.max_reference_images if p else None)
    code, suffix = "KS504", ""
    if sb.reference_video is not None and ctx.param("reference_video") is not None:
        video_limit, video_who = ctx.upper(
            c.max_refs_with_video, p.max_refs_with_video if p else None
        )
        if video_limit is not None and (limit is None or video_limit < limit):
            limit, who, code, suffix = video_limit, video_who, "KS505", " with a reference video"
    if limit is None or used <= limit:
        return
    parts = [
        text.count(images, "reference image"),
        text.count(elements, "element"),
        text.count(frames, "frame"),
    ]
    breakdown = text.join([part for part in parts if not part.startswith("0 ")], "and")
    # Reported on the list the fix shortens: images first, then elements, else the frames.
    if images:
        path, fix = "reference_images", _drop_last("reference_images", images)
    elif elements:
        path, fix = "elements", _drop_last("elements", elements)
    else:
        path, fix = "start_frame" if sb.start_frame is not None else "end_frame", None
    yield finding(
        code,
        path,
        f"{used} references ({breakdown}); {who} takes at most {limit}{suffix}, counting "
        "reference images, elements and frames together.",
        fix,
    )
