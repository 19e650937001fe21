"""Insurance repairs (issue 22) as steps a walk strings together: the insurer added to the
catalogue, an accident car received with its claim (报案号) and the insurer's loss assessment
(定损) per line, hidden damage proposed as a supplementary assessment (追加定损) and the
insurer's answer recorded, the split settlement at checkout and the insurer receivables.

Like shop_day.py, every step works the real windows through what is written on them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import shop_day as step
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QGridLayout, QHeaderView, QLineEdit
from shop_pc import Shop
from shop_steps_more import KnownCar, sign_and_hand_over, walk_around

from shop_desk.validation import display_plate

INSURER = "平安保险 Ping An"
ASSESSOR = "李定损 Li Dingsun"
MANAGER = "王总 Wang (GM)"
ADVISOR = "李娜 Li Na"
CASHIER = "马丽 Ma Li"


@dataclass
class Claim:
    """What the customer's insurer told the advisor about the accident."""

    report_no: str = "RPAH2026110400017"
    policy_no: str = "PDAA202644010000123"
    fault: str = "Our customer"  # who is at fault, as the list reads
    excess: str = "300"
    accident_date: dt.date | None = None


def accident_car() -> KnownCar:
    """A car sold here years ago (out of the maker's warranty), hit at the front left."""
    return KnownCar(
        customer="孙丽 Sun Li",
        phone="13655556666",
        vin="LFV2A21K7J3047711",
        plate="粤B5K821",
        make="大众 Volkswagen",
        model="速腾 Sagitar",
        odometer="61000",
    )


# -- the catalogue (general manager) -------------------------------------------------------------
def add_insurer(shop: Shop, name: str, contact: str) -> None:
    """Admin ▸ Insurers: the insurer accident cars are claimed from."""
    shop.go("Admin")
    shop.click("Insurers")

    def fill() -> None:
        shop.type("Name", name)
        shop.type("Contact (person, phone)", contact)
        shop.click("Save")

    shop.click("New insurer", then=fill)
    assert shop.sees("{item} saved."), shop.describe()
    assert shop.sees(name), shop.describe()


# -- driver helpers -----------------------------------------------------------------------------
def type_in_cell(shop: Shop, row_text: str, column: str, text: str) -> None:
    """Double-click the cell in the column headed ``column`` on the row that shows
    ``row_text``, type ``text`` and Enter (an amount typed into a table)."""
    view, index = shop.cell(row_text)
    assert isinstance(view, QAbstractItemView)
    model = view.model()
    for col in range(model.columnCount()):
        header = str(model.headerData(col, Qt.Orientation.Horizontal) or "")
        if shop.matches(column, header):
            shop.click_cell(view, model.index(index.row(), col), double=True)
            editor = shop.focused()
            assert isinstance(editor, QLineEdit), f"no editor in the cell: {editor!r}"
            shop.type_keys(editor, text)
            shop.press(Qt.Key.Key_Return, editor)
            return
    raise AssertionError(f"no column {column!r} in the table of {row_text!r}")


def input_beside(shop: Shop, row_text: str) -> QLineEdit:
    """The input on the same row of a grid as the text ``row_text`` (a line's amount)."""
    label = shop.label(row_text, contains=True)
    grid = label.parentWidget().layout()
    assert isinstance(grid, QGridLayout), "the text is not on a row of a grid"
    row, _col, _rs, _cs = grid.getItemPosition(grid.indexOf(label))
    for col in range(grid.columnCount()):
        item = grid.itemAtPosition(row, col)
        widget = item.widget() if item is not None else None
        if isinstance(widget, QLineEdit) and widget.isVisible():
            return widget
    raise AssertionError(f"no input on the row of {row_text!r}")


def printed_text(shop: Shop) -> str:
    """The text of the document in the print preview (pypdf, spaces removed), then Esc."""
    import pypdf

    from shop_desk.ui.shell.print_preview import PrintPreviewDialog

    dialog = shop.modal()
    assert isinstance(dialog, PrintPreviewDialog), shop.describe()
    shop.qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20_000)
    assert dialog.pdf is not None, dialog.error_text
    pages = pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages
    text = re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pages))
    shop.press(Qt.Key.Key_Escape, dialog)
    return text


def on_paper(shop: Shop, text: str, english: str) -> bool:
    """Does the printed ``text`` read ``english`` (in the walk's language; spaces dropped)?"""
    return any(re.sub(r"\s+", "", t) in text for t in shop.texts(english))


# -- reception (service advisor) ----------------------------------------------------------------
def receive_accident_car(
    shop: Shop, car: KnownCar, lines: tuple[str, ...], then: Callable[[], None]
) -> str:
    """The car on file found by its plate, the walk-around, the customer's account of the
    accident, the damaged parts' lines; ``then``: the insurance done at the lines step; the
    task order signed and handed over. The order number."""
    shop.go("Reception")
    shop.type("Find the car: plate, VIN, phone or name", car.plate)
    shop.wait_for(car.customer)
    shop.select_row(car.customer)
    shop.click("Check in ▶")
    walk_around(shop, car)
    shop.type(
        "Customer's complaint, in the customer's own words",
        "左前方撞到护栏，方向跑偏 hit a barrier front left, pulls to the left",
    )
    shop.click("Not covered")
    shop.click("Next ▶")
    for code in lines:
        shop.type("Labour operation or part: type a code or a name", code, enter=True)
    then()
    return sign_and_hand_over(shop)


def record_claim(shop: Shop, claim: Claim) -> None:
    """Insurance… ▸ Accident car / claim: the accident car, the insurer and the claim."""
    assert claim.accident_date is not None

    def fill() -> None:
        shop.tick("Accident car (not handed over at peak hours)")
        shop.choose("Insurer", INSURER)
        shop.type("Claim report number", claim.report_no)
        shop.type("Policy number", claim.policy_no)
        shop.type("Accident date", claim.accident_date.isoformat())
        shop.choose("Who is at fault", claim.fault)
        shop.type("Excess (customer pays)", claim.excess)
        shop.click("Save")

    shop.click("Accident car / claim", then=fill)


def record_assessment(shop: Shop, on: dt.date, amounts: dict[str, str]) -> None:
    """Insurance… ▸ Loss assessment: the assessor, the date and a figure per line."""

    def fill() -> None:
        shop.type("Assessor", ASSESSOR)
        shop.type("Assessed on", on.isoformat())
        for line, amount in amounts.items():
            type_in_cell(shop, line, "Assessed amount", amount)
        shop.click("Save")

    shop.click("Loss assessment", then=fill)


def insurance_section(shop: Shop, work: Callable[[], None]) -> None:
    """The order's Insurance… window (``work``: what is done there), closed after."""

    def there() -> None:
        work()
        shop.click("Close")

    shop.click("Insurance", then=there)


# -- station (technician) -----------------------------------------------------------------------
def propose_supplement(
    shop: Shop, order: str, search: str, items: tuple[str, ...], why: str
) -> None:
    """Hidden damage: the lines proposed as a supplementary assessment the insurer approves."""
    step.open_job(shop, order)

    def propose() -> None:
        shop.type("Catalogue", search)
        for item in items:
            shop.click(item)
        shop.type("Reason", why)
        shop.tick(
            "Hidden accident damage: a supplementary assessment the insurer approves, not the "
            "customer"
        )
        shop.click("Send for authorisation")

    shop.click("Additional work", then=propose)


# -- advisor's notices ----------------------------------------------------------------------------
def insurer_answer(shop: Shop, car: KnownCar, approved: dict[str, str]) -> None:
    """The insurer approves every line of the supplementary assessment, at ``approved``."""
    shop.go("Workshop notices")
    table = shop.table_under(
        "Waiting for a decision: the customer's additional work, the insurer's supplementary "
        "assessments ({n})"
    )
    shop.select_row(display_plate(car.plate), within=table)
    assert shop.sees("Insurer (supplementary assessment)", within=table), shop.describe()
    assert shop.sees(
        "Supplementary assessment: the insurer decides. Record the amount it approved per "
        "line, or Decline."
    ), shop.describe()
    assert not shop.sees("How the customer decided:"), shop.describe()
    assert not shop.sees("Authorise all"), shop.describe()
    shop.click("Approve all")
    for line, amount in approved.items():
        shop.type_into(input_beside(shop, line), amount)
    shop.type("Insurer's assessor", ASSESSOR)
    shop.click("Record the decision")
    assert shop.sees("The insurer's answer on {number} recorded: {yes} approved, {no} declined."), (
        shop.describe()
    )


def table_of(shop: Shop, heading: str) -> QAbstractItemView:
    """The table with a column headed ``heading``."""
    found = []
    for view in shop._widgets(QAbstractItemView, None):
        model = view.model()
        if model is None or isinstance(view, QHeaderView):
            continue
        try:
            columns = model.columnCount()
        except TypeError:
            continue
        headers = [
            str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in range(columns)
        ]
        if any(shop.matches(heading, h) for h in headers):
            found.append(view)
    return shop._one(found, "table with the column", heading)


def row_reads(shop: Shop, view: QAbstractItemView, text: str) -> list[str]:
    """What the row of ``view`` that shows ``text`` reads, cell by cell."""
    cells = shop._cells(view, text, contains=True)
    assert cells, f"no row {text!r}"
    model, row = view.model(), cells[0].row()
    return [str(model.index(row, c).data()) for c in range(model.columnCount())]


# -- receivables (cashier) ----------------------------------------------------------------------
def insurer_payment(shop: Shop, order: str, amount: str, reference: str, on: dt.date) -> None:
    """Insurer receivables: a payment from the insurer for ``order``."""
    shop.select_row(order)

    def fill() -> None:
        shop.type("Amount received", amount)
        shop.type("Received on", on.isoformat())
        shop.type("Transfer reference", reference)
        shop.click("Record the payment")

    shop.click("Record insurer payment", then=fill)
    assert shop.sees("The insurer's payment is recorded."), shop.describe()
