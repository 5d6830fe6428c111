"""The prompt and shots of a received body: single prompt, ``multi_prompt`` or intelligence."""

from __future__ import annotations

import re
from typing import Any

from kling_studio.domain.catalog import ModelEntry
from kling_studio.domain.requests.reader import Reader

SECONDS = re.compile(r"^[0-9]{1,3}$")


def max_chars(entry: ModelEntry, key: str) -> int | None:
    param = entry.param(key)
    return param.max_chars if param is not None else None


def read_shots(
    r: Reader, body: dict[str, Any], entry: ModelEntry, endpoint: str, total: int | None
) -> dict[str, Any] | None:
    """``prompt``, ``shots`` and ``settings.shot_type`` parts of the storyboard."""
    prompt = None
    if entry.takes("prompt", endpoint):
        prompt = r.string(body, "prompt", max_chars=max_chars(entry, "prompt"))
    multi = r.boolean(body, "multi_shot") if entry.takes("multi_shot", endpoint) else None
    if multi is None and "multi_shot" in body and entry.takes("multi_shot", endpoint):
        return None  # wrong type, already reported: the shots cannot be told apart
    seconds = total or 1
    wrong_type = prompt is None and "prompt" in body  # already reported
    if not multi:
        if "multi_prompt" in body and entry.takes("multi_prompt", endpoint):
            r.warn("multi_prompt", "multi_prompt is ignored unless multi_shot is true")
        if not prompt and not wrong_type and endpoint != "image2video":
            r.missing("prompt", " when multi_shot is false")
        return {"prompt": "", "shots": [{"id": "s1", "prompt": prompt or "", "duration": seconds}]}
    shot_type = r.string(body, "shot_type", allowed=entry.enum("shot_type"))
    if shot_type is None:
        if "shot_type" not in body:
            r.missing("shot_type", " when multi_shot is true")
        return None
    if shot_type == "intelligence":
        if not prompt and not wrong_type:
            r.missing("prompt", ' when shot_type is "intelligence"')
        # The model plans the shots: one placeholder shot spans the whole take.
        planned = [{"id": "s1", "prompt": "", "duration": seconds}]
        return {"prompt": prompt or "", "shots": planned, "shot_type": shot_type}
    shots = _multi_prompt(r, body, entry, total)
    return None if shots is None else {"prompt": "", "shots": shots}


def _multi_prompt(
    r: Reader, body: dict[str, Any], entry: ModelEntry, total: int | None
) -> list[dict[str, Any]] | None:
    param = entry.param("multi_prompt")
    items = r.objects(body, "multi_prompt", param.max_items if param else None)
    if items is None:
        if "multi_prompt" not in body:
            r.missing("multi_prompt", ' when shot_type is "customize"')
        return None
    if not items:
        r.error("multi_prompt", "multi_prompt needs at least 1 shot")
        return None
    least = entry.constraints.min_shot_seconds
    shots: list[tuple[int, dict[str, Any]]] = []
    for i, item in enumerate(items):
        path = f"multi_prompt[{i}]"
        index = r.integer(item, "index", f"{path}.index")
        text = r.string(
            item, "prompt", f"{path}.prompt", max_chars=max_chars(entry, "multi_prompt")
        )
        if "prompt" not in item:
            r.missing(f"{path}.prompt")
        value = r.string(item, "duration", f"{path}.duration", example="3")
        if value is None:
            if "duration" not in item:
                r.missing(f"{path}.duration")
            continue
        if not SECONDS.match(value) or int(value) < least:
            r.error(
                f"{path}.duration",
                f'{path}.duration must be a whole number of seconds >= {least}, e.g. "3" '
                f'(got "{value}")',
            )
            continue
        if index is not None:
            shot = {"id": f"s{index}", "prompt": text or "", "duration": int(value)}
            shots.append((index, shot))
    if r.failed:
        return None
    return _ordered(r, shots, total)


def _ordered(
    r: Reader, shots: list[tuple[int, dict[str, Any]]], total: int | None
) -> list[dict[str, Any]] | None:
    indexes = sorted(i for i, _ in shots)
    if indexes != list(range(1, len(shots) + 1)):
        r.error(
            "multi_prompt",
            f"multi_prompt indexes must be 1 to {len(shots)}, each once (got {indexes})",
        )
        return None
    added = sum(s["duration"] for _, s in shots)
    if total is not None and added != total:
        r.error(
            "multi_prompt",
            f'the multi_prompt durations add up to {added} s but duration is "{total}"; '
            "they must be equal",
        )
        return None
    return [shot for _, shot in sorted(shots, key=lambda pair: pair[0])]
