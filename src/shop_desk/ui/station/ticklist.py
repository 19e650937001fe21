"""A checklist of tick boxes under one "All checked" box: the self-check's points and the
washer's checklist are ticked the same way (one tap ticks everything, then untick what was
not OK), so the two dialogs share this one widget."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from shop_desk.i18n import translate


class TickList(QWidget):
    """ "All checked" and one box per item (``codes`` in order, ``label`` gives the words).

    ``changed`` is emitted whenever a tick changes."""

    changed = Signal()

    def __init__(
        self, codes: Sequence[str], label: Callable[[str], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._label = label
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.all_box = QCheckBox(translate("Station", "All checked"), self)
        self.all_box.setObjectName("checkAll")
        self.all_box.setTristate(False)
        self.all_box.clicked.connect(self._all_clicked)
        layout.addWidget(self.all_box)
        self.boxes: dict[str, QCheckBox] = {}
        for code in codes:
            box = QCheckBox(label(code), self)
            box.setObjectName(f"check_{code}")
            box.setStyleSheet("margin-left: 24px;")
            box.toggled.connect(self._ticks_changed)
            layout.addWidget(box)
            self.boxes[code] = box
        self._ticks_changed()

    def ticked(self) -> int:
        return sum(box.isChecked() for box in self.boxes.values())

    def everything(self) -> bool:
        return self.ticked() == len(self.boxes)

    def not_ticked(self) -> list[str]:
        """The items not ticked, in their words."""
        return [self._label(c) for c, box in self.boxes.items() if not box.isChecked()]

    def checklist(self) -> dict[str, bool]:
        return {code: box.isChecked() for code, box in self.boxes.items()}

    def _all_clicked(self) -> None:
        tick = not self.everything()
        for box in self.boxes.values():
            box.setChecked(tick)

    def _ticks_changed(self) -> None:
        """Keep "All checked" in step: ticked, partly (some items) or not."""
        ticked = self.ticked()
        self.all_box.setTristate(0 < ticked < len(self.boxes))
        self.all_box.setCheckState(
            Qt.CheckState.Checked
            if ticked == len(self.boxes)
            else Qt.CheckState.PartiallyChecked
            if ticked
            else Qt.CheckState.Unchecked
        )
        self.changed.emit()
