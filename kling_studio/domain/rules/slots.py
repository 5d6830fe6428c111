"""Frame and input-slot rules: which inputs the model, endpoint and provider take, and which
inputs exclude each other (``KS4xx``)."""

from __future__ import annotations

from collections.abc import Iterator

from kling_studio.domain.findings import Finding, Fix
from kling_studio.domain.rules import text
from kling_studio.domain.rules.codes import finding
from kling_studio.domain.rules.context import ENDPOINT_WHERE, Ctx
from kling_studio.domain.storyboard import Storyboard

# slot key -> (noun for "takes no …", fix that empties the slot or None)
SLOTS: dict[str, tuple[str, Fix | None]] = {
    "start_frame": (
        "start frame",
        Fix(label="Drop the start frame", action="drop_start_frame"),
    ),
    "end_frame": ("end frame", Fix(label="Drop the end frame", action="drop_end_frame")),
    "static_mask": (
        "static mask",
        Fix(label="Drop the static mask", action="drop_static_mask"),
    ),
    "elements": ("elements", Fix(label="Remove the elements", action="drop_elements")),
    "voices": ("voices", Fix(label="Remove the voices", action="drop_voices")),
    "reference_images": ("reference images", None),
    "reference_video": (
        "reference video",
        Fix(label="Drop the reference video", action="drop_reference_video"),
    ),
}

# slot key -> name of the ProviderProfile flag that may refuse it
_PROVIDER_FLAGS = {
    "elements": "supports_elements",
    "voices": "supports_voices",
    "reference_images": "supports_reference_images",
    "reference_video": "supports_reference_video",
}


def used(sb: Storyboard, key: str) -> bool:
    value = getattr(sb, key)
    return value is not None and value != ()


def check_slots(ctx: Ctx) -> Iterator[Finding]:
    for key in SLOTS:
        if used(ctx.sb, key):
            yield from _slot_taken(ctx, key)
    yield from _end_frame(ctx)
    yield from _start_frame(ctx)
    yield from _static_mask(ctx)
    yield from _elements_and_voices(ctx)
    yield from _base_video(ctx)


def _slot_taken(ctx: Ctx, key: str) -> Iterator[Finding]:
    noun, fix = SLOTS[key]
    param = ctx.param(key)
    if param is None:
        others = ctx.models_taking(key)
        hint = f"; {text.join(others, 'and')} {'does' if len(others) == 1 else 'do'}"
        yield finding("KS401", key, f"{ctx.model} takes no {noun}{hint if others else ''}.", fix)
        return
    a_noun = noun if noun.endswith("s") else f"a {noun}"
    flag = _PROVIDER_FLAGS.get(key)
    if flag is not None and ctx.profile is not None and not getattr(ctx.profile, flag):
        label = ctx.profile.label
        yield finding("KS411", key, f"{label} does not send {a_noun} to {ctx.model}.", fix)
    if param.endpoints and ctx.endpoint not in param.endpoints:
        if key == "elements" and ctx.c.elements_need_start_frame:
            return  # KS406 says the same thing more precisely
        where = text.join([ENDPOINT_WHERE.get(e, e) for e in param.endpoints])
        yield finding("KS402", key, f"{ctx.model} takes {a_noun} only {where}.", fix)


def _end_frame(ctx: Ctx) -> Iterator[Finding]:
    sb = ctx.sb
    if sb.end_frame is None or ctx.param("end_frame") is None:
        return
    drop = SLOTS["end_frame"][1]
    if sb.multi_shot:
        model_ok = ctx.c.end_frame_with_multi_shot
        provider_ok = ctx.profile is None or ctx.profile.supports_end_frame_with_multi_shot
        if not (model_ok and provider_ok):
            who = ctx.model if not model_ok or ctx.profile is None else ctx.profile.label
            yield finding(
                "KS403",
                "end_frame",
                f"Multi-shot excludes the end frame: {who} takes no end frame with several "
                "shots or AI-planned shots.",
                drop,
            )
    if sb.start_frame is None and ctx.c.end_frame_needs_start_frame:
        yield finding(
            "KS404",
            "end_frame",
            f"{ctx.model} takes an end frame only together with a start frame; add a start "
            "frame or drop the end frame.",
            drop,
        )


def _start_frame(ctx: Ctx) -> Iterator[Finding]:
    sb, p = ctx.sb, ctx.profile
    if sb.start_frame is None or not sb.multi_shot or ctx.param("start_frame") is None:
        return
    if not ctx.c.start_frame_with_multi_shot:
        who = ctx.model
    elif p is not None and not p.supports_start_frame_with_multi_shot:
        who = p.label
    else:
        return
    yield finding(
        "KS410",
        "start_frame",
        f"{who} takes no start frame with a multi-shot storyboard: drop the start frame or "
        "merge the shots.",
        SLOTS["start_frame"][1],
    )


def _static_mask(ctx: Ctx) -> Iterator[Finding]:
    sb = ctx.sb
    if sb.static_mask is None or sb.end_frame is None or ctx.param("static_mask") is None:
        return
    yield finding(
        "KS405",
        "static_mask",
        "A static mask and an end frame cannot be used together; drop one of them.",
        SLOTS["static_mask"][1],
    )


def _elements_and_voices(ctx: Ctx) -> Iterator[Finding]:
    sb = ctx.sb
    has_elements = bool(sb.elements) and ctx.param("elements") is not None
    has_voices = bool(sb.voices) and ctx.param("voices") is not None
    if has_elements and sb.start_frame is None and ctx.c.elements_need_start_frame:
        yield finding(
            "KS406",
            "elements",
            f"{ctx.model} takes elements only with a start frame (image-to-video); add a start "
            "frame or remove the elements.",
            SLOTS["elements"][1],
        )
    if has_elements and has_voices and not ctx.c.elements_with_voices:
        message = (
            f"{ctx.model} cannot use elements and voices together; remove one of them "
            "(or bind the voice to the element)."
        )
        # Reported on both fields, each with the fix that empties it.
        yield finding("KS407", "elements", message, SLOTS["elements"][1])
        yield finding("KS407", "voices", message, SLOTS["voices"][1])
    if has_voices and not sb.settings.sound and ctx.param("sound") is not None:
        voices = text.count(len(sb.voices), "voice")
        yield finding(
            "KS408",
            "voices",
            f"Voices need native audio: turn sound on to use {voices}.",
            Fix(label="Turn sound on", action="sound_on"),
        )


def _base_video(ctx: Ctx) -> Iterator[Finding]:
    sb = ctx.sb
    video = sb.reference_video
    if video is None or video.refer_type != "base" or ctx.c.frames_with_base_video:
        return
    if ctx.param("reference_video") is None:
        return
    for key in ("start_frame", "end_frame"):
        if getattr(sb, key) is not None and ctx.param(key) is not None:
            noun, fix = SLOTS[key]
            yield finding(
                "KS409",
                key,
                f"{ctx.model} takes no {noun} when the reference video is the video to edit "
                "(base); drop the frame or use the video as a feature reference.",
                fix,
            )
