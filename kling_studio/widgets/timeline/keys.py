"""The timeline's keyboard map: everything the mouse does has a key.

======================  ==============================================
Left / Right            select the previous / next shot
Home / End              select the first / last shot
Alt+Left / Alt+Right    move the current shot left / right
+ (or =) / -            lengthen / shorten the current shot by 1 s
Insert                  insert a shot before the current one
Delete / Backspace      delete the current shot
Ctrl+D                  duplicate the current shot
S                       split the current shot in two
Enter                   open the current shot (``shot_activated``)
, / .                   playhead one frame back / forward
< / >                   playhead one second back / forward
Ctrl+0                  zoom to fit
Esc                     cancel the drag in progress
======================  ==============================================
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent

from kling_studio.widgets import action_ids as ids

K = Qt.Key
_CTRL = Qt.KeyboardModifier.ControlModifier
_ALT = Qt.KeyboardModifier.AltModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier
_SHIFTED = {K.Key_Plus, K.Key_Less, K.Key_Greater}  # typed with Shift on many layouts

# (key, modifiers) -> command; commands are action ids or "select:<n>" / "playhead:<frames>"
_PLAIN = {
    K.Key_Left: "select:-1",
    K.Key_Right: "select:+1",
    K.Key_Home: "select:first",
    K.Key_End: "select:last",
    K.Key_Plus: ids.SHOT_LONGER,
    K.Key_Equal: ids.SHOT_LONGER,
    K.Key_Minus: ids.SHOT_SHORTER,
    K.Key_Insert: ids.SHOT_INSERT,
    K.Key_Delete: ids.SHOT_DELETE,
    K.Key_Backspace: ids.SHOT_DELETE,
    K.Key_S: ids.SHOT_SPLIT,
    K.Key_Return: "activate",
    K.Key_Enter: "activate",
    K.Key_Comma: "playhead:-1",
    K.Key_Period: "playhead:+1",
    K.Key_Less: "playhead:-24",
    K.Key_Greater: "playhead:+24",
    K.Key_Escape: "cancel",
}
_WITH_ALT = {K.Key_Left: ids.SHOT_MOVE_LEFT, K.Key_Right: ids.SHOT_MOVE_RIGHT}
_WITH_CTRL = {K.Key_D: ids.SHOT_DUPLICATE, K.Key_0: ids.ZOOM_FIT}


def command_for(event: QKeyEvent) -> str | None:
    """The timeline command a key press means, or None to let it through."""
    key = K(event.key())
    mods = event.modifiers() & ~_KEYPAD
    if key in _SHIFTED:
        mods &= ~_SHIFT
    if mods == Qt.KeyboardModifier.NoModifier:
        return _PLAIN.get(key)
    if mods == _ALT:
        return _WITH_ALT.get(key)
    if mods == _CTRL:
        return _WITH_CTRL.get(key)
    return None
