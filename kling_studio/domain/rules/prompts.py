"""Prompt rules: lengths, empty prompts, negative prompt, ``<<<…_N>>>`` tags (``KS2xx``).

Which prompt is sent depends on the shape of the storyboard: one shot sends ``shots[0].prompt``
as ``prompt``; several shots send ``multi_prompt`` from the shots; AI-planned shots
(``shot_type`` intelligence) send the storyboard-level ``prompt`` only.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kling_studio.domain.findings import Finding, Fix
from kling_studio.domain.rules import text
from kling_studio.domain.rules.codes import finding
from kling_studio.domain.rules.context import Ctx
from kling_studio.domain.rules.settings import plans_shots
from kling_studio.domain.rules.timing import shot_limit

TAG = re.compile(r"<<<(image|element|voice|video)_(\d+)>>>")

_TAG_NOUNS = {
    "image": ("reference image", "reference images"),
    "element": ("element", "elements"),
    "voice": ("voice", "voices"),
    "video": ("reference video", "reference videos"),
}


def check_prompts(ctx: Ctx) -> Iterator[Finding]:
    if ctx.intelligence:
        yield from _planned(ctx)
    elif len(ctx.sb.shots) == 1:
        yield from _single(ctx)
    elif len(ctx.sb.shots) <= shot_limit(ctx)[0]:
        yield from _shots(ctx)
    yield from _negative(ctx)
    yield from _tags(ctx)


def _single(ctx: Ctx) -> Iterator[Finding]:
    param = ctx.param("prompt")
    if param is None:
        return
    prompt = ctx.sb.shots[0].prompt
    if not prompt.strip() and ctx.endpoint == "image2video":
        yield finding(
            "KS210",
            "shots[0].prompt",
            f"No prompt: {ctx.model} will animate the start frame on its own. Describe the "
            "motion and camera for more control.",
        )
    elif not prompt.strip():
        yield finding(
            "KS203",
            "shots[0].prompt",
            f"The prompt is empty; {ctx.model} needs a prompt to generate the shot.",
        )
    elif param.max_chars is not None and len(prompt) > param.max_chars:
        yield finding(
            "KS201",
            "shots[0].prompt",
            f"The prompt is {len(prompt)} characters; {ctx.model} allows {param.max_chars}.",
            Fix(
                label=f"Cut to {param.max_chars} characters",
                action="truncate_shot_prompt",
                index=0,
                value=param.max_chars,
            ),
        )


def _shots(ctx: Ctx) -> Iterator[Finding]:
    param = ctx.param("multi_prompt")
    if param is None:
        return
    limit, who = ctx.upper(
        param.max_chars, ctx.profile.shot_prompt_max_chars if ctx.profile else None
    )
    for i, s in enumerate(ctx.sb.shots):
        path = f"shots[{i}].prompt"
        if not s.prompt.strip():
            yield finding(
                "KS204",
                path,
                f"{text.shot(i)} has no prompt; every shot of a multi-shot storyboard needs one.",
            )
        elif limit is not None and len(s.prompt) > limit:
            yield finding(
                "KS202",
                path,
                f"{text.shot(i)}'s prompt is {len(s.prompt)} characters; "
                f"{who} allows {limit} per shot.",
                Fix(
                    label=f"Cut to {limit} characters",
                    action="truncate_shot_prompt",
                    index=i,
                    value=limit,
                ),
            )


def _planned(ctx: Ctx) -> Iterator[Finding]:
    if not plans_shots(ctx) or (ctx.profile is not None and not ctx.profile.supports_intelligence):
        return  # KS307/KS308 say shots cannot be planned; prompt rules would only add noise
    prompt = ctx.sb.prompt
    param = ctx.param("prompt")
    if not prompt.strip():
        yield finding(
            "KS205",
            "prompt",
            f"The storyboard prompt is empty; when {ctx.model} plans the shots (AI planned) it "
            "needs a prompt describing the whole video.",
        )
    elif param is not None and param.max_chars is not None and len(prompt) > param.max_chars:
        yield finding(
            "KS201",
            "prompt",
            f"The storyboard prompt is {len(prompt)} characters; "
            f"{ctx.model} allows {param.max_chars}.",
            Fix(
                label=f"Cut to {param.max_chars} characters",
                action="truncate_prompt",
                value=param.max_chars,
            ),
        )
    if any(s.prompt.strip() for s in ctx.sb.shots):
        yield finding(
            "KS209",
            "shots",
            f"{ctx.model} plans the shots itself (AI planned): the shot prompts are not sent, "
            "only the storyboard prompt.",
        )


def _negative(ctx: Ctx) -> Iterator[Finding]:
    negative = ctx.sb.settings.negative_prompt
    if not negative:
        return
    param = ctx.param("negative_prompt")
    if param is None:
        yield finding(
            "KS207",
            "settings.negative_prompt",
            f"{ctx.model} takes no negative prompt; it will not be sent (write what to avoid "
            "in the prompt instead).",
            Fix(label="Clear the negative prompt", action="clear_negative_prompt"),
        )
    elif param.max_chars is not None and len(negative) > param.max_chars:
        yield finding(
            "KS206",
            "settings.negative_prompt",
            f"The negative prompt is {len(negative)} characters; "
            f"{ctx.model} allows {param.max_chars}.",
        )


def _tags(ctx: Ctx) -> Iterator[Finding]:
    sb = ctx.sb
    available = {
        "image": len(sb.reference_images),
        "element": len(sb.elements),
        "voice": len(sb.voices),
        "video": 1 if sb.reference_video is not None else 0,
    }
    yield from _tags_in(sb.prompt, "prompt", "The storyboard prompt", None, available)
    for i, s in enumerate(sb.shots):
        where = f"{text.shot(i)}'s prompt"
        yield from _tags_in(s.prompt, f"shots[{i}].prompt", where, i, available)


def _tags_in(
    prompt: str, path: str, where: str, index: int | None, available: dict[str, int]
) -> Iterator[Finding]:
    if "<<<" not in prompt:
        return  # the common case, without running the regex
    seen: set[str] = set()
    for m in TAG.finditer(prompt):
        tag, kind, n = m.group(0), m.group(1), int(m.group(2))
        have = available[kind]
        if 1 <= n <= have or tag in seen:
            continue
        seen.add(tag)
        why = f"numbering starts at {kind}_1" if n == 0 else _attached(kind, have)
        yield finding(
            "KS208",
            path,
            f"{where} mentions {tag}, but {why}.",
            Fix(label=f"Remove {tag}", action="remove_reference_tag", value=tag, index=index),
        )


def _attached(kind: str, have: int) -> str:
    singular, plural = _TAG_NOUNS[kind]
    if have == 0:
        return f"no {singular} is attached" if kind == "video" else f"no {plural} are attached"
    verb = "is" if have == 1 else "are"
    return f"only {text.count(have, singular, plural)} {verb} attached"
