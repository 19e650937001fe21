"""The delivery tab's Work column stays readable in English on a 1280×720 screen: it takes its
share of the table and wraps, with no horizontal scroll bar (issue 19)."""

from __future__ import annotations

import pytest

from factories import make_line, make_order
from shop_desk import clock, i18n
from shop_desk.states import State

LONG = "四轮定位及前后轮胎动平衡 Four-wheel alignment with front and rear wheel balancing"


@pytest.fixture(autouse=True)
def _clock_pinned_after_db(db, fixed_clock):
    clock.set_now(fixed_clock)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_the_work_column_wraps_instead_of_an_ellipsis(qtbot, make_window, staff, lang):
    order = make_order(State.READY)
    make_line(order, LONG, pay_type="customer")
    i18n.install_language(lang)
    try:
        window = make_window("advisor")
        window.resize(1280, 720)
        page = window.show_page("checkout")
        page.refresh()
        page.open_order(order.id, "delivery")
        delivery = page.step("delivery")
        view = delivery.work_view
        qtbot.waitUntil(lambda: delivery.work.rowCount() == 3, timeout=2000)
        width = view.viewport().width()
        assert view.columnWidth(0) >= 0.35 * width
        total = sum(view.columnWidth(c) for c in range(delivery.work.columnCount()))
        assert total <= width + 1 and not view.horizontalScrollBar().isVisible()
        row = next(
            r for r in range(delivery.work.rowCount()) if view.model().index(r, 0).data() == LONG
        )
        line = view.fontMetrics().height()
        assert view.rowHeight(row) >= 2 * line  # the long work wraps over lines
        assert view.wordWrap()
    finally:
        i18n.install_language("en")
