"""The live estimate against Kling's published prices (kling-api.md §7, §8)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kling_studio.domain.catalog import Catalog
from kling_studio.domain.pricing import PriceQuery, RateCard, RateRow, estimate, match_row
from kling_studio.domain.pricing.billing import billing_of
from kling_studio.domain.storyboard import Storyboard
from kling_studio.resources import load_catalog, load_rate_card
from tests.domain.pricing_boards import board

CATALOG = load_catalog()
KLING = load_rate_card("kling")
assert KLING is not None


@pytest.fixture
def catalog() -> Catalog:
    return CATALOG


@pytest.fixture
def kling() -> RateCard:
    assert KLING is not None
    return KLING


# ----- the worked examples of kling-api.md §8 -----


def test_8a_three_shot_pro_audio_ten_seconds(catalog: Catalog, kling: RateCard) -> None:
    sb = board("kling-v3", mode="pro", sound=True, shots=(4, 3, 3))
    est = estimate(sb, catalog, kling)
    assert est.known
    assert est.units == pytest.approx(12)
    assert est.money == pytest.approx(1.68)
    assert est.money_display == "$1.68"
    assert est.currency == "USD"
    assert [line.label for line in est.lines] == [
        "kling-v3 · pro · audio · 10 s × 1.2 u/s = 12 u ($1.68)"
    ]
    assert est.lines[0].note == "3 shots billed once, as one 10 s task"


def test_8b_omni_pro_with_reference_video(catalog: Catalog, kling: RateCard) -> None:
    sb = board("kling-v3-omni", mode="pro", shots=(8,), images=2, video="feature")
    est = estimate(sb, catalog, kling)
    assert est.units == pytest.approx(9.6)
    assert est.money == 1.344  # exact, not a float artefact of 1.2 × 8 × 0.14
    assert est.money_display == "$1.34"
    assert est.lines[0].label == "kling-v3-omni · pro · video input · 8 s × 1.2 u/s = 9.6 u ($1.34)"


# ----- every row of the official card is reachable -----


def _storyboard_for(row: RateRow, seconds: int) -> Storyboard:
    mode = row.mode if row.mode != "*" else "std"
    return board(
        row.model,
        mode=mode,
        sound=row.sound is True,
        voices=1 if row.voice is True else 0,
        video="feature" if row.video_input is True else None,
        shots=(seconds,),
    )


def _cases() -> list[tuple[RateRow, int]]:
    cases: list[tuple[RateRow, int]] = []
    for row in KLING.rows if KLING else ():
        lengths = sorted(int(k) for k in row.per_clip) if row.per_clip else [5]
        cases += [(row, s) for s in lengths]
    return cases


@pytest.mark.parametrize(
    ("row", "seconds"),
    _cases(),
    ids=[
        f"{r.model}-{r.endpoint}-{r.mode}-{r.sound}-{r.voice}-{r.video_input}-{s}s"
        for r, s in _cases()
    ],
)
def test_every_official_row_prices_a_request(
    row: RateRow, seconds: int, catalog: Catalog, kling: RateCard
) -> None:
    expected = row.per_clip[str(seconds)] if row.per_clip else (row.per_second or 0) * seconds
    if row.endpoint != "*":
        # Motion control is another endpoint: no storyboard targets it, but the card prices it.
        query = PriceQuery(row.model, row.endpoint, row.mode, False, False, False)
        assert match_row(kling, query) is row
        return
    sb = _storyboard_for(row, seconds)
    assert match_row(kling, billing_of(sb, catalog.kling(row.model)).query) is row
    est = estimate(sb, catalog, kling)
    assert est.known, est.reason
    assert est.units == pytest.approx(expected)
    assert est.money == pytest.approx(expected * 0.14)
    assert est.lines[0].source == row.source
    assert est.lines[0].dated == (row.dated or kling.dated)


def test_motion_control_rows_never_price_a_storyboard(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board("kling-v3", mode="std"), catalog, kling)
    assert "motion-control" not in est.lines[0].label
    assert est.units == pytest.approx(0.6 * 5)


# ----- per-clip models -----


@pytest.mark.parametrize(
    ("model", "mode", "sound", "seconds", "units", "money"),
    [
        ("kling-v2-6", "std", False, 5, 1.5, 0.21),
        ("kling-v2-6", "std", False, 10, 3.0, 0.42),
        ("kling-v2-6", "pro", False, 5, 2.5, 0.35),
        ("kling-v2-6", "pro", True, 10, 10.0, 1.40),
        ("kling-v2-5-turbo", "std", False, 5, 1.5, 0.21),
        ("kling-v2-5-turbo", "pro", False, 10, 5.0, 0.70),
    ],
)
def test_per_clip_models_price_whole_clips(
    catalog: Catalog,
    kling: RateCard,
    model: str,
    mode: str,
    sound: bool,
    seconds: int,
    units: float,
    money: float,
) -> None:
    est = estimate(board(model, mode=mode, sound=sound, shots=(seconds,)), catalog, kling)
    assert est.units == pytest.approx(units)
    assert est.money == pytest.approx(money)
    assert f"{seconds} s clip" in est.lines[0].label


def test_per_clip_model_at_an_unsold_length_is_unknown(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board("kling-v2-6", mode="pro", shots=(7,)), catalog, kling)
    assert not est.known
    assert est.units is None and est.money is None
    assert est.reason == "Kling (official) sells kling-v2-6 only as 5 s or 10 s clips, not 7 s"


# ----- voice rate -----


def test_voice_rate_applies_with_audio_and_an_attached_voice(
    catalog: Catalog, kling: RateCard
) -> None:
    with_voice = estimate(board(mode="std", sound=True, voices=1), catalog, kling)
    without = estimate(board(mode="std", sound=True), catalog, kling)
    assert with_voice.units == pytest.approx(1.1 * 5)
    assert without.units == pytest.approx(0.9 * 5)
    assert "audio + voice" in with_voice.lines[0].label


def test_voice_without_audio_bills_the_silent_rate(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board(mode="pro", sound=False, voices=2), catalog, kling)
    assert est.units == pytest.approx(0.8 * 5)


def test_v2_6_voice_clip(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(
        board("kling-v2-6", mode="pro", sound=True, voices=1, shots=(10,)), catalog, kling
    )
    assert est.units == pytest.approx(12)
    assert est.money == pytest.approx(1.68)


# ----- video input and video editing -----


def test_base_video_bills_the_rounded_input_length(catalog: Catalog, kling: RateCard) -> None:
    sb = board("kling-v3-omni", mode="pro", shots=(10,), video="base", video_seconds=6.5)
    est = estimate(sb, catalog, kling)
    assert est.units == pytest.approx(1.2 * 7)  # 6.5 s rounds half up to 7 s, not total 10 s
    assert "video input (base) · 7 s" in est.lines[0].label
    assert "6.5 s input video" in (est.lines[0].note or "")


def test_base_video_rounds_down_below_half(catalog: Catalog, kling: RateCard) -> None:
    sb = board("kling-v3-omni", mode="std", shots=(10,), video="base", video_seconds=4.4)
    assert estimate(sb, catalog, kling).units == pytest.approx(0.9 * 4)


def test_base_video_of_unknown_length_falls_back_to_total(
    catalog: Catalog, kling: RateCard
) -> None:
    sb = board("kling-v3-omni", mode="pro", shots=(8,), video="base", video_seconds=None)
    est = estimate(sb, catalog, kling)
    assert est.units == pytest.approx(1.2 * 8)
    assert "input video length unknown" in (est.lines[0].note or "")


def test_feature_video_bills_the_total(catalog: Catalog, kling: RateCard) -> None:
    sb = board("kling-v3-omni", mode="std", shots=(4, 4), video="feature", video_seconds=3.0)
    assert estimate(sb, catalog, kling).units == pytest.approx(0.9 * 8)


def test_omni_audio_without_video(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board("kling-v3-omni", mode="pro", sound=True, shots=(5,)), catalog, kling)
    assert est.units == pytest.approx(5.0)


def test_4k_costs_the_same_with_or_without_audio(catalog: Catalog, kling: RateCard) -> None:
    loud = estimate(board(mode="4k", sound=True, shots=(15,)), catalog, kling)
    quiet = estimate(board(mode="4k", sound=False, shots=(15,)), catalog, kling)
    assert loud.units == quiet.units == pytest.approx(45)
    assert loud.money == pytest.approx(6.30)


# ----- unknown prices say why -----


def test_model_without_rows_is_unknown_with_reason(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board("kling-v1-6", mode="pro"), catalog, kling)
    assert not est.known
    assert est.money is None and est.units is None
    assert est.reason == "No price known for kling-v1-6 on Kling (official)"


@pytest.mark.parametrize("provider", ["picsart", "scenario", "freepik"])
def test_provider_without_card_is_unknown(catalog: Catalog, provider: str) -> None:
    assert load_rate_card(provider) is None
    est = estimate(board(provider=provider), catalog, load_rate_card(provider))
    assert not est.known
    assert est.money is None
    assert est.reason == f"No price known for kling-v3 on {provider}: it has no rate card"


def test_reseller_without_a_matching_row_names_the_conditions(catalog: Catalog) -> None:
    fal = load_rate_card("fal")
    sb = board("kling-v3-omni", mode="pro", shots=(5,), video="feature")
    est = estimate(sb, catalog, fal)
    assert not est.known
    assert est.reason == "No price known for kling-v3-omni · pro · video input on fal.ai"


def test_unknown_model_is_unknown(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board("kling-v9"), catalog, kling)
    assert est.reason == "No price known for kling-v9 on Kling (official)"


def test_model_priced_but_not_in_catalog(catalog: Catalog, kling: RateCard) -> None:
    est = estimate(board("kling-3.0-turbo", mode="pro", shots=(10,)), catalog, kling)
    assert est.units == pytest.approx(10)
    assert "audio always on" in (est.lines[0].note or "")
    assert est.what_ifs == ()  # no catalog entry: nothing is known to be valid


# ----- resellers bill money directly -----


def test_reseller_prices_money_per_second(catalog: Catalog) -> None:
    fal = load_rate_card("fal")
    est = estimate(board(mode="pro", sound=True, shots=(15,)), catalog, fal)
    assert est.units is None
    assert est.money == pytest.approx(2.52)
    assert est.lines[0].label == "kling-v3 · pro · audio · 15 s × $0.168/s = $2.52"
    assert est.uncertain


def test_reseller_per_clip(catalog: Catalog) -> None:
    piapi = load_rate_card("piapi")
    est = estimate(board("kling-video-o1", mode="std", shots=(10,)), catalog, piapi)
    assert est.money == pytest.approx(0.78)
    assert est.units is None


def test_official_prices_are_not_marked_uncertain(catalog: Catalog, kling: RateCard) -> None:
    assert not estimate(board(mode="pro"), catalog, kling).uncertain


# ----- multi-shot bills the total once -----


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=1, max_size=6).filter(lambda d: 3 <= sum(d) <= 15),
    st.sampled_from(["std", "pro", "4k"]),
    st.booleans(),
)
def test_split_into_shots_costs_the_same_as_one_shot(
    durations: list[int], mode: str, sound: bool
) -> None:
    assert KLING is not None
    split = estimate(board(mode=mode, sound=sound, shots=tuple(durations)), CATALOG, KLING)
    whole = estimate(board(mode=mode, sound=sound, shots=(sum(durations),)), CATALOG, KLING)
    assert split.units == whole.units
    assert split.money == whole.money
    assert split.money is not None and split.money > 0
