"""Provider profiles: what each way of reaching Kling adds to the model's own limits.

A storyboard targets an official Kling model (``settings.model``) and is sent through one provider
(``settings.provider``): the official API, the offline simulator, or a reseller (fal, Picsart,
Scenario, Replicate, PiAPI, Freepik). Resellers wrap the same models but often accept less: fal's
shots are at least 3 s, Freepik's Omni takes at most 4 references, most resellers take no
pre-registered Kling elements, some take media only by URL.

A profile only ever makes the rules *stricter*: every limit here is applied together with the
model's own (the strictest wins), and a ``supports_*`` flag set to True means "as the model
allows", never "more than the model allows". The data lives in ``resources/providers.json``
(loaded by :func:`kling_studio.resources.load_providers`); sources are in
``shared/reference/providers.md`` §5.1 and ``kling-api.md``.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

InlineMedia = Literal["none", "base64", "data_uri"]


class ProviderProfile(BaseModel):
    """The limits and capabilities of one provider, on top of the model's own.

    Attributes:
        name: stable id used in ``settings.provider`` (``kling``, ``fal`` …).
        label: how the provider is named to the user (``fal.ai``).
        official: True for the official Kling API.
        models: official model names the provider offers; empty means every model.
        modes: modes (``std``/``pro``/``4k``) the provider offers; empty means the model's own.
        min_shot_seconds: shortest shot of a multi-shot storyboard, when stricter than the model.
        max_shots: most shots of a multi-shot storyboard, when stricter than the model.
        total_min: shortest total, when stricter than the model.
        total_max: longest total, when stricter than the model.
        shot_prompt_max_chars: longest shot prompt, when stricter than the model.
        max_reference_images: reference pool (reference images + elements + frames together).
        max_refs_with_video: the same pool when a reference video is attached.
        supports_elements: pre-registered Kling element ids (``element_list``) can be sent.
        supports_voices: Kling voice ids (``voice_list``) can be sent.
        supports_reference_images: Omni reference images can be sent.
        supports_reference_video: an Omni reference video can be sent.
        supports_intelligence: the model may plan the shots itself (``shot_type`` intelligence).
        supports_start_frame_with_multi_shot: a start frame may go with a multi-shot storyboard.
        supports_end_frame_with_multi_shot: an end frame may go with a multi-shot storyboard.
        inline_media: how a local file can travel inside the request body (``none``: it cannot).
        uploads: the app can upload a local file to the provider to get a reference for it.
        notes: caveats for the user (uncertain facts are marked UNCERTAIN).
        sources: where the facts come from.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9_-]{1,32}$")
    label: str = Field(min_length=1)
    official: bool = False
    models: tuple[str, ...] = ()
    modes: tuple[str, ...] = ()
    min_shot_seconds: int | None = Field(default=None, ge=1)
    max_shots: int | None = Field(default=None, ge=1)
    total_min: int | None = Field(default=None, ge=1)
    total_max: int | None = Field(default=None, ge=1)
    shot_prompt_max_chars: int | None = Field(default=None, ge=1)
    max_reference_images: int | None = Field(default=None, ge=0)
    max_refs_with_video: int | None = Field(default=None, ge=0)
    supports_elements: bool = True
    supports_voices: bool = True
    supports_reference_images: bool = True
    supports_reference_video: bool = True
    supports_intelligence: bool = True
    supports_start_frame_with_multi_shot: bool = True
    supports_end_frame_with_multi_shot: bool = True
    inline_media: InlineMedia = "none"
    uploads: bool = False
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _ordered_totals(self) -> ProviderProfile:
        if (
            self.total_min is not None
            and self.total_max is not None
            and self.total_min > self.total_max
        ):
            raise ValueError(f"total_min {self.total_min} is above total_max {self.total_max}")
        return self

    def offers(self, model_name: str) -> bool:
        """Whether the provider sells the official model ``model_name``."""
        return not self.models or model_name in self.models

    @property
    def needs_urls(self) -> bool:
        """True when local files can reach the provider neither inline nor by upload."""
        return self.inline_media == "none" and not self.uploads


class ProviderProfiles(BaseModel):
    """Every known provider profile, looked up by name."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: int = 1
    updated: str = ""
    default: str = "kling"
    profiles: tuple[ProviderProfile, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> ProviderProfiles:
        names = [p.name for p in self.profiles]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate provider names: {dupes}")
        if self.default not in names:
            raise ValueError(f"the default provider {self.default!r} has no profile")
        return self

    def names(self) -> tuple[str, ...]:
        """Provider names in file order."""
        return tuple(p.name for p in self.profiles)

    def get(self, name: str) -> ProviderProfile:
        """The profile called ``name``.

        Raises:
            KeyError: no profile has that name; the message lists the known names.
        """
        for p in self.profiles:
            if p.name == name:
                return p
        raise KeyError(f"unknown provider {name!r}; known providers: {', '.join(self.names())}")

    def __contains__(self, name: object) -> bool:
        return any(p.name == name for p in self.profiles)
