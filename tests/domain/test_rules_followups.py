"""Rules decided after the engine met them: unknown media formats, i2v prompts, Omni frames."""

from __future__ import annotations

from kling_studio.domain.rules import check
from kling_studio.resources import load_catalog
from tests.domain.strategies import board, found, image, video

CATALOG = load_catalog()


def test_a_reference_video_of_unknown_format_is_a_warning_not_an_error() -> None:
    clip = video(format="unknown", url="https://cdn.example.com/signed?sig=abc")
    sb = board((5,), model="kling-v3-omni", reference_video=clip)
    findings = check(sb, CATALOG)
    assert not found(findings, "KS702")
    (warning,) = found(findings, "KS709", "reference_video")
    assert "file format" in warning.message and "MP4 or MOV" in warning.message


def test_a_wrong_known_format_is_still_an_error() -> None:
    sb = board((5,), model="kling-v3-omni", reference_video=video(format="avi"))
    assert found(check(sb, CATALOG), "KS702")


def test_image_to_video_without_a_prompt_is_only_a_warning() -> None:
    sb = board((5,), prompts=("",), start_frame=image())
    findings = check(sb, CATALOG)
    assert not found(findings, "KS203")
    assert found(findings, "KS210")[0].severity == "warning"


def test_text_to_video_without_a_prompt_is_an_error() -> None:
    findings = check(board((5,), prompts=("",)), CATALOG)
    assert found(findings, "KS203")[0].severity == "error"


def test_omni_multi_shot_excludes_the_start_frame_but_v3_allows_it() -> None:
    omni = board((3, 2), model="kling-v3-omni", aspect_ratio="16:9", start_frame=image())
    (err,) = found(check(omni, CATALOG), "KS410", "start_frame")
    assert "Kling V3 Omni" in err.message and err.fix is not None
    v3 = board((3, 2), start_frame=image())
    assert not found(check(v3, CATALOG), "KS410")
