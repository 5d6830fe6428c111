"""Storyboard -> exact Kling ``/v1`` request body (pure).

Which fields exist, and on which endpoint, is read from the catalog's kling-surface entry
(``entry.takes(key, endpoint)`` and ``param.name``), never from code, so a field the model does
not take can never reach the wire. Settings a model simply lacks (a negative prompt on Omni,
``cfg_scale`` on V3, sound on V2.6 std) are left out, as the API would ignore them; attachments
it cannot take (reference images on V3, a voice on V2.5 Turbo, several shots on V2.6) raise
:class:`RequestBuildError`, because dropping them would silently change what the user pays for.
"""

from __future__ import annotations

from typing import Any

from kling_studio.domain.catalog import Catalog, ModelEntry
from kling_studio.domain.endpoints import endpoint_for
from kling_studio.domain.requests.model import (
    KlingRequest,
    MediaResolver,
    RequestBuildError,
    path_for,
    url_only,
)
from kling_studio.domain.storyboard import Asset, Storyboard

# Slots that make a V3 / V2.x request an image-to-video one.
_IMAGE_SLOTS = ("start_frame", "end_frame", "static_mask")
_WHAT = {
    "start_frame": "start frame",
    "end_frame": "end frame",
    "static_mask": "static mask",
    "reference_images": "reference images",
    "reference_video": "a reference video",
    "elements": "elements",
    "voices": "voices",
}


def choose_endpoint(storyboard: Storyboard, entry: ModelEntry) -> str:
    """The ``/v1/videos`` endpoint a storyboard goes to on ``entry``'s model.

    The same choice as the rules make (:func:`kling_studio.domain.endpoints.endpoint_for`);
    raises when the model does not offer that endpoint.
    """
    endpoints = entry.kling.endpoints if entry.kling is not None else ()
    endpoint = endpoint_for(storyboard, entry)
    if endpoint not in endpoints:
        offered = ", ".join(endpoints) or "none"
        raise RequestBuildError(
            f"{entry.vendor_id} has no {endpoint} endpoint (it offers: {offered}); "
            "choose another model or change the attachments"
        )
    return endpoint


def build_request(
    storyboard: Storyboard,
    catalog: Catalog,
    *,
    external_task_id: str | None = None,
    media: MediaResolver = url_only,
) -> KlingRequest:
    """The exact create request for ``storyboard`` (see kling-api.md §2 and §8).

    Args:
        storyboard: what to generate; ``settings.model`` is the official ``model_name``.
        catalog: the model catalog (its kling-surface entry decides which fields exist).
        external_task_id: the ledger's id for this take, sent last in the body.
        media: returns an asset's URL or raw Base64; ``url_only`` sends URLs only.

    Raises:
        RequestBuildError: the model is unknown, cannot take something attached, or an asset
            has neither a URL nor readable bytes.
    """
    entry = catalog.kling(storyboard.settings.model)
    if entry is None or entry.kling is None:
        known = ", ".join(m.vendor_id for m in catalog.storyboard_models())
        raise RequestBuildError(
            f"unknown Kling model {storyboard.settings.model!r}; choose one of: {known}"
        )
    endpoint = choose_endpoint(storyboard, entry)
    w = _Body(entry, endpoint, storyboard, media)
    w.body["model_name"] = entry.kling.model_name
    _prompts(w)
    _settings_before_media(w)
    if endpoint == "omni-video":
        _omni_media(w)
    else:
        _classic_media(w)
    _settings_after_media(w, external_task_id)
    return KlingRequest(endpoint, path_for(endpoint), entry.kling.model_name, w.body)


class _Body:
    """The body being written, with the entry's say over every key."""

    def __init__(
        self, entry: ModelEntry, endpoint: str, storyboard: Storyboard, media: MediaResolver
    ) -> None:
        self.entry = entry
        self.endpoint = endpoint
        self.sb = storyboard
        self.media = media
        self.body: dict[str, Any] = {}

    def takes(self, key: str) -> bool:
        return self.entry.takes(key, self.endpoint)

    def wire(self, key: str) -> str:
        param = self.entry.param(key)
        assert param is not None  # callers ask takes() first
        return param.name

    def put(self, key: str, value: Any) -> None:
        """Set ``key`` when the model takes it on this endpoint; skip it otherwise."""
        if self.takes(key):
            self.body[self.wire(key)] = value

    def need(self, key: str, value: Any) -> None:
        """Set ``key``, which the storyboard relies on; refuse when the model lacks it."""
        self.require(key)
        self.body[self.wire(key)] = value

    def require(self, key: str) -> None:
        if not self.takes(key):
            what = _WHAT.get(key, key)
            raise RequestBuildError(
                f"{self.entry.vendor_id} does not take {what} on {self.endpoint}; "
                f"remove them or choose a model that takes {what}"
            )

    def asset_value(self, ref: str, what: str) -> str:
        """The URL or raw Base64 Kling receives for an attached asset."""
        asset = self.sb.asset(ref)
        value = self.media(asset)
        if value and value.startswith("data:"):
            # Kling rejects data URIs: it wants the bare Base64 after the comma.
            value = value.partition(",")[2]
        if not value:
            raise RequestBuildError(
                f"the {what} {_label(asset)} has neither a URL nor readable bytes; "
                "re-import the file or give it a URL"
            )
        return value

    def video_url(self, ref: str) -> str:
        asset = self.sb.asset(ref)
        value = self.media(asset)
        if not (value and value.startswith(("https://", "http://"))):
            value = asset.url
        if not value:
            raise RequestBuildError(
                f"Kling only takes reference videos by URL, and {_label(asset)} has none; "
                "upload the video somewhere Kling can read and set its URL"
            )
        return value


def _label(asset: Asset) -> str:
    return repr(asset.name) if asset.name else f"{asset.kind} {asset.hash[:12]}"


def _prompts(w: _Body) -> None:
    sb = w.sb
    if not sb.multi_shot:
        w.put("prompt", sb.shots[0].prompt)
        return
    if not w.takes("multi_shot"):
        raise RequestBuildError(
            f"{w.entry.vendor_id} makes one shot per request; merge the shots into one "
            "(or use a single customize shot), or choose a multi-shot model such as kling-v3"
        )
    w.put("multi_shot", True)
    w.need("shot_type", sb.settings.shot_type)
    if sb.settings.shot_type == "intelligence":
        w.put("prompt", sb.prompt)
        return
    # Official examples send an empty prompt beside multi_prompt (it is ignored).
    w.put("prompt", "")
    shots = [
        {"index": i, "prompt": shot.prompt, "duration": str(shot.duration)}
        for i, shot in enumerate(sb.shots, start=1)
    ]
    w.need("multi_prompt", shots)


def _settings_before_media(w: _Body) -> None:
    settings = w.sb.settings
    if settings.negative_prompt:
        w.put("negative_prompt", settings.negative_prompt)
    if settings.cfg_scale is not None:
        w.put("cfg_scale", settings.cfg_scale)


def _classic_media(w: _Body) -> None:
    sb = w.sb
    if sb.reference_images:
        w.require("reference_images")
    if sb.reference_video is not None:
        w.require("reference_video")
    for slot in _IMAGE_SLOTS:
        ref = getattr(sb, slot)
        if ref is not None:
            w.need(slot, w.asset_value(ref, _WHAT[slot]))
    if sb.elements:
        w.need("elements", _elements(w))
    if sb.voices:
        w.need("voices", [{"voice_id": v.voice_id} for v in sb.voices])


def _omni_media(w: _Body) -> None:
    sb = w.sb
    if sb.static_mask is not None:
        w.require("static_mask")
    if sb.voices:
        w.require("voices")
    images: dict[str, list[dict[str, str]]] = {}
    # Plain references first, in storyboard order, so <<<image_N>>> is the N-th item.
    if sb.reference_images:
        w.require("reference_images")
        field = w.wire("reference_images")
        for i, ref in enumerate(sb.reference_images, start=1):
            url = w.asset_value(ref, f"reference image {i}")
            images.setdefault(field, []).append({"image_url": url})
    for slot in ("start_frame", "end_frame"):
        ref = getattr(sb, slot)
        if ref is None:
            continue
        w.require(slot)
        # Catalog names frames "image_list.first_frame": list field, then the item's type.
        field, _, kind = w.wire(slot).partition(".")
        item = {"image_url": w.asset_value(ref, _WHAT[slot])}
        if kind:
            item["type"] = kind
        images.setdefault(field, []).append(item)
    w.body.update(images)
    if sb.elements:
        w.need("elements", _elements(w))
    video = sb.reference_video
    if video is not None:
        w.require("reference_video")
        item = {
            "video_url": w.video_url(video.asset),
            "refer_type": video.refer_type,
            "keep_original_sound": "yes" if video.keep_original_sound else "no",
        }
        w.need("reference_video", [item])


def _elements(w: _Body) -> list[dict[str, int]]:
    # Element ids are 64-bit: Python ints serialise every digit (a float would round them).
    return [{"element_id": int(e.element_id)} for e in w.sb.elements]


def _settings_after_media(w: _Body, external_task_id: str | None) -> None:
    sb = w.sb
    settings = sb.settings
    entry = w.entry
    w.put("mode", settings.mode)
    if settings.mode in entry.constraints.sound_modes:
        w.put("sound", "on" if settings.sound else "off")
    editing = sb.reference_video is not None and sb.reference_video.refer_type == "base"
    # The output follows the first frame or the edited video when there is one.
    if sb.start_frame is None and not editing:
        w.put("aspect_ratio", settings.aspect_ratio)
    if not editing:
        w.put("duration", str(sb.total))
    if settings.watermark:
        w.put("watermark", {"enabled": True})
    if external_task_id is not None:
        w.put("external_task_id", external_task_id)
