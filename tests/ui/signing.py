"""Signing on a signature pad with the mouse, as the UI tests of the station and the tablet
do it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt


def sign(qtbot, pad) -> None:
    """Draw a signature with the mouse: a zigzag across most of the pad."""
    w, h = pad.width(), pad.height()
    points = [
        QPoint(int(w * (0.1 + 0.08 * i)), int(h * (0.3 if i % 2 else 0.7))) for i in range(10)
    ]
    qtbot.mousePress(pad, Qt.MouseButton.LeftButton, pos=points[0])
    for p in points[1:]:
        qtbot.mouseMove(pad, p)
    qtbot.mouseRelease(pad, Qt.MouseButton.LeftButton, pos=points[-1])
    assert not pad.is_empty()
