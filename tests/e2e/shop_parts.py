"""Parts in and out and the accessory counter (issue 22) as steps a walk strings together: a
supplier order (采购单) raised at the parts counter for what a waiting job lacks, sent and
received in two deliveries; a counter sale (配件零售) with its receipt, the product brought
back, its test report (检测报告), the general manager's approval in the in-tray and the
replacement.

Like shop_day.py, every step works the real windows through what is written on them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import shop_day as step
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget
from shop_pc import Shop

from shop_desk import clock

CLERK = "何静 He Jing"
MANAGER = "王总 Wang (GM)"
SUPPLIER = "博世配件 Bosch parts"
RECEIPT_SEARCH = "Receipt number (LS…) or the customer's phone"


# -- the shop's records before it opens ---------------------------------------------------------
def out_of_stock(shop: Shop, *part_nos: str) -> None:
    """Before the shop opens: the shelf of these parts is empty."""
    from decimal import Decimal

    from shop_desk.db import close_database, open_database
    from shop_desk.models import Part

    open_database(shop.db_file)
    try:
        Part.update(stock_qty=Decimal("0")).where(Part.part_no.in_(part_nos)).execute()
    finally:
        close_database()


# -- the parts counter (parts clerk) -------------------------------------------------------------
def in_row(shop: Shop, row_text: str, column: str) -> QWidget:
    """The input in the column headed ``column`` on the table row that shows ``row_text`` (a
    quantity typed on a line of a delivery)."""
    view, index = shop.cell(row_text)
    assert isinstance(view, QAbstractItemView)
    model = view.model()
    for col in range(model.columnCount()):
        header = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        if shop.matches(column, header):
            widget = view.indexWidget(model.index(index.row(), col))
            assert widget is not None, f"no input under {column!r} on the row {row_text!r}"
            return widget
    raise AssertionError(f"no column {column!r} in the table of {row_text!r}")


def supplier_orders(shop: Shop, order: str, work: Callable[[], None]) -> None:
    """The parts clerk opens the job waiting for parts and the supplier orders (``work``: what
    is done there), then closes them."""
    step.open_job(shop, order)

    def there() -> None:
        work()
        shop.click("Close")

    shop.click("Supplier orders…", then=there)


def new_supplier(shop: Shop, name: str, phone: str) -> None:
    def fill() -> None:
        shop.type("Supplier", name)
        shop.type("Contact", "王经理")
        shop.type("Phone", phone)
        shop.click("Save")

    shop.click("New supplier…", then=fill)
    assert shop.sees("Supplier {name} added."), shop.describe()


def order_what_the_job_lacks(shop: Shop, order: str, parts: tuple[str, ...]) -> str:
    """Raise a supplier order for the job's shortage from ``SUPPLIER``; its number."""

    def raise_it() -> None:
        for part in parts:
            assert shop.sees(part), shop.describe()
        shop.choose("Supplier", f"{SUPPLIER} · 王经理")  # the name and whom to call
        shop.type("Note", "急件 urgent")
        shop.click("Raise the supplier order")

    shop.click("Order what {number} lacks…", then=raise_it)
    number = step.number("CG", shop.day)
    assert shop.sees("Supplier order {number} raised; mark it sent once it went to {supplier}."), (
        shop.describe()
    )
    assert shop.sees(number), shop.describe()
    return number


def send(shop: Shop, number: str) -> None:
    shop.select_row(number)
    shop.click("Sent to the supplier")
    assert shop.sees("Supplier order {number} sent."), shop.describe()


def print_order(shop: Shop, number: str) -> None:
    """The supplier order printed for the supplier (read in the preview)."""
    shop.select_row(number)
    shop.click("Print supplier order", then=lambda: step.preview(shop))


def receive(shop: Shop, number: str, note: str, not_yet: tuple[str, ...] = ()) -> None:
    """Book a delivery in: every line still expected, except ``not_yet`` (left at nothing)."""
    shop.select_row(number)

    def book() -> None:
        for part in not_yet:
            shop.type_into(in_row(shop, part, "Quantity now"), "0")
        shop.type("Note", note)
        shop.click("Book into stock")

    shop.click("Receive…", then=book)
    assert shop.sees("Supplier order {number} booked into stock."), shop.describe()


# -- the accessory counter -----------------------------------------------------------------------
@dataclass
class Sale:
    """A counter sale: the part (as the list shows it), the customer and how they pay."""

    part: str
    customer: str
    phone: str
    method: str = "WeChat Pay"
    reference: str = "WX-4200001"


def counter(shop: Shop, tab: str) -> None:
    shop.go("Accessory counter")
    shop.click(tab)


def sell(shop: Shop, sale: Sale, n: int) -> str:
    """Sell ``sale`` on the Sale tab and preview its receipt; the receipt number (the day's
    ``n``-th sale)."""
    counter(shop, "Sale")
    shop.choose("Part", sale.part)
    shop.type("Quantity", "1")
    shop.click("Add to the basket")
    shop.type("Name", sale.customer)
    shop.type("Phone", sale.phone)
    shop.choose("Payment method", sale.method)
    shop.type("Reference", sale.reference)
    shop.click("Take payment and sell")
    number = step.number("LS", clock.today(), n)
    assert shop.sees("Sold: receipt {number}, {total}."), shop.describe()
    assert number in shop.status(), shop.status()
    shop.select_row(number)
    shop.click("Print receipt", then=lambda: step.preview(shop))
    return number


def find_sale(shop: Shop, receipt: str, part: str | None = None) -> None:
    """Exchanges & returns: the sale found by its receipt number, its line ``part`` chosen."""
    counter(shop, "Exchanges & returns")
    shop.type(RECEIPT_SEARCH, receipt, enter=True)
    if part is not None:
        shop.select_row(part)


def take_back(shop: Shop, request: str, fault: str) -> str:
    """The product comes back (``request``: exchange or refund); the case number."""

    def fill() -> None:
        shop.type("Quantity", "1")
        shop.choose("The customer asks for", request)
        shop.type("Fault in the customer's words", fault)
        shop.click("Take it back")

    shop.click("Take the product back…", then=fill)
    number = step.number("TH", clock.today())
    assert shop.sees("Case {number} opened: a replacement is due by {due}."), shop.describe()
    return number


def test_report(shop: Shop, report_no: str, findings: str) -> None:
    """The shop's engineer finds a quality fault (exterior and parts complete); the report is
    printed for the customer."""

    def fill() -> None:
        shop.type("Test report no.", report_no)
        shop.type("Findings", findings)
        shop.type("Faulty part", "主板 main board")
        shop.tick("A quality fault (not caused by use)")
        shop.click("Record the test report")

    shop.click("Test report…", then=fill)
    assert shop.sees("Test report recorded: {decision}"), shop.describe()
    shop.click("Print test report", then=lambda: step.preview(shop))  # the customer's copy


def approve_in_tray(shop: Shop, case: str) -> None:
    """The general manager approves the case's return in the Approvals in-tray (PIN)."""
    shop.go("Approvals")
    shop.select_row(case)

    def pin() -> None:
        shop.type("Your PIN", "1234")
        shop.click("Approve")

    shop.click("Approve…", then=pin)
    assert shop.sees("Approved: {what} for {name}."), shop.describe()
