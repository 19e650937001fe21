"""Lists over plain rows: header sorting and the filter box work on the rows themselves."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from shop_desk.ui.aftercare.common import setup_table
from shop_desk.ui.shell.models import Column, RowTableModel, row_of

ROWS = [
    {"id": 1, "name": "王伟", "plate": "沪A·12345", "amount": Decimal("80.00")},
    {"id": 2, "name": "Li Na", "plate": "沪B·7K31Q", "amount": None},
    {"id": 3, "name": "张敏", "plate": "苏E·88888", "amount": Decimal("1200.50")},
]


def _table(qtbot):
    model = RowTableModel(
        [
            Column(lambda: "Name", lambda r: r["name"]),
            Column(lambda: "Plate", lambda r: r["plate"]),
            Column(lambda: "Amount", lambda r: r["amount"], align_right=True),
        ]
    )
    view = QTableView()
    qtbot.addWidget(view)
    proxy = setup_table(view, model, sort_column=None)
    model.set_rows(ROWS)
    return view, model, proxy


def _ids(proxy) -> list[int]:
    return [row_of(proxy, proxy.index(r, 0))["id"] for r in range(proxy.rowCount())]


def test_header_sort_orders_numbers_and_empty_cells_and_keeps_the_selection(qtbot):
    view, model, proxy = _table(qtbot)
    view.setCurrentIndex(proxy.index(2, 0))  # 张敏
    view.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert _ids(proxy) == [3, 1, 2]  # 1,200.50, 80.00, then the empty amount
    assert row_of(proxy, view.currentIndex())["id"] == 3
    assert [row_of(proxy, i)["id"] for i in view.selectionModel().selectedRows()] == [3]
    view.sortByColumn(2, Qt.SortOrder.AscendingOrder)
    assert _ids(proxy) == [2, 1, 3]
    # new rows arrive in the chosen order
    model.set_rows([*ROWS, {"id": 4, "name": "赵", "plate": "", "amount": Decimal("5.00")}])
    assert _ids(proxy) == [2, 4, 1, 3]


def test_filter_matches_the_shown_text_of_any_column_without_case(qtbot):
    _view, model, proxy = _table(qtbot)
    proxy.setFilterFixedString("7k31")
    assert _ids(proxy) == [2]
    proxy.setFilterFixedString("1,200")  # as the amount is shown
    assert _ids(proxy) == [3]
    model.set_rows([{**ROWS[0], "plate": "沪A·7K31Z"}, *ROWS[1:]])
    proxy.setFilterFixedString("7K31")
    assert sorted(_ids(proxy)) == [1, 2]  # the new text, not the old one
    proxy.setFilterFixedString("")
    assert proxy.rowCount() == 3


def test_a_plate_typed_without_its_middle_dot_finds_the_plate_shown_with_it(qtbot):
    _view, _model, proxy = _table(qtbot)
    proxy.setFilterFixedString("沪A12345")
    assert _ids(proxy) == [1]
    proxy.setFilterFixedString("苏E·88888")
    assert _ids(proxy) == [3]


def test_a_hidden_long_list_is_fitted_when_it_is_shown(qtbot):
    from shop_desk.ui.aftercare.common import FIT_ROWS, fit_columns

    view, model, _proxy = _table(qtbot)
    long_name = "欧阳" * 30
    model.set_rows([{**ROWS[0], "id": i, "name": long_name} for i in range(FIT_ROWS + 50)])
    view.resize(900, 300)
    narrow = view.columnWidth(0)
    fit_columns(view, 10_000)  # hidden: measuring would read every row, so it waits
    assert view.columnWidth(0) == narrow
    view.show()
    qtbot.waitUntil(lambda: view.columnWidth(0) > narrow)
    assert view.columnWidth(0) >= view.fontMetrics().horizontalAdvance(long_name)
