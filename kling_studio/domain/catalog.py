"""The model catalog: every Kling model the app knows, as typed data.

The catalog is loaded from ``resources/catalog/*.json``; nothing about a model's capabilities lives
in code. Each :class:`ModelEntry` describes one model *as one surface sells it*:

* ``kling``: the official Kling ``/v1`` API (``model_name`` + endpoints + snake_case fields). These
  are the entries a storyboard targets; the rules and the request builders read them.
* ``picsart``: one id of Picsart's gen-ai catalog (camelCase params and CLI flags).
* ``scenario``: one Scenario model id (camelCase params).

Where two surfaces disagree about the same underlying model (defaults, duration grids, enum
spellings) each keeps its own truth in its own entry; ``family`` links them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Surface = Literal["kling", "picsart", "scenario"]
ParamType = Literal[
    "text",
    "string",
    "enum",
    "boolean",
    "integer",
    "number",
    "range",
    "file",
    "file_array",
    "object",
    "object_array",
    "inputs_array",
]
FileKind = Literal["image", "video", "audio"]
Endpoint = Literal[
    "text2video",
    "image2video",
    "omni-video",
    "multi-image2video",
    "motion-control",
    "video-extend",
    "lip-sync",
    "avatar",
    "effects",
    "images",
    "audio",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class EnumValue(_Frozen):
    """One allowed value of an enum parameter, with the label the surface shows for it."""

    value: str
    label: str


class MediaLimits(_Frozen):
    """What a file input must satisfy (Kling's published limits for images and videos)."""

    formats: tuple[str, ...] = ()
    max_bytes: int | None = None
    min_side: int | None = None
    max_side: int | None = None
    min_aspect: float | None = None
    max_aspect: float | None = None
    min_duration: float | None = None
    max_duration: float | None = None
    min_fps: float | None = None
    max_fps: float | None = None
    url_only: bool = False


class Parameter(_Frozen):
    """One parameter of a model on one surface.

    ``name`` is the field as the surface spells it (``aspect_ratio`` on Kling, ``aspectRatio`` on
    Picsart and Scenario). ``key`` is the canonical storyboard concept the parameter maps to, shared
    across surfaces (``aspect_ratio``), so rules and builders can ask "does this model take X?".
    """

    name: str
    key: str
    label: str = ""
    type: ParamType
    values: tuple[EnumValue, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    step: float | None = None
    default: Any = None
    required: bool = False
    max_items: int | None = None
    max_chars: int | None = None
    file_kinds: tuple[FileKind, ...] = ()
    item_fields: tuple[str, ...] = ()
    cli_flag: str | None = None
    kling_field: str | None = None
    media: MediaLimits | None = None
    endpoints: tuple[Endpoint, ...] = ()
    description: str = ""

    @property
    def enum_values(self) -> tuple[str, ...]:
        return tuple(v.value for v in self.values)

    def label_for(self, value: str) -> str:
        for v in self.values:
            if v.value == value:
                return v.label
        return value


class Constraints(_Frozen):
    """Cross-parameter rules of an official Kling model that a single parameter cannot express."""

    sound_modes: tuple[str, ...] = ()
    durations_with_reference_video: tuple[int, ...] = ()
    durations_without_references: tuple[int, ...] = ()
    max_shots: int = 1
    min_shot_seconds: int = 1
    max_refs_total: int | None = None
    max_refs_with_video: int | None = None
    end_frame_needs_start_frame: bool = False
    end_frame_with_multi_shot: bool = False
    start_frame_with_multi_shot: bool = True
    elements_need_start_frame: bool = False
    elements_with_voices: bool = True
    sound_with_reference_video: bool = True
    mode_4k_with_reference_video: bool = True
    frames_with_base_video: bool = False
    aspect_ratio_from_start_frame: bool = False
    notes: tuple[str, ...] = ()


class KlingIds(_Frozen):
    """How the official ``/v1`` API names this model."""

    model_name: str
    endpoints: tuple[Endpoint, ...]


class ModelEntry(_Frozen):
    """One model as one surface offers it."""

    id: str
    surface: Surface
    vendor_id: str
    name: str
    family: str
    input_type: str
    capabilities: tuple[str, ...] = ()
    description: str = ""
    kling: KlingIds | None = None
    parameters: tuple[Parameter, ...]
    constraints: Constraints = Field(default_factory=Constraints)
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _unique_parameters(self) -> ModelEntry:
        names = [p.name for p in self.parameters]
        dupes = {n for n in names if names.count(n) > 1}
        if dupes:
            raise ValueError(f"duplicate parameter names: {sorted(dupes)}")
        if self.surface == "kling" and self.kling is None:
            raise ValueError("a kling-surface entry needs its 'kling' ids")
        return self

    @property
    def qualified_id(self) -> str:
        return f"{self.surface}:{self.vendor_id}"

    def param(self, key: str) -> Parameter | None:
        """The parameter for a canonical key, or None when the model does not take it."""
        for p in self.parameters:
            if p.key == key:
                return p
        return None

    def takes(self, key: str, endpoint: str | None = None) -> bool:
        """Whether the model takes ``key`` (on ``endpoint``, when one is given)."""
        p = self.param(key)
        if p is None:
            return False
        return endpoint is None or not p.endpoints or endpoint in p.endpoints

    def enum(self, key: str) -> tuple[str, ...]:
        p = self.param(key)
        return p.enum_values if p is not None else ()

    @property
    def durations(self) -> tuple[int, ...]:
        """Whole-second totals the model accepts (from its duration parameter)."""
        p = self.param("duration")
        if p is None:
            return ()
        if p.values:
            return tuple(int(float(v)) for v in p.enum_values)
        if p.minimum is not None and p.maximum is not None:
            return tuple(range(int(p.minimum), int(p.maximum) + 1))
        return ()


class Catalog(_Frozen):
    """All models of all surfaces, indexed for lookup."""

    schema_version: int = 1
    updated: str = ""
    models: tuple[ModelEntry, ...]

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalog:
        ids = [m.qualified_id for m in self.models]
        dupes = {i for i in ids if ids.count(i) > 1}
        if dupes:
            raise ValueError(f"duplicate model ids: {sorted(dupes)}")
        return self

    def __iter__(self) -> Iterator[ModelEntry]:  # type: ignore[override]
        return iter(self.models)

    def surface(self, surface: Surface) -> tuple[ModelEntry, ...]:
        return tuple(m for m in self.models if m.surface == surface)

    def find(self, ident: str) -> tuple[ModelEntry, ...]:
        """Entries matching ``surface:id``, a bare vendor id on any surface, or a family."""
        if ":" in ident:
            return tuple(m for m in self.models if m.qualified_id == ident)
        exact = tuple(m for m in self.models if m.vendor_id == ident)
        return exact or tuple(m for m in self.models if m.family == ident)

    def kling(self, model_name: str) -> ModelEntry | None:
        """The official-API entry a storyboard with ``settings.model == model_name`` targets."""
        for m in self.models:
            if m.surface == "kling" and m.vendor_id == model_name:
                return m
        return None

    def storyboard_models(self) -> tuple[ModelEntry, ...]:
        """Official video models a storyboard can target (text/image/omni video endpoints)."""
        wanted = {"text2video", "image2video", "omni-video"}
        return tuple(
            m
            for m in self.models
            if m.surface == "kling" and m.kling is not None and wanted & set(m.kling.endpoints)
        )


def parse_catalog(parts: list[dict[str, Any]]) -> Catalog:
    """Merge catalog documents (one per surface file) into one validated catalog."""
    models: list[Any] = []
    updated = ""
    for part in parts:
        models.extend(part.get("models", []))
        updated = max(updated, str(part.get("updated", "")))
    return Catalog.model_validate({"models": models, "updated": updated})
