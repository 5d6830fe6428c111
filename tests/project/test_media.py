"""Probing and thumbnails of real media files generated in the test."""

from __future__ import annotations

import builtins
import hashlib
import io
import os
import pathlib
from pathlib import Path

import av
import pytest
from PIL import Image

from kling_studio.project.media import MediaError, make_thumbnail, probe
from tests.project.media_factory import make_audio, make_image, make_video


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("video") / "clip.mp4", seconds=12, fps=24)


# ----- probing good files -----


def test_jpeg_probe_reports_size_format_bytes_and_content_hash(tmp_path: Path) -> None:
    path = make_image(tmp_path / "holiday.jpg", 1280, 720)
    asset = probe(path)
    assert (asset.kind, asset.format, asset.width, asset.height) == ("image", "jpeg", 1280, 720)
    assert asset.bytes == path.stat().st_size
    assert asset.hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert asset.name == "holiday.jpg"
    assert asset.duration is None and asset.url is None


def test_small_png_probes_fine_the_rules_complain_later(tmp_path: Path) -> None:
    asset = probe(make_image(tmp_path / "icon.png", 240, 160, "PNG"))
    assert (asset.format, asset.width, asset.height) == ("png", 240, 160)


def test_content_wins_over_a_wrong_extension(tmp_path: Path) -> None:
    asset = probe(make_image(tmp_path / "really-a-jpeg.png", 400, 300))
    assert asset.format == "jpeg"


def test_a_file_without_extension_is_recognised_by_its_bytes(tmp_path: Path) -> None:
    path = make_image(tmp_path / "scan.png", 320, 320, "PNG").rename(tmp_path / "IMG_0001")
    assert probe(path).format == "png"


def test_twelve_second_h264_mp4(clip: Path) -> None:
    asset = probe(clip)
    assert (asset.kind, asset.format, asset.width, asset.height) == ("video", "mp4", 320, 240)
    assert asset.duration == pytest.approx(12.0, abs=0.05)
    assert asset.fps == pytest.approx(24.0)
    assert asset.bytes == clip.stat().st_size


@pytest.mark.parametrize("name", ["voice.wav", "voice.mp3"])
def test_audio_files(tmp_path: Path, name: str) -> None:
    asset = probe(make_audio(tmp_path / name, seconds=2.0))
    assert (asset.kind, asset.format) == ("audio", name.rsplit(".", 1)[1])
    assert asset.duration == pytest.approx(2.0, abs=0.1)
    assert asset.width is None and asset.fps is None


# ----- damaged and unsupported files -----


def _truncated_jpeg(p: Path) -> None:
    data = make_image(p, 800, 600).read_bytes()
    p.write_bytes(data[: len(data) // 2])


def _truncated_png(p: Path) -> None:
    data = make_image(p, 300, 300, "PNG").read_bytes()
    p.write_bytes(data[: len(data) - 2000])


def _mp4_header_then_junk(p: Path) -> None:
    header = make_video(p, seconds=1).read_bytes()[:64]
    p.write_bytes(header + os.urandom(20_000))


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [
        (
            "photo.jpg",
            _truncated_jpeg,
            "photo.jpg: the file is damaged or not an image (it ends before the picture does)",
        ),
        ("noise.png", lambda p: p.write_bytes(os.urandom(5000)), "noise.png: the file is damaged"),
        ("cut.png", _truncated_png, "cut.png: the file is damaged or not an image"),
        (
            "clip.mp4",
            _mp4_header_then_junk,
            "clip.mp4: the file is damaged or not a video (could not read a video stream)",
        ),
        (
            "voice.mp3",
            lambda p: p.write_text("this is not audio\n" * 100),
            "voice.mp3: the file is damaged or not audio (could not read an audio stream)",
        ),
        ("empty.jpg", lambda p: p.write_bytes(b""), "empty.jpg: the file is empty"),
    ],
)
def test_damaged_files_are_refused_with_a_specific_message(
    tmp_path: Path, name: str, make: object, message: str
) -> None:
    path = tmp_path / name
    make(path)  # type: ignore[operator]
    with pytest.raises(MediaError) as err:
        probe(path)
    assert str(err.value).startswith(message)


def test_heic_is_refused_by_name_with_what_to_do(tmp_path: Path) -> None:
    path = tmp_path / "holiday.heic"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(100))
    with pytest.raises(MediaError) as err:
        probe(path)
    assert str(err.value) == "holiday.heic: HEIC images are not supported — Kling takes JPG or PNG"


def test_heic_without_extension_is_recognised_by_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "IMG_2044"
    path.write_bytes(b"\x00\x00\x00\x18ftypheic" + bytes(100))
    with pytest.raises(MediaError, match="HEIC images are not supported"):
        probe(path)


def test_text_file_is_not_media(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("shot list: sunrise, beach, gulls\n")
    with pytest.raises(MediaError) as err:
        probe(path)
    assert str(err.value) == "notes.txt: not an image, video or audio file"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match=r"^gone\.jpg: no such file$"):
        probe(tmp_path / "gone.jpg")
    (tmp_path / "album.jpg").mkdir()
    with pytest.raises(MediaError, match="is a folder"):
        probe(tmp_path / "album.jpg")


@pytest.mark.parametrize(
    ("name", "size", "cap"),
    [("huge.mp4", 3 * 1024**3, "videos up to 2 GB"), ("poster.jpg", 60 * 1024**2, "up to 50 MB")],
)
def test_oversized_files_are_refused_before_any_byte_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, size: int, cap: str
) -> None:
    path = tmp_path / name
    with path.open("wb") as fh:
        fh.truncate(size)  # sparse: no disk used, but 3 GB as far as stat() knows

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    for owner, attr in [
        (builtins, "open"),
        (io, "open"),
        (pathlib.Path, "open"),
        (av, "open"),
        (Image, "open"),
    ]:
        monkeypatch.setattr(owner, attr, no_reading)
    with pytest.raises(MediaError) as err:
        probe(path)
    monkeypatch.undo()
    assert str(err.value).startswith(f"{name}: ")
    assert "too large to import" in str(err.value) and cap in str(err.value)


# ----- thumbnails -----


def _png(data: bytes) -> Image.Image:
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG"
    return img


def test_thumbnail_of_a_24_megapixel_jpeg(tmp_path: Path) -> None:
    path = make_image(tmp_path / "big.jpg", 6000, 4000, quality=90)
    img = _png(make_thumbnail(path, "image"))
    assert img.size == (256, 171)
    assert img.mode == "RGB"


def test_thumbnail_shows_a_phone_photo_upright(tmp_path: Path) -> None:
    path = tmp_path / "portrait.jpg"
    make_image(path, 800, 600)
    with Image.open(path) as src:
        exif = src.getexif()
        exif[0x0112] = 6  # "rotate 90° clockwise to display"
        src.save(tmp_path / "rotated.jpg", exif=exif)
    img = _png(make_thumbnail(tmp_path / "rotated.jpg", "image", max_side=128))
    assert img.size == (96, 128)


def test_thumbnail_keeps_transparency(tmp_path: Path) -> None:
    path = tmp_path / "logo.png"
    Image.new("RGBA", (500, 500), (255, 0, 0, 0)).save(path)
    assert _png(make_thumbnail(path, "image")).mode == "RGBA"


def test_thumbnail_of_a_video_is_its_first_frame(clip: Path) -> None:
    img = _png(make_thumbnail(clip, "video")).convert("RGB")
    assert img.size == (256, 192)
    left, right = img.getpixel((5, 96)), img.getpixel((250, 96))
    assert isinstance(left, tuple) and isinstance(right, tuple)
    assert right[0] > left[0] + 150  # the frame's left-to-right ramp survived


def test_thumbnail_of_audio_is_a_waveform(tmp_path: Path) -> None:
    img = _png(make_thumbnail(make_audio(tmp_path / "tone.wav"), "audio"))
    assert img.size == (256, 128)
    assert len(img.getcolors(maxcolors=1 << 16) or []) > 1  # not a blank picture


def test_thumbnail_of_a_damaged_file_raises_media_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(os.urandom(4000))
    with pytest.raises(MediaError, match=r"bad\.mp4: the file is damaged or not a video"):
        make_thumbnail(bad, "video")
    _truncated_jpeg(tmp_path / "cut.jpg")
    with pytest.raises(MediaError, match=r"cut\.jpg: the file is damaged"):
        make_thumbnail(tmp_path / "cut.jpg", "image")
