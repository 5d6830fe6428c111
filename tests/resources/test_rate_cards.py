"""The rate cards shipped in resources/rate_cards load, and every price says where it is from."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from kling_studio.domain.pricing import RateCard
from kling_studio.resources import load_rate_card, resources_dir

SHIPPED = sorted(p.stem for p in (resources_dir() / "rate_cards").glob("*.json"))


def test_the_expected_cards_are_shipped() -> None:
    assert SHIPPED == ["fal", "kling", "piapi", "replicate", "simulator"]


@pytest.mark.parametrize("name", SHIPPED)
def test_card_loads_and_every_row_has_a_source_and_a_date(name: str) -> None:
    card = load_rate_card(name)
    assert isinstance(card, RateCard)
    assert card.provider == name
    assert card.currency == "USD"
    assert card.sources
    assert card.rows
    for row in card.rows:
        assert row.source.strip(), row
        assert isinstance(card.row_date(row), date)
        assert date(2026, 1, 1) <= card.row_date(row) <= card.dated


@pytest.mark.parametrize("name", ["fal", "piapi", "replicate"])
def test_resellers_bill_money_directly(name: str) -> None:
    card = load_rate_card(name)
    assert card is not None
    assert card.unit_name is None and card.unit_price is None


def test_official_card_is_in_units_at_fourteen_cents() -> None:
    card = load_rate_card("kling")
    assert card is not None
    assert (card.unit_name, card.unit_price) == ("unit", 0.14)
    assert {r.model for r in card.rows} >= {
        "kling-v3", "kling-v3-omni", "kling-video-o1", "kling-v2-6", "kling-v2-5-turbo"
    }  # fmt: skip


def test_simulator_charges_the_official_prices() -> None:
    kling, sim = load_rate_card("kling"), load_rate_card("simulator")
    assert kling is not None and sim is not None
    assert sim.rows == kling.rows
    assert sim.unit_price == kling.unit_price


@pytest.mark.parametrize("name", ["picsart", "scenario", "freepik"])
def test_no_card_for_providers_without_public_prices(name: str) -> None:
    assert load_rate_card(name) is None


def test_user_override_file_is_applied(tmp_path: Path) -> None:
    override = tmp_path / "kling-override.json"
    override.write_text(json.dumps({"unit_price": 0.098}), encoding="utf-8")
    card = load_rate_card("kling", override)
    assert card is not None
    assert card.unit_price == 0.098


def test_override_file_for_a_provider_without_card(tmp_path: Path) -> None:
    override = tmp_path / "scenario.json"
    whole = {
        "provider": "scenario",
        "label": "Scenario (my plan)",
        "dated": "2026-11-01",
        "rows": [{"model": "kling-v3", "per_second": 0.2, "source": "dryRun quote"}],
    }
    override.write_text(json.dumps(whole), encoding="utf-8")
    card = load_rate_card("scenario", override)
    assert card is not None and card.rows[0].per_second == 0.2


def test_malformed_override_file_names_the_field(tmp_path: Path) -> None:
    override = tmp_path / "bad.json"
    override.write_text(json.dumps({"rows": [{"model": "kling-v3", "per_second": "x"}]}))
    with pytest.raises(ValueError, match=r"rows\[0\]\.per_second"):
        load_rate_card("kling", override)
