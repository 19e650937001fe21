"""The field desk's Penalties tab: the register filtered by person and month with totals
per person, the manager's major demerit from a verified complaint and the supervisor's
"did not follow the dispatch"."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from field_office_data import at, dispatched
from PySide6.QtCore import Qt

from factories import make_customer
from shop_desk.models import Complaint, Penalty
from shop_desk.services import field, penalties
from shop_desk.ui.field.tab_penalties import DemeritDialog, DispatchCaseDialog, PenaltiesTab


def make_tab(qtbot, person) -> PenaltiesTab:
    tab = PenaltiesTab(person)
    qtbot.addWidget(tab)
    tab.resize(1366, 768)
    tab.show()
    qtbot.waitExposed(tab)
    return tab


def late_crew(staff) -> None:
    """A late arrival for a personal reason: a case for each of the crew (tech1, tech2)."""
    job = dispatched(staff)
    field.depart(staff["tech1"], job.id)
    at(6)
    field.arrive(staff["tech1"], job.id, "私事 personal errand", personal=True)


def shown(tab: PenaltiesTab, column: int) -> list[str]:
    proxy = tab.table.model()
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def test_register_filters_by_person_and_month_with_totals(qtbot, staff):
    late_crew(staff)  # November: tech1 and tech2, 100.00 each
    at(24 * 31)  # December
    job = dispatched(staff)
    penalties.record_not_following_dispatch(staff["supervisor"], staff["tech1"], job.id, "拒绝出车")
    tab = make_tab(qtbot, staff["manager"])
    assert tab.month() == dt.date(2026, 12, 1)  # this month first
    assert shown(tab, 2) == ["Did not follow the dispatch"]
    assert shown(tab, 4) == [job.number]
    tab.set_filter(None, None)
    assert len(shown(tab, 0)) == 3
    totals = {t.name: t for t in tab.totals_model.rows}
    dispatch_amount = penalties.amount_for("not_following_dispatch")
    assert totals[staff["tech1"].name].amount == Decimal("100.00") + dispatch_amount
    assert totals[staff["tech1"].name].cases == 2 and totals[staff["tech2"].name].cases == 1
    assert tab.total_label.text().startswith("3 cases")
    tab.set_filter(staff["tech1"], dt.date(2026, 11, 1))
    assert shown(tab, 1) == [staff["tech1"].name]
    assert shown(tab, 2) == ["Late arrival on site"] and shown(tab, 3) == ["¥100.00"]
    assert [t.name for t in tab.totals_model.rows] == [staff["tech1"].name]
    assert tab.total_label.text() == "1 case, ¥100.00 in all."
    tab.set_filter(staff["tech2"], dt.date(2026, 12, 1))
    assert shown(tab, 0) == [] and tab.totals_model.rows == []


def test_manager_records_a_major_demerit_from_a_verified_complaint(qtbot, staff):
    customer = make_customer()
    Complaint.create(
        number="TS-7",
        channel="phone",
        customer=customer,
        cause="money",
        staff_concerned=staff["tech2"],
        description="索要红包 asked for a tip",
        state="open",  # not investigated yet: not offered
    )
    verified = Complaint.create(
        number="TS-8",
        channel="visit",
        customer=customer,
        cause="rude",
        staff_concerned=staff["tech1"],
        description="态度恶劣 rude to the customer",
        state="measures",
    )
    supervisor = make_tab(qtbot, staff["supervisor"])
    assert not supervisor.demerit_button.isVisible() and supervisor.dispatch_button.isVisible()
    tab = make_tab(qtbot, staff["manager"])
    qtbot.mouseClick(tab.demerit_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(DemeritDialog, "demeritDialog")
    assert dialog.complaint_combo.count() == 1
    assert dialog.complaint_combo.currentData().id == verified.id
    assert staff["tech1"].name in dialog.about.text()
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    entry = Penalty.get(Penalty.kind == "major_demerit")
    assert entry.staff_id == staff["tech1"].id and entry.complaint_id == verified.id
    assert shown(tab, 4) == ["TS-8"] and shown(tab, 6) == [staff["manager"].name]
    assert "Major demerit" in tab.banner.text()
    assert tab.totals_model.rows[0].demerits == 1
    again = tab.add_demerit()  # nothing left to record
    assert again.complaint_combo.count() == 0 and not again.ok_button().isEnabled()


def test_supervisor_records_did_not_follow_the_dispatch(qtbot, staff):
    job = dispatched(staff)
    tab = make_tab(qtbot, staff["supervisor"])
    qtbot.mouseClick(tab.dispatch_button, Qt.MouseButton.LeftButton)
    dialog = tab.findChild(DispatchCaseDialog, "dispatchCaseDialog")
    assert dialog.job_combo.currentData() == job.id
    assert dialog.person_combo.itemData(0) == staff["tech1"].id  # the crew first
    dialog.person_combo.setCurrentIndex(dialog.person_combo.findData(staff["tech2"].id))
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "What happened" in dialog.error.text()  # reason missing
    dialog.reason.setPlainText("拒绝出车 refused to go out")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    entry = Penalty.get(Penalty.kind == "not_following_dispatch")
    assert entry.staff_id == staff["tech2"].id and entry.job_id == job.id
    assert shown(tab, 2) == ["Did not follow the dispatch"] and shown(tab, 4) == [job.number]
    tab.grab().save("/tmp/office_penalties.png")


def test_others_are_told_the_register_is_not_for_them(qtbot, staff):
    late_crew(staff)
    tab = make_tab(qtbot, staff["tech1"])
    assert tab.model.rowCount() == 0
    assert "Only the manager and the supervisor" in tab.banner.text()
    assert not tab.demerit_button.isVisible() and not tab.dispatch_button.isVisible()
