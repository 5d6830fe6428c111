"""Pure edits: each takes a storyboard and returns a new, re-validated one.

Every edit goes through ``Storyboard.model_validate`` (never ``model_copy(update=…)``, which skips
validation in pydantic v2), so an edit can never produce a storyboard that breaks an invariant. An
edit that cannot be applied raises :class:`EditError` with a message for the user and leaves the
input untouched (it is immutable anyway).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kling_studio.domain.storyboard import MAX_SHOTS, MAX_TOTAL, Asset, Shot, Storyboard

MIN_SHOT = 1


class EditError(ValueError):
    """An edit that cannot be applied; ``str(err)`` is a sentence for the user."""


def _rebuild(sb: Storyboard, **changes: Any) -> Storyboard:
    data = sb.model_dump()
    data.update(changes)
    try:
        return Storyboard.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise EditError(f"{where}: {first['msg']}" if where else first["msg"]) from exc


def _shots(sb: Storyboard) -> list[dict[str, Any]]:
    return [s.model_dump() for s in sb.shots]


def next_shot_id(sb: Storyboard) -> str:
    """A shot id not used yet (deterministic, so edits stay pure)."""
    used = {s.id for s in sb.shots}
    n = len(sb.shots) + 1
    while f"s{n}" in used:
        n += 1
    return f"s{n}"


def _index(sb: Storyboard, index: int) -> int:
    if not 0 <= index < len(sb.shots):
        raise EditError(f"There is no shot {index + 1}; the storyboard has {len(sb.shots)}.")
    return index


# ----- shot list -----


def insert_shot(sb: Storyboard, index: int, *, prompt: str = "", seconds: int = 1) -> Storyboard:
    """Insert a shot at ``index``, taking ``seconds`` from the longest other shots.

    The total stays fixed: a storyboard's length is a deliberate choice (and its price).
    """
    if len(sb.shots) >= MAX_SHOTS:
        raise EditError(f"A storyboard holds at most {MAX_SHOTS} shots.")
    if not 0 <= index <= len(sb.shots):
        raise EditError(f"Cannot insert at position {index + 1}.")
    spare = sb.total - MIN_SHOT * len(sb.shots)
    if spare < seconds:
        raise EditError(
            f"No room for another shot: {len(sb.shots)} shots already fill {sb.total} s. "
            "Lengthen the total first."
        )
    durations = [s.duration for s in sb.shots]
    for _ in range(seconds):
        longest = max(range(len(durations)), key=lambda i: (durations[i], -i))
        durations[longest] -= 1
    shots = _shots(sb)
    for d, s in zip(durations, shots, strict=True):
        s["duration"] = d
    shots.insert(index, {"id": next_shot_id(sb), "prompt": prompt, "duration": seconds})
    return _rebuild(sb, shots=shots)


def add_shot(sb: Storyboard, *, prompt: str = "") -> Storyboard:
    return insert_shot(sb, len(sb.shots), prompt=prompt)


def duplicate_shot(sb: Storyboard, index: int) -> Storyboard:
    """Copy shot ``index`` right after itself; the copy gets 1 s taken from the longest shots."""
    src = sb.shots[_index(sb, index)]
    out = insert_shot(sb, index + 1, prompt=src.prompt)
    shots = _shots(out)
    shots[index + 1]["title"] = src.title
    shots[index + 1]["notes"] = src.notes
    return _rebuild(out, shots=shots)


def delete_shot(sb: Storyboard, index: int) -> Storyboard:
    """Remove a shot; its seconds go to the previous shot (or the next one for the first)."""
    _index(sb, index)
    if len(sb.shots) == 1:
        raise EditError("A storyboard needs at least one shot.")
    shots = _shots(sb)
    gone = shots.pop(index)
    heir = index - 1 if index > 0 else 0
    shots[heir]["duration"] += gone["duration"]
    return _rebuild(sb, shots=shots)


def move_shot(sb: Storyboard, index: int, to: int) -> Storyboard:
    """Move a shot (with its prompt, duration and notes) to position ``to``."""
    _index(sb, index)
    _index(sb, to)
    shots = _shots(sb)
    shots.insert(to, shots.pop(index))
    return _rebuild(sb, shots=shots)


def split_shot(sb: Storyboard, index: int, at: int | None = None) -> Storyboard:
    """Split a shot in two at ``at`` seconds into it (default: the middle, rounded down)."""
    shot = sb.shots[_index(sb, index)]
    if len(sb.shots) >= MAX_SHOTS:
        raise EditError(f"A storyboard holds at most {MAX_SHOTS} shots.")
    if shot.duration < 2 * MIN_SHOT:
        raise EditError(f"Shot {index + 1} is {shot.duration} s; it needs 2 s to be split.")
    first = shot.duration // 2 if at is None else at
    if not MIN_SHOT <= first <= shot.duration - MIN_SHOT:
        raise EditError(f"Split point must be between 1 and {shot.duration - 1} s.")
    shots = _shots(sb)
    shots[index]["duration"] = first
    tail = {"id": next_shot_id(sb), "prompt": shot.prompt, "duration": shot.duration - first}
    shots.insert(index + 1, tail)
    return _rebuild(sb, shots=shots)


def merge_shots(sb: Storyboard, index: int) -> Storyboard:
    """Merge shot ``index`` with the next one (prompts joined, durations added)."""
    _index(sb, index)
    _index(sb, index + 1)
    shots = _shots(sb)
    nxt = shots.pop(index + 1)
    shots[index]["duration"] += nxt["duration"]
    joined = " ".join(p for p in (shots[index]["prompt"].strip(), nxt["prompt"].strip()) if p)
    shots[index]["prompt"] = joined
    return _rebuild(sb, shots=shots)


def merge_all(sb: Storyboard) -> Storyboard:
    out = sb
    while len(out.shots) > 1:
        out = merge_shots(out, 0)
    return out


# ----- timing -----


def set_shot_duration(sb: Storyboard, index: int, seconds: int) -> Storyboard:
    """Give shot ``index`` ``seconds`` by trading with its neighbour; the total is unchanged.

    The next shot compensates (the previous one for the last shot). The request is clamped to
    what the neighbour can give while keeping its 1 s minimum.
    """
    _index(sb, index)
    if len(sb.shots) == 1:
        raise EditError("A single shot always lasts the whole total; change the total instead.")
    neighbour = index + 1 if index + 1 < len(sb.shots) else index - 1
    pair = sb.shots[index].duration + sb.shots[neighbour].duration
    seconds = max(MIN_SHOT, min(int(seconds), pair - MIN_SHOT))
    shots = _shots(sb)
    shots[index]["duration"] = seconds
    shots[neighbour]["duration"] = pair - seconds
    return _rebuild(sb, shots=shots)


def move_boundary(sb: Storyboard, boundary: int, delta: int) -> Storyboard:
    """Move the border after shot ``boundary`` by ``delta`` seconds (positive = later).

    Used by the timeline's border drag: the two shots trade seconds, clamped to their minimums.
    """
    _index(sb, boundary)
    _index(sb, boundary + 1)
    left = sb.shots[boundary].duration
    pair = left + sb.shots[boundary + 1].duration
    new_left = max(MIN_SHOT, min(left + int(delta), pair - MIN_SHOT))
    shots = _shots(sb)
    shots[boundary]["duration"] = new_left
    shots[boundary + 1]["duration"] = pair - new_left
    return _rebuild(sb, shots=shots)


def _apportion(weights: list[int], total: int) -> list[int]:
    """Whole seconds in proportion to ``weights``, summing to ``total``, each >= 1.

    Largest-remainder rounding, so the sum is exact and ties go to earlier shots.
    """
    n = len(weights)
    spare = total - MIN_SHOT * n
    wsum = sum(weights) or n
    raw = [spare * (w if sum(weights) else 1) / wsum for w in weights]
    out = [int(r) for r in raw]
    order = sorted(range(n), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: spare - sum(out)]:
        out[i] += 1
    return [o + MIN_SHOT for o in out]


def set_total(sb: Storyboard, total: int) -> Storyboard:
    """Change the total length, rescaling the shots proportionally in whole seconds."""
    total = int(total)
    if not 1 <= total <= MAX_TOTAL:
        raise EditError(f"The total must be between 1 and {MAX_TOTAL} seconds.")
    if total < MIN_SHOT * len(sb.shots):
        raise EditError(
            f"{len(sb.shots)} shots need at least {MIN_SHOT * len(sb.shots)} s; "
            "delete or merge shots first."
        )
    durations = _apportion([s.duration - MIN_SHOT for s in sb.shots], total)
    shots = _shots(sb)
    for d, s in zip(durations, shots, strict=True):
        s["duration"] = d
    return _rebuild(sb, shots=shots, total=total)


def distribute_evenly(sb: Storyboard, minimum: int = MIN_SHOT) -> Storyboard:
    """Share the total equally; earlier shots get the leftover seconds."""
    n = len(sb.shots)
    if sb.total < minimum * n:
        raise EditError(f"{n} shots of at least {minimum} s do not fit in {sb.total} s.")
    base, extra = divmod(sb.total, n)
    shots = _shots(sb)
    for i, s in enumerate(shots):
        s["duration"] = base + (1 if i < extra else 0)
    return _rebuild(sb, shots=shots)


# ----- text and settings -----


def set_shot_text(sb: Storyboard, index: int, **fields: str) -> Storyboard:
    """Set a shot's ``prompt``, ``title`` and/or ``notes``."""
    _index(sb, index)
    unknown = set(fields) - {"prompt", "title", "notes"}
    if unknown:
        raise EditError(f"Unknown shot field(s): {', '.join(sorted(unknown))}")
    shots = _shots(sb)
    shots[index].update(fields)
    return _rebuild(sb, shots=shots)


def set_prompt(sb: Storyboard, prompt: str) -> Storyboard:
    return _rebuild(sb, prompt=prompt)


def set_title(sb: Storyboard, title: str) -> Storyboard:
    return _rebuild(sb, title=title)


def set_settings(sb: Storyboard, **changes: Any) -> Storyboard:
    """Change storyboard settings (model, mode, sound, aspect_ratio, …)."""
    settings = sb.settings.model_dump()
    unknown = set(changes) - set(settings)
    if unknown:
        raise EditError(f"Unknown setting(s): {', '.join(sorted(unknown))}")
    settings.update(changes)
    return _rebuild(sb, settings=settings)


# ----- assets and slots -----

SLOTS = ("start_frame", "end_frame", "static_mask")


def add_asset(sb: Storyboard, asset: Asset) -> Storyboard:
    """Register an asset (no-op when the same content is already there)."""
    if any(a.hash == asset.hash for a in sb.assets):
        return sb
    return _rebuild(sb, assets=[*(a.model_dump() for a in sb.assets), asset.model_dump()])


def set_asset_url(sb: Storyboard, ref: str, url: str | None) -> Storyboard:
    assets = [a.model_dump() for a in sb.assets]
    for a in assets:
        if a["hash"] == ref:
            a["url"] = url
            return _rebuild(sb, assets=assets)
    raise EditError("That asset is not part of this storyboard.")


def attach(sb: Storyboard, slot: str, asset: Asset | str) -> Storyboard:
    """Put an asset into a slot: ``start_frame``, ``end_frame``, ``static_mask``,
    ``reference_images`` (appended) or ``reference_video``. The asset is registered if new."""
    out = add_asset(sb, asset) if isinstance(asset, Asset) else sb
    ref = asset.hash if isinstance(asset, Asset) else asset
    if slot in SLOTS:
        return _rebuild(out, **{slot: ref})
    if slot == "reference_images":
        if ref in out.reference_images:
            raise EditError("That image is already a reference.")
        return _rebuild(out, reference_images=[*out.reference_images, ref])
    if slot == "reference_video":
        prev = out.reference_video
        keep = prev.model_dump() if prev is not None else {}
        return _rebuild(out, reference_video={**keep, "asset": ref})
    raise EditError(f"Unknown slot '{slot}'.")


def detach(sb: Storyboard, slot: str, index: int | None = None) -> Storyboard:
    """Empty a slot (``reference_images`` needs the index). Unused assets are dropped."""
    if slot in SLOTS:
        out = _rebuild(sb, **{slot: None})
    elif slot == "reference_images":
        refs = list(sb.reference_images)
        if index is None or not 0 <= index < len(refs):
            raise EditError("Which reference image? The index is out of range.")
        refs.pop(index)
        out = _rebuild(sb, reference_images=refs)
    elif slot == "reference_video":
        out = _rebuild(sb, reference_video=None)
    else:
        raise EditError(f"Unknown slot '{slot}'.")
    return prune_assets(out)


def prune_assets(sb: Storyboard) -> Storyboard:
    """Drop assets no slot refers to any more."""
    used = {ref for _, ref in sb.slot_refs()}
    kept = [a.model_dump() for a in sb.assets if a.hash in used]
    if len(kept) == len(sb.assets):
        return sb
    return _rebuild(sb, assets=kept)


def set_reference_video_options(
    sb: Storyboard, *, refer_type: str | None = None, keep_original_sound: bool | None = None
) -> Storyboard:
    if sb.reference_video is None:
        raise EditError("There is no reference video.")
    rv = sb.reference_video.model_dump()
    if refer_type is not None:
        rv["refer_type"] = refer_type
    if keep_original_sound is not None:
        rv["keep_original_sound"] = keep_original_sound
    return _rebuild(sb, reference_video=rv)


def add_element(sb: Storyboard, element_id: str | int, name: str = "") -> Storyboard:
    elements = [e.model_dump() for e in sb.elements]
    return _rebuild(sb, elements=[*elements, {"element_id": element_id, "name": name}])


def remove_element(sb: Storyboard, index: int) -> Storyboard:
    elements = [e.model_dump() for e in sb.elements]
    if not 0 <= index < len(elements):
        raise EditError("There is no such element.")
    elements.pop(index)
    return _rebuild(sb, elements=elements)


def add_voice(sb: Storyboard, voice_id: str, name: str = "") -> Storyboard:
    voices = [v.model_dump() for v in sb.voices]
    return _rebuild(sb, voices=[*voices, {"voice_id": voice_id, "name": name}])


def remove_voice(sb: Storyboard, index: int) -> Storyboard:
    voices = [v.model_dump() for v in sb.voices]
    if not 0 <= index < len(voices):
        raise EditError("There is no such voice.")
    voices.pop(index)
    return _rebuild(sb, voices=voices)


def new_storyboard(
    *, model: str = "kling-v3", total: int = 5, shots: int = 1, title: str = "Untitled storyboard"
) -> Storyboard:
    """A fresh storyboard with ``shots`` evenly sized empty shots."""
    base = Storyboard.model_validate(
        {
            "title": title,
            "total": total,
            "settings": {"model": model},
            "shots": [{"id": "s1", "duration": total}],
        }
    )
    out = base
    for _ in range(shots - 1):
        out = add_shot(out)
    return distribute_evenly(out)


__all__ = [
    "EditError",
    "Shot",
    "add_asset",
    "add_element",
    "add_shot",
    "add_voice",
    "attach",
    "delete_shot",
    "detach",
    "distribute_evenly",
    "duplicate_shot",
    "insert_shot",
    "merge_all",
    "merge_shots",
    "move_boundary",
    "move_shot",
    "new_storyboard",
    "next_shot_id",
    "prune_assets",
    "remove_element",
    "remove_voice",
    "set_asset_url",
    "set_prompt",
    "set_reference_video_options",
    "set_settings",
    "set_shot_duration",
    "set_shot_text",
    "set_title",
    "set_total",
    "split_shot",
]
