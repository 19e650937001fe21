"""Counter tab "Sent in for repair": every product the shop holds, with the day its
replacement is due (3 days from receipt); late ones are flagged in words and in red."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from shop_desk.counter_states import state_label
from shop_desk.i18n import counted, translate
from shop_desk.services import counter_returns
from shop_desk.ui.counter.case_actions import CaseActions
from shop_desk.ui.counter.common import make_table, select_where, selected
from shop_desk.ui.shell.models import Column, RowTableModel

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


class _LateInRed(RowTableModel):
    """Rows whose replacement is late are written in red."""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        late = (
            role == Qt.ItemDataRole.ForegroundRole
            and index.isValid()
            and counter_returns.overdue_text(self.rows[index.row()])
        )
        if late:
            return QColor("#b71c1c")
        return super().data(index, role)


class SentInTab(QWidget):
    """The products held by the shop, earliest due first, and the steps of the chosen one."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setObjectName("counterSentInTab")
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        top.addWidget(self.count_label, 1)
        self.refresh_button = QPushButton(translate("CounterUi", "Refresh"), self)
        self.refresh_button.setObjectName("refreshButton")
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        self.view, self.model = make_table(
            self,
            "sentInTable",
            [
                Column(lambda: translate("CounterUi", "Case"), lambda c: c.number),
                Column(lambda: translate("CounterUi", "Part"), lambda c: c.line.description),
                Column(
                    lambda: translate("CounterUi", "Customer"),
                    lambda c: " ".join(
                        x for x in (c.line.sale.customer_name, c.line.sale.customer_phone) if x
                    ),
                ),
                Column(lambda: translate("CounterUi", "Received"), lambda c: c.received_at),
                Column(lambda: translate("CounterUi", "Replacement due"), lambda c: c.due_at),
                Column(lambda: translate("CounterUi", "State"), lambda c: state_label(c.state)),
                Column(
                    lambda: translate("CounterUi", "Late"),
                    lambda c: counter_returns.overdue_text(c),
                ),
            ],
            stretch=6,
            model_class=_LateInRed,
        )
        layout.addWidget(self.view, 1)
        self.actions = CaseActions(window, self)
        layout.addWidget(self.actions)
        self.refresh_button.clicked.connect(self.refresh)
        self.view.selectionModel().currentRowChanged.connect(
            lambda *_: self.actions.show_case(selected(self.view))
        )
        self.actions.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        chosen = selected(self.view)
        cases = counter_returns.open_cases()
        self.model.set_rows(cases)
        late = sum(1 for c in cases if counter_returns.overdue_text(c))
        text = counted(
            len(cases),
            translate("CounterUi", "{n} product held by the shop"),
            translate("CounterUi", "{n} products held by the shop"),
        )
        if late:
            text += " · " + counted(
                late,
                translate("CounterUi", "{n} replacement late"),
                translate("CounterUi", "{n} replacements late"),
            )
        self.count_label.setText(text)
        if chosen is not None and select_where(self.view, lambda c: c.id == chosen.id):
            return
        self.actions.show_case(selected(self.view))
