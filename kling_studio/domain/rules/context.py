"""What every rule needs to know about one check: the storyboard, its model, its provider.

Built once per :func:`kling_studio.domain.rules.check` call; the rules only read it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from kling_studio.domain.catalog import Catalog, Constraints, ModelEntry, Parameter
from kling_studio.domain.endpoints import endpoint_for
from kling_studio.domain.providers import ProviderProfile
from kling_studio.domain.storyboard import Asset, Storyboard

STORYBOARD_ENDPOINTS = frozenset({"text2video", "image2video", "omni-video"})

# How a message says where an endpoint-bound parameter is available.
ENDPOINT_WHERE = {
    "image2video": "with a start frame (image-to-video)",
    "text2video": "without a start frame (text-to-video)",
    "omni-video": "on the Omni endpoint",
}


def storyboard_entry(catalog: Catalog, model_name: str) -> ModelEntry | None:
    """The official entry a storyboard can target under ``model_name``, or None."""
    entry = catalog.kling(model_name)
    if entry is None or entry.kling is None:
        return None
    return entry if STORYBOARD_ENDPOINTS & set(entry.kling.endpoints) else None


@dataclass(frozen=True, slots=True)
class Ctx:
    """One check's inputs, with the lookups the rules share."""

    sb: Storyboard
    catalog: Catalog
    entry: ModelEntry
    profile: ProviderProfile | None
    params: Mapping[str, Parameter]
    endpoint: str
    assets: Mapping[str, Asset]

    @property
    def model(self) -> str:
        """The model's name as the user knows it (``Kling V3``)."""
        return self.entry.name

    @property
    def c(self) -> Constraints:
        return self.entry.constraints

    def param(self, key: str) -> Parameter | None:
        return self.params.get(key)

    def takes(self, key: str) -> bool:
        """Whether the model takes ``key`` on the endpoint this storyboard goes to."""
        p = self.params.get(key)
        return p is not None and (not p.endpoints or self.endpoint in p.endpoints)

    @property
    def intelligence(self) -> bool:
        return self.sb.settings.shot_type == "intelligence"

    @property
    def multi_customize(self) -> bool:
        """Several shots whose prompts and durations are sent as ``multi_prompt``."""
        return len(self.sb.shots) > 1 and not self.intelligence

    def upper(self, model_limit: int | None, provider_limit: int | None) -> tuple[int | None, str]:
        """The stricter of two maxima, with who sets it (model or provider label)."""
        stricter = provider_limit is not None and (
            model_limit is None or provider_limit < model_limit
        )
        if stricter and self.profile is not None:
            return provider_limit, self.profile.label
        return model_limit, self.model

    def lower(self, model_limit: int, provider_limit: int | None) -> tuple[int, str]:
        """The stricter of two minima, with who sets it."""
        if provider_limit is not None and self.profile is not None and provider_limit > model_limit:
            return provider_limit, self.profile.label
        return model_limit, self.model

    def allowed_modes(self) -> tuple[str, ...]:
        """Modes both the model and the provider offer, in catalog order (lowest first)."""
        modes = self.entry.enum("mode")
        if self.profile is not None and self.profile.modes:
            modes = tuple(m for m in modes if m in self.profile.modes)
        return modes

    def models_taking(self, key: str) -> tuple[str, ...]:
        """Names of the storyboard models that take ``key`` (for "switch to …" hints)."""
        p = self.profile
        return tuple(
            m.name
            for m in self.catalog.storyboard_models()
            if m.param(key) is not None and (p is None or p.offers(m.vendor_id))
        )


def build(
    sb: Storyboard, catalog: Catalog, entry: ModelEntry, profile: ProviderProfile | None
) -> Ctx:
    return Ctx(
        sb=sb,
        catalog=catalog,
        entry=entry,
        profile=profile,
        params={p.key: p for p in entry.parameters},
        endpoint=endpoint_for(sb, entry),
        assets={a.hash: a for a in sb.assets},
    )
