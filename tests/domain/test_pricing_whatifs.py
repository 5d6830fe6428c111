"""What-ifs: what a change would save or cost, offered only when the change is valid."""

from __future__ import annotations

import pytest

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.fixes import apply_fix
from kling_studio.domain.pricing import Estimate, RateCard, WhatIf, estimate
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


def _by_label(est: Estimate) -> dict[str, WhatIf]:
    return {w.label: w for w in est.what_ifs}


def test_8a_what_ifs(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board(mode="pro", sound=True, shots=(4, 3, 3)), catalog, kling)
    w = _by_label(est)
    assert set(w) == {
        "Sound off",
        "Switch to Standard (720p)",
        "Switch to 4K",
        "Total 9 s (1 s shorter)",
    }
    off = w["Sound off"]
    assert off.delta_units == pytest.approx(-4)
    assert off.delta_money == pytest.approx(-0.56)
    assert off.new_units == pytest.approx(8)
    assert off.new_total == pytest.approx(1.12)
    assert off.fix.action == "sound_off"
    assert w["Switch to Standard (720p)"].delta_units == pytest.approx(-3)
    assert w["Switch to Standard (720p)"].fix.value == "std"
    assert w["Switch to 4K"].delta_units == pytest.approx(18)
    assert w["Total 9 s (1 s shorter)"].delta_units == pytest.approx(-1.2)
    assert w["Total 9 s (1 s shorter)"].fix.value == 9


def test_sound_on_when_off(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board(mode="std", shots=(10,)), catalog, kling)
    on = _by_label(est)["Sound on"]
    assert on.delta_units == pytest.approx(3)  # (0.9 - 0.6) u/s × 10 s
    assert on.fix.action == "sound_on"


def test_sound_on_with_voices_prices_the_voice_rate(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board(mode="pro", voices=1, shots=(10,)), catalog, kling)
    assert _by_label(est)["Sound on"].new_units == pytest.approx(14)


def test_what_if_prices_match_the_fix_applied(catalog: Catalog, kling: RateCard) -> None:
    sb = board(mode="pro", sound=True, shots=(6, 4, 5))
    for w in estimate(sb, catalog, kling).what_ifs:
        after = estimate(apply_fix(sb, w.fix), catalog, kling)
        assert after.money == pytest.approx(w.new_total), w.label
        assert after.units == pytest.approx(w.new_units), w.label


def test_v2_6_std_offers_no_sound_and_only_the_5s_clip(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board("kling-v2-6", mode="std", shots=(10,)), catalog, kling)
    w = _by_label(est)
    assert "Sound on" not in w  # kling-v2-6 has audio in pro only
    assert "Switch to 4K" not in w
    assert set(w) == {"Switch to Pro (1080p)", "Total 5 s (5 s shorter)"}
    assert w["Total 5 s (5 s shorter)"].delta_units == pytest.approx(-1.5)


def test_v2_6_pro_with_sound_cannot_switch_to_std(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board("kling-v2-6", mode="pro", sound=True, shots=(5,)), catalog, kling)
    w = _by_label(est)
    assert "Switch to Standard (720p)" not in w
    assert w["Sound off"].delta_units == pytest.approx(-2.5)
    assert not any(label.startswith("Total") for label in w)  # 5 s is the shortest clip


def test_reference_video_blocks_sound_and_4k(catalog: Catalog, kling: RateCard) -> None:
    sb = board("kling-v3-omni", mode="pro", shots=(8,), images=2, video="feature")
    w = _by_label(estimate(sb, catalog, kling))
    assert set(w) == {"Switch to Standard (720p)", "Total 7 s (1 s shorter)"}
    assert w["Switch to Standard (720p)"].delta_units == pytest.approx(-2.4)


def test_video_edit_offers_no_shorter_total(catalog: Catalog, kling: RateCard) -> None:
    sb = board("kling-v3-omni", mode="pro", shots=(8,), video="base", video_seconds=5.0)
    w = _by_label(estimate(sb, catalog, kling))
    assert not any(label.startswith("Total") for label in w)


def test_4k_sound_off_saves_nothing(catalog: Catalog, kling: RateCard) -> None:
    w = _by_label(estimate(board(mode="4k", sound=True, shots=(5,)), catalog, kling))
    assert w["Sound off"].delta_units == 0
    assert w["Switch to Pro (1080p)"].delta_units == pytest.approx(-9)  # 3.0 -> 1.2 u/s


def test_o1_without_references_goes_from_10_to_5(catalog: Catalog, kling: RateCard) -> None:
    w = _by_label(estimate(board("kling-video-o1", mode="pro", shots=(10,)), catalog, kling))
    assert set(w) == {"Switch to Standard (720p)", "Total 5 s (5 s shorter)"}


def test_shortest_total_offers_no_shorter(catalog: Catalog, kling: RateCard) -> None:
    w = _by_label(estimate(board(mode="std", shots=(3,)), catalog, kling))
    assert not any(label.startswith("Total") for label in w)


def test_one_second_shots_cannot_shrink(catalog: Catalog, kling: RateCard) -> None:
    w = _by_label(estimate(board(mode="std", shots=(1, 1, 1, 1, 1, 1)), catalog, kling))
    assert not any(label.startswith("Total") for label in w)


def test_reseller_what_ifs_are_money_only(catalog: Catalog) -> None:
    fal = load_rate_card("fal")
    w = _by_label(estimate(board(mode="pro", sound=True, shots=(10,)), catalog, fal))
    assert w["Sound off"].delta_units is None
    assert w["Sound off"].delta_money == pytest.approx(-0.56)


def test_what_if_the_card_cannot_price_is_left_out(catalog: Catalog) -> None:
    replicate = load_rate_card("replicate")  # prices kling-v3 pro only
    est = estimate(board(mode="pro", sound=True, shots=(10,)), catalog, replicate)
    assert est.known
    assert set(_by_label(est)) == {"Sound off", "Total 9 s (1 s shorter)"}


def test_unknown_estimate_has_no_what_ifs(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board("kling-v2-6", mode="pro", shots=(7,)), catalog, kling)
    assert not est.known
    assert est.what_ifs == ()
