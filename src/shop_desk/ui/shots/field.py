"""Screenshot staging for the field-service desk: its tabs as the supervisor sees them and
its dialogs, with the demo's field jobs (:mod:`shop_desk.demo_field`) staged in a
transaction that is rolled back at the end when the shop has none.

Imported by :func:`shop_desk.ui.shots.screenshots.load_staging_modules`; the page is
imported when a shot runs (after the main window has registered it)."""

from __future__ import annotations

from shop_desk import clock
from shop_desk.demo import signature_png
from shop_desk.demo_field import cast, make_field_jobs
from shop_desk.field_states import FieldState
from shop_desk.models import FieldJob, Staff, Vehicle
from shop_desk.ui.shots.screenshots import (
    ShotContext,
    ShotWindows,
    register_screenshot,
    settle,
    shoot_and_reject,
)


def _stage() -> None:
    """The demo's field jobs around the present moment, when the shop has none."""
    if FieldJob.select().exists():
        return
    vehicles = list(
        Vehicle.select().where(Vehicle.owner.is_null(False)).order_by(Vehicle.id).limit(7)
    )
    make_field_jobs(cast(), vehicles, clock.now(), lambda: signature_png(11))


def _first(state: FieldState) -> FieldJob | None:
    return FieldJob.select().where(FieldJob.state == state.value).order_by(FieldJob.id).first()


def shots(ctx: ShotContext) -> None:
    """The Calls, Out now and To close tabs and the desk's dialogs."""
    from shop_desk.db import database
    from shop_desk.ui.field.page import FieldPage

    people = cast()
    supervisor: Staff | None = people.get("supervisor")
    advisor: Staff | None = people.get("advisor")
    if supervisor is None or advisor is None:
        return
    windows = ShotWindows()
    with database.obj.atomic() as txn, clock.frozen(clock.now()):
        try:
            _stage()

            open_window = windows.open

            window = open_window(supervisor)
            page = window.show_page("field")
            assert isinstance(page, FieldPage)
            calls = page.show_tab("calls")
            calls.refresh()
            settle()
            ctx.save("field_calls", window)
            out = page.show_tab("out")
            out.refresh()
            late = next((r for r in out.model.rows if r.job.arrived_late), None)
            if late is not None:
                # the late row shows its red best when another row carries the selection
                calm = next((r for r in out.model.rows if r.id != late.id), late)
                out.select(calm.id)
            settle()
            ctx.save("field_out_now", window)
            close = page.show_tab("close")
            close.refresh()
            incomplete = next((r for r in close.model.rows if r.gaps), None)
            if incomplete is not None:
                close.select(incomplete.id)
            settle()
            ctx.save("field_to_close", window)

            # dialogs: register, dispatch, quote, left without calling, tow in
            calls = page.show_tab("calls")
            register = calls.register()
            if register is not None:
                vehicle = Vehicle.select().where(Vehicle.owner.is_null(False)).first()
                if vehicle is not None:
                    register.set_customer(vehicle.owner, vehicle)
                register.place_edit.setText("虹桥机场 P9 停车场 Hongqiao airport, car park P9")
                register.description_edit.setPlainText(
                    "仪表盘多个故障灯亮，无法挂挡 warning lights on, no gear"
                )
                shoot_and_reject(ctx, "field_dialog_register", register)
            waiting = _first(FieldState.REGISTERED)
            if waiting is not None and calls.select(waiting.id):
                dispatch = calls.dispatch()
                if dispatch is not None:
                    crew = [p.id for k, p in people.items() if k in ("tech1", "leader2")]
                    dispatch.set_crew(crew)
                    dispatch.vehicle_edit.setText("服务车 沪A·F0001")
                    dispatch.tools_edit.setPlainText("诊断仪、千斤顶 tester, jack")
                    shoot_and_reject(ctx, "field_dialog_dispatch", dispatch)
                outside = next((r for r in calls.model.rows if not r.job.within_warranty), None)
                if outside is not None and calls.select(outside.id):
                    quote = calls.quote()
                    if quote is not None:
                        quote.labour_edit.setText("260")
                        quote.travel_edit.setText("80")
                        shoot_and_reject(ctx, "field_dialog_quote", quote)
            close = page.show_tab("close")
            returned = _first(FieldState.RETURNED)
            if returned is not None and close.select(returned.id):
                case = close.not_following()
                if case is not None:
                    case.reason_edit.setPlainText(
                        "未按派遣返回基地 did not come back as dispatched"
                    )
                    shoot_and_reject(ctx, "field_dialog_not_following", case)
            towed = (
                FieldJob.select()
                .where((FieldJob.towed == True) & FieldJob.order.is_null(True))  # noqa: E712
                .first()
            )
            if towed is not None:
                desk = open_window(advisor).show_page("field")
                assert isinstance(desk, FieldPage)
                tab = desk.show_tab("close")
                tab.refresh()
                if tab.select(towed.id):
                    settle()
                    ctx.save("field_to_close_advisor", windows.windows[-1])
                    tow = tab.tow_in()
                    if tow is not None:
                        tow.odometer_edit.setText("23850")
                        shoot_and_reject(ctx, "field_dialog_tow_in", tow)
        finally:
            windows.close_all()
            txn.rollback()


register_screenshot("field", shots)
