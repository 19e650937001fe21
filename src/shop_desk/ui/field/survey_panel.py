"""The customer's satisfaction survey (满意度调查表) on the tablet: 1–5 as five big buttons,
the customer's comments, who signs, and the signature on the pad — or "signed on paper" (the
paper form is scanned later)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QWidget,
)

from shop_desk.field_states import FieldState
from shop_desk.i18n import translate
from shop_desk.models import FieldJob, ServiceReport
from shop_desk.services import field
from shop_desk.ui.field.tablet_common import (
    TabletHost,
    TabletPanel,
    label,
    set_role,
    text_box,
    touch_button,
    when,
)
from shop_desk.ui.shell.signature_pad import SignaturePad


def score_label(score: int) -> str:
    """The survey's answers (the same words as the printed 满意度调查表)."""
    labels = {
        5: translate("FieldTablet", "Very satisfied"),
        4: translate("FieldTablet", "Satisfied"),
        3: translate("FieldTablet", "Neutral"),
        2: translate("FieldTablet", "Dissatisfied"),
        1: translate("FieldTablet", "Very dissatisfied"),
    }
    return labels[score]


class SurveyPanel(TabletPanel):
    """See the module docstring."""

    def __init__(self, host: TabletHost, parent: QWidget | None = None) -> None:
        super().__init__(
            host,
            parent,
            "surveyPanel",
            translate("FieldTablet", "Satisfaction survey"),
            "surveyStatus",
        )
        layout = self.outer
        form = self.make_form(8)
        form.addWidget(
            label(
                translate("FieldTablet", "How satisfied is the customer with the service?"),
                self.form,
                "subheading",
            )
        )
        scores = QHBoxLayout()
        self.score_group = QButtonGroup(self)
        self.score_buttons: dict[int, QPushButton] = {}
        for score in range(1, 6):
            button = touch_button(
                f"{score}\n{score_label(score)}", self.form, f"score{score}Button", checkable=True
            )
            button.setMinimumHeight(84)
            self.score_group.addButton(button, score)
            self.score_buttons[score] = button
            scores.addWidget(button)
        form.addLayout(scores)
        form.addWidget(label(translate("FieldTablet", "Comments"), self.form, "subheading"))
        self.comments_edit = text_box(
            self.form,
            "surveyCommentsEdit",
            translate("FieldTablet", "The customer's words"),
            70,
            110,
        )
        form.addWidget(self.comments_edit)
        rows = QFormLayout()
        self.signer_edit = QLineEdit(self.form)
        self.signer_edit.setObjectName("signerEdit")
        self.signer_edit.setMaxLength(80)
        rows.addRow(translate("FieldTablet", "Signed by"), self.signer_edit)
        form.addLayout(rows)
        self.pad = SignaturePad(self.form)
        self.pad.setObjectName("surveyPad")
        self.pad.setMinimumHeight(170)
        form.addWidget(self.pad)
        pad_row = QHBoxLayout()
        self.clear_button = touch_button(
            translate("FieldTablet", "Clear the signature"), self.form, "clearSurveyButton"
        )
        self.clear_button.clicked.connect(self.pad.clear)
        self.paper_button = touch_button(
            translate("FieldTablet", "Signed on paper"),
            self.form,
            "surveyOnPaperButton",
            checkable=True,
        )
        self.paper_button.setToolTip(
            translate(
                "FieldTablet",
                "The customer filled in and signed the printed survey; it is scanned later.",
            )
        )
        self.paper_button.toggled.connect(self._paper_toggled)
        pad_row.addWidget(self.clear_button)
        pad_row.addWidget(self.paper_button)
        form.addLayout(pad_row)
        layout.addWidget(self.form)
        self.save_button = touch_button(
            translate("FieldTablet", "Save the survey"), self, "saveSurveyButton", "primary"
        )
        self.save_button.clicked.connect(self.save)
        layout.addWidget(self.save_button)
        layout.addStretch(1)

    def show_job(self, job: FieldJob, report: ServiceReport | None) -> None:
        self.job = job
        open_ = FieldState(job.state) in field.REPORT_STATES and report is not None
        if self._loaded != job.id:
            self._loaded = job.id
            self.pad.clear()
            self.paper_button.setChecked(False)
            self.score_group.setExclusive(False)
            for button in self.score_buttons.values():
                button.setChecked(False)
            self.score_group.setExclusive(True)
            if report is not None and report.satisfaction is not None:
                self.score_buttons[report.satisfaction].setChecked(True)
                self.comments_edit.setPlainText(report.survey_comments)
                self.signer_edit.setText(report.survey_signer)
            else:
                self.comments_edit.clear()
                self.signer_edit.setText(job.customer.name)
        self.form.setEnabled(open_)
        self.save_button.setEnabled(open_)
        if FieldState(job.state) not in field.REPORT_STATES:
            text, role = (
                translate(
                    "FieldTablet", "The customer fills in the survey once the work is finished."
                ),
                "hint",
            )
        elif report is None:
            text, role = (
                translate(
                    "FieldTablet",
                    "Hand in the service report first; then the customer fills in the survey.",
                ),
                "alert",
            )
        elif report.satisfaction is None:
            text, role = translate("FieldTablet", "Not filled in yet."), "hint"
        else:
            how = (
                translate("FieldTablet", "signed on paper")
                if report.survey_on_paper
                else translate("FieldTablet", "signed on the tablet")
            )
            text, role = (
                translate(
                    "FieldTablet", "Recorded at {time}: {score} – {words}, {signer}, {how}."
                ).format(
                    time=when(report.survey_at),
                    score=report.satisfaction,
                    words=score_label(report.satisfaction),
                    signer=report.survey_signer,
                    how=how,
                ),
                "ok",
            )
        self.status_label.setText(text)
        set_role(self.status_label, role)

    def score(self) -> int | None:
        checked = self.score_group.checkedId()
        return checked if checked > 0 else None

    def _paper_toggled(self, on: bool) -> None:
        self.pad.setEnabled(not on)
        self.clear_button.setEnabled(not on)

    def save(self) -> None:
        if self.job is None:
            return
        on_paper = self.paper_button.isChecked()
        self.host.call(
            field.record_survey,
            self.job.id,
            self.score(),
            self.signer_edit.text(),
            None if on_paper else self.pad.signature_png(),
            on_paper=on_paper,
            comments=self.comments_edit.toPlainText(),
            done=translate("FieldTablet", "Satisfaction survey saved. Thank the customer."),
        )
