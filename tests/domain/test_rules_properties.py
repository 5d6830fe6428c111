"""Properties of check() over random storyboards: it never raises, its findings name real
fields and offer well-formed fixes, and a provider never hides a model error."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kling_studio.domain.edits import EditError
from kling_studio.domain.findings import Finding, Fix, has_errors
from kling_studio.domain.fixes import apply_fix
from kling_studio.domain.rules import CODES, check
from kling_studio.domain.storyboard import Settings, Storyboard
from tests.domain.strategies import CATALOG, PROVIDERS, storyboards

_FIELDS = {"total", "prompt", "shots"}
_SLOTS = {"start_frame", "end_frame", "static_mask", "elements", "voices", "reference_images"}
_SHOT_FIELD = re.compile(r"shots\[(\d+)\]\.(prompt|duration)")
_ITEM = re.compile(r"(reference_images|elements|voices)\[(\d+)\]")
_ASSET = re.compile(r"assets\[([0-9a-f]{12})\]")
_SETTING = re.compile(r"settings\.(\w+)")
_INDEX = re.compile(r"\[(\d{1,3})\]")

_DROPS = {
    "drop_start_frame": "start_frame",
    "drop_end_frame": "end_frame",
    "drop_static_mask": "static_mask",
    "drop_reference_video": "reference_video",
    "drop_elements": "elements",
    "drop_voices": "voices",
}

_PROFILES = st.sampled_from((None, PROVIDERS, *PROVIDERS.profiles))
_FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def real_path(sb: Storyboard, path: str) -> bool:
    """Whether ``path`` names a field of ``sb`` that exists (and, for slots, is in use)."""
    if path in _FIELDS:
        return True
    if path in _SLOTS:
        return bool(getattr(sb, path))
    if path == "reference_video":
        return sb.reference_video is not None
    if m := _SETTING.fullmatch(path):
        return m.group(1) in Settings.model_fields
    if m := _SHOT_FIELD.fullmatch(path):
        return int(m.group(1)) < len(sb.shots)
    if m := _ITEM.fullmatch(path):
        return int(m.group(2)) < len(getattr(sb, m.group(1)))
    if m := _ASSET.fullmatch(path):
        return any(a.hash.startswith(m.group(1)) for a in sb.assets)
    return False


def fix_applies(sb: Storyboard, f: Finding, fix: Fix) -> bool:
    """Whether the fix's arguments point at something that exists in ``sb``."""
    action = fix.action
    if action in _DROPS:
        return bool(getattr(sb, _DROPS[action]))
    if action == "drop_reference_image":
        return fix.index is not None and 0 <= fix.index < len(sb.reference_images)
    if action == "drop_element":
        return fix.index is not None and 0 <= fix.index < len(sb.elements)
    if action == "truncate_shot_prompt":
        ok = fix.index is not None and 0 <= fix.index < len(sb.shots)
        return (
            ok and isinstance(fix.value, int) and len(sb.shots[fix.index or 0].prompt) > fix.value
        )
    if action == "truncate_prompt":
        return isinstance(fix.value, int) and len(sb.prompt) > fix.value
    if action == "set_total":
        return isinstance(fix.value, int) and 1 <= fix.value <= 15 and fix.value != sb.total
    if action in ("set_mode", "set_aspect_ratio", "set_shot_type"):
        return isinstance(fix.value, str)
    if action == "remove_reference_tag":
        prompt = sb.prompt if f.path == "prompt" else sb.shots[fix.index or 0].prompt
        return isinstance(fix.value, str) and fix.value in prompt
    return action in {
        "sound_on",
        "sound_off",
        "clear_cfg_scale",
        "clear_negative_prompt",
        "distribute_evenly",
        "merge_shots",
    }


@_FAST
@given(storyboards(), _PROFILES)
def test_check_never_raises_and_names_real_fields(sb: Storyboard, provider: object) -> None:
    findings = check(sb, CATALOG, provider)  # type: ignore[arg-type]
    assert isinstance(findings, tuple)
    for f in findings:
        assert isinstance(f, Finding)
        assert f.code in CODES
        assert f.severity == CODES[f.code].severity
        assert real_path(sb, f.path), f"{f.code} names {f.path!r}, which is not a field in use"
        assert f.message.strip() and f.message[-1] in ".)", f.message
        if f.fix is not None:
            assert fix_applies(sb, f, f.fix), f"{f.code}: {f.fix} does not apply"
            try:
                assert isinstance(apply_fix(sb, f.fix), Storyboard)
            except EditError as err:  # pragma: no cover - the message says which fix broke
                raise AssertionError(f"{f.code}: {f.fix} fails in apply_fix: {err}") from err
    keys = [(f.path, f.code) for f in findings]
    assert keys == sorted(keys, key=lambda k: (_INDEX.sub(lambda m: f"[{m[1]:0>3}]", k[0]), k[1]))
    assert check(sb, CATALOG, provider) == findings  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(storyboards())
def test_a_provider_never_hides_a_model_error(sb: Storyboard) -> None:
    if not has_errors(check(sb, CATALOG)):
        return
    for profile in PROVIDERS.profiles:
        assert has_errors(check(sb, CATALOG, profile)), profile.name
