"""The live validation rules: what a model and a provider will refuse in a storyboard.

:func:`check` is a pure function of the storyboard, the catalog and the provider profiles, cheap
enough to run on every keystroke. Every limit is read from the catalog (the model's parameters,
enums, ``max_items``, ``max_chars``, ``media`` limits and ``constraints``) and from the provider
profile, which can only make a limit stricter. Each finding carries a stable code (see
:data:`RULE_CODES`), the path of the field it is about and, where one is natural, a one-click
:class:`~kling_studio.domain.findings.Fix`.

A conflict between two fields (elements with voices, sound in a mode without sound) is reported
on each field, each with the fix that changes that field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.endpoints import endpoint_for
from kling_studio.domain.findings import Finding
from kling_studio.domain.providers import ProviderProfile, ProviderProfiles
from kling_studio.domain.rules import text
from kling_studio.domain.rules.codes import CODES, RULE_CODES, RuleCode, finding
from kling_studio.domain.rules.context import Ctx, build, storyboard_entry
from kling_studio.domain.rules.counts import check_counts
from kling_studio.domain.rules.media import check_media
from kling_studio.domain.rules.prompts import check_prompts
from kling_studio.domain.rules.settings import check_settings
from kling_studio.domain.rules.slots import check_slots
from kling_studio.domain.rules.timing import check_timing
from kling_studio.domain.storyboard import Storyboard

__all__ = ["CODES", "RULE_CODES", "RuleCode", "check", "endpoint_for"]

_RULES: tuple[Callable[[Ctx], Iterable[Finding]], ...] = (
    check_timing,
    check_prompts,
    check_settings,
    check_slots,
    check_counts,
    check_media,
)

_INDEX = re.compile(r"\[(\d{1,3})\]")  # list indexes, not the 12-hex-digit asset keys


def check(
    storyboard: Storyboard,
    catalog: Catalog,
    provider: ProviderProfile | ProviderProfiles | None = None,
) -> tuple[Finding, ...]:
    """Everything the target model and provider would refuse or ignore in ``storyboard``.

    Args:
        storyboard: the storyboard to check.
        catalog: the model catalog; ``settings.model`` must name one of its storyboard models.
        provider: the provider profiles (``settings.provider`` is looked up in them, an unknown
            name is a finding), one already chosen profile, or None to check against the model
            alone.

    Returns:
        The findings, ordered by path then code (deterministic for equal inputs).
    """
    findings: list[Finding] = []
    profile = _profile(storyboard, provider, findings)
    entry = storyboard_entry(catalog, storyboard.settings.model)
    if entry is None:
        findings.append(_unknown_model(storyboard, catalog))
        return _ordered(findings)
    if profile is not None and not profile.offers(entry.vendor_id):
        findings.append(_not_offered(catalog, entry.name, profile))
    ctx = build(storyboard, catalog, entry, profile)
    for rule in _RULES:
        findings.extend(rule(ctx))
    return _ordered(findings)


def _profile(
    sb: Storyboard, provider: ProviderProfile | ProviderProfiles | None, out: list[Finding]
) -> ProviderProfile | None:
    if provider is None or isinstance(provider, ProviderProfile):
        return provider
    name = sb.settings.provider
    if name in provider:
        return provider.get(name)
    out.append(
        finding(
            "KS002",
            "settings.provider",
            f"Unknown provider “{name}”. Known providers: {', '.join(provider.names())}.",
        )
    )
    return None


def _unknown_model(sb: Storyboard, catalog: Catalog) -> Finding:
    known = [f"{m.vendor_id} ({m.name})" for m in catalog.storyboard_models()]
    return finding(
        "KS001",
        "settings.model",
        f"Unknown model “{sb.settings.model}”. Known models: {', '.join(known)}.",
    )


def _not_offered(catalog: Catalog, model: str, profile: ProviderProfile) -> Finding:
    names = [m.name for m in catalog.storyboard_models() if profile.offers(m.vendor_id)]
    return finding(
        "KS003",
        "settings.model",
        f"{profile.label} does not offer {model}; it offers {text.join(names, 'and') or 'none'}.",
    )


def _path_key(path: str) -> tuple[str | int, ...]:
    # Split "shots[10].prompt" into ("shots[", 10, "].prompt") so index 10 sorts after index 2.
    parts: list[str | int] = []
    for i, piece in enumerate(_INDEX.split(path)):
        parts.append(int(piece) if i % 2 else piece)
    return tuple(parts)


def _ordered(findings: list[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=lambda f: (_path_key(f.path), f.code)))
