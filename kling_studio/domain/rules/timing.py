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
            fix = Fix(label="Distribute the time evenly", action="distribute_evenly")
        else:
            most = total // minimum
            message += (
                f" {total} s holds at most {text.count(most, 'shot')} of {minimum} s: "
                "remove shots or lengthen the total."
            )
        yield finding("KS102", f"shots[{i}].duration", message, fix)


def _total(ctx: Ctx) -> Iterator[Finding]:
    sb, c = ctx.sb, ctx.c
    total = sb.total
    sources: list[tuple[str, tuple[int, ...], str]] = []
    grid = ctx.entry.durations
    if grid:
        sources.append(("KS103", grid, f"{ctx.model} allows {text.seconds(grid)}"))
    if sb.reference_video is not None and ctx.param("reference_video") is not None:
        if c.durations_with_reference_video:
            values = c.durations_with_reference_video
            sources.append(
                ("KS104", values, f"with a reference video {ctx.model} allows {text.seconds(values)}")
            )
    elif not (sb.reference_images or sb.elements) and c.durations_without_references:
        values = c.durations_without_references
        sources.append(
            (
                "KS105",
                values,
                f"without reference images, elements or a reference video {ctx.model} allows "
                f"{text.seconds(values)}",
            )
        )
    p = ctx.profile
    if p is not None and (p.total_min is not None or p.total_max is not None):
        values = tuple(range(p.total_min or MIN_TOTAL, (p.total_max or MAX_TOTAL) + 1))
        sources.append(("KS106", values, f"{p.label} allows {text.seconds(values)}"))
    allowed = set(range(MIN_TOTAL, MAX_TOTAL + 1))
    for _, values, _ in sources:
        allowed &= set(values)
    for code, values, limit in sources:
        if total not in values:
            yield finding(code, "total", f"The total is {total} s; {limit}.", _total_fix(ctx, allowed))
            return


def _total_fix(ctx: Ctx, allowed: set[int]) -> Fix | None:
    candidates = allowed
    if ctx.multi_customize:
        # Prefer totals the current shots still fit into at the shortest allowed shot length.
        floor = len(ctx.sb.shots) * shot_minimum(ctx)[0]
        candidates = {d for d in allowed if d >= floor} or allowed
    if not candidates:
        return None
    best = min(candidates, key=lambda d: (abs(d - ctx.sb.total), d))
    return Fix(label=f"Set total to {best} s", action="set_total", value=best)
