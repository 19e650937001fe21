"""The printed supplier order (采购单, issue 22 §2), read back with pdftotext: the supplier and
whom to call, the repair order it is for, each line with what came in and what is still
expected, the parts clerk; both languages; a reprint (desk or ``shop-desk print``) is a copy."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest

from factories import make_order
from shop_desk import clock
from shop_desk.errors import NotFound
from shop_desk.models import JobLine, Part, Team
from shop_desk.printing import SUPPLIER_ORDER, document_title, print_to_file, render_document
from shop_desk.services import documents, parts, purchasing, workshop
from shop_desk.states import State
from shop_desk.validation import display_plate

NOW = dt.datetime(2026, 11, 3, 9, 30)
pytestmark = pytest.mark.usefixtures("qapp")


def words(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", "", out)


@pytest.fixture
def shortage(db, staff):
    """A job waiting for two brake pad sets the shelf lacks, ordered from Bosch and sent;
    one set came in."""
    clock.set_now(NOW)
    order = make_order(State.AWAITING_DISPATCH)
    team = Team.get(Team.name.startswith("机修一组"))
    workshop.dispatch(staff["supervisor"], order, team, staff["tech1"])
    workshop.accept_car(staff["tech1"], order)
    pad = Part.get(Part.part_no == "PAD-F")
    Part.update(stock_qty=Decimal("0")).where(Part.id == pad.id).execute()
    line = JobLine.create(
        order=order,
        kind="part",
        part=pad,
        description=pad.name,
        quantity=Decimal("2"),
        unit_price=pad.unit_price,
    )
    parts.request_parts(staff["tech1"], line, "2")
    bosch = purchasing.save_supplier(
        staff["parts"], "博世配件 Bosch parts", "王经理", "13912345678"
    )
    so = purchasing.order_shortage(staff["parts"], order, bosch, "急件 urgent")
    purchasing.send_supplier_order(staff["parts"], so)
    clock.set_now(NOW + dt.timedelta(hours=5))
    purchasing.receive_supplier_order(staff["parts"], so, {so.lines[0].id: "1"}, "送货单 7")
    return order, so


def test_the_supplier_order_in_english(shortage):
    order, so = shortage
    text = words(render_document(SUPPLIER_ORDER, so.number, lang="en"))
    for expected in (
        "Supplierorder",
        so.number,
        "博世配件Boschparts",
        "王经理",
        "13912345678",
        order.number,
        f"Repairorder{order.number}waitsfortheseparts({display_plate(order.vehicle.plate)})",
        "PAD-F",
        "前刹车片Frontbrakepads",
        "Ordered",
        "Received",
        "Stillexpected",
        "Partlyreceived",
        "急件urgent",
        "2026-11-0309:30",
        "Orderedby(partsclerk)",
        "何静",
        "Confirmedbythesupplier",
        "1item,totalquantity2",
    ):
        assert expected in text, expected
    assert "COPY" not in text


def test_the_supplier_order_in_chinese(shortage):
    _order, so = shortage
    text = words(render_document(SUPPLIER_ORDER, so.number, lang="zh_CN"))
    for expected in (
        so.number,
        "博世配件",
        "工单",
        "序号",
        "备品编号",
        "单位",
        "部分到货",
        "共1项",
    ):
        assert expected in text, expected
    assert "Partlyreceived" not in text and "Tel." not in text


def test_a_restock_order_says_so(db, staff):
    clock.set_now(NOW)
    bosch = purchasing.save_supplier(staff["parts"], "博世配件 Bosch parts")
    so = purchasing.order_restock(staff["parts"], bosch, {Part.get(Part.part_no == "PAD-R"): "4"})
    text = words(render_document(SUPPLIER_ORDER, so.number.lower(), lang="en"))
    assert "Torestocktheshelf(belowthereorderlevel)" in text
    assert "后刹车片Rearbrakepads" in text and "Draft" in text


def test_reprints_are_copies_at_the_desk_and_on_the_command_line(shortage, staff, tmp_path):
    _order, so = shortage
    assert document_title(SUPPLIER_ORDER) == "Supplier order"
    assert documents.print_count(SUPPLIER_ORDER, so.number) == 0
    documents.record_printed(staff["parts"], SUPPLIER_ORDER, so.number)
    assert documents.print_count(SUPPLIER_ORDER, so.number) == 1
    out = tmp_path / "so.pdf"
    assert print_to_file(SUPPLIER_ORDER, so.number, out, lang="en") == 2
    assert "COPY" in words(out.read_bytes())
    assert documents.next_print_no(SUPPLIER_ORDER, so.number) == 3
    with pytest.raises(NotFound, match="no supplier order"):
        render_document(SUPPLIER_ORDER, "CG000000-001")
    with pytest.raises(NotFound, match="no supplier order"):
        documents.record_printed(staff["parts"], SUPPLIER_ORDER, "CG000000-001")


def test_shop_desk_print_supplier_order(shortage, db_path, tmp_path, capsys):
    from shop_desk import cli, i18n
    from shop_desk.db import close_database, open_database

    _order, so = shortage
    close_database()
    out = tmp_path / "so.pdf"
    try:
        code = cli.main(
            [
                "--lang",
                "en",
                "print",
                "supplier-order",
                so.number,
                "-o",
                str(out),
                "--db",
                str(db_path),
            ]
        )
    finally:
        i18n.install_language("en")
    assert code == 0, capsys.readouterr().err
    assert so.number in words(out.read_bytes())
    open_database(db_path)
    assert documents.print_count(SUPPLIER_ORDER, so.number) == 1
