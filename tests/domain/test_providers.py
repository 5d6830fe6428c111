"""Provider profiles: loading, lookup, and "a profile only ever makes the model stricter"."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kling_studio.domain.providers import ProviderProfile, ProviderProfiles
from kling_studio.resources import load_catalog, load_providers

EXPECTED = ("kling", "simulator", "fal", "picsart", "scenario", "replicate", "piapi", "freepik")


def test_shipped_profiles_load_in_file_order_with_kling_as_default() -> None:
    profiles = load_providers()
    assert profiles.names() == EXPECTED
    assert profiles.default == "kling"
    assert profiles.get("kling").official
    assert all(p.sources for p in profiles.profiles)


def test_get_unknown_provider_raises_key_error_naming_the_known_ones() -> None:
    with pytest.raises(KeyError) as err:
        load_providers().get("runway")
    message = str(err.value)
    assert "runway" in message
    assert "kling, simulator, fal" in message


def test_membership_and_lookup_agree() -> None:
    profiles = load_providers()
    assert "fal" in profiles
    assert "runway" not in profiles
    assert profiles.get("fal").label == "fal.ai"


def test_reseller_facts_from_the_research_notes() -> None:
    profiles = load_providers()
    fal, freepik, picsart = profiles.get("fal"), profiles.get("freepik"), profiles.get("picsart")
    assert fal.min_shot_seconds == 3
    assert fal.inline_media == "data_uri"
    assert not fal.supports_elements
    assert freepik.max_reference_images == 4
    assert picsart.needs_urls
    assert not fal.needs_urls
    assert profiles.get("kling").inline_media == "base64"
    assert "4k" not in profiles.get("replicate").modes


def test_simulator_has_the_same_limits_as_the_official_api() -> None:
    profiles = load_providers()
    ignore = {"name", "label", "official", "notes", "sources"}
    kling = profiles.get("kling").model_dump(exclude=ignore)
    assert profiles.get("simulator").model_dump(exclude=ignore) == kling


@pytest.mark.parametrize("name", EXPECTED)
def test_profile_only_tightens_the_models_it_offers(name: str) -> None:
    catalog = load_catalog()
    profile = load_providers().get(name)
    models = {m.vendor_id: m for m in catalog.storyboard_models()}
    assert set(profile.models) <= set(models), "a profile names a model the catalog lacks"
    catalog_modes = {mode for m in models.values() for mode in m.enum("mode")}
    assert set(profile.modes) <= catalog_modes
    for vendor_id, entry in models.items():
        if not profile.offers(vendor_id):
            continue
        c = entry.constraints
        if profile.min_shot_seconds is not None:
            assert profile.min_shot_seconds >= c.min_shot_seconds
        if profile.max_shots is not None and entry.param("multi_shot") is not None:
            assert profile.max_shots <= c.max_shots
        if profile.max_reference_images is not None and c.max_refs_total is not None:
            assert profile.max_reference_images <= c.max_refs_total


def test_offers_every_model_when_the_list_is_empty() -> None:
    profile = ProviderProfile(name="x", label="X")
    assert profile.offers("kling-v3")
    assert not ProviderProfile(name="x", label="X", models=("kling-v3",)).offers("kling-v2-6")


def test_profiles_are_frozen() -> None:
    profile = load_providers().get("fal")
    with pytest.raises(ValidationError):
        profile.min_shot_seconds = 1  # type: ignore[misc]


def test_duplicate_names_are_rejected() -> None:
    with pytest.raises(ValidationError, match="duplicate provider names"):
        ProviderProfiles(
            profiles=(
                ProviderProfile(name="kling", label="A"),
                ProviderProfile(name="kling", label="B"),
            )
        )


def test_default_must_have_a_profile() -> None:
    with pytest.raises(ValidationError, match="default provider"):
        ProviderProfiles(default="fal", profiles=(ProviderProfile(name="kling", label="K"),))


def test_inverted_total_range_is_rejected() -> None:
    with pytest.raises(ValidationError, match="total_min"):
        ProviderProfile(name="x", label="X", total_min=10, total_max=5)


def test_unknown_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        ProviderProfile.model_validate({"name": "x", "label": "X", "max_shot": 3})
