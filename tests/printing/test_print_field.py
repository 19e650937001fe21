"""The field-service forms (issue 21): the dispatch order and the service report with the
satisfaction survey, read back with pdftotext."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess

import pytest

from factories import make_customer, make_vehicle
from shop_desk import clock
from shop_desk.demo import signature_png
from shop_desk.errors import NotFound
from shop_desk.models import Part
from shop_desk.printing import FIELD_KINDS, print_to_file, render_document
from shop_desk.services import field

NOW = dt.datetime(2026, 11, 2, 9, 0)


def words(pdf: bytes) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return re.sub(r"\s+", "", out)


def page_count(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page")


@pytest.fixture
def job(db, staff):
    """A fleet visit outside warranty: quoted, agreed, late for a traffic jam, parts taken
    out and one returned, report and survey complete."""
    customer = make_customer(name="顺丰车队 SF Fleet", phone="13700001111")
    car = make_vehicle(owner=customer, plate="沪AF1234")
    row = field.register_field_job(
        staff["crm"],
        customer.id,
        "浦东机场货运区 Pudong cargo depot",
        "三辆车定期保养 service three vans",
        NOW + dt.timedelta(hours=2),
        kind="fleet_visit",
        vehicle=car.id,
    )
    field.dispatch_field_job(
        staff["supervisor"], row, [staff["tech1"], staff["tech2"]], "服务车 沪A-F001", "举升机 jack"
    )
    field.record_quote(staff["supervisor"], row, "420.00", "360.00", "150.00")
    part = Part.select().where(Part.stock_qty >= 3).order_by(Part.id).first()
    field.issue_field_parts(staff["parts"], row, {part.id: "3"})
    clock.set_now(NOW + dt.timedelta(hours=1))
    field.depart(staff["tech1"], row)
    clock.set_now(NOW + dt.timedelta(hours=3))
    field.arrive(staff["tech1"], row, "外环堵车 traffic jam")
    field.record_agreement(
        staff["tech1"], row, "signature", "王经理 Manager Wang", signature_png(3)
    )
    field.start_work(staff["tech1"], row)
    field.finish_work(staff["tech1"], row, "更换机油滤清器 oil filters changed")
    field.call_centre(staff["tech1"], row)
    field.leave_site(staff["tech1"], row)
    field.return_to_base(staff["tech1"], row)
    field.return_field_parts(staff["parts"], row, {part.id: "1"})
    field.submit_report(
        staff["tech1"],
        row,
        "到期保养 due service",
        "换油换滤 oil and filter",
        part.name,
        "很好 very good",
    )
    field.record_survey(staff["tech1"], row, 4, "王经理 Manager Wang", signature_png(4))
    return row, part


def test_dispatch_order_shows_the_dispatch_record(job, staff):
    row, part = job
    text = words(render_document("dispatch-order", row.number, lang="en"))
    for expected in (
        "Dispatchorder",
        row.number,
        "顺丰车队SFFleet",
        "浦东机场货运区Pudongcargodepot",
        "服务车沪A-F001",
        staff["tech1"].name.replace(" ", ""),
        staff["tech2"].name.replace(" ", ""),
        "2026-11-0211:00",  # the customer's required arrival
        "外环堵车trafficjam",
        "Late",
        part.name.replace(" ", ""),
        "930.00",  # the quote's total
        "王经理ManagerWang",
        "更换机油滤清器oilfilterschanged",
    ):
        assert expected in text, expected


def test_service_report_with_survey(job):
    row, part = job
    pdf = render_document("service-report", row.number, lang="en")
    text = words(pdf)
    for expected in (
        "Servicereport",
        "到期保养dueservice",
        "换油换滤oilandfilter",
        part.name.replace(" ", ""),
        "很好verygood",
        "Satisfactionsurvey",
        "■Satisfied",
        "□Verysatisfied",
        "王经理ManagerWang",
    ):
        assert expected in text, expected
    assert "Incomplete" not in text


def test_blank_service_report_for_paper_and_incomplete_marked(db, staff):
    customer = make_customer(name="张三")
    row = field.register_field_job(
        staff["advisor"],
        customer.id,
        "厂区 yard",
        "上门保养",
        NOW + dt.timedelta(hours=1),
        within_warranty=True,
    )
    blank = words(render_document("service-report", row.number, lang="en"))
    assert "Servicereport" in blank and "Incomplete" not in blank
    assert "□Satisfied" in blank and "■" not in blank
    field.dispatch_field_job(staff["supervisor"], row, [staff["tech1"]], "车")
    for step in (field.depart, field.arrive, field.start_work):
        step(staff["tech1"], row)
    field.finish_work(staff["tech1"], row, "修好 fixed")
    field.submit_report(staff["tech1"], row, "", "办法 solution", "", "")
    text = words(render_document("service-report", row.number, lang="en"))
    assert "Incomplete:" in text and "thefaultcause" in text


def test_print_to_file_and_unknown_number(job, tmp_path):
    row, _ = job
    for kind in FIELD_KINDS:
        out = tmp_path / f"{kind}.pdf"
        assert print_to_file(kind, row.number, out) == 1
        assert out.read_bytes().startswith(b"%PDF")
        assert "COPY" not in words(out.read_bytes())
    with pytest.raises(NotFound, match="FW000"):
        render_document("dispatch-order", "FW000")
    with pytest.raises(NotFound, match="FW000"):
        print_to_file("service-report", "FW000", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_field_form_reprints_are_numbered_copies(job, staff, tmp_path):
    """Like the order's forms: the second print of a dispatch order or service report, from
    the command line or a desk, says COPY with its print number; each form counts apart."""
    from shop_desk.models import AuditLog
    from shop_desk.services import documents

    row, _ = job
    assert print_to_file("dispatch-order", row.number, tmp_path / "1.pdf") == 1
    assert print_to_file("dispatch-order", row.number, tmp_path / "2.pdf") == 2
    assert "COPY" not in words((tmp_path / "1.pdf").read_bytes())
    assert "Reprint:COPY,printno.2,nottheoriginal" in words((tmp_path / "2.pdf").read_bytes())
    assert documents.next_print_no("service-report", row.number) == 1
    documents.record_printed(staff["supervisor"], "service-report", row.number)
    assert documents.printed_before("service-report", row.number)
    assert print_to_file("service-report", row.number, tmp_path / "3.pdf") == 2
    assert "Reprint:COPY,printno.2" in words((tmp_path / "3.pdf").read_bytes())
    documents.record_printed(staff["supervisor"], "dispatch-order", f" {row.number} ", copy=True)
    assert documents.next_print_no("dispatch-order", row.number) == 4
    entries = list(
        AuditLog.select()
        .where((AuditLog.entity == "field_job") & (AuditLog.action == "record_printed"))
        .order_by(AuditLog.id)
    )
    assert [(e.staff_name, json.loads(e.after)["print_no"]) for e in entries] == [
        ("command line", 1),
        ("command line", 2),
        (staff["supervisor"].name, 1),
        ("command line", 2),
        (staff["supervisor"].name, 3),
    ]
    assert all(e.entity_id == row.id for e in entries)
    assert documents.next_print_no("dispatch-order", "FW000") == 1
    with pytest.raises(NotFound, match="FW000"):
        documents.record_printed(staff["supervisor"], "dispatch-order", "FW000")


def test_shop_desk_print_dispatch_order_twice(qapp, job, db_path, tmp_path, capsys):
    """``shop-desk print dispatch-order FW…`` run twice: the second paper and the terminal
    say it is a copy."""
    from shop_desk import cli, i18n
    from shop_desk.db import close_database

    row, _ = job
    close_database()
    outputs = [tmp_path / "first.pdf", tmp_path / "second.pdf"]
    said = []
    try:
        for out in outputs:
            argv = ["--lang", "en", "print", "dispatch-order", row.number, "-o", str(out)]
            assert cli.main([*argv, "--db", str(db_path)]) == 0
            said.append(capsys.readouterr().out)
    finally:
        i18n.install_language("en")
    assert "COPY" not in words(outputs[0].read_bytes()) and "copy" not in said[0]
    assert "Reprint:COPY,printno.2" in words(outputs[1].read_bytes())
    assert "Marked as a copy (print no. 2)." in said[1]


def test_cli_offers_the_field_forms(capsys, monkeypatch, tmp_path, db_path):
    import sys
    import types

    from shop_desk import cli

    calls = []
    module = types.ModuleType("shop_desk.printing")
    module.print_to_file = lambda *a, **k: calls.append(a) or 1
    monkeypatch.setitem(sys.modules, "shop_desk.printing", module)
    out = tmp_path / "d.pdf"
    db = db_path
    code = cli.main(
        ["--lang", "en", "print", "dispatch-order", "FW261102-001", "-o", str(out), "--db", str(db)]
    )
    assert code == 0 and calls == [("dispatch-order", "FW261102-001", str(out))]
