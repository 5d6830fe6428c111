"""Apply a finding's one-click :class:`~kling_studio.domain.findings.Fix` as a pure edit."""

from __future__ import annotations

import re
from collections.abc import Callable

from kling_studio.domain import edits
from kling_studio.domain.findings import Fix
from kling_studio.domain.storyboard import Storyboard


def _int(fix: Fix) -> int:
    if not isinstance(fix.value, int):
        raise edits.EditError(f"The fix '{fix.label}' needs a number.")
    return fix.value


def _str(fix: Fix) -> str:
    if not isinstance(fix.value, str):
        raise edits.EditError(f"The fix '{fix.label}' needs a value.")
    return fix.value


def _truncate(sb: Storyboard, fix: Fix) -> Storyboard:
    limit = _int(fix)
    if fix.index is None:
        return edits.set_prompt(sb, sb.prompt[:limit])
    prompt = sb.shots[fix.index].prompt
    return edits.set_shot_text(sb, fix.index, prompt=prompt[:limit])


def _remove_tag(sb: Storyboard, fix: Fix) -> Storyboard:
    pattern = re.compile(r"\s?" + re.escape(_str(fix)))
    out = edits.set_prompt(sb, pattern.sub("", sb.prompt))
    for i, shot in enumerate(out.shots):
        cleaned = pattern.sub("", shot.prompt)
        if cleaned != shot.prompt:
            out = edits.set_shot_text(out, i, prompt=cleaned)
    return out


def _drop_all(
    sb: Storyboard, remove: Callable[[Storyboard, int], Storyboard], n: int
) -> Storyboard:
    for i in reversed(range(n)):
        sb = remove(sb, i)
    return sb


def _merge(sb: Storyboard, fix: Fix) -> Storyboard:
    return edits.merge_all(sb) if fix.index is None else edits.merge_shots(sb, fix.index)


def _index(fix: Fix) -> int:
    if fix.index is None:
        raise edits.EditError(f"The fix '{fix.label}' needs an index.")
    return fix.index


_ACTIONS: dict[str, Callable[[Storyboard, Fix], Storyboard]] = {
    "drop_end_frame": lambda sb, f: edits.detach(sb, "end_frame"),
    "drop_start_frame": lambda sb, f: edits.detach(sb, "start_frame"),
    "drop_static_mask": lambda sb, f: edits.detach(sb, "static_mask"),
    "drop_reference_video": lambda sb, f: edits.detach(sb, "reference_video"),
    "drop_reference_image": lambda sb, f: edits.detach(sb, "reference_images", _index(f)),
    "drop_element": lambda sb, f: edits.remove_element(sb, _index(f)),
    "drop_voices": lambda sb, f: _drop_all(sb, edits.remove_voice, len(sb.voices)),
    "drop_elements": lambda sb, f: _drop_all(sb, edits.remove_element, len(sb.elements)),
    "sound_off": lambda sb, f: edits.set_settings(sb, sound=False),
    "sound_on": lambda sb, f: edits.set_settings(sb, sound=True),
    "set_mode": lambda sb, f: edits.set_settings(sb, mode=_str(f)),
    "set_total": lambda sb, f: edits.set_total(sb, _int(f)),
    "set_aspect_ratio": lambda sb, f: edits.set_settings(sb, aspect_ratio=_str(f)),
    "set_shot_type": lambda sb, f: edits.set_settings(sb, shot_type=_str(f)),
    "clear_cfg_scale": lambda sb, f: edits.set_settings(sb, cfg_scale=None),
    "clear_negative_prompt": lambda sb, f: edits.set_settings(sb, negative_prompt=""),
    "distribute_evenly": lambda sb, f: edits.distribute_evenly(
        sb, f.value if isinstance(f.value, int) else 1
    ),
    "truncate_prompt": _truncate,
    "truncate_shot_prompt": _truncate,
    "merge_shots": _merge,
    "remove_reference_tag": _remove_tag,
}


def apply_fix(sb: Storyboard, fix: Fix) -> Storyboard:
    """Return the storyboard with ``fix`` applied; raises ``EditError`` if it no longer applies."""
    action = _ACTIONS.get(fix.action)
    if action is None:  # pragma: no cover - FixAction is a closed Literal
        raise edits.EditError(f"Unknown fix '{fix.action}'.")
    return action(sb, fix)
