"""The media and ids a received body attaches, read back into storyboard slots.

Images and videos arrive as a URL or raw Base64; ``probe`` (supplied by the caller, who may do
I/O) turns each into an :class:`Asset` with its probed metadata, or None when it cannot be read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from kling_studio.domain.catalog import ModelEntry
from kling_studio.domain.requests.reader import Reader
from kling_studio.domain.storyboard import Asset, Element, ReferenceVideo, Voice

Probe = Callable[[str], "Asset | None"]

_URL = ("https://", "http://")


@dataclass
class Attachments:
    """Storyboard slots filled from a body (asset hashes refer to ``assets``)."""

    start_frame: str | None = None
    end_frame: str | None = None
    static_mask: str | None = None
    reference_images: list[str] = field(default_factory=list)
    reference_video: ReferenceVideo | None = None
    elements: list[Element] = field(default_factory=list)
    voices: list[Voice] = field(default_factory=list)
    assets: dict[str, Asset] = field(default_factory=dict)

    @property
    def editing(self) -> bool:
        return self.reference_video is not None and self.reference_video.refer_type == "base"

    @property
    def video_seconds(self) -> float | None:
        if self.reference_video is None:
            return None
        return self.assets[self.reference_video.asset].duration


def read_attachments(
    r: Reader, body: dict[str, Any], entry: ModelEntry, endpoint: str, probe: Probe
) -> Attachments:
    """Every attachment ``entry`` takes on ``endpoint``; problems go to ``r``."""
    reading = _Reading(r, body, entry, endpoint, probe)
    if endpoint == "omni-video":
        reading.image_list()
        reading.video_list()
    else:
        reading.classic_images()
    reading.element_list()
    reading.voice_list()
    return reading.out


class _Reading:
    def __init__(
        self, r: Reader, body: dict[str, Any], entry: ModelEntry, endpoint: str, probe: Probe
    ) -> None:
        self.r, self.body, self.entry, self.endpoint, self.probe = r, body, entry, endpoint, probe
        self.out = Attachments()

    def wire(self, key: str) -> str | None:
        """The wire field of ``key`` on this endpoint (``image_list`` for ``image_list.x``)."""
        if not self.entry.takes(key, self.endpoint):
            return None
        param = self.entry.param(key)
        return param.name.partition(".")[0] if param is not None else None

    def asset(self, value: str, path: str, kind: str) -> str | None:
        """Probe one image/video value; the asset's hash, or None (with a finding)."""
        if value.startswith("data:"):
            self.r.error(path, f'{path} must be a URL or raw Base64 without a "data:" prefix')
            return None
        asset = self.probe(value)
        if asset is None:
            self.r.error(
                path, f"{path} could not be read as {kind}: check the URL or the Base64 data"
            )
            return None
        if asset.kind != kind:
            self.r.error(path, f"{path} must be {kind} (got {asset.kind})")
            return None
        if value.startswith(_URL) and asset.url != value:
            try:
                asset = Asset.model_validate({**asset.model_dump(), "url": value})
            except ValidationError:
                self.r.error(path, f"{path} is not a usable URL (at most 4096 characters)")
                return None
        known = self.out.assets.get(asset.hash)
        if known is None or (known.url is None and asset.url is not None):
            self.out.assets[asset.hash] = asset
        return asset.hash

    def classic_images(self) -> None:
        names = []
        for slot in ("start_frame", "end_frame", "static_mask"):
            name = self.wire(slot)
            value = self.r.string(self.body, name) if name else None
            if name and value is not None:
                setattr(self.out, slot, self.asset(value, name, "image"))
            if name and slot != "static_mask":
                names.append(name)
        if self.endpoint == "image2video" and not any(n in self.body for n in names):
            self.r.missing(names[0] if names else "image", " on image2video (or image_tail)")

    def image_list(self) -> None:
        name = self.wire("reference_images") or self.wire("start_frame")
        items = self.r.objects(self.body, name, self._max("reference_images")) if name else None
        if not name or items is None:
            return
        kinds = self._frame_kinds()
        for i, item in enumerate(items):
            path = f"{name}[{i}]"
            kind = self.r.string(item, "type", f"{path}.type", allowed=tuple(kinds))
            value = self.r.string(item, "image_url", f"{path}.image_url")
            if value is None:
                if "image_url" not in item:
                    self.r.missing(f"{path}.image_url")
                continue
            ref = self.asset(value, f"{path}.image_url", "image")
            if ref is None:
                continue
            slot = kinds.get(kind or "")
            if slot is None:
                self.out.reference_images.append(ref)
            elif getattr(self.out, slot) is not None:
                self.r.error(f"{path}.type", f'{name} may hold only one "{kind}" image')
            else:
                setattr(self.out, slot, ref)

    def _frame_kinds(self) -> dict[str, str]:
        """Item ``type`` -> slot, from catalog names such as ``image_list.first_frame``."""
        kinds: dict[str, str] = {}
        for slot in ("start_frame", "end_frame"):
            param = self.entry.param(slot)
            if param is not None and self.entry.takes(slot, self.endpoint):
                kinds[param.name.partition(".")[2]] = slot
        kinds.pop("", None)
        return kinds

    def _max(self, key: str) -> int | None:
        param = self.entry.param(key)
        return param.max_items if param is not None else None

    def video_list(self) -> None:
        name = self.wire("reference_video")
        items = self.r.objects(self.body, name, self._max("reference_video")) if name else None
        if not items:
            return
        path = f"{name}[0]"
        item = items[0]
        refer = self.r.string(
            item, "refer_type", f"{path}.refer_type", allowed=self._enum("refer_type")
        )
        keep = self.r.string(
            item,
            "keep_original_sound",
            f"{path}.keep_original_sound",
            allowed=self._enum("keep_original_sound"),
        )
        url = self.r.string(item, "video_url", f"{path}.video_url")
        if url is None:
            if "video_url" not in item:
                self.r.missing(f"{path}.video_url")
            return
        if not url.startswith(_URL):
            self.r.error(
                f"{path}.video_url",
                f"{path}.video_url must be a URL: Kling does not take videos as Base64",
            )
            return
        ref = self.asset(url, f"{path}.video_url", "video")
        if ref is None:
            return
        self.out.reference_video = ReferenceVideo(
            asset=ref,
            refer_type="base" if (refer or self._default("refer_type")) == "base" else "feature",
            keep_original_sound=(keep or self._default("keep_original_sound")) == "yes",
        )

    def _enum(self, key: str) -> tuple[str, ...]:
        return self.entry.enum(key)

    def _default(self, key: str) -> str:
        param = self.entry.param(key)
        return str(param.default) if param is not None and param.default is not None else ""

    def element_list(self) -> None:
        name = self.wire("elements")
        items = self.r.objects(self.body, name, self._max("elements")) if name else None
        for i, item in enumerate(items or ()):
            path = f"{name}[{i}].element_id"
            value = item.get("element_id")
            if isinstance(value, str) and value.isascii() and value.isdigit():
                # Some official image examples quote ids; whether video accepts that is unknown.
                self.r.warn(path, f"{path} should be a JSON integer, not a string")
            elif self.r.integer(item, "element_id", path) is None:
                continue
            try:
                self.out.elements.append(Element(element_id=value))
            except ValidationError:
                self.r.error(path, f"{path} must be a non-negative id of up to 20 digits")

    def voice_list(self) -> None:
        name = self.wire("voices")
        items = self.r.objects(self.body, name, self._max("voices")) if name else None
        for i, item in enumerate(items or ()):
            path = f"{name}[{i}].voice_id"
            value = self.r.string(item, "voice_id", path)
            if value is None and "voice_id" in item:
                continue  # wrong type: already reported
            try:
                self.out.voices.append(Voice(voice_id=value or ""))
            except ValidationError:
                self.r.error(path, f"{path} must be a voice id of 1 to 128 characters")
