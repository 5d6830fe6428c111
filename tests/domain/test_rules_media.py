"""Media rules: probed metadata against the catalog's media limits (KS603, KS7xx)."""

from __future__ import annotations

from typing import Any

import pytest

from kling_studio.domain.findings import Fix
from kling_studio.domain.rules import check
from tests.domain.strategies import CATALOG, PROVIDERS, board, catalog_with, found, image, video

OMNI = "kling-v3-omni"
MB = 1024 * 1024


def test_start_frame_too_narrow() -> None:
    [f] = found(check(board(start_frame=image(width=240, height=400)), CATALOG), "KS704")
    assert f.path == "start_frame"
    assert f.message == "Start frame is 240 px wide; Kling V3 needs at least 300 px per side."


def test_a_300_px_square_is_fine() -> None:
    assert not check(board(start_frame=image(width=300, height=300)), CATALOG)


def test_image_format_size_and_shape() -> None:
    bad = image(format="webp", bytes=12 * MB, width=1500, height=400)
    findings = check(board(start_frame=bad), CATALOG)
    assert [f.code for f in findings] == ["KS702", "KS703", "KS706"]
    assert findings[0].message == "Start frame is a WEBP file; Kling V3 takes JPG, JPEG or PNG."
    assert findings[1].message == "Start frame is 12 MB; Kling V3 allows at most 10 MB."
    assert findings[2].message == (
        "Start frame is 1500×400 px (3.75:1); Kling V3 allows shapes from 1:2.5 to 2.5:1."
    )


@pytest.mark.parametrize(
    ("width", "height", "ok"), [(750, 300, True), (300, 750, True), (760, 300, False)]
)
def test_aspect_limits_are_inclusive(width: int, height: int, ok: bool) -> None:
    findings = found(check(board(start_frame=image(width=width, height=height)), CATALOG), "KS706")
    assert (not findings) is ok


def test_end_frame_has_no_shape_limit_on_v3_because_the_catalog_gives_none() -> None:
    sb = board(start_frame=image(1), end_frame=image(2, width=1500, height=400))
    assert not check(sb, CATALOG)


def test_limits_are_read_from_the_catalog() -> None:
    media = {"formats": ["png"], "min_side": 1000}
    catalog = catalog_with("kling-v3", params={"start_frame": {"media": media}})
    codes = [f.code for f in check(board(start_frame=image(format="jpg")), catalog)]
    assert codes == ["KS702", "KS704"]


def test_video_in_the_start_frame_slot() -> None:
    [f] = check(board(start_frame=video()), CATALOG)
    assert f.code == "KS701"
    assert f.message == "Start frame is a video; Kling V3 needs an image here."
    assert f.fix == Fix(label="Drop the start frame", action="drop_start_frame")


def test_wrong_kind_in_a_reference_image_slot_drops_that_image() -> None:
    refs = (image(1), image(2), image(3), video(4))
    [f] = check(board(model=OMNI, reference_images=refs), CATALOG)
    assert (f.code, f.path) == ("KS701", "reference_images[3]")
    assert f.message.startswith("Reference image 4 is a video")
    assert f.fix == Fix(label="Remove image 4", action="drop_reference_image", index=3)


@pytest.mark.parametrize(
    ("fields", "code", "message"),
    [
        ({"duration": 2.0}, "KS707", "Reference video is 2 s long; Kling V3 Omni needs 3–10 s."),
        (
            {"duration": 10.5},
            "KS707",
            "Reference video is 10.5 s long; Kling V3 Omni needs 3–10 s.",
        ),
        ({"fps": 20.0}, "KS708", "Reference video runs at 20 fps; Kling V3 Omni needs 24–60 fps."),
        (
            {"width": 640, "height": 480},
            "KS704",
            "Reference video is 480 px tall; Kling V3 Omni needs at least 720 px per side.",
        ),
        (
            {"width": 3840, "height": 2160},
            "KS705",
            "Reference video is 3840 px wide; Kling V3 Omni allows at most 2160 px per side.",
        ),
        (
            {"bytes": 250 * MB},
            "KS703",
            "Reference video is 250 MB; Kling V3 Omni allows at most 200 MB.",
        ),
        (
            {"format": "mkv"},
            "KS702",
            "Reference video is a MKV file; Kling V3 Omni takes MP4 or MOV.",
        ),
    ],
)
def test_reference_video_limits(fields: dict[str, Any], code: str, message: str) -> None:
    sb = board(model=OMNI, reference_video=video(**fields))
    [f] = check(sb, CATALOG)
    assert (f.code, f.path, f.message) == (code, "reference_video", message)


def test_reference_video_needs_a_url() -> None:
    clip = video(url=None, name="walk.mp4")
    [f] = check(board(model=OMNI, reference_video=clip), CATALOG)
    assert f.code == "KS603"
    assert f.path == f"assets[{clip.hash[:12]}]"
    assert f.message == (
        "Kling V3 Omni only takes reference videos by URL: upload the file “walk.mp4” somewhere "
        "reachable and paste its https URL into the asset."
    )


def test_unknown_metadata_is_a_warning_naming_the_limit() -> None:
    sb = board(start_frame=image(width=None, height=None))
    [f] = check(sb, CATALOG)
    assert (f.code, f.severity, f.path) == ("KS709", "warning", "start_frame")
    assert "width and height are unknown" in f.message
    assert "at least 300 px per side" in f.message


def test_unknown_video_timing_is_one_warning() -> None:
    sb = board(model=OMNI, reference_video=video(duration=None, fps=None))
    [f] = check(sb, CATALOG)
    assert f.code == "KS709"
    assert "duration and frame rate are unknown" in f.message
    assert "3–10 s and 24–60 fps" in f.message


def test_no_media_findings_for_a_slot_the_model_does_not_take() -> None:
    sb = board(model=OMNI, static_mask=image(width=10, height=10))
    assert [f.code for f in check(sb, CATALOG)] == ["KS401"]


def test_url_only_provider_asks_for_urls_once_per_asset() -> None:
    frame = image(1)
    sb = board(provider="picsart", start_frame=frame)
    [f] = check(sb, CATALOG, PROVIDERS)
    assert (f.code, f.path) == ("KS710", f"assets[{frame.hash[:12]}]")
    assert f.message.startswith("Picsart takes files only by URL")
    with_url = board(provider="picsart", start_frame=image(1, url="https://cdn.example.com/a.png"))
    assert not check(with_url, CATALOG, PROVIDERS)
    for provider in ("kling", "fal", "replicate", "scenario"):
        assert not check(board(provider=provider, start_frame=frame), CATALOG, PROVIDERS)


def test_reference_video_without_url_is_reported_once_on_a_url_only_provider() -> None:
    sb = board(model=OMNI, provider="picsart", reference_video=video(url=None))
    assert [f.code for f in check(sb, CATALOG, PROVIDERS)] == ["KS603"]
