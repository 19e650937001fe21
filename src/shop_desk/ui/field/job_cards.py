"""The list of the signed-in person's field jobs as large cards: the whole card is one touch
target that opens the job (number, customer, place, required and promised arrival, the state
and a late or overdue arrival in words, what is still missing, an expense claim's state)."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shop_desk import clock
from shop_desk.field_states import FieldState, state_label
from shop_desk.i18n import join_list, translate
from shop_desk.models import FieldJob, Staff
from shop_desk.services import expenses, field
from shop_desk.services.field_documents import kind_label
from shop_desk.ui.field.tablet_common import arrival_words, label, scrolling, touch_button, when
from shop_desk.validation import display_plate

CARD_STYLE = """
QPushButton#jobCard {
    text-align: left; background-color: #ffffff; border: 1px solid #c9ced6;
    border-radius: 10px; padding: 10px 16px; min-height: 120px;
}
QPushButton#jobCard:pressed { background-color: #e8eef7; }
QLabel#cardState {
    background-color: #e3ecf9; color: #174a94; border-radius: 6px; padding: 4px 10px;
    font-weight: bold;
}
"""


def card_lines(job: FieldJob) -> dict[str, tuple[str, str]]:
    """What a card says, line by line: text and look."""
    customer = job.customer.name
    if job.vehicle_id is not None and job.vehicle.plate:
        customer = f"{customer} · {display_plate(job.vehicle.plate)}"
    promised = job.promised_arrival_at
    times = translate("FieldTablet", "Customer's time {required}").format(
        required=when(job.required_arrival_at)
    )
    if promised is not None and promised != job.required_arrival_at:
        times += " · " + translate("FieldTablet", "promised {promised}").format(
            promised=when(promised)
        )
    lines = {
        "customer": (customer, "subheading"),
        "place": (job.place, ""),
        "times": (times, "hint"),
    }
    arrival, look = arrival_words(job, clock.now())
    if look != "hint":  # arrived, late or overdue (else the customer's time says it)
        lines["arrival"] = (arrival, look)
    if FieldState(job.state) in field.REPORT_STATES:
        missing = field.closing_gaps(job)
        lines["report"] = (
            (
                translate("FieldTablet", "Still missing: {missing}.").format(
                    missing=join_list(missing)
                ),
                "alert",
            )
            if missing
            else (translate("FieldTablet", "Service report and survey complete."), "ok")
        )
    claims = expenses.claims_of(job)
    if claims:
        last = claims[-1]
        lines["expenses"] = (
            translate("FieldTablet", "Expense claim {number}: {state}.").format(
                number=last.number, state=expenses.state_label(last.state)
            ),
            "hint",
        )
    return lines


class JobCard(QPushButton):
    """One job; a tap anywhere on it opens the job."""

    def __init__(self, job: FieldJob, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("jobCard")
        self.job_id = job.id
        self.number = job.number
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 10, 16, 10)
        layout.setSpacing(4)
        top = QHBoxLayout()
        title = label(f"{job.number} · {kind_label(job.kind)}", self, "heading", "cardTitle")
        title.setWordWrap(False)
        self.state_label = QLabel(state_label(job.state), self)
        self.state_label.setObjectName("cardState")
        top.addWidget(title, 1)
        top.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.lines: dict[str, QLabel] = {}
        for key, (text, role) in card_lines(job).items():
            line = label(text, self, role, f"card_{key}")
            layout.addWidget(line)
            self.lines[key] = line
        for child in self.findChildren(QLabel):
            # the labels show; the card takes the tap
            child.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)

    # a button sizes itself by its text; the card by the lines laid out on it
    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self.layout().minimumSize()

    def text_shown(self) -> str:
        """Everything the card says (for reading it back)."""
        return "\n".join(w.text() for w in self.findChildren(QLabel))


class JobList(QWidget):
    """The person's open field jobs as cards; ``opened(job_id)`` when one is tapped."""

    opened = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldJobList")
        self.setStyleSheet(CARD_STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.title = label(translate("FieldTablet", "My field jobs"), self, "heading", "listTitle")
        self.count_label = label("", self, "hint", "countLabel")
        self.refresh_button = touch_button(
            translate("FieldTablet", "Refresh"), self, "refreshButton"
        )
        top.addWidget(self.title)
        top.addWidget(self.count_label, 1)
        top.addWidget(self.refresh_button)
        outer.addLayout(top)
        self.empty_label = label(
            translate(
                "FieldTablet",
                "No field jobs for you now. A job appears here when the supervisor sends you out.",
            ),
            self,
            "hint",
            "emptyLabel",
        )
        outer.addWidget(self.empty_label)
        self.body = QWidget(self)
        self.cards_layout = QVBoxLayout(self.body)
        self.cards_layout.setContentsMargins(0, 0, 8, 0)
        self.cards_layout.setSpacing(12)
        self.cards_layout.addStretch(1)
        outer.addWidget(scrolling(self.body, self), 1)
        self.cards: list[JobCard] = []

    def show_jobs(self, person: Staff) -> None:
        """Read the person's open jobs again and show one card each."""
        for card in self.cards:
            card.setParent(None)
            card.deleteLater()
        self.cards = []
        jobs = field.jobs_of(person)
        for n, job in enumerate(jobs):
            card = JobCard(job, self.body)
            card.clicked.connect(lambda _=False, i=job.id: self.opened.emit(i))
            self.cards_layout.insertWidget(n, card)
            card.show()
            self.cards.append(card)
        self.empty_label.setVisible(not jobs)
        self.count_label.setText(
            translate("FieldTablet", "{n} open").format(n=len(jobs)) if jobs else ""
        )

    def card(self, number: str) -> JobCard | None:
        return next((c for c in self.cards if c.number == number), None)
