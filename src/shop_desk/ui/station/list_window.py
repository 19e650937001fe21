"""The parts counter's lists in their own window (supplier orders, supplier claims): a message
line, an "open ones only" box, the list with its steps, Close. A step's dialog or service
call reads the list again and says what it did; closing is accepting, so the station reads
its jobs again too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Staff
from shop_desk.ui.shell.models import RowTableModel
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog
from shop_desk.ui.station.common import TOUCH_STYLE, current_row, reselect


class ListWindow(QDialog):
    """The window's frame; a subclass adds ``open_only``, builds ``view`` and ``model`` and
    reads its rows in :meth:`refresh`."""

    view: QTableView
    model: RowTableModel

    def __init__(
        self,
        actor: Staff,
        order: RepairOrder | None,
        parent: QWidget,
        name: str,
        title: str,
        open_only_text: str,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setStyleSheet(TOUCH_STYLE)
        self.actor, self.order = actor, order
        self.sub: QDialog | None = None
        layout = QVBoxLayout(self)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        layout.addWidget(self.banner)
        self.open_only = QCheckBox(open_only_text, self)
        self.open_only.setObjectName("openOnlyBox")
        self.open_only.setChecked(True)
        self.open_only.toggled.connect(lambda _on: self.refresh())

    def add_close(self, layout: QVBoxLayout) -> None:
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(translate("Station", "Close"))
        close.rejected.connect(self.accept)
        layout.addWidget(close)

    def refresh(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def show_rows(self, rows: list[Any]) -> None:
        """New rows for the list, the row chosen before chosen again."""
        keep = self.selected()
        self.model.set_rows(rows)
        if keep is not None:
            self.select(lambda r: r.id == keep.id)

    def reject(self) -> None:
        """Closing (Esc too) is accepting: the station reads everything again, since a
        receipt or a claim may have changed the jobs it shows."""
        self.accept()

    def selected(self) -> Any:
        return current_row(self.view, self.model)

    def select(self, predicate: Callable[[Any], Any]) -> bool:
        return reselect(self.view, self.model, predicate)

    def _open(
        self, dialog: FormDialog, done: Callable[[Any], str], select_result: bool = False
    ) -> FormDialog:
        """Open a step's dialog; when it is saved, read again (choosing the row it saved when
        ``select_result``) and say ``done(dialog)``."""
        self.sub = dialog

        def accepted() -> None:
            self.refresh()
            if select_result:
                self.select(lambda r: r.id == dialog.result_value.id)
            self.banner.show_info(done(dialog))

        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def _step(self, service: Callable[[Staff, int], Any], done: Callable[[Any], str]) -> None:
        """Run ``service`` on the chosen row: a refusal is shown, else read again and say
        ``done(row)``."""
        row = self.selected()
        if row is None:
            return
        try:
            service(self.actor, row.id)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return
        self.refresh()
        self.banner.show_info(done(row))
