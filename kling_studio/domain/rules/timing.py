"""Timing rules: shot count, shortest shot, allowed totals (``KS1xx``).

The storyboard invariant already guarantees whole seconds and ``sum(shots) == total``.
"""

from __future__ import annotations

from collections.abc import Iterator

from kling_studio.domain.findings import Finding, Fix
from kling_studio.domain.rules import text
from kling_studio.domain.rules.codes import finding
from kling_studio.domain.rules.context import Ctx
from kling_studio.domain.storyboard import MAX_TOTAL, MIN_TOTAL


def shot_limit(ctx: Ctx) -> tuple[int, str]:
    """Most shots a storyboard may have, and who sets that limit."""
    if ctx.param("multi_shot") is None:
        return 1, ctx.model
    limit = ctx.c.max_shots
    multi_prompt = ctx.param("multi_prompt")
    if multi_prompt is not None and multi_prompt.max_items is not None:
        limit = min(limit, multi_prompt.max_items)
    upper, who = ctx.upper(limit, ctx.profile.max_shots if ctx.profile else None)
    return (upper if upper is not None else limit), who


def shot_minimum(ctx: Ctx) -> tuple[int, str]:
    """Shortest shot of a multi-shot storyboard, and who sets that limit."""
    return ctx.lower(ctx.c.min_shot_seconds, ctx.profile.min_shot_seconds if ctx.profile else None)


def check_timing(ctx: Ctx) -> Iterator[Finding]:
    yield from _shot_count(ctx)
    yield from _shot_lengths(ctx)
    yield from _total(ctx)


def _shot_count(ctx: Ctx) -> Iterator[Finding]:
    if ctx.intelligence:
        return  # the model plans the shots; ours are not sent
    n = len(ctx.sb.shots)
    limit, who = shot_limit(ctx)
    if n <= limit:
        return
    if limit == 1:
        alternative = _multi_shot_model(ctx, n)
        switch = f" or switch to {alternative}" if alternative else ""
        yield finding(
            "KS101",
            "shots",
            f"{ctx.model} takes a single shot; merge the {n} shots{switch}.",
            Fix(label="Merge into one shot", action="merge_shots"),
        )
        return
    yield finding("KS101", "shots", f"The storyboard has {n} shots; {who} takes at most {limit}.")


def _multi_shot_model(ctx: Ctx, n: int) -> str | None:
    for m in ctx.catalog.storyboard_models():
        if m.param("multi_shot") is None or m.constraints.max_shots < n:
            continue
        if ctx.profile is None or ctx.profile.offers(m.vendor_id):
            return m.name
    return None


def _shot_lengths(ctx: Ctx) -> Iterator[Finding]:
    n = len(ctx.sb.shots)
    if not ctx.multi_customize or n > shot_limit(ctx)[0]:
        return
    minimum, who = shot_minimum(ctx)
    total = ctx.sb.total
    fits = total >= n * minimum
    for i, s in enumerate(ctx.sb.shots):
        if s.duration >= minimum:
            continue
        message = f"{text.shot(i)} is {s.duration} s; {who} needs at least {minimum} s per shot."
        fix = None
        if fits:
            fix = Fix(label="Distribute the time evenly", action="distribute_evenly", value=minimum)
        else:
            most = total // minimum
            message += (
                f" {total} s holds at most {text.count(most, 'shot')} of {minimum} s: "
                "remove shots or lengthen the total."
            )
        yield finding("KS102", f"shots[{i}].duration", message, fix)


def _total(ctx: Ctx) -> Iterator[Finding]:
    # Each source of allowed totals: (code, totals, who allows them); the first one the total
    # breaks is reported, with a fix that satisfies every source at once.
    sb, c, p = ctx.sb, ctx.c, ctx.profile
    sources: list[tuple[str, tuple[int, ...], str]] = []
    if ctx.entry.durations:
        sources.append(("KS103", ctx.entry.durations, ctx.model))
    if sb.reference_video is not None and ctx.param("reference_video") is not None:
        if c.durations_with_reference_video:
            who = f"with a reference video {ctx.model}"
            sources.append(("KS104", c.durations_with_reference_video, who))
    elif not (sb.reference_images or sb.elements) and c.durations_without_references:
        who = f"without reference images, elements or a reference video {ctx.model}"
        sources.append(("KS105", c.durations_without_references, who))
    if p is not None and (p.total_min is not None or p.total_max is not None):
        values = tuple(range(p.total_min or MIN_TOTAL, (p.total_max or MAX_TOTAL) + 1))
        sources.append(("KS106", values, p.label))
    for code, values, who in sources:
        if sb.total not in values:
            allowed = set(range(MIN_TOTAL, MAX_TOTAL + 1))
            for _, more, _ in sources:
                allowed &= set(more)
            message = f"The total is {sb.total} s; {who} allows {text.seconds(values)}."
            yield finding(code, "total", message, _total_fix(ctx, allowed))
            return


def _total_fix(ctx: Ctx, allowed: set[int]) -> Fix | None:
    # Every shot keeps at least 1 s; multi-shot prompts prefer totals that keep every shot at
    # the shortest allowed length.
    n = len(ctx.sb.shots)
    floor = n * shot_minimum(ctx)[0] if ctx.multi_customize else n
    candidates = {d for d in allowed if d >= floor} or {d for d in allowed if d >= n}
    if not candidates:
        return None
    best = min(candidates, key=lambda d: (abs(d - ctx.sb.total), d))
    return Fix(label=f"Set total to {best} s", action="set_total", value=best)
