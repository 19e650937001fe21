"""Internal delivery check (内部交车检查): what the record says is computed, the rest ticked.

A tab of the checkout page (PROCESS.md §7–§8); it talks to the page only through
:class:`~shop_desk.ui.checkout.step.StepHost`."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QGroupBox, QLabel, QPushButton, QTableView

from shop_desk.i18n import join_list, translate
from shop_desk.models import JobLine, QcCheck
from shop_desk.printing import labels
from shop_desk.services import checkout
from shop_desk.states import State
from shop_desk.ui.checkout.step import (
    Step,
    StepHost,
    clear_layout,
    order_events,
    setup_table,
    when_text,
    work_state_label,
)
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child


class CheckStep(Step):
    """Internal delivery check (内部交车检查): the record's part is computed, the rest ticked."""

    form_name = "checkout_check"

    def __init__(self, page: StepHost) -> None:
        super().__init__(page)
        self.work_label = child(self.form, QLabel, "workDoneLabel")
        self.lines_view = child(self.form, QTableView, "linesTable")
        self.items_box = child(self.form, QGroupBox, "itemsGroup")
        self.open_label = child(self.form, QLabel, "openLabel")
        self.done_label = child(self.form, QLabel, "doneLabel")
        self.record_button = child(self.form, QPushButton, "recordButton")
        self.lines = RowTableModel(
            [
                Column(lambda: translate("CheckoutUi", "Work"), lambda r: r.description),
                Column(lambda: translate("CheckoutUi", "Kind"), lambda r: labels.line_kind(r.kind)),
                Column(
                    lambda: translate("CheckoutUi", "Status"),
                    lambda r: work_state_label(r.work_state),
                ),
            ],
            self,
            is_dimmed=lambda r: r.work_state == "done",
        )
        setup_table(self.lines_view, self.lines)
        self.lines_view.setMaximumHeight(170)
        self.boxes: dict[str, QCheckBox] = {}
        self.record_button.clicked.connect(self.record)

    def fill(self) -> None:
        order = self.order
        ok, why = checkout.work_done_and_signed(order)
        final = (
            QcCheck.select()
            .where((QcCheck.order == order) & (QcCheck.stage == "final") & (QcCheck.passed == True))  # noqa: E712
            .order_by(QcCheck.id.desc())
            .first()
        )
        if ok:
            who = final.by.name if final is not None else ""
            self.work_label.setText(
                "✔ "
                + translate(
                    "CheckoutUi",
                    "Every authorised item is done; final inspection passed ({who}, {when}).",
                ).format(who=who, when=when_text(final.at if final else None))
            )
            self.work_label.setStyleSheet("color:#1d5a2b;")
        else:
            self.work_label.setText(
                "✘ " + translate("CheckoutUi", "Not yet: {why}.").format(why=why)
            )
            self.work_label.setStyleSheet("color:#8a1c12; font-weight:bold;")
        self.lines.set_rows(
            [
                ln
                for ln in JobLine.select()
                .where((JobLine.order == order) & (JobLine.auth_state == "authorised"))
                .order_by(JobLine.sort, JobLine.id)
            ]
        )
        done = checkout.delivery_check_done(order)
        old = {k: b.isChecked() for k, b in self.boxes.items()} if self.boxes else {}
        if getattr(self, "_box_order", None) != order.id:
            old = {}
        self._box_order = order.id
        layout = self.items_box.layout()
        clear_layout(layout)
        self.boxes = {}
        for key, label in checkout.delivery_check_items(order):
            box = QCheckBox(label, self.items_box)
            box.setObjectName(f"check_{key}")
            box.setChecked(done or old.get(key, False))
            box.setEnabled(not done and self.state() == State.READY)
            box.toggled.connect(self._update_open)
            layout.addWidget(box)
            self.boxes[key] = box
        events = order_events(order, "delivery_check")
        if done and events:
            last = events[-1]
            self.done_label.setText(
                translate("CheckoutUi", "Recorded by {who} at {when}.").format(
                    who=last.by.name if last.by_id else "", when=when_text(last.at)
                )
            )
        else:
            self.done_label.setText("")
        self.may(
            self.record_button, checkout.delivery_check, self.state() == State.READY and not done
        )
        self._update_open()

    def open_items(self) -> list[str]:
        """What still blocks the check: the record's problem first, then unticked items."""
        ok, why = checkout.work_done_and_signed(self.order)
        items = [] if ok else [why]
        items += [b.text() for b in self.boxes.values() if not b.isChecked()]
        return items

    def _update_open(self) -> None:
        if self.order is None or checkout.delivery_check_done(self.order):
            self.open_label.setText("")
            return
        items = self.open_items()
        self.open_label.setText(
            translate("CheckoutUi", "Still open: {items}.").format(
                items=join_list(items, clauses=True)
            )
            if items
            else ""
        )

    def record(self) -> None:
        items = {key: box.isChecked() for key, box in self.boxes.items()}
        if self.run(
            checkout.delivery_check,
            self.order,
            items,
            done=translate(
                "CheckoutUi", "Internal delivery check recorded. Now notify the customer."
            ),
        ):
            self.page.show_step("notify")
