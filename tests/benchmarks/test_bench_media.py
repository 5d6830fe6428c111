"""Importing a phone photo: probe + thumbnail of a 24-megapixel JPEG (runs on a worker thread)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from kling_studio.domain.storyboard import Asset
from kling_studio.project.media import make_thumbnail, probe
from tests.project.media_factory import make_image


@pytest.fixture(scope="module")
def photo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_image(tmp_path_factory.mktemp("bench") / "IMG_4032.jpg", 6000, 4000, quality=92)


def _import(path: Path) -> tuple[Asset, bytes]:
    asset = probe(path)
    return asset, make_thumbnail(path, asset.kind)


def test_bench_probe_and_thumbnail_24_megapixel_jpeg(benchmark: Any, photo: Path) -> None:
    asset, thumb = benchmark(_import, photo)
    assert (asset.width, asset.height, asset.format) == (6000, 4000, "jpeg")
    assert Image.open(io.BytesIO(thumb)).size == (256, 171)


def test_bench_probe_only_24_megapixel_jpeg(benchmark: Any, photo: Path) -> None:
    asset = benchmark(probe, photo)
    assert asset.bytes == photo.stat().st_size
