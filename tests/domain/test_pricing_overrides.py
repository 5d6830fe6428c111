"""User overrides of rate cards (a JSON object of the card's shape)."""

from __future__ import annotations

from typing import Any

import pytest

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.pricing import RateCard, apply_override, estimate
from kling_studio.resources import load_catalog, load_rate_card
from tests.domain.pricing_boards import board


@pytest.fixture
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def kling() -> RateCard:
    card = load_rate_card("kling")
    assert card is not None
    return card


def test_unit_price_override_changes_money_not_units(catalog: Catalog, kling: RateCard) -> None:
    card = apply_override(kling, {"unit_price": 0.1})
    est = estimate(board(mode="pro", sound=True, shots=(10,)), catalog, card)
    assert est.units == pytest.approx(12)
    assert est.money == pytest.approx(1.2)
    assert len(card.rows) == len(kling.rows)


def test_override_row_with_same_keys_replaces_the_card_row(
    catalog: Catalog, kling: RateCard
) -> None:
    row = {"model": "kling-v3", "mode": "pro", "sound": True, "voice": False, "per_second": 1.0}
    card = apply_override(kling, {"rows": [row]})
    assert len(card.rows) == len(kling.rows)
    est = estimate(board(mode="pro", sound=True, shots=(10,)), catalog, card)
    assert est.units == pytest.approx(10)
    assert est.lines[0].source == "user override"


def test_general_override_row_wins_over_specific_card_rows(
    catalog: Catalog, kling: RateCard
) -> None:
    card = apply_override(kling, {"rows": [{"model": "kling-v3", "per_second": 0.5}]})
    for mode, sound in (("std", False), ("pro", True), ("4k", False)):
        est = estimate(board(mode=mode, sound=sound, shots=(10,)), catalog, card)
        assert est.units == pytest.approx(5), mode
    # other models keep the card's prices
    omni = estimate(board("kling-v3-omni", mode="pro", shots=(10,)), catalog, card)
    assert omni.units == pytest.approx(8)


def test_most_specific_override_row_wins_among_overrides(catalog: Catalog, kling: RateCard) -> None:
    rows = [
        {"model": "kling-v3", "mode": "pro", "per_second": 2.0, "source": "my deal"},
        {"model": "kling-v3", "per_second": 0.5},
    ]
    card = apply_override(kling, {"rows": rows})
    assert estimate(board(mode="pro", shots=(10,)), catalog, card).units == pytest.approx(20)
    assert estimate(board(mode="std", shots=(10,)), catalog, card).units == pytest.approx(5)


def test_override_sources_are_appended(kling: RateCard) -> None:
    card = apply_override(kling, {"sources": ["my invoice 2026-11"], "dated": "2026-11-20"})
    assert card.sources == (*kling.sources, "my invoice 2026-11")
    assert card.dated.isoformat() == "2026-11-20"


def test_override_defines_a_whole_card_when_none_exists(catalog: Catalog) -> None:
    data = {
        "provider": "picsart",
        "label": "Picsart (my quote)",
        "unit_name": "credit",
        "unit_price": 0.01,
        "dated": "2026-11-01",
        "rows": [{"model": "kling-v3", "mode": "pro", "per_second": 5, "source": "gen-ai pricing"}],
    }
    card = apply_override(None, data)
    est = estimate(board(mode="pro", shots=(10,), provider="picsart"), catalog, card)
    assert est.units == pytest.approx(50)
    assert est.money == pytest.approx(0.5)
    assert (
        est.lines[0].label == "kling-v3 · pro · no audio · 10 s × 5 credits/s = 50 credits ($0.50)"
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"unit_price": "cheap"}, "unit_price"),
        ({"unit_price": -1}, "unit_price"),
        ({"unit_prize": 0.1}, "unit_prize"),
        ({"dated": "last tuesday"}, "dated"),
        ({"rows": {"model": "kling-v3"}}, "rows"),
        ({"rows": [{"model": "kling-v3", "per_second": -1}]}, "rows[0].per_second"),
        ({"rows": [{"model": "kling-v3", "sound": "on", "per_second": 1}]}, "rows[0].sound"),
        ({"rows": [{"model": "kling-v3"}]}, "per_second"),
        ({"rows": [{"model": "kling-v3", "per_second": 1, "per_clip": {"5": 1}}]}, "per_clip"),
        ({"rows": [{"model": "kling-v3", "per_clip": {"five": 1}}]}, "rows[0].per_clip"),
        ({"rows": [{"per_second": 1}]}, "rows[0].model"),
        ({"rows": ["kling-v3"]}, "rows[0]"),
        (
            {
                "rows": [
                    {"model": "kling-v3", "per_second": 1},
                    {"model": "kling-v3", "per_second": 2},
                ]
            },
            "rows[1]",
        ),
    ],
)
def test_malformed_override_names_the_field(
    kling: RateCard, data: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValueError, match=r"^rate card override: .*") as info:
        apply_override(kling, data)
    assert field in str(info.value)


def test_incomplete_whole_card_names_the_missing_field() -> None:
    with pytest.raises(ValueError, match="provider"):
        apply_override(None, {"rows": []})


def test_override_that_is_not_an_object() -> None:
    with pytest.raises(ValueError, match="JSON object"):
        apply_override(None, ["kling"])  # type: ignore[arg-type]


def test_unit_price_without_unit_name_is_refused() -> None:
    fal = load_rate_card("fal")
    with pytest.raises(ValueError, match="unit_name"):
        apply_override(fal, {"unit_price": 0.2})
