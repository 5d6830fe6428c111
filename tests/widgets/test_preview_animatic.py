"""The animatic plays the storyboard at its authored timing and follows edits live."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from kling_studio.domain import edits
from kling_studio.domain.storyboard import Asset, Storyboard
from kling_studio.qt.document import StoryboardDocument
from kling_studio.widgets.preview.animatic import AnimaticPlayer

START = "a" * 64
END = "b" * 64
REF = "c" * 64
COLOURS = {START: QColor(230, 30, 30), END: QColor(30, 60, 230), REF: QColor(30, 200, 60)}


def image(asset: str) -> QImage | None:
    colour = COLOURS.get(asset)
    if colour is None:
        return None
    img = QImage(160, 90, QImage.Format.Format_RGB32)
    img.fill(colour)
    return img


def asset(ref: str) -> Asset:
    return Asset(hash=ref, kind="image", format="png", bytes=10, width=160, height=90)


def board(total: int, shots: int, **titles: str) -> Storyboard:
    sb = edits.new_storyboard(total=total, shots=shots)
    for i in range(shots):
        sb = edits.set_shot_text(
            sb, i, title=titles.get(f"s{i + 1}", ""), prompt=f"Prompt of shot {i + 1}"
        )
    return sb


def make(qtbot: QtBot, sb: Storyboard) -> tuple[StoryboardDocument, AnimaticPlayer]:
    doc = StoryboardDocument(sb)
    player = AnimaticPlayer(doc, image)
    qtbot.addWidget(player)
    player.resize(480, 330)
    player.show()
    qtbot.waitExposed(player)
    return doc, player


def card_pixel(player: AnimaticPlayer) -> QColor:
    """Colour in the upper middle of the card: above the caption, beside the overlays."""
    shot = player.grab().toImage()
    return shot.pixelColor(QPoint(shot.width() // 2, shot.height() // 4))


def test_play_advances_with_wall_time_and_pause_holds(qtbot: QtBot) -> None:
    _, player = make(qtbot, board(3, 1))
    moves: list[float] = []
    player.position_changed.connect(moves.append)
    with qtbot.waitSignal(player.playing_changed, timeout=1000):
        player.play()
    qtbot.waitUntil(lambda: player.position > 0.5, timeout=3000)
    player.pause()
    held = player.position
    qtbot.wait(150)
    assert not player.is_playing and player.position == held
    assert moves == sorted(moves) and len(moves) >= 5


def test_shot_changed_fires_at_the_authored_boundary(qtbot: QtBot) -> None:
    _, player = make(qtbot, board(2, 2, s1="Open", s2="Close"))
    assert player.current_card_title() == "Shot 1 · Open"
    with qtbot.waitSignal(player.shot_changed, timeout=3000) as blocker:
        player.play()
    assert blocker.args == [1]
    assert player.position >= 1.0
    assert player.current_card_title() == "Shot 2 · Close"


def test_plays_to_the_end_then_stops_or_loops(qtbot: QtBot) -> None:
    _, player = make(qtbot, board(1, 1))
    player.seek(0.7)
    with qtbot.waitSignal(player.playing_changed, timeout=2000, check_params_cb=lambda p: not p):
        player.play()
    assert player.position == 1.0
    player.set_loop(True)
    player.seek(0.8)
    player.play()
    qtbot.waitUntil(lambda: player.position < 0.5, timeout=2000)  # wrapped around
    assert player.is_playing
    player.stop()
    assert player.position == 0.0 and not player.is_playing


def test_seek_and_keyboard(qtbot: QtBot) -> None:
    _, player = make(qtbot, board(6, 3))
    shots: list[int] = []
    player.shot_changed.connect(shots.append)
    player.seek(2.5)
    assert player.position == 2.5 and player.current_shot == 1
    player.setFocus()
    qtbot.keyClick(player, Qt.Key.Key_Right)
    assert player.position == 3.5 and player.current_shot == 1
    qtbot.keyClick(player, Qt.Key.Key_Right)
    assert player.current_shot == 2
    qtbot.keyClick(player, Qt.Key.Key_Left)
    assert player.position == 3.5
    qtbot.keyClick(player, Qt.Key.Key_End)
    assert player.position == 6.0 and player.current_shot == 2
    qtbot.keyClick(player, Qt.Key.Key_Home)
    assert player.position == 0.0
    assert shots == [1, 2, 1, 2, 0]
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert player.is_playing
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert not player.is_playing
    player.seek(99)
    assert player.position == 6.0


def test_follows_a_duration_edit_while_paused(qtbot: QtBot) -> None:
    doc, player = make(qtbot, board(6, 3, s1="One", s2="Two"))
    player.seek(2.5)
    assert player.current_card_title() == "Shot 2 · Two"
    before = card_pixel(player)
    with qtbot.waitSignal(player.shot_changed) as blocker:
        doc.apply(lambda sb: edits.move_boundary(sb, 0, 1), "Resize")  # shot 1 now ends at 3 s
    assert blocker.args == [0]
    assert player.position == 2.5 and player.current_card_title() == "Shot 1 · One"
    assert card_pixel(player) != before  # redrawn without playing
    player.seek(5.5)
    assert doc.apply(lambda sb: edits.set_total(sb, 3), "Shorter")
    assert player.position == 3.0  # clamped into the shorter storyboard


def test_cards_show_start_frame_references_and_end_frame(qtbot: QtBot) -> None:
    sb = board(3, 3)
    sb = edits.attach(edits.attach(sb, "start_frame", asset(START)), "end_frame", asset(END))
    _, player = make(qtbot, sb)
    player.seek(0.5)
    assert player.current_card().source == "start_frame"
    red = card_pixel(player)
    assert red.red() > 150 and red.blue() < 90
    player.seek(1.5)
    assert player.current_card().source == "placeholder"
    placeholder = card_pixel(player)
    assert placeholder != red
    player.seek(2.1)
    assert player.current_card().source == "placeholder"  # the last shot starts on its own card
    player.seek(3.0)
    assert player.current_card().source == "end_frame"
    blue = card_pixel(player)
    assert blue.blue() > 150 and blue.red() < 90


def test_omni_storyboard_uses_its_first_reference_image(qtbot: QtBot) -> None:
    sb = edits.set_settings(board(2, 2), model="kling-v3-omni")
    sb = edits.attach(sb, "reference_images", asset(REF))
    _, player = make(qtbot, sb)
    player.seek(1.5)
    assert player.current_card().source == "reference"
    green = card_pixel(player)
    assert green.green() > 150 and green.red() < 90


def test_caption_band_differs_per_shot(qtbot: QtBot) -> None:
    # Both shots show the same reference picture and start without zoom: only the caption differs.
    sb = edits.attach(board(4, 2, s1="Sunrise", s2="Pour"), "reference_images", asset(REF))
    _, player = make(qtbot, sb)
    card, _bar = player._stage()

    def caption(at: float) -> QImage:
        player.seek(at)
        band = card.adjusted(0, card.height() * 0.7, 0, 0).toRect()
        return player.grab(band).toImage()

    first, second = caption(0.0), caption(2.0)
    assert player.current_card_title() == "Shot 2 · Pour"
    assert first != second
    assert caption(0.0) == first  # same shot, same caption: the difference is the text


def test_clicking_the_progress_bar_seeks(qtbot: QtBot) -> None:
    _, player = make(qtbot, board(4, 2))
    card, bar = player._stage()
    qtbot.mouseClick(
        player, Qt.MouseButton.LeftButton, pos=QPoint(int(bar.center().x()), int(bar.center().y()))
    )
    assert player.position == pytest.approx(2.0, abs=0.1)
    assert not player.is_playing
    qtbot.mouseClick(player, Qt.MouseButton.LeftButton, pos=card.center().toPoint())
    assert player.is_playing
    player.pause()
