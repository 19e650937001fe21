"""The counter receipt (配件零售, issue 22 §3), read back with pdftotext: the lines with the
gift marked and each line's warranty, the cash and change, a refund after a return, the
counter's policy with the shop's exclusions, both languages, and a reprint marked as a copy."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from shop_desk import clock
from shop_desk.errors import ValidationError
from shop_desk.printing import COUNTER_KINDS, document_title, print_to_file, render_document
from shop_desk.services import approvals, counter, counter_policy, counter_returns

NOW = dt.datetime(2026, 11, 2, 9, 0)
#: Switching the language (and ``shop-desk print``) needs a Qt application: the GUI's one, so
#: that GUI tests in the same run can still open windows.
pytestmark = pytest.mark.usefixtures("qapp")


def words(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", "", out)


@pytest.fixture
def sale(db, staff):
    clock.set_now(NOW)
    counter_policy.add_exclusion(staff["admin"], "accessory", "外壳 housing")
    return counter.sell(
        staff["parts"],
        [
            {"part": "DASHCAM", "quantity": "1"},
            {"part": "BAT-60AH", "quantity": "1"},
            {"part": "BULB-H7", "quantity": "2", "gift": True},
        ],
        "cash",
        tendered="1400.00",
        customer_name="王先生 Wang",
        customer_phone="13912345678",
    )


def test_the_receipt_in_english(sale):
    text = words(render_document("counter-receipt", sale.number, lang="en"))
    for expected in (
        "Counterreceipt",
        sale.number,
        "王先生Wang",
        "13912345678",
        "Dashcamera",
        "H7灯泡Headlightbulb(gift)",
        "3month(s)",
        "1year(s)",
        "Total",
        "1,319.00",
        "Paid(Cash)",
        "Cashhandedover",
        "1,400.00",
        "Change",
        "81.00",
        "人民币壹仟叁佰壹拾玖元整",
        "Exchangeorrefundwithin15daysofthesaleforaqualityfault",
        "Notunderwarranty(Accessory):外壳housing.",
        "Giftsareneitherexchangednorunderwarranty",
    ):
        assert expected in text, expected
    assert "COPY" not in text


def test_the_receipt_in_chinese(sale):
    text = words(render_document("counter-receipt", sale.number, lang="zh_CN"))
    for expected in (
        "收据号",
        "日期",
        "顾客",
        "备品编号",
        "数量",
        "保修",
        "合计",
        "现金",
        sale.number,
    ):
        assert expected in text, expected


def test_a_refund_is_on_the_receipt(sale, staff):
    line = counter.sale_lines(sale)[0]
    case = counter_returns.receive_product(staff["parts"], line, "1", "refund", "坏了 broken")
    counter_returns.record_test_report(staff["parts"], case, "JC-1", True, "主板 board")
    asked = counter_returns.request_case_approval(staff["parts"], case)
    approvals.approve(staff["manager"], asked, "1234")
    counter_returns.refund_case(staff["cashier"], case, "cash")
    text = words(render_document("counter-receipt", sale.number, lang="en"))
    assert f"Refund(Cash,{case.number})" in text and "-599.00" in text
    assert "Paidafterrefunds" in text and "720.00" in text


def test_print_to_file_counts_the_copies(sale, tmp_path):
    assert COUNTER_KINDS == ("counter-receipt",)
    assert document_title("counter-receipt") == "Counter receipt"
    first, second = tmp_path / "1.pdf", tmp_path / "2.pdf"
    assert print_to_file("counter-receipt", sale.number, first, lang="en") == 1
    assert print_to_file("counter-receipt", sale.number, second, lang="en") == 2
    assert "COPY" not in words(first.read_bytes())
    assert "COPY" in words(second.read_bytes())
    with pytest.raises(ValidationError, match="no counter sale"):
        render_document("counter-receipt", "LS000000-001")


def test_shop_desk_print_counter_receipt(sale, db_path, tmp_path, capsys):
    """``shop-desk print counter-receipt LS…`` writes the PDF and counts the print, so the next
    one, here or at a desk, is a copy."""
    from shop_desk import cli, i18n
    from shop_desk.db import close_database, open_database
    from shop_desk.services import documents

    close_database()
    out = tmp_path / "receipt.pdf"
    try:
        code = cli.main(
            [
                "--lang",
                "en",
                "print",
                "counter-receipt",
                sale.number,
                "-o",
                str(out),
                "--db",
                str(db_path),
            ]
        )
    finally:
        i18n.install_language("en")
    assert code == 0, capsys.readouterr().err
    assert "Counterreceipt" in words(out.read_bytes())
    open_database(db_path)
    assert documents.print_count("counter-receipt", sale.number) == 1
