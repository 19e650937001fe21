"""Small widgets of the Reception desk: the message bar, the step bar and the reason dialog."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from shop_desk.i18n import translate
from shop_desk.ui.reception.flow import STEP_KEYS, VEHICLE, step_title
from shop_desk.ui.shell.widgets import FormDialog


class NoticeBar(QFrame):
    """A message with action buttons (restore a draft, reload after a conflict, print)."""

    _STYLES = {
        "info": "background:#e8f4ea; border:1px solid #a9d3b2; color:#1d5a2b;",
        "warning": "background:#fff4e0; border:1px solid #f0c36d; color:#6b4400;",
        "error": "background:#fdecea; border:1px solid #f3b4ad; color:#8a1c12;",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel(self)
        self.label.setObjectName("noticeText")
        self.label.setWordWrap(True)
        layout.addWidget(self.label, 1)
        self.buttons_layout = QHBoxLayout()
        layout.addLayout(self.buttons_layout)
        self.close_button = QPushButton("✕", self)
        self.close_button.setObjectName("noticeClose")
        self.close_button.setFlat(True)
        self.close_button.setFixedWidth(28)
        self.close_button.setToolTip(translate("ReceptionPage", "Close this message"))
        self.close_button.clicked.connect(self.clear_notice)
        layout.addWidget(self.close_button)
        self.kind = ""
        self.hide()

    def show_notice(
        self,
        text: str,
        kind: str = "info",
        actions: list[tuple[str, Callable[[], None], str]] | None = None,
    ) -> None:
        self.clear_buttons()
        self.kind = kind
        self.setStyleSheet(f"QFrame#noticeBar {{ {self._STYLES[kind]} border-radius: 4px; }}")
        self.label.setText(text)
        for text_, slot, name in actions or []:
            button = QPushButton(text_, self)
            button.setObjectName(name)
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            self.buttons_layout.addWidget(button)
        self.show()

    def clear_buttons(self) -> None:
        while self.buttons_layout.count():
            item = self.buttons_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()

    def button(self, name: str) -> QPushButton | None:
        return self.findChild(QPushButton, name)

    def clear_notice(self) -> None:
        self.clear_buttons()
        self.kind = ""
        self.label.clear()
        self.hide()


class StepBar(QWidget):
    """The steps of the reception, always visible; done steps carry a tick."""

    step_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.buttons: list[QPushButton] = []
        for n in range(5):
            button = QPushButton(self)
            button.setObjectName(f"step_{STEP_KEYS[n]}")
            button.setMinimumHeight(38)
            button.setAutoDefault(False)
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _=False, n=n: self.step_clicked.emit(n))
            layout.addWidget(button, 1)
            self.buttons.append(button)
        self.set_state(0, set(), False)

    def set_state(self, current: int, done: set[int], has_order: bool) -> None:
        for n, button in enumerate(self.buttons):
            mark = "✔" if n in done else str(n + 1)
            button.setText(f"{mark}  {step_title(n)}".replace("&", "&&"))
            button.setEnabled(n == VEHICLE or has_order)
            button.setProperty("current", n == current)
            button.setProperty("done", n in done)
            if n == current:
                style = "background:#1f5fa8; color:white; font-weight:bold; border:none;"
            elif n in done:
                style = "background:#e3f1e6; color:#1d5a2b; border:1px solid #a9d3b2;"
            else:
                style = "background:#f3f5f7; color:#4a5058; border:1px solid #d5d9de;"
            button.setStyleSheet(
                f"QPushButton {{ {style} border-radius: 5px; padding: 4px 8px; }}"
                "QPushButton:disabled { color: #a0a6ad; }"
            )


class ReasonDialog(FormDialog):
    """Ask for a reason, then run ``submit_fn(reason)``; a refusal stays in the dialog."""

    def __init__(
        self,
        title: str,
        text: str,
        label: str,
        submit_fn: Callable[[str], Any],
        parent: QWidget | None = None,
        ok_text: str | None = None,
    ) -> None:
        super().__init__(title, parent, ok_text)
        self.setObjectName("reasonDialog")
        hint = QLabel(text)
        hint.setWordWrap(True)
        hint.setObjectName("reasonText")
        self.form.addRow(hint)
        self.reason_edit = self.add_row("reason", label, QLineEdit())
        self.reason_edit.setMaxLength(200)
        self.submit_fn = submit_fn
        self.reason_edit.setFocus()
        self.resize(480, self.sizeHint().height())

    def submit(self) -> Any:
        return self.submit_fn(self.reason_edit.text())
