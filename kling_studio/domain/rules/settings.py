"""Settings rules: aspect ratio, mode, sound, CFG scale, shot type (``KS3xx``), and the settings
a reference video forbids (``KS601``, ``KS602``)."""

from __future__ import annotations

from collections.abc import Iterator

from kling_studio.domain.findings import Finding, Fix
from kling_studio.domain.rules import text
from kling_studio.domain.rules.codes import finding
from kling_studio.domain.rules.context import Ctx

_4K = "4k"  # the mode value the 4K constraints of the catalog are about


def plans_shots(ctx: Ctx) -> bool:
    """Whether the model can plan the shots itself (multi-shot with shot_type intelligence)."""
    return ctx.param("multi_shot") is not None and "intelligence" in ctx.entry.enum("shot_type")


def mode_label(ctx: Ctx, value: str) -> str:
    """``Pro (1080p)`` for ``pro``, from whichever catalog entry names that mode."""
    param = ctx.param("mode")
    if param is not None and value in param.enum_values:
        return param.label_for(value)
    for m in ctx.catalog.storyboard_models():
        p = m.param("mode")
        if p is not None and value in p.enum_values:
            return p.label_for(value)
    return value


def mode_fix(ctx: Ctx, among: tuple[str, ...] | None = None, exclude: str = "") -> Fix | None:
    """Switch to the highest mode both model and provider offer (within ``among``)."""
    choices = [m for m in ctx.allowed_modes() if m != exclude and (among is None or m in among)]
    if not choices:
        return None
    best = choices[-1]  # catalog enums list modes from lowest to highest quality
    return Fix(
        label=f"Switch to {mode_label(ctx, best).split(' (')[0]}", action="set_mode", value=best
    )


def check_settings(ctx: Ctx) -> Iterator[Finding]:
    yield from _aspect_ratio(ctx)
    yield from _mode(ctx)
    yield from _sound(ctx)
    yield from _cfg_scale(ctx)
    yield from _shot_type(ctx)
    yield from _reference_video(ctx)


def _aspect_ratio(ctx: Ctx) -> Iterator[Finding]:
    if not ctx.takes("aspect_ratio"):
        return  # not sent on this endpoint: the output follows the start frame
    allowed = ctx.entry.enum("aspect_ratio")
    value = ctx.sb.settings.aspect_ratio
    if not allowed or value in allowed:
        return
    param = ctx.param("aspect_ratio")
    target = param.default if param is not None and param.default in allowed else allowed[0]
    yield finding(
        "KS301",
        "settings.aspect_ratio",
        f"Aspect ratio {value} is not offered by {ctx.model}; choose {text.join(allowed)}.",
        Fix(label=f"Use {target}", action="set_aspect_ratio", value=str(target)),
    )


def _mode(ctx: Ctx) -> Iterator[Finding]:
    model_modes = ctx.entry.enum("mode")
    mode = ctx.sb.settings.mode
    if not model_modes:
        return
    labels = [mode_label(ctx, m) for m in model_modes]
    if mode not in model_modes:
        yield finding(
            "KS302",
            "settings.mode",
            f"{ctx.model} has no {mode_label(ctx, mode)} mode; it offers {text.join(labels)}.",
            mode_fix(ctx),
        )
    elif mode not in ctx.allowed_modes() and ctx.profile is not None:
        offered = [mode_label(ctx, m) for m in ctx.allowed_modes()]
        yield finding(
            "KS303",
            "settings.mode",
            f"{ctx.profile.label} does not offer {mode_label(ctx, mode)} for {ctx.model}; "
            f"it offers {text.join(offered) or 'no mode of this model'}.",
            mode_fix(ctx),
        )


def _sound(ctx: Ctx) -> Iterator[Finding]:
    if not ctx.sb.settings.sound:
        return
    off = Fix(label="Turn sound off", action="sound_off")
    if ctx.param("sound") is None:
        yield finding(
            "KS304", "settings.sound", f"{ctx.model} makes no native audio; turn sound off.", off
        )
        return
    modes = ctx.c.sound_modes
    mode = ctx.sb.settings.mode
    if not modes or mode not in ctx.entry.enum("mode") or mode in modes:
        return
    names = text.join([mode_label(ctx, m) for m in modes])
    message = (
        f"{ctx.model} makes sound only in {names} mode, not in {mode_label(ctx, mode)}; "
        "switch mode or turn sound off."
    )
    # The conflict is reported on both fields, each with the fix that changes that field.
    yield finding("KS305", "settings.sound", message, off)
    switch = mode_fix(ctx, among=modes)
    if switch is not None:
        yield finding("KS305", "settings.mode", message, switch)


def _cfg_scale(ctx: Ctx) -> Iterator[Finding]:
    cfg = ctx.sb.settings.cfg_scale
    if cfg is None or ctx.param("cfg_scale") is not None:
        return
    yield finding(
        "KS306",
        "settings.cfg_scale",
        f"{ctx.model} takes no CFG scale; the value {text.number(cfg)} will not be sent.",
        Fix(label="Clear the CFG scale", action="clear_cfg_scale"),
    )


def _shot_type(ctx: Ctx) -> Iterator[Finding]:
    if not ctx.intelligence:
        return
    customize = Fix(label="Write the shots yourself", action="set_shot_type", value="customize")
    if not plans_shots(ctx):
        yield finding(
            "KS307",
            "settings.shot_type",
            f"{ctx.model} cannot plan the shots itself (AI planned); write the shots yourself "
            "(Customize).",
            customize,
        )
    elif ctx.profile is not None and not ctx.profile.supports_intelligence:
        yield finding(
            "KS308",
            "settings.shot_type",
            f"{ctx.profile.label} cannot let {ctx.model} plan the shots (AI planned); write "
            "the shots yourself (Customize).",
            customize,
        )


def _reference_video(ctx: Ctx) -> Iterator[Finding]:
    if ctx.sb.reference_video is None or ctx.param("reference_video") is None:
        return
    settings = ctx.sb.settings
    if settings.sound and ctx.param("sound") is not None and not ctx.c.sound_with_reference_video:
        yield finding(
            "KS601",
            "settings.sound",
            f"{ctx.model} makes no sound when a reference video is attached; turn sound off.",
            Fix(label="Turn sound off", action="sound_off"),
        )
    if (
        settings.mode == _4K
        and _4K in ctx.entry.enum("mode")
        and not ctx.c.mode_4k_with_reference_video
    ):
        yield finding(
            "KS602",
            "settings.mode",
            f"{ctx.model} does not render {mode_label(ctx, _4K)} with a reference video; "
            "switch mode or drop the video.",
            mode_fix(ctx, exclude=_4K),
        )
