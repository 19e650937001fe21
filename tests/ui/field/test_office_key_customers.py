"""The field desk's Key customers tab: the visit list, the visits due on a given day, adding
and taking off a key customer, recording a visit for the person who went, the history."""

from __future__ import annotations

import datetime as dt

from field_office_data import at
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from factories import make_customer
from shop_desk.models import KeyCustomer, KeyCustomerVisit
from shop_desk.services import key_customers
from shop_desk.ui.field.tab_key_customers import (
    AddKeyCustomerDialog,
    KeyCustomersTab,
    RecordVisitDialog,
)


def make_tab(qtbot, person) -> KeyCustomersTab:
    tab = KeyCustomersTab(person)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def names(tab: KeyCustomersTab) -> list[str]:
    proxy = tab.table.model()
    return [proxy.index(r, 0).data() for r in range(proxy.rowCount())]


def fleets(staff):
    sf = make_customer(name="顺丰车队 SF Fleet", phone="021-55550001", kind="company")
    bus = make_customer(name="公交三公司 Bus Co. 3", phone="021-55550002", kind="company")
    key_customers.add_key_customer(staff["manager"], sf.id, 30)  # due 2026-12-02
    key_customers.add_key_customer(staff["manager"], bus.id, 60)  # due 2027-01-01
    return sf, bus


def test_visits_due_on_a_given_day(qtbot, staff):
    fleets(staff)
    tab = make_tab(qtbot, staff["supervisor"])
    assert names(tab) == ["顺丰车队 SF Fleet", "公交三公司 Bus Co. 3"]
    assert tab.date_edit.date() == QDate(2026, 11, 2)  # today by default
    tab.show_due(dt.date(2026, 12, 1))
    assert names(tab) == []
    tab.show_due(dt.date(2026, 12, 2))
    assert names(tab) == ["顺丰车队 SF Fleet"]
    assert tab.table.model().index(0, 3).data() == "2026-12-02"
    tab.show_due(dt.date(2027, 1, 5))
    assert names(tab) == ["顺丰车队 SF Fleet", "公交三公司 Bus Co. 3"]
    overdue = tab.model.data(tab.model.index(0, 0), Qt.ItemDataRole.BackgroundRole)
    assert overdue is not None and overdue.name() == "#fdecea"
    tab.due_box.setChecked(False)
    assert len(names(tab)) == 2


def test_record_a_visit_for_the_person_who_went(qtbot, staff):
    fleets(staff)
    at(24 * 31)  # 2026-12-03: the SF fleet is due
    tab = make_tab(qtbot, staff["crm"])
    tab.show_due()
    assert names(tab) == ["顺丰车队 SF Fleet"]
    qtbot.mouseClick(tab.visit_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(RecordVisitDialog, "recordVisitDialog")
    assert dialog.visitor.currentData() == staff["crm"].id
    dialog.visitor.setCurrentIndex(dialog.visitor.findData(staff["tech1"].id))
    dialog.day.setDate(QDate(2026, 12, 1))
    dialog.usage.setPlainText("每天跑两百公里 200 km a day")
    dialog.opinions.setPlainText("座椅偏硬 seats too hard")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    visit = KeyCustomerVisit.get()
    assert visit.visited_by_id == staff["tech1"].id and visit.visited_on == dt.date(2026, 12, 1)
    assert names(tab) == []  # next visit 2026-12-31: not due any more
    assert "2026-12-31" in tab.banner.text()
    tab.due_box.setChecked(False)
    tab.table.selectRow(names(tab).index("顺丰车队 SF Fleet"))
    history = tab.history.model()
    assert [history.index(0, c).data() for c in range(4)] == [
        "2026-12-01",
        staff["tech1"].name,
        "每天跑两百公里 200 km a day",
        "座椅偏硬 seats too hard",
    ]
    assert tab.table.model().index(tab.table.currentIndex().row(), 4).data() == "2026-12-01"
    tab.grab().save("/tmp/office_key_customers.png")


def test_add_and_take_off_a_key_customer(qtbot, staff):
    make_customer(name="华东出租 East Taxi", phone="13700001111", kind="company")
    tab = make_tab(qtbot, staff["manager"])
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(AddKeyCustomerDialog, "addKeyCustomerDialog")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Find the customer" in dialog.error.text()
    dialog.find_edit.setText("13700001111")
    assert dialog.find() == 1
    dialog.interval.setValue(45)
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    row = KeyCustomer.get()
    assert row.interval_days == 45 and row.next_visit_on == dt.date(2026, 12, 17)
    assert names(tab) == ["华东出租 East Taxi"] and "2026-12-17" in tab.banner.text()
    qtbot.mouseClick(tab.remove_button, Qt.MouseButton.LeftButton)
    box = next(
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    )
    qtbot.mouseClick(box.findChild(QPushButton, "yesButton"), Qt.MouseButton.LeftButton)
    assert not KeyCustomer.get_by_id(row.id).active and names(tab) == []


def test_technicians_only_record_visits(qtbot, staff):
    tab = make_tab(qtbot, staff["tech1"])
    assert not tab.add_button.isVisible() and not tab.remove_button.isVisible()
    assert tab.visit_button.isVisible()
