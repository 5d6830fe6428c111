"""Timing rules: shot count, per-shot minimum, allowed totals (KS1xx)."""

from __future__ import annotations

from kling_studio.domain.findings import Fix
from kling_studio.domain.providers import ProviderProfile
from kling_studio.domain.rules import check
from tests.domain.strategies import CATALOG, PROVIDERS, board, catalog_with, found, image, video


def test_single_shot_model_rejects_several_shots_and_names_a_multi_shot_model() -> None:
    sb = board(durations=(2, 3, 5), model="kling-v2-6")
    [f] = found(check(sb, CATALOG), "KS101")
    assert f.path == "shots"
    assert f.severity == "error"
    assert f.message == "Kling V2.6 takes a single shot; merge the 3 shots or switch to Kling V3."
    assert f.fix == Fix(label="Merge into one shot", action="merge_shots")


def test_six_shots_fit_kling_v3() -> None:
    assert not found(check(board(durations=(1, 2, 2, 2, 2, 1), model="kling-v3"), CATALOG), "KS101")


def test_shot_count_limit_is_read_from_the_catalog() -> None:
    catalog = catalog_with("kling-v3", constraints={"max_shots": 4})
    sb = board(durations=(1, 1, 1, 1, 1))
    [f] = found(check(sb, catalog), "KS101")
    assert f.message == "The storyboard has 5 shots; Kling V3 takes at most 4."
    assert f.fix is None
    assert not found(check(board(durations=(1, 1, 1, 1)), catalog), "KS101")


def test_ai_planned_shots_are_not_counted() -> None:
    catalog = catalog_with("kling-v3", constraints={"max_shots": 2})
    sb = board(durations=(1, 1, 1), shot_type="intelligence", prompt="a fox story")
    assert not found(check(sb, catalog), "KS101")


def test_fal_needs_three_second_shots_and_offers_to_distribute() -> None:
    sb = board(durations=(1, 4, 4), provider="fal")
    findings = check(sb, CATALOG, PROVIDERS)
    [f] = found(findings, "KS102")
    assert f.path == "shots[0].duration"
    assert f.message == "Shot 1 is 1 s; fal.ai needs at least 3 s per shot."
    assert f.fix == Fix(label="Distribute the time evenly", action="distribute_evenly", value=3)


def test_fal_minimum_without_room_explains_instead_of_offering_a_fix() -> None:
    sb = board(durations=(1, 2, 2), provider="fal")
    findings = found(check(sb, CATALOG, PROVIDERS), "KS102")
    assert [f.path for f in findings] == [f"shots[{i}].duration" for i in range(3)]
    assert all(f.fix is None for f in findings)
    assert "5 s holds at most 1 shot of 3 s" in findings[0].message


def test_official_api_takes_one_second_shots() -> None:
    sb = board(durations=(1, 1, 3))
    assert not found(check(sb, CATALOG, PROVIDERS), "KS102")
    assert not found(check(sb, CATALOG), "KS102")


def test_total_not_in_the_model_grid_offers_the_nearest_allowed_total() -> None:
    findings = check(board(durations=(7,), model="kling-v2-6"), CATALOG)
    [f] = found(findings, "KS103")
    assert f.path == "total"
    assert f.message == "The total is 7 s; Kling V2.6 allows 5 or 10 s."
    assert f.fix == Fix(label="Set total to 5 s", action="set_total", value=5)
    [g] = found(check(board(durations=(8,), model="kling-v2-6"), CATALOG), "KS103")
    assert g.fix is not None and g.fix.value == 10


def test_v3_totals_from_3_to_15_are_allowed() -> None:
    assert not found(check(board(durations=(15,)), CATALOG), "KS103")
    [f] = found(check(board(durations=(2,)), CATALOG), "KS103")
    assert f.message == "The total is 2 s; Kling V3 allows 3–15 s."
    assert f.fix is not None and f.fix.value == 3


def test_reference_video_caps_the_total_at_ten_seconds() -> None:
    sb = board(durations=(12,), model="kling-v3-omni", reference_video=video())
    [f] = found(check(sb, CATALOG), "KS104")
    assert f.message == "The total is 12 s; with a reference video Kling V3 Omni allows 3–10 s."
    assert f.fix is not None and f.fix.value == 10
    assert not found(check(board(durations=(12,), model="kling-v3-omni"), CATALOG), "KS104")


def test_o1_without_references_takes_only_5_or_10_seconds() -> None:
    [f] = found(check(board(durations=(7,), model="kling-video-o1"), CATALOG), "KS105")
    assert "without reference images, elements or a reference video" in f.message
    assert "5 or 10 s" in f.message
    assert f.fix is not None and f.fix.value == 5
    with_ref = board(durations=(7,), model="kling-video-o1", reference_images=(image(),))
    assert not found(check(with_ref, CATALOG), "KS105")


def test_provider_total_range_is_applied_when_stricter() -> None:
    strict = ProviderProfile(name="strict", label="Strict", total_min=6, total_max=12)
    [f] = found(check(board(durations=(5,)), CATALOG, strict), "KS106")
    assert f.message == "The total is 5 s; Strict allows 6–12 s."
    assert f.fix is not None and f.fix.value == 6
    assert not found(check(board(durations=(6,)), CATALOG, strict), "KS106")


def test_only_one_total_finding_with_a_fix_that_satisfies_every_source() -> None:
    # O1 without references: grid 3-10, no-reference rule 5/10, provider 8-15 -> only 10 fits.
    strict = ProviderProfile(name="strict", label="Strict", total_min=8)
    findings = check(board(durations=(4,), model="kling-video-o1"), CATALOG, strict)
    totals = [f for f in findings if f.path == "total"]
    assert len(totals) == 1
    assert totals[0].fix is not None and totals[0].fix.value == 10


def test_total_fix_prefers_a_total_the_shots_still_fit_into() -> None:
    # 2 s is below Kling V3's 3 s; 3 s is nearest, but two 3 s shots on fal need 6 s.
    [f] = found(check(board(durations=(1, 1), provider="fal"), CATALOG, PROVIDERS), "KS103")
    assert f.fix is not None and f.fix.value == 6
    [g] = found(check(board(durations=(1, 1)), CATALOG, PROVIDERS), "KS103")
    assert g.fix is not None and g.fix.value == 3
