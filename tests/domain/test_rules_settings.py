"""Settings rules: aspect ratio, mode, sound, CFG, shot type (KS3xx) and reference-video
settings (KS601, KS602)."""

from __future__ import annotations

from kling_studio.domain.findings import Fix
from kling_studio.domain.rules import check
from tests.domain.strategies import CATALOG, PROVIDERS, board, catalog_with, found, image, video


def test_aspect_ratio_outside_the_enum() -> None:
    [f] = found(check(board(aspect_ratio="4:3"), CATALOG), "KS301")
    assert f.path == "settings.aspect_ratio"
    assert f.message == "Aspect ratio 4:3 is not offered by Kling V3; choose 16:9, 9:16 or 1:1."
    assert f.fix == Fix(label="Use 16:9", action="set_aspect_ratio", value="16:9")


def test_aspect_ratio_is_not_checked_when_the_start_frame_decides_it() -> None:
    sb = board(aspect_ratio="4:3", start_frame=image())
    assert not found(check(sb, CATALOG), "KS301")


def test_4k_only_where_the_catalog_allows_it() -> None:
    [f] = found(check(board(model="kling-v2-6", mode="4k"), CATALOG), "KS302")
    assert f.path == "settings.mode"
    assert f.message == "Kling V2.6 has no 4K mode; it offers Standard (720p) or Pro (1080p)."
    assert f.fix == Fix(label="Switch to Pro", action="set_mode", value="pro")
    assert not found(check(board(mode="4k"), CATALOG), "KS302")


def test_mode_enum_is_read_from_the_catalog() -> None:
    catalog = catalog_with(
        "kling-v3", params={"mode": {"values": [{"value": "std", "label": "S"}]}}
    )
    [f] = found(check(board(mode="pro"), catalog), "KS302")
    assert f.fix is not None and f.fix.value == "std"


def test_provider_without_4k() -> None:
    sb = board(mode="4k", provider="replicate")
    [f] = found(check(sb, CATALOG, PROVIDERS), "KS303")
    assert f.message.startswith("Replicate does not offer 4K for Kling V3")
    assert f.fix is not None and f.fix.value == "pro"
    assert not found(check(board(mode="4k", provider="fal"), CATALOG, PROVIDERS), "KS303")


def test_sound_on_a_model_without_audio() -> None:
    [f] = found(check(board(model="kling-v2-5-turbo", sound=True), CATALOG), "KS304")
    assert f.path == "settings.sound"
    assert f.fix == Fix(label="Turn sound off", action="sound_off")


def test_v26_sound_only_in_pro_reports_both_fields_with_their_fix() -> None:
    findings = found(check(board(model="kling-v2-6", sound=True, mode="std"), CATALOG), "KS305")
    by_path = {f.path: f.fix for f in findings}
    assert by_path == {
        "settings.mode": Fix(label="Switch to Pro", action="set_mode", value="pro"),
        "settings.sound": Fix(label="Turn sound off", action="sound_off"),
    }
    assert "only in Pro (1080p) mode" in findings[0].message
    assert not check(board(model="kling-v2-6", sound=True, mode="pro"), CATALOG)


def test_v3_makes_sound_in_every_mode() -> None:
    for mode in ("std", "pro", "4k"):
        assert not check(board(sound=True, mode=mode), CATALOG)


def test_cfg_scale_not_sent_to_models_without_it() -> None:
    [f] = found(check(board(cfg_scale=0.5), CATALOG), "KS306")
    assert f.severity == "warning"
    assert f.message == "Kling V3 takes no CFG scale; the value 0.5 will not be sent."
    assert f.fix == Fix(label="Clear the CFG scale", action="clear_cfg_scale")
    assert not check(board(model="kling-v1-6", cfg_scale=0.5), CATALOG)


def test_ai_planned_shots_on_a_model_that_cannot_plan() -> None:
    sb = board(model="kling-v2-6", shot_type="intelligence", prompt="A fox story")
    [f] = found(check(sb, CATALOG), "KS307")
    assert f.path == "settings.shot_type"
    assert f.fix == Fix(label="Write the shots yourself", action="set_shot_type", value="customize")


def test_shot_type_enum_is_read_from_the_catalog() -> None:
    only_customize = {"values": [{"value": "customize", "label": "Customize"}]}
    catalog = catalog_with("kling-v3", params={"shot_type": only_customize})
    sb = board(shot_type="intelligence", prompt="A fox story")
    assert found(check(sb, catalog), "KS307")
    assert not found(check(sb, CATALOG), "KS307")


def test_provider_that_cannot_plan_shots() -> None:
    sb = board(shot_type="intelligence", prompt="A fox story", provider="freepik")
    [f] = found(check(sb, CATALOG, PROVIDERS), "KS308")
    assert f.message.startswith("Freepik cannot let Kling V3 plan the shots")


def test_sound_must_be_off_with_a_reference_video() -> None:
    sb = board(model="kling-v3-omni", sound=True, reference_video=video())
    [f] = found(check(sb, CATALOG), "KS601")
    assert f.path == "settings.sound"
    assert f.fix == Fix(label="Turn sound off", action="sound_off")
    assert not found(check(board(model="kling-v3-omni", sound=True), CATALOG), "KS601")


def test_no_4k_with_a_reference_video_on_omni() -> None:
    sb = board(model="kling-v3-omni", mode="4k", reference_video=video())
    [f] = found(check(sb, CATALOG), "KS602")
    assert f.path == "settings.mode"
    assert f.fix == Fix(label="Switch to Pro", action="set_mode", value="pro")
    assert not check(board(model="kling-v3-omni", mode="4k"), CATALOG)
