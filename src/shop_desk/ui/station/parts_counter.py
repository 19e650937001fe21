"""The parts counter's own buttons on the station's header, for work not tied to the job
chosen on the left: parts brought back from any order in the workshop (退料), the supplier
orders (采购单) and the supplier claims. The parts clerk works them; a manager reads."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QHBoxLayout, QWidget

from shop_desk.i18n import translate
from shop_desk.roles import Role
from shop_desk.services import parts_returns
from shop_desk.ui.shell.widgets import allowed
from shop_desk.ui.station.common import StationHost, big_button
from shop_desk.ui.station.parts_returns import ReturnOrderDialog, ReturnPartsDialog
from shop_desk.ui.station.supplier_claims import SupplierClaimsDialog
from shop_desk.ui.station.supplier_orders import SupplierOrdersDialog

#: Who opens the supplier orders and claims (the manager to read them).
COUNTER_ROLES = (Role.PARTS_CLERK, Role.MANAGER)


class CounterBar(QWidget):
    """Return parts…, Supplier orders…, Supplier claims… (see the module docstring)."""

    def __init__(self, host: StationHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("counterBar")
        self.host = host
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.return_button = big_button(
            translate("Station", "Parts returned…"), self, "counterReturnButton"
        )
        self.orders_button = big_button(
            translate("Station", "Supplier orders…"), self, "supplierOrdersButton"
        )
        self.claims_button = big_button(
            translate("Station", "Supplier claims…"), self, "supplierClaimsButton"
        )
        for button in (self.return_button, self.orders_button, self.claims_button):
            layout.addWidget(button)
        self.return_button.clicked.connect(self.return_parts)
        self.orders_button.clicked.connect(self.supplier_orders)
        self.claims_button.clicked.connect(self.supplier_claims)
        staff = host.staff
        self.return_button.setVisible(allowed(staff, parts_returns.return_parts))
        counter = allowed(staff, COUNTER_ROLES)
        self.orders_button.setVisible(counter)
        self.claims_button.setVisible(counter)
        self.setVisible(counter)

    def return_parts(self) -> QDialog:
        """Pick the order the parts come from, then take them back on a return slip."""

        def picked(d: ReturnOrderDialog) -> str:
            order = d.result_value
            self.host.open_dialog(
                ReturnPartsDialog(self.host.staff, order, self.window()),
                lambda r: translate(
                    "Station", "Return slip {slip} made: the parts are back in stock."
                ).format(slip=r.result_value.number),
            )
            return ""

        return self.host.open_dialog(ReturnOrderDialog(self.window()), picked)

    def supplier_orders(self) -> QDialog:
        return self.host.open_dialog(
            SupplierOrdersDialog(self.host.staff, self.host.order, self.window()), lambda d: ""
        )

    def supplier_claims(self) -> QDialog:
        return self.host.open_dialog(
            SupplierClaimsDialog(self.host.staff, self.host.order, self.window()), lambda d: ""
        )
