"""The printed test report (检测报告, issue 22 §3) of a product brought back to the counter,
read back with pdftotext: the sale, the fault in the customer's words, what the shop found,
the checks that decide and what follows with the general manager's approval; both languages;
not before the report is recorded; a reprint (desk or ``shop-desk print``) is a copy."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest

from shop_desk import clock
from shop_desk.errors import NotFound, ValidationError
from shop_desk.printing import TEST_REPORT, document_title, print_to_file, render_document
from shop_desk.services import approvals, counter, counter_returns, documents

SOLD = dt.datetime(2026, 11, 2, 9, 0)
pytestmark = pytest.mark.usefixtures("qapp")


def words(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", "", out)


@pytest.fixture
def case(db, staff):
    """A dash camera sold on 2 November, back on the 16th (day 14) with a black screen; the
    shop's test report finds a main board fault; the general manager approved."""
    clock.set_now(SOLD)
    sale = counter.sell(
        staff["parts"],
        [{"part": "DASHCAM", "quantity": "1"}],
        "wechat",
        reference="WX-1",
        customer_name="陈明",
        customer_phone="13800138000",
    )
    clock.set_now(SOLD + dt.timedelta(days=14, hours=1))
    row = counter_returns.receive_product(
        staff["parts"], counter.sale_lines(sale)[0], "1", "exchange", "开机后黑屏 black screen"
    )
    clock.set_now(SOLD + dt.timedelta(days=14, hours=2))
    counter_returns.record_test_report(
        staff["tech1"], row, "JC-2611-01", True, "主板故障 main board fault", component="主板"
    )
    asked = counter_returns.request_case_approval(staff["parts"], row)
    approvals.approve(staff["manager"], asked, "1234")
    return counter_returns._case(row.id)


def test_the_test_report_in_english(case):
    text = words(render_document(TEST_REPORT, case.number, lang="en"))
    for expected in (
        "Testreport",
        "Testreportno.JC-2611-01",
        case.number,
        case.line.sale.number,
        "2026-11-0209:00",
        "陈明",
        "13800138000",
        "DASHCAM行车记录仪Dashcamera",
        "Accessory",
        "exchange",
        "2026-11-1610:00",
        "Daysafterthesale14",
        "3month(s)",
        "开机后黑屏blackscreen",
        "主板故障mainboardfault",
        "QualityfaultYes",
        "ExteriordamagedNo",
        "PartsmissingNo",
        "Qualityfaultwithintheexchangewindow",
        "Generalmanager'sapproval:approved",
        "Qualityfaultconfirmed",
        "赵磊",
    ):
        assert expected in text, expected
    assert "COPY" not in text


def test_the_test_report_in_chinese(case):
    text = words(render_document(TEST_REPORT, case.number, lang="zh_CN"))
    for expected in (
        "JC-2611-01",
        case.number,
        "顾客",
        "电话",
        "保修",
        "是",
        "否",
        "已确认质量问题",
    ):
        assert expected in text, expected
    assert "Customer" not in text


def test_found_by_the_report_number_and_not_before_the_report(case, staff):
    assert "JC-2611-01" in words(render_document(TEST_REPORT, "JC-2611-01", lang="en"))
    line = counter.sale_lines(case.line.sale)[0]
    sale = counter.sell(staff["parts"], [{"part": "BULB-H7", "quantity": "1"}], "cash")
    untested = counter_returns.receive_product(
        staff["parts"], counter.sale_lines(sale)[0], "1", "exchange", "不亮 dead"
    )
    assert line.id != untested.line_id
    with pytest.raises(ValidationError, match="no test report yet"):
        render_document(TEST_REPORT, untested.number)
    with pytest.raises(NotFound, match="no counter case or test report"):
        render_document(TEST_REPORT, "TH000000-001")


def test_reprints_are_copies(case, staff, tmp_path):
    assert document_title(TEST_REPORT) == "Test report"
    documents.record_printed(staff["parts"], TEST_REPORT, case.number)
    assert documents.print_count(TEST_REPORT, "JC-2611-01") == 1  # the same paper
    out = tmp_path / "report.pdf"
    assert print_to_file(TEST_REPORT, "JC-2611-01", out, lang="en") == 2
    assert "COPY" in words(out.read_bytes())
    assert documents.next_print_no(TEST_REPORT, case.number) == 3


def test_shop_desk_print_test_report(case, db_path, tmp_path, capsys):
    from shop_desk import cli, i18n
    from shop_desk.db import close_database, open_database

    close_database()
    out = tmp_path / "report.pdf"
    try:
        code = cli.main(
            [
                "--lang",
                "en",
                "print",
                "test-report",
                case.number,
                "-o",
                str(out),
                "--db",
                str(db_path),
            ]
        )
    finally:
        i18n.install_language("en")
    assert code == 0, capsys.readouterr().err
    assert "JC-2611-01" in words(out.read_bytes())
    open_database(db_path)
    assert documents.print_count(TEST_REPORT, case.number) == 1
