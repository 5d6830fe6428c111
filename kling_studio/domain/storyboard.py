"""The storyboard: an immutable, validated description of one multi-shot Kling generation.

Structural invariants hold for every instance (a storyboard that breaks them cannot exist):

* 1-6 shots, each a whole number of seconds >= 1, whose durations sum to ``total`` (1-15 s);
* every slot (start/end frame, mask, reference images, reference video) names an asset in
  ``assets``; asset hashes are unique; element ids are decimal strings (64-bit ids);
* at most 3 elements, 2 voices, 1 reference video.

Everything model- or provider-specific (allowed totals, 4K, reference counts, media limits …) is a
*finding* of :mod:`kling_studio.domain.rules`, not an invariant, so the user can always hold a
storyboard that a model would reject and be told how to fix it.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

MAX_SHOTS = 6
MIN_TOTAL = 1
MAX_TOTAL = 15
MAX_ELEMENTS = 3
MAX_VOICES = 2
MAX_REFERENCE_IMAGES = 10

AssetKind = Literal["image", "video", "audio"]
Mode = str  # validated against the catalog by the rules ("std", "pro", "4k")
ShotType = Literal["customize", "intelligence"]
ReferType = Literal["feature", "base"]

_HASH = re.compile(r"^[0-9a-f]{16,64}$")
_DIGITS = re.compile(r"^[0-9]{1,20}$")
_SHOT_ID = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Asset(_Frozen):
    """A media file the storyboard uses, identified by the SHA-256 of its bytes.

    Probed metadata is stored so rules can check limits without touching the file.
    """

    hash: str
    kind: AssetKind
    format: str = Field(min_length=1, max_length=16)
    bytes: int = Field(ge=0)
    width: int | None = Field(default=None, ge=1)
    height: int | None = Field(default=None, ge=1)
    duration: float | None = Field(default=None, ge=0)
    fps: float | None = Field(default=None, ge=0)
    url: str | None = Field(default=None, max_length=4096)
    name: str = Field(default="", max_length=512)

    @field_validator("hash")
    @classmethod
    def _hex_hash(cls, v: str) -> str:
        if not _HASH.match(v):
            raise ValueError("must be a lowercase hex content hash (16-64 characters)")
        return v

    @field_validator("format")
    @classmethod
    def _lower(cls, v: str) -> str:
        return v.lower().lstrip(".")

    @field_validator("url")
    @classmethod
    def _http_url(cls, v: str | None) -> str | None:
        if v is not None and not v.startswith(("https://", "http://")):
            raise ValueError("must be an http(s) URL")
        return v


class Shot(_Frozen):
    """One shot of the storyboard: a prompt and a whole number of seconds."""

    id: str
    prompt: str = Field(default="", max_length=20_000)
    duration: int = Field(ge=1, le=MAX_TOTAL)
    title: str = Field(default="", max_length=200)
    notes: str = Field(default="", max_length=20_000)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _SHOT_ID.match(v):
            raise ValueError("must be 1-32 letters, digits, '-' or '_'")
        return v


class Element(_Frozen):
    """A Kling element (consistent character / object) created beforehand on the account.

    Element ids are 64-bit integers; they stay strings so no JSON reader can round them.
    """

    element_id: str
    name: str = Field(default="", max_length=100)

    @field_validator("element_id", mode="before")
    @classmethod
    def _digits(cls, v: object) -> object:
        if isinstance(v, bool):
            raise ValueError("must be a decimal id")
        if isinstance(v, int):
            v = str(v)
        if not isinstance(v, str) or not _DIGITS.match(v):
            raise ValueError("must be a decimal id of up to 20 digits")
        return v


class Voice(_Frozen):
    """A Kling voice id (custom or preset) used with ``<<<voice_N>>>``."""

    voice_id: str = Field(min_length=1, max_length=128)
    name: str = Field(default="", max_length=100)


class ReferenceVideo(_Frozen):
    """The single Omni reference video: ``feature`` (style/camera) or ``base`` (video to edit)."""

    asset: str
    refer_type: ReferType = "feature"
    keep_original_sound: bool = False


class Settings(_Frozen):
    """Storyboard-wide generation settings."""

    model: str = Field(default="kling-v3", min_length=1, max_length=64)
    provider: str = Field(default="kling", min_length=1, max_length=32)
    aspect_ratio: str = Field(default="16:9", max_length=16)
    mode: Mode = Field(default="std", max_length=16)
    sound: bool = False
    negative_prompt: str = Field(default="", max_length=20_000)
    cfg_scale: float | None = Field(default=None, ge=0.0, le=1.0)
    shot_type: ShotType = "customize"
    watermark: bool = False


class Storyboard(_Frozen):
    """A complete storyboard. Build new ones with the edit functions, never by mutation."""

    title: str = Field(default="Untitled storyboard", max_length=200)
    settings: Settings = Field(default_factory=Settings)
    total: int = Field(ge=MIN_TOTAL, le=MAX_TOTAL)
    prompt: str = Field(default="", max_length=20_000)
    shots: tuple[Shot, ...] = Field(min_length=1, max_length=MAX_SHOTS)
    start_frame: str | None = None
    end_frame: str | None = None
    static_mask: str | None = None
    elements: tuple[Element, ...] = Field(default=(), max_length=MAX_ELEMENTS)
    voices: tuple[Voice, ...] = Field(default=(), max_length=MAX_VOICES)
    reference_images: tuple[str, ...] = Field(default=(), max_length=MAX_REFERENCE_IMAGES)
    reference_video: ReferenceVideo | None = None
    assets: tuple[Asset, ...] = Field(default=(), max_length=64)

    @model_validator(mode="after")
    def _invariants(self) -> Storyboard:
        total = sum(s.duration for s in self.shots)
        if total != self.total:
            raise ValueError(
                f"shot durations add up to {total} s but the total is {self.total} s; "
                "they must be equal"
            )
        ids = [s.id for s in self.shots]
        if len(set(ids)) != len(ids):
            raise ValueError("shot ids must be unique")
        hashes = [a.hash for a in self.assets]
        if len(set(hashes)) != len(hashes):
            raise ValueError("asset hashes must be unique")
        known = set(hashes)
        for slot, ref in self.slot_refs():
            if ref not in known:
                raise ValueError(f"{slot} refers to asset {ref[:12]}… which is not in 'assets'")
        if len(set(self.reference_images)) != len(self.reference_images):
            raise ValueError("a reference image is attached twice")
        element_ids = [e.element_id for e in self.elements]
        if len(set(element_ids)) != len(element_ids):
            raise ValueError("an element is attached twice")
        return self

    # ----- queries (pure, cheap) -----

    def slot_refs(self) -> list[tuple[str, str]]:
        """(slot path, asset hash) for every attached asset."""
        refs: list[tuple[str, str]] = []
        for slot in ("start_frame", "end_frame", "static_mask"):
            value = getattr(self, slot)
            if value is not None:
                refs.append((slot, value))
        refs.extend((f"reference_images[{i}]", h) for i, h in enumerate(self.reference_images))
        if self.reference_video is not None:
            refs.append(("reference_video.asset", self.reference_video.asset))
        return refs

    def asset(self, ref: str) -> Asset:
        for a in self.assets:
            if a.hash == ref:
                return a
        raise KeyError(ref)

    @property
    def multi_shot(self) -> bool:
        """True when the request is a storyboard (several shots, or AI-planned shots)."""
        return len(self.shots) > 1 or self.settings.shot_type == "intelligence"

    def shot_start(self, index: int) -> int:
        """Second at which shot ``index`` starts."""
        return sum(s.duration for s in self.shots[:index])

    def shot_index(self, shot_id: str) -> int:
        for i, s in enumerate(self.shots):
            if s.id == shot_id:
                return i
        raise KeyError(shot_id)
