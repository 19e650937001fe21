"""What the tablet view's parts share: the touch style (buttons at least 56 px high, large
type), its buttons and headings, the page as the panels see it (:class:`TabletHost`), and the
words for times and for a late or overdue arrival."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.models import FieldJob, Staff
from shop_desk.services import field

#: The smallest touch target of the tablet view (a gloved finger on a 10-inch tablet).
TOUCH_HEIGHT = 56
#: The one next action of a step.
BIG_HEIGHT = 72

TABLET_STYLE = f"""
QWidget {{ font-size: 17px; }}
QLabel[role="heading"] {{ font-size: 24px; font-weight: bold; }}
QLabel[role="subheading"] {{ font-size: 19px; font-weight: bold; color: #1f2d3d; }}
QLabel[role="hint"] {{ color: #4a5561; }}
QLabel[role="alert"] {{ color: #8a1c12; font-weight: bold; }}
QLabel[role="ok"] {{ color: #1d5a2b; font-weight: bold; }}
QPushButton {{
    min-height: {TOUCH_HEIGHT}px; padding: 4px 18px; font-size: 18px;
    border: 1px solid #9aa3ad; border-radius: 8px; background-color: #f4f6f8;
}}
QPushButton:pressed {{ background-color: #dfe5ec; }}
QPushButton:disabled {{ color: #9aa3ad; background-color: #eef0f2; border-color: #d0d5da; }}
QPushButton[kind="primary"] {{
    min-height: {BIG_HEIGHT}px; font-size: 22px; font-weight: bold;
    background-color: #1f5fbf; color: white; border: 1px solid #174a94;
}}
QPushButton[kind="primary"]:disabled {{ background-color: #9db3d6; border-color: #9db3d6; }}
QPushButton[kind="danger"] {{
    background-color: #fbeceb; color: #8a1c12; border: 1px solid #e3a39c;
}}
QPushButton:checked {{
    background-color: #1f5fbf; color: white; border: 1px solid #174a94; font-weight: bold;
}}
QPushButton[kind="danger"]:checked {{
    background-color: #b3261e; color: white; border: 1px solid #8a1c12;
}}
QLineEdit, QComboBox {{ min-height: 44px; padding: 2px 8px; font-size: 18px; }}
QPlainTextEdit {{ font-size: 18px; }}
QScrollBar:vertical {{ width: 28px; }}
QFrame#jobHeader, QFrame[role="box"] {{
    background-color: #ffffff; border: 1px solid #c9ced6; border-radius: 8px;
}}
QFrame[role="alertBox"] {{
    background-color: #fdecea; border: 1px solid #f3b4ad; border-radius: 8px;
}}
"""


def set_kind(button: QPushButton, kind: str) -> None:
    """Set the look (primary / danger / '') and re-polish so it follows at once."""
    button.setProperty("kind", kind)
    button.style().unpolish(button)
    button.style().polish(button)


def touch_button(
    text: str, parent: QWidget, name: str, kind: str = "", checkable: bool = False
) -> QPushButton:
    """A button a finger hits: at least :data:`TOUCH_HEIGHT` high (the primary one bigger)."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.setCheckable(checkable)
    button.setMinimumHeight(BIG_HEIGHT if kind == "primary" else TOUCH_HEIGHT)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    if kind:
        set_kind(button, kind)
    return button


def label(text: str, parent: QWidget, role: str = "", name: str = "") -> QLabel:
    """A wrapped label; ``role`` picks its look (heading, subheading, hint, alert, ok)."""
    widget = QLabel(text, parent)
    widget.setWordWrap(True)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    return widget


def set_role(widget: QLabel, role: str) -> None:
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def text_box(
    parent: QWidget, name: str, placeholder: str, height: int = 110, max_height: int | None = None
) -> QPlainTextEdit:
    """A box for a few lines of words (``max_height``: ``height`` + 60 when None); Tab
    moves on to the next field instead of typing a tab."""
    edit = QPlainTextEdit(parent)
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(height + 60 if max_height is None else max_height)
    edit.setTabChangesFocus(True)
    return edit


def scrolling(widget: QWidget, parent: QWidget | None = None) -> QScrollArea:
    """``widget`` in a scroll area: a panel taller than the tablet's screen scrolls instead of
    making the window taller."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(widget)
    return area


def when(moment: dt.datetime | None) -> str:
    """A time on the tablet: month-day and hour (today's jobs, not the archive)."""
    return moment.strftime("%m-%d %H:%M") if moment is not None else "—"


def arrival_words(job: FieldJob, now: dt.datetime | None = None) -> tuple[str, str]:
    """The arrival in words and its look: late (arrived after the customer's time), overdue
    (not there yet and the time has passed), or when the customer expects the crew."""
    now = now or clock.now()
    if job.arrived_at is not None:
        if job.arrived_late:
            return (
                translate("FieldTablet", "Arrived late at {time} (the customer set {due}).").format(
                    time=when(job.arrived_at), due=when(job.required_arrival_at)
                ),
                "alert",
            )
        return (
            translate("FieldTablet", "Arrived on time at {time}.").format(
                time=when(job.arrived_at)
            ),
            "ok",
        )
    if field.arrival_overdue(job, now):
        return (
            translate("FieldTablet", "Overdue: the customer expected you on site by {due}.").format(
                due=when(job.required_arrival_at)
            ),
            "alert",
        )
    return (
        translate("FieldTablet", "Expected on site by {due}.").format(
            due=when(job.required_arrival_at)
        ),
        "hint",
    )


class TabletHost(Protocol):
    """The page as its panels see it (they never import the page itself)."""

    @property
    def staff(self) -> Staff: ...

    def call(self, fn: Callable[..., Any], *args: Any, done: str = "", **kwargs: Any) -> Any:
        """Run a service as the signed-in person on the open job; a refusal is shown in
        words in the page (and None returned), a success re-reads the job."""
        ...

    def reload(self) -> None:
        """Read the open job again (another desk may have changed it: a quote)."""
        ...

    def show_error(self, text: str) -> None: ...

    def show_info(self, text: str) -> None: ...


class TabletPanel(QWidget):
    """A panel of the open job written on the tablet (service report, survey, expense
    claim): its heading, the status line under it, and :meth:`make_form`'s ``form``, which
    is enabled while the job allows writing."""

    def __init__(
        self, host: TabletHost, parent: QWidget | None, name: str, heading: str, status_name: str
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.host = host
        self.job: FieldJob | None = None
        self._loaded: int | None = None
        self.outer = QVBoxLayout(self)
        self.outer.setContentsMargins(0, 0, 0, 0)
        self.outer.setSpacing(8)
        self.outer.addWidget(label(heading, self, "heading"))
        self.status_label = label("", self, "hint", status_name)
        self.outer.addWidget(self.status_label)

    def make_form(self, spacing: int) -> QVBoxLayout:
        """``self.form`` and its layout (added to the panel by the caller)."""
        self.form = QWidget(self)
        form = QVBoxLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(spacing)
        return form
