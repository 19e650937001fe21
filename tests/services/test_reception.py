"""Reception through its services: check-in, walk-around, complaint, warranty, estimate, task
order, signature, handover and cancellation; comebacks, declined recommendations, archive."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage

from factories import make_order, make_vehicle
from shop_desk import clock
from shop_desk.errors import (
    ConfirmationRequired,
    ConflictError,
    DomainError,
    PermissionDenied,
    TransitionRefused,
    ValidationError,
)
from shop_desk.models import (
    Appointment,
    Complaint,
    DamageMark,
    Inspection,
    InspectionPhoto,
    JobLine,
    LabourOperation,
    OdometerReading,
    OrderEvent,
    Part,
    Recommendation,
    RepairOrder,
    Signature,
    Staff,
    StaffRole,
    Vehicle,
)
from shop_desk.services import admin, appointments, archive, customers, reception
from shop_desk.states import State

NOW = dt.datetime(2026, 11, 2, 9, 0)


# ---------------------------------------------------------------------------- helpers


def png(points=(), w=600, h=200, background=Qt.GlobalColor.transparent, pen=1) -> bytes:
    """A signature-pad image with dark ink at ``points`` (each drawn (2*pen+1) pixels wide)."""
    img = QImage(w, h, QImage.Format.Format_ARGB32)
    img.fill(background)
    for x, y in points:
        for dx in range(-pen, pen + 1):
            for dy in range(-pen, pen + 1):
                if 0 <= x + dx < w and 0 <= y + dy < h:
                    img.setPixel(x + dx, y + dy, 0xFF101020)
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    img.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


SIGNATURE = png([(x, int(100 + 45 * math.sin(x / 23))) for x in range(90, 480)])


def op(code: str) -> LabourOperation:
    return LabourOperation.get(LabourOperation.code == code)


def part(no: str) -> Part:
    return Part.get(Part.part_no == no)


def walk_in(staff, vehicle=None, **kw):
    vehicle = vehicle or make_vehicle()
    kw.setdefault("odometer_km", vehicle.last_odometer_km + 500)
    return reception.check_in(staff["advisor"], vehicle, **kw)


def earlier_visit(vehicle, days_ago: int, complaint: str, number: str, ops=(), state=State.CLOSED):
    """A finished earlier order of ``vehicle`` (delivered ``days_ago`` days before NOW)."""
    clock.set_now(NOW - dt.timedelta(days=days_ago))
    order = make_order(state, vehicle=vehicle, lines=False, number=number, complaint_text=complaint)
    for code in ops:
        o = op(code)
        JobLine.create(
            order=order,
            kind="labour",
            labour_op=o,
            description=o.name,
            hours=o.standard_hours,
            rate=Decimal("180"),
            category=o.category,
            work_state="done",
        )
    clock.set_now(NOW)
    return order


def ready_to_sign(staff, order=None):
    """A walk-in with everything the task order needs except the signature."""
    order = order or walk_in(staff, complaint_text="更换机油 oil change").order
    adv = staff["advisor"]
    reception.record_inspection(adv, order, 60, order.odometer_km, marks=[], photos=[])
    reception.add_labour_line(adv, order, op("MNT-5K"))
    reception.add_part_line(adv, order, part("FLT-OIL"), "1")
    reception.set_promised_time(adv, order, NOW + dt.timedelta(hours=3))
    reception.set_task_order_options(adv, order, "wechat")
    return RepairOrder.get_by_id(order.id)


def fresh(order) -> RepairOrder:
    return RepairOrder.get_by_id(order.id)


# ---------------------------------------------------------------------------- check-in


def test_check_in_from_appointment(db, staff):
    v = make_vehicle(odometer=12000)
    appt = appointments.book_appointment(
        staff["advisor"],
        v.owner,
        v,
        dt.datetime(2026, 11, 2, 10, 0),
        "1",
        "保养",
        advisor=staff["advisor2"],
    )
    clock.set_now(dt.datetime(2026, 11, 2, 9, 55))
    result = reception.check_in(staff["advisor"], v, appointment=appt, odometer_km=12800)
    order = fresh(result.order)
    assert order.id == appointments.order_of(appt).id
    assert order.state == State.CHECKED_IN.value and not order.walk_in
    assert order.checked_in_at == dt.datetime(2026, 11, 2, 9, 55)
    assert order.advisor_id == staff["advisor2"].id
    assert order.odometer_km == 12800 and Vehicle.get_by_id(v.id).last_odometer_km == 12800
    assert Appointment.get_by_id(appt.id).status == "arrived"
    assert not result.is_comeback and result.declined_recommendations == []


def test_check_in_uses_todays_appointment_when_none_given(db, staff):
    v = make_vehicle()
    appt = appointments.book_appointment(
        staff["advisor"], v.owner, v, dt.datetime(2026, 11, 2, 11, 0), "1", "保养"
    )
    order = reception.check_in(staff["advisor"], v).order
    assert order.appointment_id == appt.id
    assert Appointment.get_by_id(appt.id).status == "arrived"


def test_walk_in_creates_a_checked_in_order(db, staff):
    v = make_vehicle()
    order = walk_in(staff, v, complaint_text="左前车窗升不上去 window will not close").order
    order = fresh(order)
    assert order.walk_in and order.state == State.CHECKED_IN.value
    assert order.number == "RO261102-001" and order.advisor_id == staff["advisor"].id
    assert order.customer_id == v.owner_id and order.complaint_text.startswith("左前车窗")


def test_technician_cannot_check_in(db, staff):
    v = make_vehicle()
    with pytest.raises(PermissionDenied):
        reception.check_in(staff["tech1"], v, odometer_km=20000)
    assert not RepairOrder.select().exists()


def test_vehicle_already_in_the_shop_refused(db, staff):
    v = make_vehicle()
    walk_in(staff, v)
    with pytest.raises(DomainError) as err:
        walk_in(staff, v)
    assert "already in the shop" in str(err.value)
    assert RepairOrder.select().count() == 1


def test_vehicle_without_owner_needs_a_customer(db, staff):
    v = make_vehicle()
    owner = v.owner
    v.owner = None
    v.save()
    with pytest.raises(ValidationError):
        walk_in(staff, v)
    assert walk_in(staff, v, customer=owner).order.customer_id == owner.id


def test_lower_odometer_at_check_in_needs_a_reason(db, staff):
    v = make_vehicle(odometer=30000)
    with pytest.raises(ConfirmationRequired) as err:
        reception.check_in(staff["advisor"], v, odometer_km=29000)
    assert err.value.what == "lower_odometer"
    assert not RepairOrder.select().exists()  # nothing was created
    assert Vehicle.get_by_id(v.id).last_odometer_km == 30000
    result = reception.check_in(
        staff["advisor"],
        v,
        odometer_km=29000,
        confirm_lower_odometer_reason="上次录入错误 typo last time",
    )
    reading = OdometerReading.get(OdometerReading.order_id == result.order.id)
    assert reading.km == 29000 and reading.lower_reason == "上次录入错误 typo last time"


# ---------------------------------------------------------------------------- comebacks


def test_comeback_flagged_by_similar_chinese_complaint(db, staff):
    v = make_vehicle()
    first = earlier_visit(v, 10, "刹车时前轮有异响", "OLD-1", ops=["BRK-F"])
    result = walk_in(staff, v, complaint_text="刹车异响又出现了")
    assert result.is_comeback and result.comeback_of.id == first.id
    order = fresh(result.order)
    assert order.is_comeback and order.comeback_of_id == first.id


def test_comeback_flagged_by_similar_english_complaint(db, staff):
    v = make_vehicle()
    first = earlier_visit(v, 5, "Brake noise when stopping", "OLD-1")
    assert walk_in(staff, v, complaint_text="brakes make noise again").comeback_of.id == first.id


def test_no_comeback_outside_the_window_or_for_another_problem(db, staff):
    v = make_vehicle()
    earlier_visit(v, 31, "刹车时前轮有异响", "OLD-1", ops=["BRK-F"])
    assert not walk_in(staff, v, complaint_text="刹车异响").is_comeback
    w = make_vehicle()
    earlier_visit(w, 3, "刹车时前轮有异响", "OLD-2", ops=["BRK-F"])
    assert not walk_in(staff, w, complaint_text="空调不制冷").is_comeback


def test_routine_service_twice_is_not_a_comeback(db, staff):
    v = make_vehicle()
    earlier_visit(v, 20, "常规保养", "OLD-1", ops=["MNT-5K"])
    order = walk_in(staff, v, complaint_text="常规保养").order
    reception.add_labour_line(staff["advisor"], order, op("MNT-5K"))
    assert not fresh(order).is_comeback


def test_same_problem_after_maintenance_category_work_is_a_comeback(db, staff):
    v = make_vehicle()
    first = earlier_visit(
        v, 22, "方向盘跑偏", "OLD-1", ops=["ALN-4W"]
    )  # alignment: maintenance category
    assert walk_in(staff, v, complaint_text="方向盘还是跑偏").comeback_of.id == first.id


def test_comeback_rechecked_when_a_labour_line_is_added_or_removed(db, staff):
    v = make_vehicle()
    first = earlier_visit(v, 12, "换刹车片", "OLD-1", ops=["BRK-F"])
    order = walk_in(staff, v, complaint_text="仪表灯亮").order
    assert not fresh(order).is_comeback
    line = reception.add_labour_line(staff["advisor"], order, op("BRK-F"))
    assert fresh(order).is_comeback and fresh(order).comeback_of_id == first.id
    reception.remove_line(staff["advisor"], line)
    assert not fresh(order).is_comeback and fresh(order).comeback_of_id is None


def test_comeback_rechecked_when_the_complaint_changes(db, staff):
    v = make_vehicle()
    earlier_visit(v, 12, "发动机抖动 engine shaking at idle", "OLD-1")
    order = walk_in(staff, v).order
    assert not fresh(order).is_comeback
    reception.record_complaint(staff["advisor"], order, "怠速时发动机抖动")
    assert fresh(order).is_comeback


def test_text_similarity_helpers():
    assert reception.texts_match("刹车时前轮有异响", "刹车异响")
    assert not reception.texts_match("空调不制冷", "刹车异响")
    assert reception.text_similarity("", "刹车") == 0.0
    assert reception.text_similarity("刹车异响", "刹车异响") == 1.0


# ---------------------------------------------------------------------------- declined recommendations


def test_declined_recommendations_are_raised_again(db, staff):
    v = make_vehicle()
    first = earlier_visit(v, 60, "保养", "OLD-1")
    declined = Recommendation.create(
        vehicle=v,
        order=first,
        description="更换前刹车片 front pads at 2 mm",
        safety=True,
        state="declined",
        declined_at=NOW - dt.timedelta(days=60),
    )
    Recommendation.create(vehicle=v, order=first, description="四轮定位", state="done")
    result = walk_in(staff, v)
    assert [r.id for r in result.declined_recommendations] == [declined.id]
    assert Recommendation.get_by_id(declined.id).raised_again_in_id == result.order.id
    other = make_vehicle()
    assert walk_in(staff, other).declined_recommendations == []


# ---------------------------------------------------------------------------- walk-around


def test_record_inspection_replaces_on_save(db, staff):
    v = make_vehicle(odometer=20000)
    order = walk_in(staff, v, odometer_km=20500).order
    photo = png([(10, 10)], w=40, h=30, background=Qt.GlobalColor.white)
    marks = [
        {"view": "left", "x": 0.65, "y": 0.5, "kind": "scratch", "note": "后门划痕"},
        {"view": "front", "x": 0.5, "y": 0.5, "kind": "chip"},
    ]
    ins = reception.record_inspection(
        staff["advisor"],
        order,
        40,
        20500,
        ["engine", "tpms", "engine"],
        True,
        False,
        True,
        "行车记录仪 dash camera",
        "雨天",
        marks,
        [("left.png", photo)],
    )
    ins = Inspection.get_by_id(ins.id)
    assert json.loads(ins.warning_lights) == ["engine", "tpms"]
    assert (
        ins.fuel_level == 40
        and not ins.tool_kit
        and ins.protective_set
        and ins.valuables.startswith("行车")
    )
    assert DamageMark.select().where(DamageMark.inspection == ins).count() == 2
    DamageMark.create(
        inspection=ins, view="rear", x=0.1, y=0.1, kind="dent", found_in_workshop=True
    )
    # second save: one mark, photos kept (None), odometer corrected downwards above the previous reading
    reception.record_inspection(
        staff["advisor"],
        order,
        45,
        20450,
        marks=[{"view": "top", "x": 0.3, "y": 0.3, "kind": "dent"}],
    )
    assert Inspection.select().where(Inspection.order == order).count() == 1
    kinds = sorted(
        (m.kind, m.found_in_workshop)
        for m in DamageMark.select().where(DamageMark.inspection == ins)
    )
    assert kinds == [("dent", False), ("dent", True)]
    assert InspectionPhoto.select().where(InspectionPhoto.inspection == ins).count() == 1
    assert fresh(order).odometer_km == 20450 and Vehicle.get_by_id(v.id).last_odometer_km == 20450
    assert OdometerReading.select().where(OdometerReading.order_id == order.id).count() == 1
    reception.record_inspection(staff["advisor"], order, 45, 20450, photos=[])
    assert InspectionPhoto.select().where(InspectionPhoto.inspection == ins).count() == 0


def test_inspection_odometer_below_the_previous_visit_needs_a_reason(db, staff):
    v = make_vehicle(odometer=20000)
    order = walk_in(staff, v, odometer_km=20500).order
    with pytest.raises(ConfirmationRequired):
        reception.record_inspection(staff["advisor"], order, 50, 19000)
    assert not Inspection.select().where(Inspection.order == order).exists()
    reception.record_inspection(
        staff["advisor"], order, 50, 19000, confirm_lower_odometer_reason="换过仪表"
    )
    assert OdometerReading.get(OdometerReading.order_id == order.id).lower_reason == "换过仪表"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"fuel_level": 120},
        {"marks": [{"view": "top", "x": 1.5, "y": 0.2, "kind": "dent"}]},
        {"marks": [{"view": "top", "x": 0.5, "y": 0.2, "kind": "rust"}]},
        {"marks": [{"view": "inside", "x": 0.5, "y": 0.2, "kind": "dent"}]},
        {"photos": [("x.png", b"not an image")]},
        {"photos": [("", png([(1, 1)], w=10, h=10))]},
    ],
)
def test_invalid_inspection_refused(db, staff, kwargs):
    order = walk_in(staff).order
    args = {"fuel_level": 50, "odometer_km": order.odometer_km, **kwargs}
    with pytest.raises(ValidationError):
        reception.record_inspection(staff["advisor"], order, **args)
    assert not Inspection.select().exists()


def test_damage_marks_beside_the_car_are_refused(db, staff):
    """A mark in the empty paper around a view (here above the bonnet in the side view, or in
    the top view's corner) is refused with words that say where it belongs; nothing is saved."""
    order = walk_in(staff).order
    for beside in ({"view": "left", "x": 0.2, "y": 0.4}, {"view": "top", "x": 0.01, "y": 0.02}):
        with pytest.raises(ValidationError, match="beside the car"):
            reception.record_inspection(
                staff["advisor"],
                order,
                50,
                order.odometer_km,
                marks=[{**beside, "kind": "dent"}],
            )
    assert not Inspection.select().exists()
    reception.record_inspection(
        staff["advisor"],
        order,
        50,
        order.odometer_km,
        marks=[{"view": "left", "x": 0.65, "y": 0.5, "kind": "dent"}],
    )
    assert DamageMark.select().count() == 1


def test_inspection_needs_a_checked_in_car(db, staff):
    v = make_vehicle()
    appt = appointments.book_appointment(
        staff["advisor"], v.owner, v, dt.datetime(2026, 11, 3, 10, 0), "1", "保养"
    )
    with pytest.raises(TransitionRefused):
        reception.record_inspection(staff["advisor"], appointments.order_of(appt), 50, 20000)


# ---------------------------------------------------------------------------- complaint and warranty


def test_record_complaint(db, staff):
    order = walk_in(staff).order
    reception.record_complaint(
        staff["advisor"], order, "  高速时方向盘抖动  ", "待查", True, "沪123456", "BK-889"
    )
    order = fresh(order)
    assert order.complaint_text == "高速时方向盘抖动" and order.diagnosis_needed
    assert (order.licence_no, order.booklet_no) == ("沪123456", "BK-889")
    with pytest.raises(ValidationError):
        reception.record_complaint(staff["advisor"], order, " ")
    assert fresh(order).complaint_text == "高速时方向盘抖动"


def test_decide_warranty(db, staff):
    order = walk_in(staff).order
    adv = staff["advisor"]
    suggestion = reception.suggest_warranty(order)
    assert suggestion.status == "covered"  # 400-day-old car, general category
    with pytest.raises(ValidationError):
        reception.decide_warranty(adv, order, "pending")  # needs a reason
    with pytest.raises(ValidationError):
        reception.decide_warranty(adv, order, "maybe", "x")
    reception.decide_warranty(adv, order, "pending", "上报厂家服务部 referred to the manufacturer")
    assert fresh(order).warranty_decision == "pending"
    reception.add_labour_line(adv, order, op("AC-REG"), pay_type="warranty")
    with pytest.raises(ValidationError):
        reception.decide_warranty(adv, order, "not_covered", "人为损坏 user damage")
    assert fresh(order).warranty_decision == "pending"


def test_warranty_pay_type_needs_a_covered_or_pending_decision(db, staff):
    order = walk_in(staff).order
    with pytest.raises(ValidationError) as err:
        reception.add_labour_line(staff["advisor"], order, op("AC-REG"), pay_type="warranty")
    assert err.value.field == "pay_type"
    reception.decide_warranty(staff["advisor"], order, "not_covered", "超出保修期")
    with pytest.raises(ValidationError):
        reception.add_part_line(staff["advisor"], order, part("AC-COMP"), "1", pay_type="warranty")
    reception.decide_warranty(staff["advisor"], order, "covered")
    assert (
        reception.add_part_line(
            staff["advisor"], order, part("AC-COMP"), "1", pay_type="warranty"
        ).pay_type
        == "warranty"
    )


# ---------------------------------------------------------------------------- estimate lines and stock


def test_labour_line_defaults(db, staff):
    order = walk_in(staff).order
    line = reception.add_labour_line(staff["advisor"], order, op("BRK-F"))
    assert (line.hours, line.rate, line.category) == (Decimal("1.20"), Decimal("180.00"), "wear")
    assert (line.origin, line.auth_state, line.pay_type) == ("original", "authorised", "customer")
    free = reception.add_labour_line(
        staff["advisor"], order, description="检查异响 check noise", hours="0.5", rate="200"
    )
    assert free.labour_op_id is None and free.sort == line.sort + 1
    with pytest.raises(ValidationError):
        reception.add_labour_line(staff["advisor"], order)  # neither operation nor description
    with pytest.raises(ValidationError):
        reception.add_labour_line(staff["advisor"], order, op("BRK-F"), hours="0")
    assert reception.estimated_hours(order) == Decimal("1.70")


def test_part_lines_reserve_up_to_the_stock_and_report_shortage(db, staff):
    order = walk_in(staff).order
    compressor = part("AC-COMP")  # 1 in stock
    line = reception.add_part_line(staff["advisor"], order, compressor, "2")
    assert line.unit_price == Decimal("3280.00")
    assert line.parts_reserved == Decimal("1.00")
    assert Part.get_by_id(compressor.id).reserved_qty == Decimal("1.00")
    [row] = reception.stock_status(order)
    assert (row.needed, row.reserved, row.available, row.short) == (
        Decimal("2.00"),
        Decimal("1.00"),
        Decimal("0.00"),
        Decimal("1.00"),
    )
    reception.update_line(staff["advisor"], line, quantity="1")
    assert JobLine.get_by_id(line.id).parts_reserved == Decimal("1.00")
    assert reception.stock_status(order)[0].short == Decimal("0")
    reception.remove_line(staff["advisor"], line)
    assert Part.get_by_id(compressor.id).reserved_qty == Decimal("0.00")
    assert not JobLine.select().where(JobLine.id == line.id).exists()


def test_update_line_validation(db, staff):
    order = walk_in(staff).order
    labour = reception.add_labour_line(staff["advisor"], order, op("BRK-F"))
    reception.update_line(staff["advisor"], labour, hours="1.5", description="前刹车片 front pads")
    assert JobLine.get_by_id(labour.id).hours == Decimal("1.50")
    with pytest.raises(ValidationError):
        reception.update_line(staff["advisor"], labour, quantity="2")
    with pytest.raises(ValidationError):
        reception.update_line(staff["advisor"], labour, pay_type="free")
    with pytest.raises(ValidationError):
        reception.update_line(staff["advisor"], labour, category="nonsense")


def test_stale_version_is_refused(db, staff):
    order = walk_in(staff).order
    seen = fresh(order).version
    reception.record_complaint(staff["advisor2"], order, "异响", expected_version=seen)
    with pytest.raises(ConflictError) as err:
        reception.add_labour_line(staff["advisor"], order, op("BRK-F"), expected_version=seen)
    assert staff["advisor2"].name in str(err.value)
    assert not JobLine.select().where(JobLine.order == order).exists()


def test_frozen_order_cannot_be_edited(db, staff):
    order = make_order(State.SETTLED, number="OLD-9")
    with pytest.raises(TransitionRefused):
        reception.add_labour_line(staff["advisor"], order, op("BRK-F"))
    with pytest.raises(TransitionRefused):
        reception.record_complaint(staff["advisor"], order, "x")
    with pytest.raises(TransitionRefused):
        reception.decide_warranty(staff["advisor"], order, "covered")


def test_estimate_is_closed_once_in_the_workshop(db, staff):
    order = make_order(State.IN_PROGRESS, number="OLD-8")
    with pytest.raises(TransitionRefused):
        reception.add_part_line(staff["advisor"], order, part("FLT-OIL"), "1")


# ---------------------------------------------------------------------------- task order


def test_promised_time_not_in_the_past(db, staff):
    order = walk_in(staff).order
    with pytest.raises(ValidationError):
        reception.set_promised_time(staff["advisor"], order, NOW - dt.timedelta(minutes=1))
    assert fresh(order).promised_at is None
    reception.set_promised_time(
        staff["advisor"], order, reception.suggested_promised_time(order) + dt.timedelta(hours=1)
    )
    assert fresh(order).promised_at > NOW


def test_task_order_options(db, staff):
    order = walk_in(staff).order
    adv = staff["advisor"]
    with pytest.raises(ValidationError):
        reception.set_task_order_options(adv, order, "on_account")  # a person has no credit limit
    with pytest.raises(ValidationError):
        reception.set_task_order_options(adv, order, "bitcoin")
    with pytest.raises(ValidationError):
        reception.set_task_order_options(adv, order, "cash", old_parts="sell")
    with pytest.raises(ValidationError):
        reception.set_task_order_options(adv, order, "cash", authorisation_phone="12")
    reception.set_task_order_options(adv, order, "card", "take_home", False, "phone", "", True)
    order = fresh(order)
    assert (order.payment_method, order.old_parts, order.free_wash) == ("card", "take_home", False)
    assert order.authorisation_phone == order.customer.phone and order.customer_waiting


def test_on_account_for_a_company_with_credit(db, staff):
    company = customers.create_customer(
        staff["advisor"], "上海某物流有限公司", "021-64001234", kind="company", credit_limit="50000"
    )
    v = make_vehicle(owner=company)
    order = walk_in(staff, v).order
    reception.set_task_order_options(
        staff["advisor"], order, "on_account", authorisation_via="in_person"
    )
    assert fresh(order).payment_method == "on_account" and fresh(order).authorisation_phone == ""


def test_signing_lists_what_is_missing(db, staff):
    order = walk_in(staff).order
    with pytest.raises(ValidationError) as err:
        reception.sign_task_order(staff["advisor"], order, SIGNATURE, "王先生")
    text = str(err.value)
    for missing in ("complaint", "walk-around", "estimate line", "promised", "payment"):
        assert missing in text
    assert not Signature.select().exists() and fresh(order).signed_at is None


def test_diagnosis_needed_replaces_lines(db, staff):
    order = walk_in(staff, complaint_text="偶发熄火").order
    adv = staff["advisor"]
    reception.record_inspection(adv, order, 50, order.odometer_km)
    reception.record_complaint(adv, order, "偶发熄火", diagnosis_needed=True)
    reception.set_promised_time(adv, order, NOW + dt.timedelta(hours=2))
    reception.set_task_order_options(adv, order, "cash")
    assert reception.signing_problems(order) == []


@pytest.mark.parametrize(
    "image",
    [
        None,
        b"",
        png([]),  # nothing drawn
        png([(300, 100)]),  # one dot
        png([(300, 100)], background=Qt.GlobalColor.white, pen=3),  # a bigger dot on white
        png([(x, 100) for x in range(300, 306)]),  # a tiny stroke
        b"\x89PNG not really",
    ],
)
def test_empty_or_dot_signature_refused(db, staff, image):
    order = ready_to_sign(staff)
    with pytest.raises(ValidationError) as err:
        reception.sign_task_order(staff["advisor"], order, image, "王先生")
    assert err.value.field == "signature"
    assert fresh(order).signed_at is None and not Signature.select().exists()


def test_fully_inked_pad_refused(db, staff):
    black = png([], w=100, h=50, background=Qt.GlobalColor.black)
    assert not reception.analyse_signature(black).ok


def test_sign_with_a_real_signature(db, staff):
    order = ready_to_sign(staff)
    report = reception.analyse_signature(SIGNATURE)
    assert report.ok and report.ink_pixels > 500
    signed = reception.sign_task_order(staff["advisor"], order, SIGNATURE, "王先生")
    sig = Signature.get_by_id(signed.signature_id)
    assert sig.document == "task_order" and sig.order_id == order.id and sig.signer == "王先生"
    assert bytes(sig.image) == SIGNATURE
    assert fresh(order).signed_at == NOW and not fresh(order).signed_on_paper
    with pytest.raises(TransitionRefused):
        reception.sign_task_order(staff["advisor"], order, SIGNATURE, "王先生")  # already signed


def test_signed_on_paper(db, staff):
    order = ready_to_sign(staff)
    reception.sign_task_order(staff["advisor"], order, None, "王先生", on_paper=True)
    order = fresh(order)
    assert order.signed_at == NOW and order.signed_on_paper and order.signature_id is None


def test_signed_task_order_is_locked_until_reopened(db, staff):
    order = ready_to_sign(staff)
    reception.sign_task_order(staff["advisor"], order, SIGNATURE, "王先生")
    with pytest.raises(TransitionRefused) as err:
        reception.add_labour_line(staff["advisor"], order, op("WPR"))
    assert "reopen" in str(err.value)
    with pytest.raises(PermissionDenied):
        reception.reopen_task_order(staff["tech1"], order, "x")
    reception.reopen_task_order(staff["advisor"], order, "客户要求加装雨刮 customer adds wipers")
    assert fresh(order).signed_at is None
    reception.add_labour_line(staff["advisor"], order, op("WPR"))
    reception.sign_task_order(staff["advisor"], order, SIGNATURE, "王先生")
    assert Signature.select().count() == 2  # the first signature is kept as history


# ---------------------------------------------------------------------------- handover and cancel


def test_hand_over_refused_until_signed(db, staff):
    order = ready_to_sign(staff)
    with pytest.raises(TransitionRefused) as err:
        reception.hand_over(staff["advisor"], order)
    assert "has not signed the task order" in str(err.value)
    assert fresh(order).state == State.CHECKED_IN.value


def test_the_hand_over_names_the_supervisor_who_received_the_car(db, staff):
    """交接: which workshop supervisor received car, key and documents (one in the sample
    shop: named without asking; with two, the advisor says which)."""
    order = ready_to_sign(staff)
    reception.sign_task_order(staff["advisor"], order, SIGNATURE, "王先生")
    second = Staff.create(
        name="钱涛 Qian Tao", login="supervisor2", pin_hash=staff["supervisor"].pin_hash
    )
    StaffRole.create(staff=second, role="supervisor")
    with pytest.raises(ValidationError, match="which workshop supervisor"):
        reception.hand_over(staff["advisor"], order)
    with pytest.raises(ValidationError, match="workshop supervisor"):
        reception.hand_over(staff["advisor"], order, received_by=staff["tech1"].id)
    assert fresh(order).state == State.CHECKED_IN.value
    reception.hand_over(staff["advisor"], order, received_by=second.id)
    event = OrderEvent.get((OrderEvent.order == order) & (OrderEvent.kind == "handover"))
    assert json.loads(event.data)["received_by_name"] == "钱涛 Qian Tao"


def test_hand_over_signed_order(db, staff):
    order = ready_to_sign(staff)
    reception.sign_task_order(staff["advisor"], order, SIGNATURE, "王先生")
    with pytest.raises(ValidationError):
        reception.hand_over(staff["advisor"], order, key=False)
    with pytest.raises(PermissionDenied):
        reception.hand_over(staff["tech1"], order)
    reception.hand_over(staff["advisor"], order, notes="客户在休息室等 customer waits")
    order = fresh(order)
    assert order.state == State.AWAITING_DISPATCH.value
    assert order.handed_over_at == NOW and order.handover_key and order.handover_documents
    event = OrderEvent.get((OrderEvent.order == order) & (OrderEvent.kind == "handover"))
    assert json.loads(event.data)["notes"].startswith("客户在休息室")
    with pytest.raises(TransitionRefused):
        reception.record_complaint(staff["advisor"], order, "x")  # reception is over


def test_cancel_order_releases_parts(db, staff):
    order = walk_in(staff).order
    filt = part("FLT-OIL")
    reception.add_part_line(staff["advisor"], order, filt, "3")
    assert Part.get_by_id(filt.id).reserved_qty == Decimal("3.00")
    with pytest.raises(ValidationError):
        reception.cancel_order(staff["advisor"], order, "")
    reception.cancel_order(staff["manager"], order, "客户不修了 customer changed mind")
    assert fresh(order).state == State.CANCELLED.value
    assert Part.get_by_id(filt.id).reserved_qty == Decimal("0.00")
    with pytest.raises(TransitionRefused):
        reception.add_labour_line(staff["advisor"], order, op("WPR"))


def test_cancel_refused_once_work_started(db, staff):
    order = make_order(State.IN_PROGRESS, number="OLD-7")
    with pytest.raises(TransitionRefused):
        reception.cancel_order(staff["advisor"], order, "too late")
    assert fresh(order).state == State.IN_PROGRESS.value


def test_cancel_booked_order_cancels_its_appointment(db, staff):
    v = make_vehicle()
    appt = appointments.book_appointment(
        staff["advisor"], v.owner, v, dt.datetime(2026, 11, 3, 10, 0), "1", "保养"
    )
    reception.cancel_order(staff["advisor"], appointments.order_of(appt), "客户来电取消")
    assert Appointment.get_by_id(appt.id).status == "cancelled"


# ---------------------------------------------------------------------------- full reception walk


def test_reception_walk_from_booking_to_handover(db, staff):
    adv = staff["advisor"]
    owner = customers.create_customer(
        adv, "刘女士", "13912345678", preferred_contact_time="18:00-20:00"
    )
    v = customers.create_vehicle(
        adv,
        owner,
        "LFV2A21K4M4012340",
        "沪C·88888",
        make="奥迪 Audi",
        model="A4L",
        sale_date=dt.date(2025, 3, 1),
        odometer_km=9000,
    )
    appt = appointments.book_appointment(
        adv, owner, v, dt.datetime(2026, 11, 2, 10, 0), "2", "空调不制冷"
    )
    clock.set_now(dt.datetime(2026, 11, 2, 10, 5))
    result = reception.check_in(adv, v, odometer_km=9800)
    order = result.order
    reception.record_inspection(
        adv,
        order,
        35,
        9800,
        ["tpms"],
        marks=[{"view": "right", "x": 0.4, "y": 0.6, "kind": "dent", "note": "右后门"}],
    )
    reception.record_complaint(adv, order, "空调不制冷，出风口是热风", licence_no="沪C88888")
    decision = reception.suggest_warranty(order)
    reception.decide_warranty(adv, order, decision.status, decision.reason)
    reception.add_labour_line(adv, order, op("AC-REG"), pay_type="warranty")
    reception.add_part_line(adv, order, part("AC-COMP"), "1", pay_type="warranty")
    reception.set_promised_time(adv, order, reception.suggested_promised_time(order))
    reception.set_task_order_options(adv, order, "wechat", "dispose", True, "phone")
    reception.sign_task_order(adv, order, SIGNATURE, "刘女士")
    reception.hand_over(adv, order)
    order = fresh(order)
    assert order.state == State.AWAITING_DISPATCH.value
    assert order.appointment_id == appt.id and order.warranty_decision == "covered"
    assert order.promised_at == dt.datetime(2026, 11, 2, 12, 15)  # 10:05 + 2 h, next quarter


# ---------------------------------------------------------------------------- archive


def test_vehicle_archive(db, staff):
    v = make_vehicle(odometer=24900)
    earlier = earlier_visit(v, 150, "5000公里保养", "OLD-1", ops=["MNT-5K"])
    earlier.odometer_km = 20000
    earlier.next_service_km = earlier.next_service_date = None  # computed from the settings
    earlier.save()
    recent = earlier_visit(v, 8, "刹车异响", "OLD-2", ops=["BRK-F"])
    Recommendation.create(
        vehicle=v, order=recent, description="更换后刹车片", safety=True, state="declined"
    )
    Complaint.create(
        number="TS-9", channel="visit", customer=v.owner, order=recent, description="维修后仍有异响"
    )
    Complaint.create(
        number="TS-8",
        channel="phone",
        customer=v.owner,
        vehicle=v,
        description="旧投诉",
        state="closed",
    )
    arch = archive.vehicle_archive(v)
    assert [x.number for x in arch.visits] == ["OLD-2", "OLD-1"]
    assert arch.visits[1].odometer_km == 20000 and arch.visits[1].work
    assert [c.number for c in arch.open_complaints] == ["TS-9"]
    assert [r.description for r in arch.declined_recommendations] == ["更换后刹车片"]
    assert arch.recent_visit.id == recent.id and "OLD-2" in arch.comeback_warning
    assert set(arch.warranty) >= {"general", "body"}
    m = arch.maintenance
    assert m.last_km == 20000 and m.due_km == 25000
    assert m.last_date == (NOW - dt.timedelta(days=150)).date()
    assert m.soon and not m.due  # 100 km to go
    assert any("Declined earlier" in n for n in arch.notes())
    # the next service agreed at delivery wins over the computed one
    earlier.next_service_km, earlier.next_service_date = 24000, dt.date(2026, 10, 1)
    earlier.save()
    m = archive.vehicle_archive(v).maintenance
    assert (m.due_km, m.due_date, m.due) == (24000, dt.date(2026, 10, 1), True)


def test_maintenance_due_by_months_and_first_service(db, staff):
    admin.update_settings(staff["admin"], service_interval_months=3)
    v = make_vehicle(odometer=1000, sale_date=dt.date(2026, 5, 31))
    m = archive.maintenance_due(v)
    assert m.last_date == dt.date(2026, 5, 31) and m.due_date == dt.date(2026, 8, 31)
    assert m.due and "due" in m.text
    assert archive.add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
