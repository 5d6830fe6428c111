"""Count rules: elements, voices, reference images and the reference pool (KS5xx)."""

from __future__ import annotations

from kling_studio.domain.findings import Fix
from kling_studio.domain.rules import check
from tests.domain.strategies import CATALOG, PROVIDERS, board, catalog_with, found, image, video

OMNI = "kling-v3-omni"


def test_elements_over_the_models_max_items() -> None:
    catalog = catalog_with(OMNI, params={"elements": {"max_items": 2}})
    sb = board(model=OMNI, elements=("1", "2", "3"))
    [f] = found(check(sb, catalog), "KS501")
    assert f.message == "3 elements are attached; Kling V3 Omni takes at most 2."
    assert f.fix == Fix(label="Remove element 3", action="drop_element", index=2)
    assert not found(check(sb, CATALOG), "KS501")


def test_voices_over_the_models_max_items() -> None:
    catalog = catalog_with("kling-v3", params={"voices": {"max_items": 1}})
    [f] = found(check(board(voices=("a", "b"), sound=True), catalog), "KS502")
    assert f.path == "voices"


def test_reference_images_over_the_list_limit() -> None:
    catalog = catalog_with(OMNI, params={"reference_images": {"max_items": 3}})
    sb = board(model=OMNI, reference_images=tuple(image(i) for i in range(4)))
    [f] = found(check(sb, catalog), "KS503")
    assert f.fix == Fix(label="Remove image 4", action="drop_reference_image", index=3)


def test_images_elements_and_frames_share_a_pool_of_seven() -> None:
    sb = board(
        model=OMNI,
        reference_images=tuple(image(i) for i in range(5)),
        elements=("1", "2"),
        start_frame=image(9),
    )
    [f] = found(check(sb, CATALOG), "KS504")
    assert f.path == "reference_images"
    assert f.message == (
        "8 references (5 reference images, 2 elements and 1 frame); Kling V3 Omni takes at most "
        "7, counting reference images, elements and frames together."
    )
    assert f.fix == Fix(label="Remove image 5", action="drop_reference_image", index=4)
    assert not found(check(sb, CATALOG), "KS503"), "one finding for one problem"
    seven = board(
        model=OMNI, reference_images=tuple(image(i) for i in range(5)), elements=("1", "2")
    )
    assert not check(seven, CATALOG)


def test_pool_of_four_with_a_reference_video() -> None:
    sb = board(
        model=OMNI,
        reference_images=tuple(image(i) for i in range(3)),
        elements=("1", "2"),
        reference_video=video(),
    )
    [f] = found(check(sb, CATALOG), "KS505")
    assert "takes at most 4 with a reference video" in f.message
    four = board(
        model=OMNI,
        reference_images=tuple(image(i) for i in range(2)),
        elements=("1", "2"),
        reference_video=video(),
    )
    assert not check(four, CATALOG)


def test_pool_without_images_offers_to_drop_an_element() -> None:
    sb = board(
        model=OMNI,
        elements=("1", "2", "3"),
        start_frame=image(1),
        end_frame=image(2),
        reference_video=video(),
    )
    [f] = found(check(sb, CATALOG), "KS505")
    assert f.path == "elements"
    assert f.fix == Fix(label="Remove element 3", action="drop_element", index=2)


def test_freepik_takes_at_most_four_references() -> None:
    url = "https://cdn.example.com/i.png"
    sb = board(
        model=OMNI,
        provider="freepik",
        reference_images=tuple(image(i, url=url) for i in range(5)),
    )
    [f] = found(check(sb, CATALOG, PROVIDERS), "KS504")
    assert "Freepik takes at most 4" in f.message
    assert not found(check(sb, CATALOG, PROVIDERS.get("kling")), "KS504")
